// The readable renderings of a license: the detail view (`get`), the
// verdict (`sync`) and the table (`list`); values from the server with
// controls in them are laid out as one safe line each.
#include "licensectl/license_printer.h"

#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using licensing::v1::License;

constexpr int64_t k2025June1Noon = 1748779200;
constexpr int64_t k2026January15 = 1768435200;

License NotInSyncLicense() {
  License license;
  license.set_license_id(7);
  license.set_key_number("PLSK.00000002.0000");
  license.set_license_class("PLESK_WEB_PRO");
  license.set_capacity(100);
  license.add_features("POWER_PACK");
  license.add_features("WORDPRESS_TOOLKIT");
  auto* antivirus = license.add_additional_keys();
  antivirus->set_key_number("KAV.00005821.0001");
  antivirus->set_key_type("KASPERSKY_ANTIVIRUS");
  auto* backup = license.add_additional_keys();
  backup->set_key_number("BKP.00005822.0001");
  backup->set_key_type("CLOUD_BACKUP");
  license.set_state(licensing::v1::LICENSE_STATE_ACTIVE);
  license.set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  auto* capacity = license.add_mismatches();
  capacity->set_kind(licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED);
  capacity->set_billing_value("100");
  capacity->set_ka_value("300");
  auto* features = license.add_mismatches();
  features->set_kind(licensing::v1::MISMATCH_KIND_FEATURES_ADDED);
  features->set_ka_value("SECURITY_PACK");
  license.set_sync_message(
      "Not In Sync: capacity changed (billing 100, KA 300); features added at KA: SECURITY_PACK");
  license.mutable_last_synced_at()->set_seconds(k2025June1Noon);
  license.mutable_usable_until()->set_seconds(k2026January15);
  license.set_etag("e-17");
  return license;
}

TEST(LicensePrinterTest, ShortNamesOfEnumValues) {
  EXPECT_EQ(SyncStatusName(licensing::v1::SYNC_STATUS_NOT_IN_SYNC), "Not In Sync");
  EXPECT_EQ(SyncStatusName(licensing::v1::SYNC_STATUS_IN_SYNC), "In Sync");
  EXPECT_EQ(SyncStatusName(licensing::v1::SYNC_STATUS_NEVER_SYNCED), "Never Synced");
  EXPECT_EQ(LicenseStateName(licensing::v1::LICENSE_STATE_TERMINATED), "TERMINATED");
  EXPECT_EQ(MismatchKindName(licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED), "CAPACITY_CHANGED");
  EXPECT_EQ(MismatchKindName(static_cast<licensing::v1::MismatchKind>(99)), "UNKNOWN_99")
      << "a value from a newer server still shows";
}

TEST(LicensePrinterTest, DetailViewOfALicenseWithMismatches) {
  EXPECT_EQ(RenderLicense(NotInSyncLicense()),
            "License ID:       7\n"
            "Key number:       PLSK.00000002.0000\n"
            "Class:            PLESK_WEB_PRO\n"
            "Capacity:         100\n"
            "Features:         POWER_PACK, WORDPRESS_TOOLKIT\n"
            "Additional keys:  KAV.00005821.0001 (KASPERSKY_ANTIVIRUS)\n"
            "                  BKP.00005822.0001 (CLOUD_BACKUP)\n"
            "State:            ACTIVE\n"
            "Sync status:      Not In Sync: capacity changed (billing 100, KA 300); "
            "features added at KA: SECURITY_PACK\n"
            "  - CAPACITY_CHANGED: billing 100, KA 300\n"
            "  - FEATURES_ADDED: billing (none), KA SECURITY_PACK\n"
            "Last synced at:   2025-06-01 12:00:00 UTC\n"
            "Usable until:     2026-01-15 00:00:00 UTC\n"
            "Etag:             e-17\n");
}

TEST(LicensePrinterTest, DetailViewShowsEachServerValueOnOneLineWithoutControls) {
  License license = NotInSyncLicense();
  license.set_key_number("PLSK.2\x1b[2J");
  // A newline that would start a forged field of its own.
  license.mutable_additional_keys(0)->set_key_number("KAV.1\nEtag:             forged");
  license.set_sync_message("Not In Sync: \x1b]0;owned\x07");
  license.mutable_mismatches(0)->set_ka_value("300\xc2\x9b" "1m");
  const std::string rendered = RenderLicense(license);
  EXPECT_THAT(rendered, ::testing::HasSubstr("Key number:       PLSK.2\xEF\xBF\xBD[2J\n"));
  EXPECT_THAT(rendered, ::testing::HasSubstr("Additional keys:  KAV.1\xEF\xBF\xBD" "Etag:             forged "
                                             "(KASPERSKY_ANTIVIRUS)\n"
                                             "                  BKP.00005822.0001 (CLOUD_BACKUP)\n"));
  EXPECT_THAT(rendered, ::testing::HasSubstr("Sync status:      Not In Sync: \xEF\xBF\xBD]0;owned\xEF\xBF\xBD\n"));
  EXPECT_THAT(rendered, ::testing::HasSubstr("  - CAPACITY_CHANGED: billing 100, KA 300\xEF\xBF\xBD" "1m\n"));
  EXPECT_EQ(std::count(rendered.begin(), rendered.end(), '\n'), 14) << rendered;
}

TEST(LicensePrinterTest, DetailViewOfANeverSyncedLicenseWithASyncError) {
  License license;
  license.set_license_id(3);
  license.set_key_number("PLSK.00000003.0000");
  license.set_license_class("PLESK_WEB_ADMIN");
  license.set_capacity(10);
  license.set_state(licensing::v1::LICENSE_STATE_ACTIVE);
  license.set_sync_status(licensing::v1::SYNC_STATUS_NEVER_SYNCED);
  license.set_last_sync_error("Key Administrator unavailable");
  license.set_order_placing(true);
  license.set_etag("e-1");

  EXPECT_EQ(RenderLicense(license),
            "License ID:       3\n"
            "Key number:       PLSK.00000003.0000\n"
            "Class:            PLESK_WEB_ADMIN\n"
            "Capacity:         10\n"
            "Features:         none\n"
            "Additional keys:  none\n"
            "State:            ACTIVE\n"
            "Upgrade order:    being placed: no sync or renewal until it completes\n"
            "Sync status:      Never Synced\n"
            "Last synced at:   never\n"
            "Last sync error:  Key Administrator unavailable\n"
            "Usable until:     -\n"
            "Etag:             e-1\n");
}

TEST(LicensePrinterTest, SyncStatusSaysTheStatusOnce) {
  License license;
  license.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  license.set_sync_message("In Sync");
  EXPECT_EQ(DescribeSyncStatus(license), "In Sync");

  license.set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  license.set_sync_message("Not In Sync: key terminated at KA");
  EXPECT_EQ(DescribeSyncStatus(license), "Not In Sync: key terminated at KA");

  license.set_sync_message("key terminated at KA");
  EXPECT_EQ(DescribeSyncStatus(license), "Not In Sync: key terminated at KA");
}

TEST(LicensePrinterTest, SyncVerdictListsEachMismatch) {
  EXPECT_EQ(RenderSyncResult(NotInSyncLicense()),
            "Not In Sync: capacity changed (billing 100, KA 300); "
            "features added at KA: SECURITY_PACK\n"
            "  - CAPACITY_CHANGED: billing 100, KA 300\n"
            "  - FEATURES_ADDED: billing (none), KA SECURITY_PACK\n");

  License in_sync;
  in_sync.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  in_sync.set_sync_message("In Sync");
  EXPECT_EQ(RenderSyncResult(in_sync), "In Sync\n");
}

TEST(LicensePrinterTest, TableOfTwoLicensesIsAligned) {
  License wide = NotInSyncLicense();
  wide.set_license_id(1234);
  wide.set_capacity(5);
  License narrow;
  narrow.set_license_id(8);
  narrow.set_key_number("VZ.00000008.0002");
  narrow.set_license_class("VZ");
  narrow.set_capacity(1000);
  narrow.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);

  google::protobuf::RepeatedPtrField<License> licenses;
  *licenses.Add() = wide;
  *licenses.Add() = narrow;
  EXPECT_EQ(RenderLicenseTable(licenses),
            "  ID  KEY NUMBER          CLASS          CAPACITY  STATUS       USABLE UNTIL\n"
            "1234  PLSK.00000002.0000  PLESK_WEB_PRO         5  Not In Sync  2026-01-15 00:00:00 UTC\n"
            "   8  VZ.00000008.0002    VZ                 1000  In Sync      -\n");
}

}  // namespace
}  // namespace licensectl
