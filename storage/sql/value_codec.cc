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

// A kind enum stored as its number. As for mismatches, kinds this binary
// does not name yet are kept as numbers.
absl::Status DecodeKind(absl::string_view text, absl::string_view what, int& kind) {
  if (!absl::SimpleAtoi(text, &kind) || kind <= 0) return Corrupt(absl::StrCat("bad ", what));
  return absl::OkStatus();
}

absl::Status DecodeInt64(absl::string_view text, absl::string_view what, int64_t& value) {
  if (!absl::SimpleAtoi(text, &value)) return Corrupt(absl::StrCat("bad ", what));
  return absl::OkStatus();
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

std::string EncodeCapacitySteps(const std::vector<int64_t>& steps) {
  std::string out;
  for (int64_t step : steps) AppendRecord({absl::StrCat(step)}, out);
  return out;
}

std::string EncodeFeatureOffers(const std::vector<FeatureOffer>& offers) {
  std::string out;
  for (const FeatureOffer& offer : offers) AppendRecord({offer.api_name, offer.display_name}, out);
  return out;
}

std::string EncodePriceLines(const std::vector<PriceLine>& lines) {
  std::string out;
  for (const PriceLine& line : lines) {
    AppendRecord({absl::StrCat(static_cast<int>(line.kind)), line.item, line.description,
                  absl::StrCat(line.term_amount_minor), absl::StrCat(line.amount_minor)},
                 out);
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> DecodeCapacitySteps(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 1);
  if (!records.ok()) return records.status();
  std::vector<int64_t> steps(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    if (absl::Status status = DecodeInt64((*records)[i][0], "capacity step", steps[i]);
        !status.ok()) {
      return status;
    }
  }
  return steps;
}

absl::StatusOr<std::vector<FeatureOffer>> DecodeFeatureOffers(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 2);
  if (!records.ok()) return records.status();
  std::vector<FeatureOffer> offers;
  offers.reserve(records->size());
  for (std::vector<std::string>& record : *records) {
    offers.push_back(FeatureOffer{std::move(record[0]), std::move(record[1])});
  }
  return offers;
}

absl::StatusOr<std::vector<PriceLine>> DecodePriceLines(absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = DecodeRecords(text, 5);
  if (!records.ok()) return records.status();
  std::vector<PriceLine> lines;
  lines.reserve(records->size());
  for (std::vector<std::string>& record : *records) {
    int kind = 0;
    PriceLine line;
    absl::Status status = DecodeKind(record[0], "price line kind", kind);
    if (status.ok()) {
      status = DecodeInt64(record[3], "price line term amount", line.term_amount_minor);
    }
    if (status.ok()) status = DecodeInt64(record[4], "price line amount", line.amount_minor);
    if (!status.ok()) return status;
    line.kind = static_cast<PriceLineKind>(kind);
    line.item = std::move(record[1]);
    line.description = std::move(record[2]);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace lss::storage
