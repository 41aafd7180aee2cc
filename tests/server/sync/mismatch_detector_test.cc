#include "server/sync/mismatch_detector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lss {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kExpiry = absl::FromUnixSeconds(1'800'000'000);

LicenseConfig Billing() {
  LicenseConfig c;
  c.key_number = "PLSK.00000042.0001";
  c.license_class = "PLESK_WEB_PRO";
  c.capacity = 100;
  c.features = {"POWER_PACK", "WORDPRESS_TOOLKIT"};
  c.additional_keys = {{"KAV.00000043.0001", "KASPERSKY_ANTIVIRUS"}};
  c.renewal_due_time = kExpiry - absl::Hours(240);
  c.expire_time = kExpiry;
  return c;
}

// KA's view of the same license, agreeing with Billing() in every field.
KaKey Ka() {
  KaKey k;
  k.key_number = "PLSK.00000042.0001";
  k.key_type = "PLESK_WEB_PRO";
  k.capacity = 100;
  k.features = {{"POWER_PACK", "Power Pack"}, {"WORDPRESS_TOOLKIT", "WordPress Toolkit"}};
  k.additional_keys = {{"KAV.00000043.0001", "KASPERSKY_ANTIVIRUS"}};
  k.update_due_time = kExpiry - absl::Hours(240);
  k.expire_time = kExpiry;
  return k;
}

SyncResult Compare(const KaKey& ka) { return CompareWithKa(Billing(), LicenseState::kActive, ka); }

TEST(MismatchDetectorTest, IdenticalIsInSync) {
  SyncResult result = Compare(Ka());
  EXPECT_EQ(result.status, SyncStatus::kInSync);
  EXPECT_THAT(result.mismatches, IsEmpty());
  EXPECT_EQ(result.message, "In Sync");
}

TEST(MismatchDetectorTest, KeyChanged) {
  KaKey ka = Ka();
  ka.key_number = "PLSK.00000042.0002";
  SyncResult result = Compare(ka);
  EXPECT_EQ(result.status, SyncStatus::kNotInSync);
  EXPECT_THAT(result.mismatches,
              ElementsAre(Mismatch{MismatchKind::kKeyChanged, "PLSK.00000042.0001", "PLSK.00000042.0002"}));
  EXPECT_EQ(result.message, "Not In Sync: key changed (billing PLSK.00000042.0001, KA PLSK.00000042.0002)");
}

TEST(MismatchDetectorTest, LicenseClassChanged) {
  KaKey ka = Ka();
  ka.key_type = "PLESK_WEB_HOST";
  EXPECT_THAT(Compare(ka).mismatches,
              ElementsAre(Mismatch{MismatchKind::kLicenseClassChanged, "PLESK_WEB_PRO", "PLESK_WEB_HOST"}));
}

TEST(MismatchDetectorTest, CapacityChanged) {
  KaKey ka = Ka();
  ka.capacity = 300;
  EXPECT_THAT(Compare(ka).mismatches, ElementsAre(Mismatch{MismatchKind::kCapacityChanged, "100", "300"}));
}

TEST(MismatchDetectorTest, FeaturesAdded) {
  KaKey ka = Ka();
  ka.features.insert(ka.features.begin(), {"DEVELOPER_PACK", "Developer Pack"});
  SyncResult result = Compare(ka);
  EXPECT_THAT(result.mismatches, ElementsAre(Mismatch{MismatchKind::kFeaturesAdded, "", "DEVELOPER_PACK"}));
  EXPECT_EQ(result.message, "Not In Sync: features added at KA: DEVELOPER_PACK");
}

TEST(MismatchDetectorTest, FeaturesRemoved) {
  KaKey ka = Ka();
  ka.features.pop_back();
  EXPECT_THAT(Compare(ka).mismatches,
              ElementsAre(Mismatch{MismatchKind::kFeaturesRemoved, "WORDPRESS_TOOLKIT", ""}));
}

TEST(MismatchDetectorTest, ExpirationChanged) {
  KaKey ka = Ka();
  ka.expire_time = kExpiry + absl::Hours(24 * 365);
  SyncResult result = Compare(ka);
  ASSERT_EQ(result.mismatches.size(), 1u);
  EXPECT_EQ(result.mismatches[0].kind, MismatchKind::kExpirationChanged);
  EXPECT_EQ(result.mismatches[0].billing_value, "2027-01-15T08:00:00Z");
  EXPECT_EQ(result.mismatches[0].ka_value, "2028-01-15T08:00:00Z");
}

TEST(MismatchDetectorTest, SubSecondExpiryDifferenceIsNotAChange) {
  LicenseConfig billing = Billing();
  billing.expire_time += absl::Microseconds(250);
  EXPECT_EQ(CompareWithKa(billing, LicenseState::kActive, Ka()).status, SyncStatus::kInSync);
}

TEST(MismatchDetectorTest, AdditionalKeyAttached) {
  KaKey ka = Ka();
  ka.additional_keys.push_back({"EXT.00000044.0001", "IMUNIFY360"});
  EXPECT_THAT(Compare(ka).mismatches,
              ElementsAre(Mismatch{MismatchKind::kAdditionalKeyAttached, "", "EXT.00000044.0001 (IMUNIFY360)"}));
}

TEST(MismatchDetectorTest, AdditionalKeyDetached) {
  KaKey ka = Ka();
  ka.additional_keys.clear();
  EXPECT_THAT(Compare(ka).mismatches,
              ElementsAre(Mismatch{MismatchKind::kAdditionalKeyDetached,
                                   "KAV.00000043.0001 (KASPERSKY_ANTIVIRUS)", ""}));
}

TEST(MismatchDetectorTest, TerminatedAtKa) {
  KaKey ka = Ka();
  ka.terminated = true;
  EXPECT_THAT(Compare(ka).mismatches, ElementsAre(Mismatch{MismatchKind::kTerminated, "active", "terminated"}));
  // Billing already knows: nothing differs.
  EXPECT_EQ(CompareWithKa(Billing(), LicenseState::kTerminated, ka).status, SyncStatus::kInSync);
}

TEST(MismatchDetectorTest, ProblemAtKa) {
  KaKey ka = Ka();
  ka.problem = true;
  EXPECT_THAT(Compare(ka).mismatches, ElementsAre(Mismatch{MismatchKind::kProblem, "ok", "problem"}));
}

TEST(MismatchDetectorTest, ResultCodesBecomeMismatches) {
  EXPECT_THAT(KeyNotFoundAtKa(Billing()).mismatches,
              ElementsAre(Mismatch{MismatchKind::kKeyNotFound, "PLSK.00000042.0001", ""}));
  EXPECT_EQ(KeyNotFoundAtKa(Billing()).message, "Not In Sync: key PLSK.00000042.0001 unknown to KA");
  EXPECT_THAT(KeyProblemAtKa(Billing()).mismatches,
              ElementsAre(Mismatch{MismatchKind::kProblem, "ok", "problem"}));
  EXPECT_THAT(KeyTerminatedAtKa(Billing(), LicenseState::kActive).mismatches,
              ElementsAre(Mismatch{MismatchKind::kTerminated, "active", "terminated"}));
  EXPECT_EQ(KeyTerminatedAtKa(Billing(), LicenseState::kTerminated).status, SyncStatus::kInSync);
}

TEST(MismatchDetectorTest, SeveralAtOnceInAFixedOrder) {
  KaKey ka = Ka();
  ka.key_number = "PLSK.00000042.0003";
  ka.capacity = 300;
  ka.features = {{"DEVELOPER_PACK", "Developer Pack"}, {"POWER_PACK", "Power Pack"}};
  ka.problem = true;
  SyncResult result = Compare(ka);
  EXPECT_EQ(result.status, SyncStatus::kNotInSync);
  EXPECT_THAT(result.mismatches,
              ElementsAre(Mismatch{MismatchKind::kKeyChanged, "PLSK.00000042.0001", "PLSK.00000042.0003"},
                          Mismatch{MismatchKind::kCapacityChanged, "100", "300"},
                          Mismatch{MismatchKind::kFeaturesAdded, "", "DEVELOPER_PACK"},
                          Mismatch{MismatchKind::kFeaturesRemoved, "WORDPRESS_TOOLKIT", ""},
                          Mismatch{MismatchKind::kProblem, "ok", "problem"}));
  EXPECT_EQ(result.message,
            "Not In Sync: key changed (billing PLSK.00000042.0001, KA PLSK.00000042.0003); "
            "capacity changed (billing 100, KA 300); features added at KA: DEVELOPER_PACK; "
            "features removed at KA: WORDPRESS_TOOLKIT; key marked as a problem at KA");
}

}  // namespace
}  // namespace lss
