// Runs storage work on a pooled connection, inside a write transaction when
// asked, and is the edge where SOCI's exceptions stop: whatever the work
// throws becomes an absl::Status (database_errors.h) and nothing escapes.
//
// A transaction commits when the work returns OK and rolls back otherwise.
// A deadlock victim is rerun from the start, a few times, because the
// database has already undone it; the work must therefore have no effects
// outside the database before it returns.
//
// Thread-safe: any number of threads may run work at once, each on its own
// connection.
#pragma once

#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/sql/connection_pool.h"

namespace lss::storage {

class SqlRunner {
 public:
  explicit SqlRunner(ConnectionPool& pool) : pool_(pool) {}

  // Runs `work(soci::session&)`, which returns absl::Status or
  // absl::StatusOr<T>, each statement committing on its own. `action`
  // ("get license") prefixes the message of a database error.
  template <typename Work>
  auto Run(absl::string_view action, Work&& work) {
    return RunAs(action, /*transaction=*/false, std::forward<Work>(work));
  }

  // Runs `work` inside a write transaction (Dialect::BeginWriteTransaction).
  template <typename Work>
  auto RunInTransaction(absl::string_view action, Work&& work) {
    return RunAs(action, /*transaction=*/true, std::forward<Work>(work));
  }

  const Dialect& dialect() const { return pool_.dialect(); }

 private:
  static const absl::Status& StatusOf(const absl::Status& status) { return status; }
  template <typename T>
  static const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
    return result.status();
  }

  template <typename Work>
  auto RunAs(absl::string_view action, bool transaction, Work&& work) {
    using Result = std::invoke_result_t<Work&, soci::session&>;
    Result result = absl::UnknownError("not run");
    absl::Status status = RunErased(action, transaction, [&](soci::session& session) {
      result = work(session);
      return StatusOf(result);
    });
    if (!status.ok()) return Result(std::move(status));
    return result;
  }

  absl::Status RunErased(absl::string_view action, bool transaction,
                         absl::FunctionRef<absl::Status(soci::session&)> work);

  ConnectionPool& pool_;
};

}  // namespace lss::storage
