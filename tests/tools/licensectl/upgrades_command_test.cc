// `licensectl upgrades` against the in-process fake: the table, the filters
// (state; license by ID or Key Number), list's paging options, --json.
#include <string>
#include <vector>

#include "fake_upgrade_service.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::FakeUpgradeServer;
using testing::Outcome;

class UpgradesCommandTest : public ::testing::Test {
 protected:
  // Sessions 1 (license 7, PRICED), 2 (license 8, CANCELLED), 3 (license
  // 7, COMPLETED).
  void SetUp() override {
    ASSERT_EQ(Licensectl({"upgrade", "7", "--capacity", "300"}).code, ExitCode::kSuccess);
    ASSERT_EQ(Licensectl({"upgrade", "8", "--adopt", "--interactive"}, "n\n").code, ExitCode::kSuccess);
    ASSERT_EQ(Licensectl({"upgrade", "7", "--add-feature", "BACKUP_CLOUD", "--yes"}).code, ExitCode::kSuccess);
  }

  Outcome Licensectl(std::vector<std::string> args, const std::string& answers = "") {
    return server_.Licensectl(std::move(args), answers);
  }
  licensing::v1::ListUpgradesRequest LastRequest() { return server_.service().list_requests().back(); }

  FakeUpgradeServer server_;
};

TEST_F(UpgradesCommandTest, ATableNewestFirst) {
  const Outcome run = Licensectl({"upgrades"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("UPGRADE ID            LICENSE  KEY NUMBER          STATE      CREATED"),
                             HasSubstr("upg-0000000000000001        7  PLSK.00000007.0000  PRICED     2026-01-01 "
                                       "00:00:00 UTC  2026-01-01 00:00:00 UTC  85.56 EUR\n"),
                             HasSubstr("upg-0000000000000002        8  PLSK.00000008.0000  CANCELLED"),
                             HasSubstr("upg-0000000000000003        7  PLSK.00000007.0000  COMPLETED"),
                             Not(HasSubstr("more:"))));
  EXPECT_LT(run.out.find("upg-0000000000000003"), run.out.find("upg-0000000000000001"));
}

TEST_F(UpgradesCommandTest, FiltersByStateAndLicense) {
  Outcome run = Licensectl({"upgrades", "--state", "priced", "--license", "7"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(LastRequest().state(), licensing::v1::UPGRADE_STATE_PRICED);
  EXPECT_EQ(LastRequest().license_id(), 7);
  EXPECT_THAT(run.out, AllOf(HasSubstr("upg-0000000000000001"), Not(HasSubstr("upg-0000000000000003"))));

  // A Key Number is looked up: ListUpgrades filters by License ID.
  run = Licensectl({"upgrades", "--license", "PLSK.00000008"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(LastRequest().license_id(), 8);
  EXPECT_EQ(LastRequest().state(), licensing::v1::UPGRADE_STATE_UNSPECIFIED);

  run = Licensectl({"upgrades", "--state", "failed"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out, "No upgrade sessions found.\n");

  run = Licensectl({"upgrades", "--license", "PLSK.00000404"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("reason: LICENSE_NOT_FOUND"));
}

TEST_F(UpgradesCommandTest, PagesLikeList) {
  Outcome run = Licensectl({"upgrades", "--page-size", "2"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(LastRequest().page_size(), 2);
  EXPECT_THAT(run.out, AllOf(HasSubstr("upg-0000000000000003"), HasSubstr("upg-0000000000000002"),
                             Not(HasSubstr("upg-0000000000000001")), HasSubstr("more: --page-token 2\n")));

  run = Licensectl({"upgrades", "--page-size", "2", "--page-token", "2"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(LastRequest().page_token(), "2");
  EXPECT_THAT(run.out, AllOf(HasSubstr("upg-0000000000000001"), Not(HasSubstr("more:"))));

  run = Licensectl({"upgrades", "--all", "--page-size", "1"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("upg-0000000000000001"), HasSubstr("upg-0000000000000003"),
                             Not(HasSubstr("more:"))));
}

TEST_F(UpgradesCommandTest, JsonIsOneListUpgradesResponse) {
  const Outcome run = Licensectl({"--json", "upgrades", "--all", "--page-size", "1"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::ListUpgradesResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  ASSERT_EQ(parsed.upgrades_size(), 3);
  EXPECT_EQ(parsed.upgrades(0).upgrade_id(), "upg-0000000000000003");
  EXPECT_EQ(parsed.upgrades(0).state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_THAT(parsed.next_page_token(), IsEmpty());
}

TEST_F(UpgradesCommandTest, BadOptionsAreUsageErrors) {
  Outcome run = Licensectl({"upgrades", "--state", "done"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--state must be one of started, configured, priced, placing, completed, cancelled, "
                                 "expired, failed; got 'done'"));
  run = Licensectl({"upgrades", "--page-size", "-1"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--page-size must be a whole number"));
  run = Licensectl({"upgrades", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("upgrades takes no arguments"));
  run = Licensectl({"upgrades", "--license", "0"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--license: a License ID is a whole number from 1 up"));
}

}  // namespace
}  // namespace licensectl
