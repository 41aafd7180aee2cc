#include "ka-mock/key_proto.h"

#include "keyadmin/v1/key_administrator.pb.h"

namespace ka_mock {
namespace {

void AddFeatures(
    FeatureSet features, const Catalogue& catalogue,
    google::protobuf::RepeatedPtrField<keyadmin::v1::Feature>* out) {
  // Ascending ids are ascending api_names: the order KA answers with.
  for (size_t id = 0; id < catalogue.features().size(); ++id) {
    if (!features.Contains(static_cast<FeatureId>(id))) continue;
    const FeatureSpec& spec = catalogue.features()[id];
    keyadmin::v1::Feature* feature = out->Add();
    feature->set_api_name(spec.api_name);
    feature->set_display_name(spec.display_name);
  }
}

keyadmin::v1::KeyKind KindProto(KeyKind kind) {
  return kind == KeyKind::kMain ? keyadmin::v1::KEY_KIND_MAIN
                                : keyadmin::v1::KEY_KIND_ADDITIONAL;
}

keyadmin::v1::BillingType BillingProto(BillingType billing) {
  return billing == BillingType::kLease ? keyadmin::v1::BILLING_TYPE_LEASE
                                        : keyadmin::v1::BILLING_TYPE_PURCHASE;
}

}  // namespace

void ToProto(const KeyView& key, const Catalogue& catalogue,
             keyadmin::v1::Key* out) {
  out->set_key_number(key.key_number);
  out->set_key_type(key.type->name);
  out->set_kind(KindProto(key.type->kind));
  out->set_parent_key_number(key.parent_key_number);
  out->set_capacity(key.capacity);
  AddFeatures(key.features, catalogue, out->mutable_features());
  out->set_billing_type(BillingProto(key.billing));
  out->mutable_create_time()->set_seconds(key.create_time);
  out->mutable_update_due_time()->set_seconds(key.update_due_time);
  out->mutable_expire_time()->set_seconds(key.expire_time);
  out->set_terminated(key.terminated);
  out->set_problem(key.problem);
  for (const AdditionalKeyView& additional : key.additional_keys) {
    keyadmin::v1::AdditionalKeyRef* ref = out->add_additional_keys();
    ref->set_key_number(additional.key_number);
    ref->set_key_type(additional.type->name);
  }
}

void ToProto(const UpgradeOptions& options, const Catalogue& catalogue,
             keyadmin::v1::GetAvailableUpgradesResponse* out) {
  out->set_key_number(options.key_number);
  out->set_key_type(options.type->name);
  out->set_current_capacity(options.current_capacity);
  out->mutable_capacity_steps()->Add(options.capacity_steps.begin(),
                                     options.capacity_steps.end());
  out->set_max_capacity(options.type->max_capacity());
  AddFeatures(options.features, catalogue, out->mutable_features());
}

void ToProto(const Catalogue& catalogue,
             keyadmin::v1::ListKeyTypesResponse* out) {
  for (const KeyTypeSpec& spec : catalogue.key_types()) {
    keyadmin::v1::KeyType* type = out->add_key_types();
    type->set_name(spec.name);
    type->set_display_name(spec.display_name);
    type->set_key_prefix(spec.key_prefix);
    type->set_kind(KindProto(spec.kind));
    type->set_capacity_unit(spec.capacity_unit);
    type->mutable_capacity_steps()->Add(spec.capacity_steps.begin(),
                                        spec.capacity_steps.end());
    type->set_max_capacity(spec.max_capacity());
    AddFeatures(spec.offered_features, catalogue, type->mutable_features());
  }
}

}  // namespace ka_mock
