#include "ka-mock/catalogue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ka_mock {
namespace {

using ::testing::ElementsAre;

const KeyTypeSpec& TypeNamed(absl::string_view name) {
  const Catalogue& catalogue = Catalogue::Default();
  const std::optional<KeyTypeId> id = catalogue.FindKeyType(name);
  EXPECT_TRUE(id.has_value()) << name;
  return catalogue.key_type(id.value_or(0));
}

std::vector<std::string> OfferedNames(const KeyTypeSpec& type) {
  const Catalogue& catalogue = Catalogue::Default();
  std::vector<std::string> names;
  for (size_t id = 0; id < catalogue.features().size(); ++id) {
    if (type.offered_features.Contains(static_cast<FeatureId>(id))) {
      names.push_back(catalogue.features()[id].api_name);
    }
  }
  return names;
}

TEST(CatalogueTest, PleskEditionsCountDomainsUnderOnePrefix) {
  for (const char* name :
       {"PLESK_WEB_ADMIN", "PLESK_WEB_PRO", "PLESK_WEB_HOST"}) {
    const KeyTypeSpec& type = TypeNamed(name);
    EXPECT_EQ(type.key_prefix, "PLSK");
    EXPECT_EQ(type.kind, KeyKind::kMain);
    EXPECT_EQ(type.capacity_unit, "domains");
  }
  EXPECT_THAT(TypeNamed("PLESK_WEB_ADMIN").capacity_steps, ElementsAre(10, 30));
  EXPECT_THAT(TypeNamed("PLESK_WEB_PRO").capacity_steps,
              ElementsAre(30, 100, 300));
  EXPECT_THAT(TypeNamed("PLESK_WEB_HOST").capacity_steps,
              ElementsAre(100, 300, 1000, 10000));
  EXPECT_EQ(TypeNamed("PLESK_WEB_HOST").max_capacity(), 10000);
}

TEST(CatalogueTest, VirtuozzoAndCloudLinux) {
  const KeyTypeSpec& virtuozzo = TypeNamed("VIRTUOZZO");
  EXPECT_EQ(virtuozzo.key_prefix, "VZ");
  EXPECT_EQ(virtuozzo.capacity_unit, "containers");
  EXPECT_THAT(virtuozzo.capacity_steps, ElementsAre(5, 10, 25, 50, 100));
  EXPECT_THAT(OfferedNames(virtuozzo), ::testing::Contains("HA_CLUSTER"));

  const KeyTypeSpec& cloudlinux = TypeNamed("CLOUDLINUX");
  EXPECT_EQ(cloudlinux.key_prefix, "CLN");
  EXPECT_EQ(cloudlinux.capacity_unit, "cpus");
  EXPECT_THAT(cloudlinux.capacity_steps, ElementsAre(1, 2, 4, 8, 16, 32));
  EXPECT_THAT(OfferedNames(cloudlinux), ::testing::Contains("KERNELCARE"));
}

TEST(CatalogueTest, AdditionalKeyTypes) {
  const KeyTypeSpec& kaspersky = TypeNamed("KASPERSKY_ANTIVIRUS");
  EXPECT_EQ(kaspersky.key_prefix, "KAV");
  EXPECT_EQ(kaspersky.kind, KeyKind::kAdditional);
  EXPECT_EQ(kaspersky.capacity_unit, "domains");
  EXPECT_THAT(kaspersky.capacity_steps, ElementsAre(10, 100, 1000));
  EXPECT_EQ(TypeNamed("IMUNIFY360").kind, KeyKind::kAdditional);
  EXPECT_EQ(TypeNamed("IMUNIFY360").key_prefix, "EXT");
}

TEST(CatalogueTest, EveryMainTypeOffersSeveralFeatures) {
  for (const KeyTypeSpec& type : Catalogue::Default().key_types()) {
    if (type.kind == KeyKind::kMain) {
      EXPECT_GE(OfferedNames(type).size(), 3u) << type.name;
    }
  }
  EXPECT_THAT(OfferedNames(TypeNamed("PLESK_WEB_PRO")),
              ::testing::IsSupersetOf({"POWER_PACK", "DEVELOPER_PACK",
                                       "WORDPRESS_TOOLKIT", "LANGUAGE_PACK",
                                       "UNLIMITED_MAIL", "BACKUP_CLOUD"}));
}

TEST(CatalogueTest, FeaturesAreOrderedByApiNameAndNamed) {
  const auto features = Catalogue::Default().features();
  EXPECT_TRUE(std::is_sorted(features.begin(), features.end(),
                             [](const FeatureSpec& a, const FeatureSpec& b) {
                               return a.api_name < b.api_name;
                             }));
  for (const FeatureSpec& feature : features) {
    EXPECT_FALSE(feature.display_name.empty());
  }
}

TEST(CatalogueTest, FindsByNameOnly) {
  const Catalogue& catalogue = Catalogue::Default();
  EXPECT_FALSE(catalogue.FindKeyType("PLESK").has_value());
  EXPECT_FALSE(catalogue.FindFeature("power_pack").has_value());
  const std::optional<FeatureId> power_pack =
      catalogue.FindFeature("POWER_PACK");
  ASSERT_TRUE(power_pack.has_value());
  EXPECT_EQ(catalogue.feature(*power_pack).display_name, "Power Pack");
}

TEST(CatalogueTest, PrefixIdsNameTheTypesPrefix) {
  const Catalogue& catalogue = Catalogue::Default();
  for (const KeyTypeSpec& type : catalogue.key_types()) {
    EXPECT_EQ(catalogue.prefixes()[type.prefix_id], type.key_prefix);
  }
}

TEST(KeyTypeSpecTest, IsStepOnlyForListedCapacities) {
  const KeyTypeSpec& pro = TypeNamed("PLESK_WEB_PRO");
  EXPECT_TRUE(pro.IsStep(100));
  EXPECT_FALSE(pro.IsStep(99));
  EXPECT_FALSE(pro.IsStep(0));
}

TEST(FeatureSetTest, AddRemoveMinus) {
  FeatureSet set;
  EXPECT_TRUE(set.empty());
  set.Add(3);
  set.Add(63);
  EXPECT_TRUE(set.Contains(63));
  FeatureSet other;
  other.Add(3);
  const FeatureSet rest = set.Minus(other);
  EXPECT_FALSE(rest.Contains(3));
  EXPECT_TRUE(rest.Contains(63));
  set.Remove(63);
  EXPECT_EQ(set, other);
}

}  // namespace
}  // namespace ka_mock
