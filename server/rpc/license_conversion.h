// Translation between licensing.v1 messages and the storage model, in both
// directions, for the LicenseService handlers. Validation of what a request
// may contain lives in the domain; this file only changes representation.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "licensing/v1/license.pb.h"
#include "licensing/v1/sync.pb.h"
#include "storage/license_model.h"

namespace lss {

// The etag is opaque to callers (AIP-154): a quoted version, as HTTP does.
std::string EtagOf(int64_t version);

void ToProto(const LicenseRecord& record, licensing::v1::License* out);
void ToProto(const SyncHistoryEntry& entry, licensing::v1::SyncHistoryEntry* out);
void ToProto(const Mismatch& mismatch, licensing::v1::Mismatch* out);
void ToProto(const AdditionalKey& key, licensing::v1::AdditionalKey* out);

licensing::v1::SyncStatus ToProto(SyncStatus status);
licensing::v1::LicenseState ToProto(LicenseState state);

// Unspecified enum values mean "any"; unknown enum numbers are
// INVALID_ARGUMENT naming the field (e.g. "filter.sync_status").
absl::StatusOr<LicenseFilter> FromProto(const licensing::v1::LicenseFilter& filter,
                                        absl::string_view field_prefix);

}  // namespace lss
