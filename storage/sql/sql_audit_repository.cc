#include "storage/sql/sql_audit_repository.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "common/status/error_details.h"
#include "soci/soci.h"
#include "storage/sql/audit_rows.h"
#include "storage/sql/field_checks.h"
#include "storage/sql/sql_statement.h"
#include "storage/sql/stored_time.h"

namespace lss::storage {
namespace {

absl::Status ValidateEvent(const AuditEvent& event) {
  // "Who did what": an event that names no RPC records nothing useful.
  if (event.method.empty()) return InvalidArgumentError("method", "is required");
  if (event.call_count < 1) return InvalidArgumentError("call_count", "must be at least 1");
  for (absl::Status status : {
           CheckLength("actor", event.actor, kMaxAuditActorLength),
           CheckLength("actor_role", event.actor_role, kMaxAuditActorRoleLength),
           CheckLength("method", event.method, kMaxAuditMethodLength),
           CheckLength("target", event.target, kMaxAuditTargetLength),
           CheckLength("outcome", event.outcome, kMaxAuditOutcomeLength),
           CheckLength("detail", event.detail, kMaxAuditDetailLength),
           CheckLength("request_id", event.request_id, kMaxAuditRequestIdLength),
       }) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// The WHERE clause of `filter` and `before_event_id` (" WHERE ..." or ""),
// its values appended to `params` in the same order.
std::string WhereClause(const AuditFilter& filter, int64_t before_event_id, SqlParams& params) {
  std::string conditions;
  auto add = [&](absl::string_view condition) {
    absl::StrAppend(&conditions, conditions.empty() ? " WHERE " : " AND ", condition);
  };
  if (filter.license_id.has_value()) {
    add("license_id = :license_id");
    params.Int(*filter.license_id);
  }
  if (filter.actor.has_value()) {
    add("actor = :actor");
    params.Text(*filter.actor);
  }
  if (filter.method.has_value()) {
    add("method = :method");
    params.Text(*filter.method);
  }
  if (filter.since.has_value()) {
    add("occurred_at >= :since");
    params.Int(ToStoredMicros(*filter.since));
  }
  if (filter.before.has_value()) {
    add("occurred_at < :before");
    params.Int(ToStoredMicros(*filter.before));
  }
  if (before_event_id > 0) {
    add("event_id < :before_event_id");
    params.Int(before_event_id);
  }
  return conditions;
}

// What one pruning transaction did; `last` when it removed every row
// still older than the cutoff.
struct PrunedBatch {
  long long removed = 0;
  bool last = false;
};

// A row's place in the (occurred_at, event_id) index.
struct BatchEnd {
  long long occurred_at = 0;
  long long event_id = 0;
};

// The first row a pruning batch keeps: the row `batch_size` rows into those
// older than `cutoff`, in index order. Unset when no more than `batch_size`
// rows are older than `cutoff`.
absl::optional<BatchEnd> FindBatchEnd(soci::session& session, long long cutoff_micros,
                                      int64_t batch_size) {
  BatchEnd end;
  bool found = false;
  // OFFSET walks batch_size entries of the (occurred_at, event_id) index,
  // no more: the ORDER BY is that index's order.
  ForEachRow(
      session,
      "SELECT occurred_at, event_id FROM audit_events WHERE occurred_at < :cutoff "
      "ORDER BY occurred_at, event_id LIMIT 1 OFFSET :batch_size",
      SqlParams().Int(cutoff_micros).Int(batch_size),
      [&](soci::statement& statement) {
        statement.exchange(soci::into(end.occurred_at));
        statement.exchange(soci::into(end.event_id));
      },
      [&]() -> absl::Status {
        found = true;
        return absl::OkStatus();
      })
      .IgnoreError();  // the row callback never fails: SOCI's errors are thrown
  if (!found) return absl::nullopt;
  return end;
}

}  // namespace

SqlAuditRepository::SqlAuditRepository(ConnectionPool& pool, int64_t prune_batch_size)
    : runner_(pool), prune_batch_size_(std::max<int64_t>(1, prune_batch_size)) {}

absl::StatusOr<AuditEvent> SqlAuditRepository::Append(const AuditEvent& event) {
  absl::Status valid = ValidateEvent(event);
  if (!valid.ok()) return valid;
  SqlParams values;
  AppendAuditEventValues(event, values);
  const std::string insert =
      absl::StrCat("INSERT INTO audit_events (", kAuditEventInsertColumns, ") VALUES ",
                   runner_.dialect().RowPlaceholders(0, kAuditEventInsertColumnCount));
  // A transaction for LastInsertId's sake: MariaDB reports no id once the
  // INSERT has committed.
  return runner_.RunInTransaction("append audit event",
                                  [&](soci::session& session) -> absl::StatusOr<AuditEvent> {
                                    ExecuteSql(session, insert, values);
                                    AuditEvent stored = event;
                                    stored.event_id = LastInsertId(session, "audit_events");
                                    stored.event_time = AsStored(event.event_time);
                                    return stored;
                                  });
}

absl::StatusOr<std::vector<AuditEvent>> SqlAuditRepository::List(const AuditFilter& filter,
                                                                 int64_t before_event_id,
                                                                 int limit) {
  absl::Status valid = CheckLimit(limit);
  if (!valid.ok()) return valid;
  SqlParams params;
  const std::string sql = absl::StrCat("SELECT ", kAuditEventColumns, " FROM audit_events",
                                       WhereClause(filter, before_event_id, params),
                                       " ORDER BY event_id DESC LIMIT :limit");
  params.Int(limit);
  return runner_.Run("list audit events",
                     [&](soci::session& session) -> absl::StatusOr<std::vector<AuditEvent>> {
                       return QueryAuditEvents(session, sql, params);
                     });
}

absl::StatusOr<int64_t> SqlAuditRepository::PruneBefore(absl::Time cutoff) {
  const long long cutoff_micros = ToStoredMicros(cutoff);
  int64_t pruned = 0;
  for (;;) {
    absl::StatusOr<PrunedBatch> batch = runner_.RunInTransaction(
        "prune audit events", [&](soci::session& session) -> absl::StatusOr<PrunedBatch> {
          const absl::optional<BatchEnd> end =
              FindBatchEnd(session, cutoff_micros, prune_batch_size_);
          if (!end.has_value()) {
            return PrunedBatch{
                ExecuteSql(session, "DELETE FROM audit_events WHERE occurred_at < :cutoff",
                           SqlParams().Int(cutoff_micros)),
                /*last=*/true};
          }
          // The rows before `end` in index order. "occurred_at <= :at" is
          // the index range both engines scan; the rest drops the rows of
          // that same time from `end` on.
          return PrunedBatch{
              ExecuteSql(
                  session,
                  "DELETE FROM audit_events WHERE occurred_at <= :at "
                  "AND (occurred_at < :at_again OR event_id < :event_id)",
                  SqlParams().Int(end->occurred_at).Int(end->occurred_at).Int(end->event_id)),
              /*last=*/false};
        });
    if (!batch.ok()) return batch.status();
    pruned += batch->removed;
    if (batch->last) return pruned;
  }
}

}  // namespace lss::storage
