// How list-valued license fields live in TEXT columns (features,
// additional_keys, mismatches and sync_history.mismatches): one record per
// line, fields separated by tabs, with '\\', tab, newline and NUL escaped as
// \\, \t, \n and \0, so that any string round-trips and an empty string is
// still a record ("\n"), distinct from an empty list (""). Plain text keeps
// the rows readable with the mysql/sqlite3 shells, and needs no JSON
// functions, which the two backends spell differently.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/license_model.h"

namespace lss::storage {

std::string EncodeFeatures(const std::vector<std::string>& features);
std::string EncodeAdditionalKeys(const std::vector<AdditionalKey>& keys);
// A mismatch is "<kind number>\t<billing value>\t<KA value>".
std::string EncodeMismatches(const std::vector<Mismatch>& mismatches);

// The inverses. Text that no Encode* produced is DATA_LOSS with reason
// DATABASE_ERROR: the column was corrupted or written by something else.
absl::StatusOr<std::vector<std::string>> DecodeFeatures(absl::string_view text);
absl::StatusOr<std::vector<AdditionalKey>> DecodeAdditionalKeys(absl::string_view text);
absl::StatusOr<std::vector<Mismatch>> DecodeMismatches(absl::string_view text);

}  // namespace lss::storage
