// How list-valued fields live in TEXT columns (licenses' features,
// additional_keys and mismatches, sync_history.mismatches, and the lists of
// an upgrade session: capacity steps, offered features, price lines): one
// record per line, fields separated by tabs, with '\\', tab, newline and NUL
// escaped as \\, \t, \n and \0, so that any string round-trips and an empty
// string is still a record ("\n"), distinct from an empty list (""). Plain
// text keeps the rows readable with the mysql/sqlite3 shells, and needs no
// JSON functions, which the two backends spell differently.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/license_model.h"
#include "storage/upgrade_model.h"

namespace lss::storage {

std::string EncodeFeatures(const std::vector<std::string>& features);
std::string EncodeAdditionalKeys(const std::vector<AdditionalKey>& keys);
// A mismatch is "<kind number>\t<billing value>\t<KA value>".
std::string EncodeMismatches(const std::vector<Mismatch>& mismatches);

// An upgrade's capacity steps, one decimal number per record.
std::string EncodeCapacitySteps(const std::vector<int64_t>& steps);
// A feature offer is "<API name>\t<display name>".
std::string EncodeFeatureOffers(const std::vector<FeatureOffer>& offers);
// A price line is "<kind number>\t<item>\t<description>\t<term amount>\t<amount>".
std::string EncodePriceLines(const std::vector<PriceLine>& lines);

// The inverses. Text that no Encode* produced is DATA_LOSS with reason
// DATABASE_ERROR: the column was corrupted or written by something else.
absl::StatusOr<std::vector<std::string>> DecodeFeatures(absl::string_view text);
absl::StatusOr<std::vector<AdditionalKey>> DecodeAdditionalKeys(absl::string_view text);
absl::StatusOr<std::vector<Mismatch>> DecodeMismatches(absl::string_view text);
absl::StatusOr<std::vector<int64_t>> DecodeCapacitySteps(absl::string_view text);
absl::StatusOr<std::vector<FeatureOffer>> DecodeFeatureOffers(absl::string_view text);
absl::StatusOr<std::vector<PriceLine>> DecodePriceLines(absl::string_view text);

}  // namespace lss::storage
