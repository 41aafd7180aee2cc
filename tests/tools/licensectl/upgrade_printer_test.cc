// The renderings of an upgrade session: what it starts from, the price,
// the order, the table of `upgrades`.
#include "licensectl/upgrade_printer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using licensing::v1::Upgrade;

constexpr int64_t k2026January1 = 1767225600;

licensing::v1::Money Eur(int64_t minor) {
  licensing::v1::Money money;
  money.set_currency_code("EUR");
  money.set_amount_minor(minor);
  return money;
}

Upgrade InSyncSession() {
  Upgrade upgrade;
  upgrade.set_upgrade_id("upg-0000000000000001");
  upgrade.set_license_id(7);
  upgrade.set_state(licensing::v1::UPGRADE_STATE_STARTED);
  upgrade.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  auto* billing = upgrade.mutable_billing_configuration();
  billing->set_key_number("PLSK.00000007.0000");
  billing->set_license_class("PLESK_WEB_PRO");
  billing->set_capacity(100);
  billing->add_features("POWER_PACK");
  billing->mutable_expire_time()->set_seconds(k2026January1);
  *upgrade.mutable_ka_configuration() = *billing;
  auto* options = upgrade.mutable_options();
  options->set_capacity_unit("domains");
  options->add_capacity_steps(100);
  options->add_capacity_steps(300);
  options->set_max_capacity(300);
  auto* feature = options->add_features();
  feature->set_api_name("BACKUP_CLOUD");
  feature->set_display_name("Cloud Backup");
  auto* other = options->add_features();
  other->set_api_name("DEVELOPER_PACK");
  other->set_display_name("Developer Pack");
  return upgrade;
}

TEST(UpgradePrinterTest, TheOpeningOfAnInSyncLicense) {
  EXPECT_EQ(RenderUpgradeOpening(InSyncSession()),
            "Upgrade:      upg-0000000000000001 (STARTED)\n"
            "License ID:   7\n"
            "Sync status:  In Sync\n"
            "\n"
            "Key number:       PLSK.00000007.0000\n"
            "Class:            PLESK_WEB_PRO\n"
            "Capacity:         100 domains\n"
            "Features:         POWER_PACK\n"
            "Additional keys:  none\n"
            "Expires:          2026-01-01 00:00:00 UTC\n"
            "\n"
            "Capacity steps (domains):  100 (current), 300; at most 300\n"
            "Features offered:          BACKUP_CLOUD    Cloud Backup\n"
            "                           DEVELOPER_PACK  Developer Pack\n");
}

TEST(UpgradePrinterTest, ANotInSyncLicenseShowsBillingBesideKaAndAdoptsKas) {
  Upgrade upgrade = InSyncSession();
  upgrade.set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  auto* ka = upgrade.mutable_ka_configuration();
  ka->set_key_number("PLSK.00000007.0001");
  ka->set_capacity(300);
  ka->add_features("BACKUP_CLOUD");
  upgrade.mutable_options()->clear_capacity_steps();
  upgrade.mutable_options()->add_capacity_steps(300);
  upgrade.mutable_options()->clear_features();
  const std::string text = RenderUpgradeOpening(upgrade);
  EXPECT_THAT(text, AllOf(HasSubstr("Sync status:  Not In Sync: KA's configuration will be adopted"),
                          HasSubstr("                 BILLING                  KA\n"),
                          HasSubstr("Key number       PLSK.00000007.0000       PLSK.00000007.0001\n"),
                          HasSubstr("Capacity         100 domains              300 domains\n"),
                          HasSubstr("Features         POWER_PACK               POWER_PACK, BACKUP_CLOUD\n"),
                          HasSubstr("Capacity steps (domains):  300 (current); at most 300\n"),
                          HasSubstr("Features offered:          none\n")))
      << text;
}

TEST(UpgradePrinterTest, ThePriceInTheCurrencysDecimals) {
  Upgrade upgrade = InSyncSession();
  upgrade.set_state(licensing::v1::UPGRADE_STATE_PRICED);
  auto* target = upgrade.mutable_target_configuration();
  *target = upgrade.ka_configuration();
  target->set_capacity(300);
  target->add_features("BACKUP_CLOUD");
  auto* price = upgrade.mutable_price();
  auto add = [&](licensing::v1::PriceLineKind kind, const char* item, const char* description, int64_t term,
                 int64_t now) {
    auto* line = price->add_lines();
    line->set_kind(kind);
    line->set_item(item);
    line->set_description(description);
    if (term > 0) *line->mutable_term_amount() = Eur(term);
    *line->mutable_amount() = Eur(now);
  };
  add(licensing::v1::PRICE_LINE_KIND_CAPACITY, "300", "Capacity 100 -> 300 domains", 9600, 7056);
  add(licensing::v1::PRICE_LINE_KIND_FEATURE, "BACKUP_CLOUD", "Cloud Backup", 4800, 3528);
  add(licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE, "", "Upgrade fee", 0, 1500);
  *price->mutable_total() = Eur(12084);
  price->set_prorate_ppm(735000);
  EXPECT_EQ(RenderUpgradePrice(upgrade),
            "Target:  PLESK_WEB_PRO, capacity 300 domains, features POWER_PACK, BACKUP_CLOUD\n"
            "\n"
            "KIND         ITEM          DESCRIPTION                   PER TERM  CHARGED NOW\n"
            "CAPACITY     300           Capacity 100 -> 300 domains  96.00 EUR    70.56 EUR\n"
            "FEATURE      BACKUP_CLOUD  Cloud Backup                 48.00 EUR    35.28 EUR\n"
            "UPGRADE_FEE                Upgrade fee                          -    15.00 EUR\n"
            "\n"
            "Total charged now: 120.84 EUR (recurring amounts prorated for the 73.50% of the term left)\n");

  upgrade.mutable_price()->clear_lines();
  EXPECT_THAT(RenderUpgradePrice(upgrade), HasSubstr("Nothing to charge"));
}

TEST(UpgradePrinterTest, ThePlacedOrderAndTheLicensesVerdict) {
  licensing::v1::PlaceUpgradeOrderResponse placed;
  Upgrade& upgrade = *placed.mutable_upgrade();
  upgrade = InSyncSession();
  upgrade.set_state(licensing::v1::UPGRADE_STATE_COMPLETED);
  auto* order = upgrade.mutable_order();
  order->set_old_key_number("PLSK.00000007.0000");
  order->set_new_key_number("PLSK.00000007.0001");
  order->set_key_administrator_called(true);
  *order->mutable_total() = Eur(12084);
  order->mutable_place_time()->set_seconds(k2026January1);
  order->mutable_complete_time()->set_seconds(k2026January1 + 1);
  auto* license = placed.mutable_license();
  license->set_license_id(7);
  license->set_key_number("PLSK.00000007.0001");
  license->set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  license->set_sync_message("In Sync");
  EXPECT_EQ(RenderPlacedOrder(placed),
            "Order placed.\n"
            "Upgrade:       upg-0000000000000001 (COMPLETED)\n"
            "License ID:    7\n"
            "Key number:    PLSK.00000007.0000 -> PLSK.00000007.0001\n"
            "At KA:         key upgraded\n"
            "Charged:       120.84 EUR\n"
            "Placed at:     2026-01-01 00:00:00 UTC\n"
            "Completed at:  2026-01-01 00:00:01 UTC\n"
            "License 7 (PLSK.00000007.0001) is In Sync\n");

  order->set_key_administrator_called(false);
  auto* mismatch = order->add_mismatches();
  mismatch->set_kind(licensing::v1::MISMATCH_KIND_FEATURES_REMOVED);
  mismatch->set_billing_value("BACKUP_CLOUD");
  EXPECT_THAT(RenderUpgradeOrder(upgrade), AllOf(HasSubstr("At KA:         nothing to do: KA's configuration adopted"),
                                                 HasSubstr("KA differs:    KA's answer did not match the order:\n"
                                                           "  - FEATURES_REMOVED: billing BACKUP_CLOUD, KA (none)\n")));
}

TEST(UpgradePrinterTest, TheTableShowsTheTotalOnceKnown) {
  google::protobuf::RepeatedPtrField<Upgrade> upgrades;
  Upgrade started = InSyncSession();
  started.mutable_create_time()->set_seconds(k2026January1);
  started.mutable_update_time()->set_seconds(k2026January1 + 60);
  *upgrades.Add() = started;
  Upgrade priced = started;
  priced.set_upgrade_id("upg-0000000000000002");
  priced.set_state(licensing::v1::UPGRADE_STATE_PRICED);
  *priced.mutable_price()->mutable_total() = Eur(12084);
  *upgrades.Add() = priced;
  EXPECT_EQ(RenderUpgradeTable(upgrades),
            "UPGRADE ID            LICENSE  KEY NUMBER          STATE    CREATED                  UPDATED          "
            "             TOTAL\n"
            "upg-0000000000000001        7  PLSK.00000007.0000  STARTED  2026-01-01 00:00:00 UTC  2026-01-01 "
            "00:01:00 UTC           -\n"
            "upg-0000000000000002        7  PLSK.00000007.0000  PRICED   2026-01-01 00:00:00 UTC  2026-01-01 "
            "00:01:00 UTC  120.84 EUR\n");
  EXPECT_THAT(RenderUpgradeTable({}), AllOf(HasSubstr("UPGRADE ID"), Not(HasSubstr("upg-"))));
}

}  // namespace
}  // namespace licensectl
