#include "client/key_info_conversion.h"

#include <algorithm>

namespace lss {
namespace {

namespace ka = keyadmin::v1;

absl::Time TimeFromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

// KA promises the order, but sync compares feature lists element by element,
// so the client guarantees it rather than trusting every KA release.
std::vector<KaFeature> FeaturesFromProto(
    const google::protobuf::RepeatedPtrField<ka::Feature>& features) {
  std::vector<KaFeature> out;
  out.reserve(static_cast<size_t>(features.size()));
  for (const ka::Feature& feature : features) {
    out.push_back({feature.api_name(), feature.display_name()});
  }
  std::sort(out.begin(), out.end(),
            [](const KaFeature& a, const KaFeature& b) { return a.api_name < b.api_name; });
  return out;
}

std::vector<int64_t> StepsFromProto(const google::protobuf::RepeatedField<int64_t>& steps) {
  return std::vector<int64_t>(steps.begin(), steps.end());
}

KaBillingType BillingTypeFromProto(ka::BillingType billing_type) {
  return billing_type == ka::BILLING_TYPE_PURCHASE ? KaBillingType::kPurchase
                                                   : KaBillingType::kLease;
}

ka::BillingType BillingTypeToProto(KaBillingType billing_type) {
  return billing_type == KaBillingType::kPurchase ? ka::BILLING_TYPE_PURCHASE
                                                  : ka::BILLING_TYPE_LEASE;
}

}  // namespace

KaKey KaKeyFromProto(const ka::Key& key) {
  KaKey out;
  out.key_number = key.key_number();
  out.key_type = key.key_type();
  out.additional = key.kind() == ka::KEY_KIND_ADDITIONAL;
  out.parent_key_number = key.parent_key_number();
  out.capacity = key.capacity();
  out.features = FeaturesFromProto(key.features());
  out.billing_type = BillingTypeFromProto(key.billing_type());
  out.create_time = TimeFromProto(key.create_time());
  out.update_due_time = TimeFromProto(key.update_due_time());
  out.expire_time = TimeFromProto(key.expire_time());
  out.terminated = key.terminated();
  out.problem = key.problem();
  out.additional_keys.reserve(static_cast<size_t>(key.additional_keys_size()));
  for (const ka::AdditionalKeyRef& ref : key.additional_keys()) {
    out.additional_keys.push_back({ref.key_number(), ref.key_type()});
  }
  std::sort(out.additional_keys.begin(), out.additional_keys.end(),
            [](const KaAdditionalKey& a, const KaAdditionalKey& b) {
              return a.key_number < b.key_number;
            });
  return out;
}

KaKeyType KaKeyTypeFromProto(const ka::KeyType& key_type) {
  KaKeyType out;
  out.name = key_type.name();
  out.display_name = key_type.display_name();
  out.key_prefix = key_type.key_prefix();
  out.additional = key_type.kind() == ka::KEY_KIND_ADDITIONAL;
  out.capacity_unit = key_type.capacity_unit();
  out.capacity_steps = StepsFromProto(key_type.capacity_steps());
  out.max_capacity = key_type.max_capacity();
  out.features = FeaturesFromProto(key_type.features());
  return out;
}

KaKeyPage KaKeyPageFromProto(const ka::ListKeysResponse& response) {
  KaKeyPage out;
  out.keys.reserve(static_cast<size_t>(response.keys_size()));
  for (const ka::Key& key : response.keys()) out.keys.push_back(KaKeyFromProto(key));
  out.next_page_token = response.next_page_token();
  out.total_size = response.total_size();
  return out;
}

KaUpgradeOptions KaUpgradeOptionsFromProto(const ka::GetAvailableUpgradesResponse& response) {
  KaUpgradeOptions out;
  out.key_number = response.key_number();
  out.key_type = response.key_type();
  out.current_capacity = response.current_capacity();
  out.capacity_steps = StepsFromProto(response.capacity_steps());
  out.max_capacity = response.max_capacity();
  out.features = FeaturesFromProto(response.features());
  return out;
}

ka::CreateKeyRequest CreateKeyRequestToProto(const KaCreateKeyRequest& request) {
  ka::CreateKeyRequest out;
  out.set_key_type(request.key_type);
  out.set_capacity(request.capacity);
  for (const std::string& feature : request.features) out.add_features(feature);
  out.set_billing_type(BillingTypeToProto(request.billing_type));
  out.set_parent_key_number(request.parent_key_number);
  out.set_idempotency_key(request.idempotency_key);
  return out;
}

ka::UpgradeKeyRequest UpgradeKeyRequestToProto(const KaUpgradeKeyRequest& request) {
  ka::UpgradeKeyRequest out;
  out.set_key_number(request.key_number);
  out.set_capacity(request.capacity);
  for (const std::string& feature : request.add_features) out.add_add_features(feature);
  out.set_idempotency_key(request.idempotency_key);
  return out;
}

}  // namespace lss
