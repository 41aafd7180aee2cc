// `licensectl terminate` against the in-process fake: confirmed by --yes or
// by the operator's answer, refused without either, --json.
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
using testing::FakeUpgradeServer;
using testing::Outcome;

class TerminateCommandTest : public ::testing::Test {
 protected:
  Outcome Licensectl(std::vector<std::string> args, const std::string& answers = "", bool terminal = false) {
    return server_.Licensectl(std::move(args), answers, terminal);
  }
  testing::FakeUpgradeService& service() { return server_.service(); }

  FakeUpgradeServer server_;
};

TEST_F(TerminateCommandTest, YesTerminatesWithoutAsking) {
  const Outcome run = Licensectl({"terminate", "7", "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(run.out,
            "Terminated: license 7 (PLSK.00000007.0000, PLESK_WEB_PRO, capacity 100) is TERMINATED at KA and in "
            "billing.\n");
  EXPECT_THAT(run.err, IsEmpty());
  EXPECT_EQ(service().StoredLicense(7).state(), licensing::v1::LICENSE_STATE_TERMINATED);
}

TEST_F(TerminateCommandTest, WithoutATerminalOrYesItRefusesAndCallsNothing) {
  const Outcome run = Licensectl({"terminate", "--key", "PLSK.00000007"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("confirm with --yes"), HasSubstr("stdin is not a terminal"),
                             HasSubstr("Usage: licensectl terminate")));
  EXPECT_EQ(service().Calls("GetLicense") + service().Calls("TerminateLicense"), 0);
  EXPECT_EQ(service().StoredLicense(7).state(), licensing::v1::LICENSE_STATE_ACTIVE);
}

TEST_F(TerminateCommandTest, AskedItShowsTheLicenseAndFollowsTheAnswer) {
  Outcome run = Licensectl({"terminate", "7", "--interactive"}, "n\n");
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_THAT(run.out, AllOf(HasSubstr("License ID:       7\n"),
                             HasSubstr("Not terminated: you answered no; the license is unchanged.\n")));
  EXPECT_THAT(run.err, HasSubstr("Terminate license 7 (PLSK.00000007.0000, PLESK_WEB_PRO, capacity 100) at KA and "
                                 "in billing? This cannot be undone. [y/N] n\n"));
  EXPECT_EQ(service().Calls("TerminateLicense"), 0);

  run = Licensectl({"terminate", "7"}, "y\n", /*terminal=*/true);
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Terminated: license 7"));
  EXPECT_EQ(service().StoredLicense(7).state(), licensing::v1::LICENSE_STATE_TERMINATED);

  // Terminated already: terminating again changes nothing, so nothing is asked.
  run = Licensectl({"terminate", "7"}, "", /*terminal=*/true);
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.err, IsEmpty());
  EXPECT_EQ(service().Calls("TerminateLicense"), 2);

  run = Licensectl({"terminate", "8", "--interactive"}, "");
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("the input ended before the question was answered; nothing was terminated"));
  EXPECT_EQ(service().StoredLicense(8).state(), licensing::v1::LICENSE_STATE_ACTIVE);
}

TEST_F(TerminateCommandTest, JsonNeedsYesAndPrintsTheResponse) {
  Outcome run = Licensectl({"--json", "terminate", "7"}, "y\n", /*terminal=*/true);
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--json asks nothing"));
  run = Licensectl({"--json", "terminate", "7", "--interactive"}, "y\n");
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_EQ(service().Calls("TerminateLicense"), 0);

  run = Licensectl({"--json", "terminate", "7", "--yes"});
  ASSERT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::TerminateLicenseResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  EXPECT_EQ(parsed.license().license_id(), 7);
  EXPECT_EQ(parsed.license().state(), licensing::v1::LICENSE_STATE_TERMINATED);
}

TEST_F(TerminateCommandTest, AnUnknownLicenseExits1) {
  const Outcome run = Licensectl({"terminate", "404", "--yes"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, HasSubstr("reason: LICENSE_NOT_FOUND"));
}

}  // namespace
}  // namespace licensectl
