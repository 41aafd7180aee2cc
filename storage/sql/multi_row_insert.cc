#include "storage/sql/multi_row_insert.h"

#include <algorithm>

namespace lss::storage {

MultiRowInsert::MultiRowInsert(soci::session& session, const Dialect& dialect,
                               absl::string_view head, size_t columns, size_t rows_per_statement)
    : session_(session),
      dialect_(dialect),
      head_(head),
      columns_(columns),
      rows_per_statement_(std::max<size_t>(rows_per_statement, 1)) {}

SqlParams& MultiRowInsert::AddRow() {
  if (rows_ == rows_per_statement_) Send();
  if (rows_ == 0) {
    sql_ = head_;
  } else {
    sql_ += ", ";
  }
  // Placeholders are numbered by position: this row's values come next.
  sql_ += dialect_.RowPlaceholders(params_.size(), columns_);
  ++rows_;
  return params_;
}

long long MultiRowInsert::Finish() {
  if (rows_ > 0) Send();
  return affected_;
}

void MultiRowInsert::Send() {
  affected_ += ExecuteSql(session_, sql_, params_);
  params_ = SqlParams();
  rows_ = 0;
}

}  // namespace lss::storage
