#include "storage/sql/sql_script.h"

#include "absl/strings/ascii.h"

namespace lss::storage {
namespace {

void Flush(std::string& statement, std::vector<std::string>& statements) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(statement);
  if (!trimmed.empty()) statements.emplace_back(trimmed);
  statement.clear();
}

}  // namespace

std::vector<std::string> SplitSqlStatements(absl::string_view script) {
  std::vector<std::string> statements;
  std::string statement;
  char quote = 0;  // the open quote character, 0 outside quotes
  for (size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    if (quote != 0) {
      statement += c;
      // A doubled quote ('it''s') closes and reopens: same result.
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      statement += c;
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      const size_t end = script.find('\n', i);
      if (end == absl::string_view::npos) break;
      i = end;  // keep the newline as the comment's separator
      statement += '\n';
    } else if (c == ';') {
      Flush(statement, statements);
    } else {
      statement += c;
    }
  }
  Flush(statement, statements);
  return statements;
}

}  // namespace lss::storage
