// Licenses as operators read them: the detail view of `get`, the verdict of
// `sync`, the table of `list`, and the short names of the license enums.
// Pure functions of the messages; the text ends in '\n'.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "licensing/v1/license.pb.h"

namespace licensectl {

// SYNC_STATUS_NOT_IN_SYNC as billing's UI writes it: "Not In Sync".
std::string SyncStatusName(licensing::v1::SyncStatus status);
// LICENSE_STATE_ACTIVE: "ACTIVE".
std::string LicenseStateName(licensing::v1::LicenseState state);
// MISMATCH_KIND_CAPACITY_CHANGED: "CAPACITY_CHANGED".
std::string MismatchKindName(licensing::v1::MismatchKind kind);

// "CAPACITY_CHANGED: billing 100, KA 300"; an empty side shows as "(none)"
// (e.g. billing's side of FEATURES_ADDED).
std::string DescribeMismatch(const licensing::v1::Mismatch& mismatch);

// The sync status with the sync message, on one line: "In Sync", "Never
// Synced", "Not In Sync: capacity changed (billing 100, KA 300)". The
// status is not repeated when the message already starts with it.
std::string DescribeSyncStatus(const licensing::v1::License& license);

// The detail view of `get`: every field an operator needs, aligned, with
// each mismatch on its own line under the sync status.
std::string RenderLicense(const licensing::v1::License& license);

// The verdict of `sync`: the sync status with its message, then each
// mismatch ("  - KIND: billing VALUE, KA VALUE").
std::string RenderSyncResult(const licensing::v1::License& license);

// The table of `list`: ID, KEY NUMBER, CLASS, CAPACITY, STATUS, USABLE
// UNTIL, with the header line even when there are no licenses.
std::string RenderLicenseTable(
    const google::protobuf::RepeatedPtrField<licensing::v1::License>& licenses);

}  // namespace licensectl
