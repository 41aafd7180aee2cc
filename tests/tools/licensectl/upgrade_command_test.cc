// `licensectl upgrade` against the in-process fake wizard: the interactive
// wizard fed answers, the flags with and without --yes, resuming, adopting
// KA's configuration, each refusal, --json and the exit codes.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fake_upgrade_service.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::FakeUpgradeServer;
using testing::Outcome;

constexpr char kFirstSession[] = "upg-0000000000000001";

class UpgradeCommandTest : public ::testing::Test {
 protected:
  FakeUpgradeServer server_;
  testing::FakeUpgradeService& service() { return server_.service(); }
  Outcome Licensectl(std::vector<std::string> args, const std::string& answers = "", bool terminal = false) {
    return server_.Licensectl(std::move(args), answers, terminal);
  }
};

TEST_F(UpgradeCommandTest, TheInteractiveWizardAsksPricesAndPlaces) {
  const Outcome run = Licensectl({"upgrade", "7", "--interactive"}, "300\nbackup_cloud\ny\n");
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  // What it starts from, the price, the order, in that order.
  EXPECT_THAT(run.out, AllOf(HasSubstr("Upgrade:      upg-0000000000000001 (STARTED)\n"),
                             HasSubstr("Sync status:  In Sync\n"), HasSubstr("Capacity:         100 domains\n"),
                             HasSubstr("Capacity steps (domains):  100 (current), 300; at most 300\n"),
                             HasSubstr("BACKUP_CLOUD    Cloud Backup\n"),
                             HasSubstr("Target:  PLESK_WEB_PRO, capacity 300 domains, features BACKUP_CLOUD, POWER_PACK"),
                             HasSubstr("Capacity 100 -> 300 domains  96.00 EUR    70.56 EUR\n"),
                             HasSubstr("Total charged now: 103.20 EUR"), HasSubstr("Order placed.\n"),
                             HasSubstr("Key number:    PLSK.00000007.0000 -> PLSK.00000007.0001\n"),
                             HasSubstr("License 7 (PLSK.00000007.0001) is In Sync\n")));
  EXPECT_LT(run.out.find("Capacity steps"), run.out.find("Total charged now"));
  EXPECT_LT(run.out.find("Total charged now"), run.out.find("Order placed"));
  // The questions, with the answers echoed (stdin is not a terminal).
  EXPECT_THAT(run.err, AllOf(HasSubstr("Capacity in domains (offered: 100, 300), Enter keeps 100: 300\n"),
                             HasSubstr("Features to add, comma-separated (offered: BACKUP_CLOUD, DEVELOPER_PACK), "
                                       "Enter adds none: backup_cloud\n"),
                             HasSubstr("Place the order? [y/N] y\n")));

  ASSERT_EQ(service().configure_requests().size(), 1u);
  EXPECT_EQ(service().configure_requests()[0].capacity(), 300);
  EXPECT_THAT(service().configure_requests()[0].add_features(), ElementsAre("BACKUP_CLOUD"));
  ASSERT_EQ(service().place_requests().size(), 1u);
  EXPECT_EQ(service().place_requests()[0].request_id(), "licensectl-upg-0000000000000001");
  EXPECT_EQ(service().KaUpgrades(), 1);
  const licensing::v1::License after = service().StoredLicense(7);
  EXPECT_EQ(after.capacity(), 300);
  EXPECT_EQ(after.key_number(), "PLSK.00000007.0001");
}

TEST_F(UpgradeCommandTest, AtATerminalItAsksWithoutBeingToldAndEchoesNothing) {
  const Outcome run = Licensectl({"upgrade", "7"}, "\nDEVELOPER_PACK\nyes\n", /*terminal=*/true);
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, AllOf(HasSubstr("Enter keeps 100: Features"), HasSubstr("[y/N] ")));
  EXPECT_THAT(run.err, Not(HasSubstr("DEVELOPER_PACK\n"))) << "the terminal echoes the answers itself";
  EXPECT_EQ(service().configure_requests()[0].capacity(), 0) << "Enter keeps the capacity";
}

TEST_F(UpgradeCommandTest, ARefusedConfigurationIsExplainedAndAskedAgain) {
  // Enter twice changes nothing: the server refuses, the wizard asks again.
  const Outcome run = Licensectl({"upgrade", "7", "--interactive"}, "\n\n300\n\ny\n");
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: INVALID_ARGUMENT: the upgrade changes nothing\n"),
                             HasSubstr("  reason: UPGRADE_NO_CHANGE\n"), HasSubstr("  hint: billing and KA already agree"),
                             HasSubstr("Please choose again.\n")));
  EXPECT_EQ(service().Calls("ConfigureUpgrade"), 2);
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 1);
}

TEST_F(UpgradeCommandTest, AnsweringNoCancelsTheSessionAndChangesNothing) {
  const Outcome run = Licensectl({"upgrade", "7", "--interactive"}, "300\n\nn\n");
  EXPECT_EQ(run.code, ExitCode::kSuccess) << "declining is the operator's choice, not a failure";
  EXPECT_THAT(run.out, HasSubstr("Not placed: you answered no. Upgrade upg-0000000000000001 is CANCELLED: nothing "
                                 "was ordered; license 7 is unchanged.\n"));
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).state(), licensing::v1::UPGRADE_STATE_CANCELLED);
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 0);
  EXPECT_EQ(service().StoredLicense(7).capacity(), 100);
}

TEST_F(UpgradeCommandTest, InputEndingBeforeAnAnswerCancelsAndExits2) {
  Outcome run = Licensectl({"upgrade", "7", "--interactive"}, "300\n");
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("the input ended before the question was answered"),
                             HasSubstr("Upgrade upg-0000000000000001 cancelled: nothing was ordered.")));
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).state(), licensing::v1::UPGRADE_STATE_CANCELLED);

  run = Licensectl({"upgrade", "7", "--capacity", "300", "--interactive"}, "");
  EXPECT_EQ(run.code, ExitCode::kUsageError) << "no answer to 'Place the order?'";
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 0);
}

TEST_F(UpgradeCommandTest, FlagsWithYesPlaceWithoutAsking) {
  const Outcome run = Licensectl({"upgrade", "--key", "PLSK.00000007", "--capacity", "300", "--add-feature",
                                  "BACKUP_CLOUD", "--features", "DEVELOPER_PACK", "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, IsEmpty()) << "nothing asked";
  EXPECT_THAT(run.out, AllOf(HasSubstr("Order placed."), HasSubstr("Total charged now: 120.84 EUR")));
  ASSERT_EQ(service().configure_requests().size(), 1u);
  EXPECT_EQ(service().configure_requests()[0].capacity(), 300);
  EXPECT_THAT(service().configure_requests()[0].add_features(), ElementsAre("BACKUP_CLOUD", "DEVELOPER_PACK"));
}

TEST_F(UpgradeCommandTest, WithoutYesItStopsOncePricedAndResumePlaces) {
  Outcome run = Licensectl({"upgrade", "7", "--capacity", "300"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("Total charged now: 85.56 EUR"),
                             HasSubstr("Not placed: the order waits for confirmation.\n"),
                             HasSubstr("  place it:   licensectl upgrade --resume upg-0000000000000001 --yes\n"),
                             HasSubstr("  cancel it:  licensectl upgrade --resume upg-0000000000000001 --cancel\n"),
                             HasSubstr("The session expires at 2026-01-01 00:30:00 UTC")));
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).state(), licensing::v1::UPGRADE_STATE_PRICED);
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 0);

  run = Licensectl({"upgrade", "--resume", kFirstSession, "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("(PRICED)"), HasSubstr("Total charged now: 85.56 EUR"),
                             HasSubstr("Order placed.")));
  EXPECT_EQ(service().Calls("ConfigureUpgrade"), 1) << "resuming a priced session does not configure again";
  EXPECT_EQ(service().Calls("PriceUpgrade"), 1);
  EXPECT_EQ(service().StoredLicense(7).capacity(), 300);

  // Resuming a completed session shows its order and places nothing.
  run = Licensectl({"upgrade", "--resume", kFirstSession, "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Key number:    PLSK.00000007.0000 -> PLSK.00000007.0001"));
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 1);
}

TEST_F(UpgradeCommandTest, ResumeReconfiguresAsksOrCancels) {
  ASSERT_EQ(Licensectl({"upgrade", "7", "--capacity", "300"}).code, ExitCode::kSuccess);
  // New flags configure the session again.
  Outcome run = Licensectl({"upgrade", "--resume", kFirstSession, "--add-feature", "BACKUP_CLOUD"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(service().configure_requests().back().add_features(), ElementsAre("BACKUP_CLOUD"));
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).target_configuration().capacity(), 100);

  // Asked at the terminal: the price again, then the question.
  run = Licensectl({"upgrade", "--resume", kFirstSession}, "n\n", /*terminal=*/true);
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, HasSubstr("Place the order? [y/N] "));
  EXPECT_THAT(run.err, Not(HasSubstr("Capacity in"))) << "configured already";
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).state(), licensing::v1::UPGRADE_STATE_CANCELLED);

  // An ended session cannot continue.
  run = Licensectl({"upgrade", "--resume", kFirstSession, "--yes"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("error: upgrade upg-0000000000000001 is CANCELLED and cannot continue; start a new "
                                 "one: licensectl upgrade 7"));

  ASSERT_EQ(Licensectl({"upgrade", "7", "--capacity", "300"}).code, ExitCode::kSuccess);
  run = Licensectl({"upgrade", "--resume", "upg-0000000000000002", "--cancel"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Cancelled (--cancel). Upgrade upg-0000000000000002 is CANCELLED"));

  run = Licensectl({"upgrade", "--resume", "upg-00000000000000ff", "--yes"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, AllOf(HasSubstr("reason: UPGRADE_NOT_FOUND"), HasSubstr("hint: 'licensectl upgrades' lists")));
}

TEST_F(UpgradeCommandTest, AdoptResolvesNotInSyncWithoutCallingKa) {
  const Outcome run = Licensectl({"upgrade", "8", "--adopt", "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("Sync status:  Not In Sync: KA's configuration will be adopted (the upgrade starts from "
                              "it)\n"),
                    HasSubstr("BILLING"), HasSubstr("PLSK.00000008.0000       PLSK.00000008.0001"),
                    HasSubstr("At KA:         nothing to do: KA's configuration adopted\n"),
                    HasSubstr("License 8 (PLSK.00000008.0001) is In Sync\n")));
  ASSERT_EQ(service().configure_requests().size(), 1u);
  EXPECT_EQ(service().configure_requests()[0].capacity(), 0);
  EXPECT_THAT(service().configure_requests()[0].add_features(), IsEmpty());
  EXPECT_EQ(service().KaUpgrades(), 0);
}

TEST_F(UpgradeCommandTest, ARefusedStepExits1WithItsReasonAndLeavesNothingBehind) {
  struct Case {
    std::vector<std::string> args;
    std::string reason;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {{"upgrade", "7", "--capacity", "250", "--yes"}, "CAPACITY_NOT_OFFERED",
       "hint: the capacities offered are 100, 300 domains"},
      {{"upgrade", "7", "--capacity", "30", "--yes"}, "DOWNGRADE_REFUSED", "hint: an upgrade only goes up"},
      {{"upgrade", "7", "--add-feature", "POWER_PACK", "--yes"}, "FEATURE_NOT_OFFERED",
       "hint: the features offered are BACKUP_CLOUD, DEVELOPER_PACK"},
      {{"upgrade", "7", "--adopt", "--yes"}, "UPGRADE_NO_CHANGE", "hint: billing and KA already agree"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    const int cancels = service().Calls("CancelUpgrade");
    const Outcome run = Licensectl(c.args);
    EXPECT_EQ(run.code, ExitCode::kCallFailed);
    EXPECT_THAT(run.err, AllOf(HasSubstr("error: INVALID_ARGUMENT: "), HasSubstr(absl::StrCat("reason: ", c.reason)),
                               HasSubstr(c.hint), HasSubstr("cancelled: nothing was ordered.")));
    EXPECT_EQ(service().Calls("CancelUpgrade"), cancels + 1);
  }
  EXPECT_EQ(service().Calls("PlaceUpgradeOrder"), 0);
  EXPECT_EQ(service().StoredLicense(7).capacity(), 100);

  const Outcome terminated = Licensectl({"upgrade", "9", "--adopt"});
  EXPECT_EQ(terminated.code, ExitCode::kCallFailed);
  EXPECT_THAT(terminated.err, AllOf(HasSubstr("error: FAILED_PRECONDITION"), HasSubstr("reason: LICENSE_NOT_ACTIVE"),
                                    HasSubstr("hint: only an ACTIVE license can be upgraded")));
  const Outcome unknown = Licensectl({"upgrade", "404", "--adopt"});
  EXPECT_EQ(unknown.code, ExitCode::kCallFailed);
  EXPECT_THAT(unknown.err, HasSubstr("reason: LICENSE_NOT_FOUND"));
}

TEST_F(UpgradeCommandTest, AFailedPlacementKeepsTheSessionForAResume) {
  service().FailNextPlacement();
  Outcome run = Licensectl({"upgrade", "7", "--capacity", "300", "--yes"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, AllOf(HasSubstr("reason: KEY_ADMINISTRATOR_UNAVAILABLE"),
                             HasSubstr("'licensectl upgrade --resume upg-0000000000000001 --yes' tries again")));
  EXPECT_EQ(service().StoredUpgrade(kFirstSession).state(), licensing::v1::UPGRADE_STATE_PLACING);
  EXPECT_EQ(service().Calls("CancelUpgrade"), 0);

  run = Licensectl({"upgrade", "--resume", kFirstSession});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, HasSubstr("The order is being placed"));

  run = Licensectl({"upgrade", "--resume", kFirstSession, "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(service().KaUpgrades(), 1);
  ASSERT_EQ(service().place_requests().size(), 2u);
  EXPECT_EQ(service().place_requests()[0].request_id(), service().place_requests()[1].request_id())
      << "a retry is the same request";
}

TEST_F(UpgradeCommandTest, AnOrderKaAnsweredDifferentlyExits3) {
  service().KaDropsFeatures();
  const Outcome run = Licensectl({"upgrade", "7", "--add-feature", "BACKUP_CLOUD", "--yes"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("KA differs:"), HasSubstr("is Not In Sync: features removed at KA"),
                             HasSubstr("  - FEATURES_REMOVED: ")));
}

TEST_F(UpgradeCommandTest, JsonPrintsTheLastResponseAndAsksNothing) {
  Outcome run = Licensectl({"--json", "upgrade", "7", "--capacity", "300", "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::PlaceUpgradeOrderResponse placed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &placed).ok()) << run.out;
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_EQ(placed.license().key_number(), "PLSK.00000007.0001");
  EXPECT_THAT(run.out, HasSubstr("\"upgrade_id\": \"upg-0000000000000001\"")) << "proto field names";
  EXPECT_THAT(run.err, IsEmpty());

  run = Licensectl({"--json", "upgrade", "8", "--adopt"}, "", /*terminal=*/true);
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::GetUpgradeResponse priced;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &priced).ok()) << run.out;
  EXPECT_EQ(priced.upgrade().state(), licensing::v1::UPGRADE_STATE_PRICED) << "waits for --yes";
  EXPECT_THAT(run.err, IsEmpty()) << "--json asks nothing, even at a terminal";

  run = Licensectl({"--json", "upgrade", "7", "--capacity", "300", "--interactive"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--json asks nothing"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST_F(UpgradeCommandTest, UsageErrorsCallNothing) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"upgrade", "7"},
           {"upgrade"},
           {"upgrade", "7", "--capacity", "lots"},
           {"upgrade", "7", "--adopt", "--capacity", "300"},
           {"upgrade", "--resume", kFirstSession, "7"},
           {"upgrade", "7", "--cancel"},
       }) {
    const Outcome run = Licensectl(args);
    EXPECT_EQ(run.code, ExitCode::kUsageError) << args.back();
    EXPECT_THAT(run.err, HasSubstr("Usage: licensectl upgrade")) << args.back();
  }
  EXPECT_EQ(service().Calls("StartUpgrade") + service().Calls("GetUpgrade"), 0);
}

TEST_F(UpgradeCommandTest, HelpDocumentsTheFlagsTheJsonAndTheExitCodes) {
  const Outcome run = Licensectl({"upgrade", "--help"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_THAT(run.out, AllOf(HasSubstr("--resume UPGRADE_ID"), HasSubstr("--adopt"), HasSubstr("--yes"),
                             HasSubstr("--interactive"), HasSubstr("--json asks nothing"), HasSubstr("Exits 0"),
                             HasSubstr("3 when the")));
}

}  // namespace
}  // namespace licensectl
