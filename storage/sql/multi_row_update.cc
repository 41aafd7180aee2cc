#include "storage/sql/multi_row_update.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lss::storage {

MultiRowUpdate::MultiRowUpdate(absl::string_view table, absl::string_view key_column,
                               std::vector<std::string> columns,
                               absl::string_view fixed_assignments, size_t rows_per_statement)
    : table_(table),
      key_column_(key_column),
      columns_(std::move(columns)),
      fixed_assignments_(fixed_assignments),
      rows_per_statement_(std::max<size_t>(rows_per_statement, 1)) {}

void MultiRowUpdate::AddRow(long long key, std::vector<SqlParams::Value> values) {
  rows_.push_back(Row{key, std::move(values)});
}

long long MultiRowUpdate::Execute(soci::session& session, const Dialect& dialect) const {
  long long matched = 0;
  for (size_t begin = 0; begin < rows_.size(); begin += rows_per_statement_) {
    matched += ExecuteStatement(session, dialect, begin,
                                std::min(rows_.size(), begin + rows_per_statement_));
  }
  return matched;
}

long long MultiRowUpdate::ExecuteStatement(soci::session& session, const Dialect& dialect,
                                           size_t begin, size_t end) const {
  // Placeholders are bound in order of appearance: each value is appended
  // as its placeholder is written.
  std::string sql = absl::StrCat("UPDATE ", table_, " SET ");
  SqlParams params;
  for (size_t column = 0; column < columns_.size(); ++column) {
    if (column > 0) sql += ", ";
    absl::StrAppend(&sql, columns_[column], " = ");
    const SqlParams::Value& first = rows_[begin].values[column];
    const bool same = std::all_of(rows_.begin() + static_cast<ptrdiff_t>(begin),
                                  rows_.begin() + static_cast<ptrdiff_t>(end),
                                  [&](const Row& row) { return row.values[column] == first; });
    if (same) {
      sql += dialect.Placeholder(params.size());
      params.Add(first);
      continue;
    }
    absl::StrAppend(&sql, "CASE ", key_column_);
    for (size_t i = begin; i < end; ++i) {
      absl::StrAppend(&sql, " WHEN ", dialect.Placeholder(params.size()));
      params.Int(rows_[i].key);
      absl::StrAppend(&sql, " THEN ", dialect.Placeholder(params.size()));
      params.Add(rows_[i].values[column]);
    }
    sql += " END";
  }
  if (!fixed_assignments_.empty()) {
    absl::StrAppend(&sql, columns_.empty() ? "" : ", ", fixed_assignments_);
  }
  const size_t keys_from = params.size();
  for (size_t i = begin; i < end; ++i) params.Int(rows_[i].key);
  absl::StrAppend(&sql, " WHERE ", key_column_, " IN ",
                  dialect.RowPlaceholders(keys_from, end - begin));
  return ExecuteSql(session, sql, params);
}

}  // namespace lss::storage
