#include "server/audit/audit_trail.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/structured_log.h"
#include "common/status/error_details.h"
#include "common/text/utf8.h"
#include "storage/license_repository.h"

namespace lss {
namespace {

// Enough to say what happened; a longer message says nothing more.
constexpr size_t kMaxDetailLength = 1000;

// `text` cut to `max` bytes without splitting a UTF-8 sequence, and made
// valid UTF-8: MariaDB's utf8mb4 columns refuse anything else, and the
// event would be lost.
std::string Fitted(absl::string_view text, size_t max) {
  std::string valid = ValidUtf8(text);
  return std::string(TruncateUtf8(valid, max));
}

std::string TimeText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

}  // namespace

AuditTrail::AuditTrail(AuditRepository& events, WorkerPool& pool, const Clock& clock, AuditOptions options)
    : events_(events),
      pool_(pool),
      clock_(clock),
      options_(options),
      refusals_(options.refusal_window, options.max_refusal_keys),
      flusher_([this] { FlushLoop(); }) {}

AuditTrail::~AuditTrail() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  flusher_.join();
  std::vector<RefusalSummary> left;
  {
    absl::MutexLock lock(&mu_);
    left = refusals_.TakeAll();
  }
  for (const RefusalSummary& summary : left) WriteSummary(summary);
}

void AuditTrail::Record(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome) {
  AuditEvent event;
  event.event_time = clock_.Now();
  event.actor = caller.name;
  event.actor_role = caller.role == Role::kNone ? "" : std::string(RoleName(caller.role));
  event.method = std::move(call.method);
  event.license_id = call.license_id;
  event.target = std::move(call.key_number);
  event.outcome = absl::StatusCodeToString(outcome.code());
  event.detail = outcome.ok() || !call.detail.empty() ? std::move(call.detail) : std::string(outcome.message());
  // The driver's text stays in the server's log (the call's "database_error"
  // line): the audit log is read through the API.
  const std::string reason = ReasonOf(outcome);
  if (reason == kReasonDatabaseError || reason == kReasonDatabaseUnavailable) {
    event.detail = absl::StrCat(reason, ": the server's log has the cause under request id ", caller.request_id);
  }
  event.request_id = caller.request_id;
  Write(std::move(event));
}

void AuditTrail::RecordRefusal(const CallerIdentity& caller, absl::string_view method,
                               const absl::Status& refusal) {
  RefusalKey key{CallerKey(caller), std::string(method), absl::StatusCodeToString(refusal.code()),
                 ReasonOf(refusal)};
  bool first = false;
  {
    absl::MutexLock lock(&mu_);
    first = refusals_.Count(std::move(key), caller, clock_.Now());
  }
  if (!first) return;
  // A caller without a token has no name: the event says where it called
  // from, which is what the tally counts it by.
  AuditedCall call{std::string(method)};
  if (caller.name.empty()) call.detail = absl::StrCat(refusal.message(), " (from ", caller.peer, ")");
  Record(caller, std::move(call), refusal);
}

void AuditTrail::WriteSummary(const RefusalSummary& summary) {
  AuditEvent event;
  event.event_time = summary.first;
  event.actor = summary.last_caller.name;
  event.actor_role =
      summary.last_caller.role == Role::kNone ? "" : std::string(RoleName(summary.last_caller.role));
  event.method = summary.key.method;
  event.outcome = summary.key.outcome;
  event.detail = absl::StrCat(summary.count, " more ", summary.count == 1 ? "call" : "calls", " refused (",
                              summary.key.reason, ") from ",
                              summary.key.who == "*" ? "callers not counted apart" : summary.key.who,
                              " between ", TimeText(summary.first), " and ", TimeText(summary.last));
  event.request_id = summary.last_caller.request_id;
  event.call_count = summary.count;
  Write(std::move(event));
}

void AuditTrail::Write(AuditEvent event) {
  event.actor = Fitted(event.actor, kMaxAuditActorLength);
  event.actor_role = Fitted(event.actor_role, kMaxAuditActorRoleLength);
  event.method = Fitted(event.method, kMaxAuditMethodLength);
  event.target = Fitted(event.target, kMaxAuditTargetLength);
  event.outcome = Fitted(event.outcome, kMaxAuditOutcomeLength);
  event.detail = Fitted(event.detail, kMaxDetailLength);
  event.request_id = Fitted(event.request_id, kMaxAuditRequestIdLength);
  // The task holds the repository, not the trail: the destructor's last
  // counts run after the trail is gone (the pool outlives it; the
  // repository outlives the pool).
  pool_.Run([&events = events_, event = std::move(event)] {
    absl::StatusOr<AuditEvent> written = events.Append(event);
    if (!written.ok()) {
      LogEvent(LogLevel::kError, "audit_event_lost")
          .Field("method", event.method)
          .Field("actor", event.actor)
          .Field("request_id", event.request_id)
          .Field("call_count", event.call_count)
          .Field("error", written.status().ToString());
    }
  });
}

void AuditTrail::FlushLoop() {
  // Often enough that a count is written soon after its window ends, and
  // at least once a second, so that a clock moved by tests is noticed.
  const absl::Duration tick = std::clamp(options_.refusal_window / 4, absl::Milliseconds(20), absl::Seconds(1));
  while (true) {
    std::vector<RefusalSummary> due;
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), tick)) return;
      due = refusals_.TakeDue(clock_.Now());
    }
    for (const RefusalSummary& summary : due) WriteSummary(summary);
  }
}

}  // namespace lss
