// Running one SQL statement with bound parameters, the way both backends
// agree on: placeholders are ":name", bound by position in order of
// appearance, so every placeholder appears exactly once (SQLite gives a
// repeated name a single position); statements with thousands of values
// use Dialect::RowPlaceholders instead. Values are always bound, never
// pasted into the text.
//
// These functions throw SOCI's exceptions: call them inside SqlRunner work.
// SqlParams is a plain value; a session belongs to one thread.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/optional.h"

namespace soci {
class session;
class statement;
}  // namespace soci

namespace lss::storage {

// The values for a statement's placeholders, in order.
class SqlParams {
 public:
  // One value: NULL, an integer or a text.
  using Value = std::variant<std::monostate, long long, std::string>;

  SqlParams& Int(long long value);
  SqlParams& Text(std::string value);
  SqlParams& Null();
  // NULL when `value` is empty: optional text columns store NULL, not ''.
  SqlParams& TextOrNull(std::string value);
  SqlParams& Add(Value value);
  // Appends every value of `other`, in order: the values of conditions
  // written apart from the statement they join.
  SqlParams& Append(const SqlParams& other);

  size_t size() const { return values_.size(); }

  // Hands every value to `statement` (SOCI's use()); SOCI keeps references,
  // so these params must outlive the statement's execution and not grow.
  void BindTo(soci::statement& statement) const;

 private:
  std::vector<Value> values_;
};

// Runs a statement that returns no rows; the number of rows it affected
// (MySQL: rows matched, as SOCI connects with CLIENT_FOUND_ROWS).
long long ExecuteSql(soci::session& session, const std::string& sql, const SqlParams& params = {});

// Runs a query whose first column of its first row is an integer (an id, a
// count). absl::nullopt when there is no row or the value is NULL.
absl::optional<long long> QueryInt(soci::session& session, const std::string& sql,
                                   const SqlParams& params = {});

// The id the last INSERT on this session generated. Call it before COMMIT:
// through SOCI, MariaDB reports 0 once the transaction has committed.
long long LastInsertId(soci::session& session, const std::string& table);

// Runs the query `sql`: `bind_row` binds the result columns (SOCI into()s
// on the statement), then `on_row` runs after each fetched row. Stops at the
// first error `on_row` returns, and returns it.
absl::Status ForEachRow(soci::session& session, const std::string& sql, const SqlParams& params,
                        absl::FunctionRef<void(soci::statement&)> bind_row,
                        absl::FunctionRef<absl::Status()> on_row);

}  // namespace lss::storage
