// Bulk INSERTs as multi-row statements, "INSERT ... VALUES (...), (...)",
// a bounded number of rows each. On MySQL this is the bulk write: SOCI's
// vector use() sends one statement per row there, many times slower
// (NOTES.md "Storage performance facts"). Call it inside a transaction, or
// every statement flushes the log on its own.
//
// Throws SOCI's exceptions: use it inside SqlRunner work. One object
// belongs to one thread, like the session it writes through.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sql_statement.h"

namespace soci {
class session;
}  // namespace soci

namespace lss::storage {

class MultiRowInsert {
 public:
  // `head` is the statement up to its rows, "INSERT INTO t (a, b) VALUES "
  // (or an INSERT IGNORE); every row has `columns` values; a statement
  // carries at most `rows_per_statement` rows.
  MultiRowInsert(soci::session& session, const Dialect& dialect, absl::string_view head,
                 size_t columns, size_t rows_per_statement);
  MultiRowInsert(const MultiRowInsert&) = delete;
  MultiRowInsert& operator=(const MultiRowInsert&) = delete;

  // Starts a row, first sending the rows so far when a statement is full.
  // Append exactly `columns` values to the returned params, in column
  // order, before starting the next row or finishing.
  SqlParams& AddRow();

  // Sends the rows not sent yet. Returns the rows affected by every
  // statement sent (with INSERT IGNORE: the rows inserted).
  long long Finish();

 private:
  void Send();

  soci::session& session_;
  const Dialect& dialect_;
  const std::string head_;
  const size_t columns_;
  const size_t rows_per_statement_;
  std::string sql_;
  SqlParams params_;
  size_t rows_ = 0;
  long long affected_ = 0;
};

}  // namespace lss::storage
