// Translation between keyadmin.v1 messages and the domain's Ka* structs
// (client/key_info.h). Only the KA client uses it: nothing else should see
// KA's wire types.
//
// All functions are pure and thread-safe. They never fail: a field KA left
// unset reads as its proto3 default.
#pragma once

#include "client/key_info.h"
#include "keyadmin/v1/key_administrator.pb.h"

namespace lss {

// KA -> domain.
KaKey KaKeyFromProto(const keyadmin::v1::Key& key);
KaKeyType KaKeyTypeFromProto(const keyadmin::v1::KeyType& key_type);
KaKeyPage KaKeyPageFromProto(const keyadmin::v1::ListKeysResponse& response);
KaUpgradeOptions KaUpgradeOptionsFromProto(
    const keyadmin::v1::GetAvailableUpgradesResponse& response);

// Domain -> KA.
keyadmin::v1::CreateKeyRequest CreateKeyRequestToProto(const KaCreateKeyRequest& request);
keyadmin::v1::UpgradeKeyRequest UpgradeKeyRequestToProto(const KaUpgradeKeyRequest& request);

}  // namespace lss
