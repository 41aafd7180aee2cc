#include "storage/sql/sql_runner.h"

#include <string>

#include "soci/soci.h"
#include "storage/sql/database_errors.h"

namespace lss::storage {
namespace {

// A deadlock needs two transactions that lock rows in different orders;
// rerunning the victim at once almost always succeeds.
constexpr int kMaxDeadlockAttempts = 3;

}  // namespace

absl::Status SqlRunner::RunErased(absl::string_view action, bool transaction,
                                  absl::FunctionRef<absl::Status(soci::session&)> work) {
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    soci::session& session = lease->session();
    // Where an exception leaves the connection: outside a transaction, inside
    // one (roll it back), or in an unknown state (COMMIT or ROLLBACK failed:
    // SQLite may still hold the transaction open, MySQL may have lost it).
    enum class State { kIdle, kInTransaction, kUnknown } state = State::kIdle;
    try {
      if (transaction) {
        session << std::string(dialect().BeginWriteTransaction());
        state = State::kInTransaction;
      }
      absl::Status status = work(session);
      if (state == State::kInTransaction) {
        state = State::kUnknown;
        if (status.ok()) {
          session.commit();
        } else {
          session.rollback();
        }
      }
      return status;
    } catch (...) {
      const DatabaseError error = ClassifyCurrentException();
      if (error.kind == DatabaseErrorKind::kUnavailable || state == State::kUnknown) {
        lease->MarkBroken();  // reopening the connection ends any transaction
      } else if (state == State::kInTransaction) {
        try {
          session.rollback();
        } catch (...) {
          lease->MarkBroken();
        }
      }
      if (error.kind != DatabaseErrorKind::kDeadlock || attempt == kMaxDeadlockAttempts) {
        return DatabaseErrorStatus(error, action);
      }
    }
  }
}

}  // namespace lss::storage
