#include "storage/sql/value_codec.h"

#include <initializer_list>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"
#include "storage/license_repository.h"

namespace lss::storage {
namespace {

constexpr char kFieldSeparator = '\t';
constexpr char kRecordTerminator = '\n';

void AppendEscaped(absl::string_view field, std::string& out) {
  for (char c : field) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      // Some drivers read TEXT through C strings: a raw NUL would cut it.
      case '\0':
        out += "\\0";
        break;
      default:
        out += c;
    }
  }
}

void AppendRecord(std::initializer_list<absl::string_view> fields, std::string& out) {
  bool first = true;
  for (absl::string_view field : fields) {
    if (!first) out += kFieldSeparator;
    first = false;
    AppendEscaped(field, out);
  }
  out += kRecordTerminator;
}

absl::Status Corrupt(absl::string_view what) {
  return WithReason(absl::DataLossError(absl::StrCat("corrupt list column: ", what)),
                    kReasonDatabaseError);
}

// Splits `text` into records of exactly `field_count` unescaped fields.
absl::StatusOr<std::vector<std::vector<std::string>>> DecodeRecords(absl::string_view text,
                                                                    size_t field_count) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (++i == text.size()) return Corrupt("dangling escape");
      switch (text[i]) {
        case '\\':
          fields.back() += '\\';
          break;
        case 't':
          fields.back() += '\t';
          break;
        case 'n':
          fields.back() += '\n';
          break;
        case '0':
          fields.back() += '\0';
          break;
        default:
          return Corrupt("unknown escape");
      }
    } else if (c == kFieldSeparator) {
      fields.emplace_back();
    } else if (c == kRecordTerminator) {
      if (fields.size() != field_count) {
        return Corrupt(
            absl::StrCat("a record has ", fields.size(), " fields, expected ", field_count));
      }
      records.push_back(std::move(fields));
      fields.assign(1, std::string());
    } else {
      fields.back() += c;
    }
  }
  if (fields.size() != 1 || !fields.front().empty()) return Corrupt("unterminated record");
  return records;
}

}  // namespace

std::string EncodeFeatures(const std::vector<std::string>& features) {
  std::string out;
  for (const std::string& feature : features) AppendRecord({feature}, out);
  return out;
}

std::string EncodeAdditionalKeys(const std::vector<AdditionalKey>& keys) {
  std::string out;
  for (const AdditionalKey& key : keys) AppendRecord({key.key_number, key.key_type}, out);
  return out;
}

std::string EncodeMismatches(const std::vector<Mismatch>& mismatches) {
  std::string out;
  for (const Mismatch& m : mismatches) {
    AppendRecord({absl::StrCat(static_cast<int>(m.kind)), m.billing_value, m.ka_value}, out);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DecodeFeatures(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 1);
  if (!records.ok()) return records.status();
  std::vector<std::string> features;
  features.reserve(records->size());
  for (std::vector<std::string>& record : *records) features.push_back(std::move(record[0]));
  return features;
}

absl::StatusOr<std::vector<AdditionalKey>> DecodeAdditionalKeys(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 2);
  if (!records.ok()) return records.status();
  std::vector<AdditionalKey> keys;
  keys.reserve(records->size());
  for (std::vector<std::string>& record : *records) {
    keys.push_back(AdditionalKey{std::move(record[0]), std::move(record[1])});
  }
  return keys;
}

absl::StatusOr<std::vector<Mismatch>> DecodeMismatches(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 3);
  if (!records.ok()) return records.status();
  std::vector<Mismatch> mismatches;
  mismatches.reserve(records->size());
  for (std::vector<std::string>& record : *records) {
    int kind = 0;
    // Kinds this binary does not name yet (written by a newer replica) are
    // kept as numbers: the API layer decides how to show them.
    if (!absl::SimpleAtoi(record[0], &kind) || kind <= 0) return Corrupt("bad mismatch kind");
    mismatches.push_back(
        Mismatch{static_cast<MismatchKind>(kind), std::move(record[1]), std::move(record[2])});
  }
  return mismatches;
}

}  // namespace lss::storage
