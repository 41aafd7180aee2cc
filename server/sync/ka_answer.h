// What KA's answer about one key means for billing's license: a sync result
// (KA sent the key, or answered 220, 221 or 222, which are results about the
// key), or the error that made the attempt fail. Shared by SyncLicense and
// SyncAll so that both judge an answer the same way. Pure; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "client/key_info.h"
#include "storage/license_model.h"

namespace lss {

absl::StatusOr<SyncResult> ResultOfKaAnswer(const LicenseRecord& license, const absl::StatusOr<KaKey>& answer);

// The key base to ask KA about: any revision finds the key, and KA answers
// with the current one.
std::string KaLookupKey(const LicenseRecord& license);

}  // namespace lss
