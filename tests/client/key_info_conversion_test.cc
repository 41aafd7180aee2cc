#include "client/key_info_conversion.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

namespace ka = keyadmin::v1;
using ::testing::ElementsAre;

ka::Key SampleKey() {
  ka::Key key;
  key.set_key_number("PLSK.00005819.0003");
  key.set_key_type("PLESK_WEB_PRO");
  key.set_kind(ka::KEY_KIND_MAIN);
  key.set_capacity(30);
  // Out of order on purpose: the domain gets them sorted.
  auto* b = key.add_features();
  b->set_api_name("WORDPRESS_TOOLKIT");
  b->set_display_name("WordPress Toolkit");
  auto* a = key.add_features();
  a->set_api_name("UNLIMITED_DOMAINS");
  a->set_display_name("Unlimited domains");
  key.set_billing_type(ka::BILLING_TYPE_PURCHASE);
  key.mutable_create_time()->set_seconds(1700000000);
  key.mutable_update_due_time()->set_seconds(1730000000);
  key.mutable_expire_time()->set_seconds(1730864000);
  key.mutable_expire_time()->set_nanos(500);
  key.set_problem(true);
  auto* kav = key.add_additional_keys();
  kav->set_key_number("KAV.00005821.0001");
  kav->set_key_type("KASPERSKY_ANTIVIRUS");
  return key;
}

TEST(KeyInfoConversionTest, KeyCarriesEveryField) {
  KaKey key = KaKeyFromProto(SampleKey());
  EXPECT_EQ(key.key_number, "PLSK.00005819.0003");
  EXPECT_EQ(key.key_type, "PLESK_WEB_PRO");
  EXPECT_FALSE(key.additional);
  EXPECT_EQ(key.parent_key_number, "");
  EXPECT_EQ(key.capacity, 30);
  EXPECT_THAT(key.features, ElementsAre(KaFeature{"UNLIMITED_DOMAINS", "Unlimited domains"},
                                        KaFeature{"WORDPRESS_TOOLKIT", "WordPress Toolkit"}));
  EXPECT_EQ(key.billing_type, KaBillingType::kPurchase);
  EXPECT_EQ(key.create_time, absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(key.update_due_time, absl::FromUnixSeconds(1730000000));
  EXPECT_EQ(key.expire_time, absl::FromUnixSeconds(1730864000) + absl::Nanoseconds(500));
  EXPECT_FALSE(key.terminated);
  EXPECT_TRUE(key.problem);
  EXPECT_THAT(key.additional_keys,
              ElementsAre(KaAdditionalKey{"KAV.00005821.0001", "KASPERSKY_ANTIVIRUS"}));
}

TEST(KeyInfoConversionTest, AdditionalKeyAndDefaults) {
  ka::Key proto;
  proto.set_kind(ka::KEY_KIND_ADDITIONAL);
  proto.set_parent_key_number("PLSK.00005819.0000");
  KaKey key = KaKeyFromProto(proto);
  EXPECT_TRUE(key.additional);
  EXPECT_EQ(key.parent_key_number, "PLSK.00005819.0000");
  EXPECT_EQ(key.billing_type, KaBillingType::kLease);  // unspecified reads as lease
  EXPECT_EQ(key.expire_time, absl::UnixEpoch());       // unset reads as proto3 zero
}

TEST(KeyInfoConversionTest, KeyTypeAndPage) {
  ka::KeyType proto;
  proto.set_name("VIRTUOZZO_CONTAINERS");
  proto.set_display_name("Virtuozzo");
  proto.set_key_prefix("VZ");
  proto.set_kind(ka::KEY_KIND_MAIN);
  proto.set_capacity_unit("containers");
  for (int64_t step : {5, 10, 50}) proto.add_capacity_steps(step);
  proto.set_max_capacity(50);
  proto.add_features()->set_api_name("B");
  proto.add_features()->set_api_name("A");
  KaKeyType type = KaKeyTypeFromProto(proto);
  EXPECT_EQ(type.name, "VIRTUOZZO_CONTAINERS");
  EXPECT_EQ(type.key_prefix, "VZ");
  EXPECT_FALSE(type.additional);
  EXPECT_EQ(type.capacity_unit, "containers");
  EXPECT_THAT(type.capacity_steps, ElementsAre(5, 10, 50));
  EXPECT_EQ(type.max_capacity, 50);
  ASSERT_EQ(type.features.size(), 2u);
  EXPECT_EQ(type.features[0].api_name, "A");

  ka::ListKeysResponse page;
  *page.add_keys() = SampleKey();
  page.set_next_page_token("opaque");
  page.set_total_size(42);
  KaKeyPage converted = KaKeyPageFromProto(page);
  ASSERT_EQ(converted.keys.size(), 1u);
  EXPECT_EQ(converted.keys[0], KaKeyFromProto(SampleKey()));
  EXPECT_EQ(converted.next_page_token, "opaque");
  EXPECT_EQ(converted.total_size, 42);
}

TEST(KeyInfoConversionTest, UpgradeOptions) {
  ka::GetAvailableUpgradesResponse proto;
  proto.set_key_number("PLSK.00000001.0000");
  proto.set_key_type("PLESK_WEB_PRO");
  proto.set_current_capacity(30);
  proto.add_capacity_steps(100);
  proto.set_max_capacity(100);
  proto.add_features()->set_api_name("X");
  KaUpgradeOptions options = KaUpgradeOptionsFromProto(proto);
  EXPECT_EQ(options.key_number, "PLSK.00000001.0000");
  EXPECT_EQ(options.current_capacity, 30);
  EXPECT_THAT(options.capacity_steps, ElementsAre(100));
  EXPECT_EQ(options.max_capacity, 100);
  ASSERT_EQ(options.features.size(), 1u);
}

TEST(KeyInfoConversionTest, RequestsToProto) {
  KaCreateKeyRequest create{.key_type = "PLESK_WEB_PRO",
                            .capacity = 30,
                            .features = {"A", "B"},
                            .billing_type = KaBillingType::kPurchase,
                            .parent_key_number = "",
                            .idempotency_key = "req-1"};
  ka::CreateKeyRequest create_proto = CreateKeyRequestToProto(create);
  EXPECT_EQ(create_proto.key_type(), "PLESK_WEB_PRO");
  EXPECT_EQ(create_proto.capacity(), 30);
  EXPECT_THAT(create_proto.features(), ElementsAre("A", "B"));
  EXPECT_EQ(create_proto.billing_type(), ka::BILLING_TYPE_PURCHASE);
  EXPECT_EQ(create_proto.idempotency_key(), "req-1");

  KaUpgradeKeyRequest upgrade{.key_number = "PLSK.00000001",
                              .capacity = 0,
                              .add_features = {"X"},
                              .idempotency_key = "up-1"};
  ka::UpgradeKeyRequest upgrade_proto = UpgradeKeyRequestToProto(upgrade);
  EXPECT_EQ(upgrade_proto.key_number(), "PLSK.00000001");
  EXPECT_EQ(upgrade_proto.capacity(), 0);
  EXPECT_THAT(upgrade_proto.add_features(), ElementsAre("X"));
  EXPECT_EQ(upgrade_proto.idempotency_key(), "up-1");
}

}  // namespace
}  // namespace lss
