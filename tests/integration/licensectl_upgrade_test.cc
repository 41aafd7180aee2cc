// licensectl's upgrade, upgrades and terminate end to end: the real binary,
// run as a script runs it (stdin a file, stdout and stderr apart), against
// real ka-mock and license-server processes on the backend this executable
// was built for, started with the tools/dev price catalogue. What licensectl
// says is checked against what the server and KA hold afterwards, read over
// gRPC: the license, its sessions, and ka-mock's call counts.
//
// The tests share one stack and take licenses no other test touches
// (LicensePool), so counts at ka-mock are read as differences around each
// test's own runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "tests/harness/harness.h"
#include "tests/harness/program_run.h"
#include "tests/integration/upgrade_steps_client.h"

namespace lss::upgrade_test {
namespace {

using licensing::v1::UpgradeState;

// Enough keys for every test to find licenses of the shape it needs.
constexpr int kSeedKeys = 60;

// licensectl's exit codes (tools/licensectl/exit_codes.h), as a script sees them.
constexpr int kSuccess = 0;
constexpr int kCallFailed = 1;
constexpr int kUsageError = 2;
constexpr int kNotInSync = 3;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const CliRun& run) {
  return os << "exit " << run.code << "\n--- stdout\n" << run.out << "--- stderr\n" << run.err;
}

// "12.50 EUR" from 1250 EUR: the catalogue's currency has two decimals.
std::string Eur(int64_t minor) { return absl::StrFormat("%d.%02d EUR", minor / 100, minor % 100); }

// The first upgrade id in `text`.
std::string UpgradeIdIn(const std::string& text) {
  std::smatch match;
  return std::regex_search(text, match, std::regex("upg-[0-9a-f]{16}")) ? match.str() : "";
}

// The stack every test shares, created by the first test.
std::unique_ptr<UpgradeStack>& Shared() {
  static auto* const shared = new std::unique_ptr<UpgradeStack>;
  return *shared;
}

// The processes stop before the test program's static objects go.
class SharedStackEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Shared().reset(); }
};
[[maybe_unused]] ::testing::Environment* const kSharedStackEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedStackEnvironment);

class LicensectlUpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Shared() == nullptr) {
      absl::StatusOr<std::unique_ptr<UpgradeStack>> up = UpgradeStack::Start("licensectl-upgrade", kSeedKeys);
      ASSERT_TRUE(up.ok()) << up.status();
      Shared() = *std::move(up);
    }
    up_ = Shared().get();
  }

  UpgradeClient& client() { return *up_->client; }
  KaMockClient& ka() { return *up_->ka; }
  LicensePool& pool() { return up_->pool; }

  // licensectl against the shared server, `stdin_text` as its input.
  CliRun Licensectl(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--address", up_->server->address()});
    absl::StatusOr<harness::ProgramOutput> output =
        harness::RunProgram({.binary = LICENSECTL_PATH, .args = args, .stdin_text = stdin_text});
    EXPECT_TRUE(output.ok()) << output.status();
    if (!output.ok()) return {};
    EXPECT_TRUE(output->status.exited()) << output->status;
    return {output->status.exit_code(), output->out, output->err};
  }

  // A license of the pool that `wanted` accepts, as the server holds it now.
  std::optional<License> Take(absl::string_view what, const std::function<bool(const License&)>& wanted) {
    std::optional<License> picked = pool().Take(what, wanted);
    if (!picked) return std::nullopt;
    return client().GetLicense(picked->license_id());
  }

  // An In Sync license with a capacity step and a feature still to go.
  std::optional<License> TakeUpgradable() {
    return Take("with a step and a feature to go", [&](const License& l) {
      return !pool().StepsAbove(l).empty() && !pool().FeaturesOffered(l).empty();
    });
  }

  // The license's sessions, newest first.
  std::vector<Upgrade> SessionsOf(int64_t license_id) {
    licensing::v1::ListUpgradesRequest request;
    request.set_license_id(license_id);
    licensing::v1::ListUpgradesResponse response;
    const grpc::Status status = client().List(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.upgrades().begin(), response.upgrades().end()};
  }

  // The license now has `capacity` and `feature` (if any) under the key's
  // next revision, is In Sync, and KA holds the same.
  void ExpectUpgraded(const License& before, int64_t capacity, const std::string& feature) {
    const License after = client().GetLicense(before.license_id());
    EXPECT_EQ(ParseKeyNumber(after.key_number()).key, ParseKeyNumber(before.key_number()).key);
    EXPECT_EQ(ParseKeyNumber(after.key_number()).revision, ParseKeyNumber(before.key_number()).revision + 1);
    EXPECT_EQ(after.capacity(), capacity);
    if (!feature.empty()) {
      EXPECT_TRUE(std::find(after.features().begin(), after.features().end(), feature) != after.features().end())
          << after.DebugString();
    }
    EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << after.sync_message();
    const keyadmin::v1::Key at_ka = ka().GetKey(after.key_number());
    EXPECT_EQ(at_ka.key_number(), after.key_number());
    EXPECT_EQ(at_ka.capacity(), capacity);
  }

  UpgradeStack* up_ = nullptr;
};

TEST_F(LicensectlUpgradeTest, TheInteractiveWizardFedOnStdinPlacesTheOrderOnce) {
  std::optional<License> before = TakeUpgradable();
  ASSERT_TRUE(before);
  const int64_t capacity = pool().StepsAbove(*before)[0];
  const std::string feature = pool().FeaturesOffered(*before)[0];
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  // Answers as an operator types them: the capacity, the feature in lower
  // case, yes. --interactive because stdin is a file here.
  const CliRun run = Licensectl({"upgrade", absl::StrCat(before->license_id()), "--interactive"},
                             absl::StrCat(capacity, "\n", absl::AsciiStrToLower(feature), "\ny\n"));
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  ExpectUpgraded(*before, capacity, feature);

  const std::vector<Upgrade> sessions = SessionsOf(before->license_id());
  ASSERT_EQ(sessions.size(), 1u);
  const Upgrade& session = sessions[0];
  EXPECT_EQ(session.state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_EQ(session.order().request_id(), absl::StrCat("licensectl-", session.upgrade_id()));
  const License after = client().GetLicense(before->license_id());
  // What it showed: the starting point, the options, the price the server
  // set, the order; and the questions on stderr.
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("Upgrade:      ", session.upgrade_id(), " (STARTED)"))) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "Sync status:  In Sync\n")) << run;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat(before->capacity(), " (current)"))) << run;
  EXPECT_TRUE(absl::StrContains(run.out, feature)) << run;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("Total charged now: ", Eur(session.price().total().amount_minor()))))
      << run;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat(before->key_number(), " -> ", after.key_number()))) << run;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("License ", before->license_id(), " (", after.key_number(),
                                                      ") is In Sync\n")))
      << run;
  EXPECT_TRUE(absl::StrContains(run.err, absl::StrCat("Enter keeps ", before->capacity(), ": ", capacity, "\n")))
      << run;
  EXPECT_TRUE(absl::StrContains(run.err, "Place the order? [y/N] y\n")) << run;
}

TEST_F(LicensectlUpgradeTest, AnsweringNoCancelsTheSessionAndLeavesTheLicenseAlone) {
  std::optional<License> before = TakeUpgradable();
  ASSERT_TRUE(before);
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  const CliRun run = Licensectl({"upgrade", before->key_number(), "--interactive"},
                             absl::StrCat(pool().StepsAbove(*before)[0], "\n\nn\n"));
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "Not placed: you answered no.")) << run;
  const std::vector<Upgrade> sessions = SessionsOf(before->license_id());
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].state(), licensing::v1::UPGRADE_STATE_CANCELLED);
  EXPECT_EQ(client().GetLicense(before->license_id()).etag(), before->etag());
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);
}

TEST_F(LicensectlUpgradeTest, FlagsWithYesPlaceTheOrderWithoutAsking) {
  std::optional<License> before = TakeUpgradable();
  ASSERT_TRUE(before);
  const int64_t capacity = pool().StepsAbove(*before).back();
  const std::string feature = pool().FeaturesOffered(*before).back();
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  // By the key number without its revision.
  const CliRun run = Licensectl({"upgrade", "--key", ParseKeyNumber(before->key_number()).key, "--capacity",
                              absl::StrCat(capacity), "--add-feature", feature, "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(run.err.empty()) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "Order placed.")) << run;
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  ExpectUpgraded(*before, capacity, feature);
}

TEST_F(LicensectlUpgradeTest, WithoutYesItStopsOncePricedAndTheResumePlacesOnce) {
  std::optional<License> before =
      Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(before);
  const int64_t capacity = pool().StepsAbove(*before)[0];
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  CliRun run = Licensectl({"upgrade", absl::StrCat(before->license_id()), "--capacity", absl::StrCat(capacity)});
  ASSERT_EQ(run.code, kSuccess) << run;
  const std::string upgrade_id = UpgradeIdIn(run.out);
  ASSERT_FALSE(upgrade_id.empty()) << run;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("licensectl upgrade --resume ", upgrade_id, " --yes"))) << run;
  const Upgrade priced = client().Get(upgrade_id);
  EXPECT_EQ(priced.state(), licensing::v1::UPGRADE_STATE_PRICED);
  EXPECT_TRUE(absl::StrContains(run.out, Eur(priced.price().total().amount_minor()))) << run;
  EXPECT_EQ(client().GetLicense(before->license_id()).etag(), before->etag());
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);

  run = Licensectl({"upgrade", "--resume", upgrade_id, "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_EQ(client().Get(upgrade_id).state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  ExpectUpgraded(*before, capacity, "");
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);

  // Again: the order is shown, KA is not called a second time.
  run = Licensectl({"upgrade", "--resume", upgrade_id, "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "(COMPLETED)")) << run;
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
}

TEST_F(LicensectlUpgradeTest, AdoptResolvesNotInSyncWithoutUpgradingAtKa) {
  std::optional<License> before =
      Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(before);
  const int64_t ka_capacity = pool().StepsAbove(*before)[0];
  keyadmin::v1::ChangeKeyRequest change;
  change.set_key_number(before->key_number());
  change.set_capacity(ka_capacity);
  ASSERT_TRUE(ka().ChangeKey(change).ok());
  CliRun run = Licensectl({"sync", absl::StrCat(before->license_id())});
  ASSERT_EQ(run.code, kNotInSync) << run;
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  run = Licensectl({"upgrade", absl::StrCat(before->license_id()), "--adopt", "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "Not In Sync: KA's configuration will be adopted")) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "nothing to do: KA's configuration adopted")) << run;
  const License after = client().GetLicense(before->license_id());
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << after.sync_message();
  EXPECT_EQ(after.capacity(), ka_capacity);
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);
  run = Licensectl({"sync", absl::StrCat(before->license_id())});
  EXPECT_EQ(run.code, kSuccess) << run;
}

TEST_F(LicensectlUpgradeTest, ARefusedCapacityExits1WithTheReasonAndChangesNothing) {
  std::optional<License> before =
      Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(before);
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  // Above the license's capacity but not one of its class's steps.
  const auto& steps = pool().TypeOf(*before).capacity_steps();
  int64_t refused = before->capacity() + 1;
  while (std::find(steps.begin(), steps.end(), refused) != steps.end()) ++refused;
  const CliRun run =
      Licensectl({"upgrade", absl::StrCat(before->license_id()), "--capacity", absl::StrCat(refused), "--yes"});
  ASSERT_EQ(run.code, kCallFailed) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "error: INVALID_ARGUMENT")) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "reason: CAPACITY_NOT_OFFERED")) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "field capacity: ")) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "hint: the capacities offered are ")) << run;
  EXPECT_EQ(client().GetLicense(before->license_id()).etag(), before->etag());
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);
  // The session it opened is cancelled, not left to expire.
  const std::vector<Upgrade> sessions = SessionsOf(before->license_id());
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].state(), licensing::v1::UPGRADE_STATE_CANCELLED);
}

TEST_F(LicensectlUpgradeTest, UpgradesListsTheSessionsAsATableAndAsJson) {
  std::optional<License> license =
      Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  const std::string id = absl::StrCat(license->license_id());
  const std::string capacity = absl::StrCat(pool().StepsAbove(*license)[0]);
  CliRun run = Licensectl({"upgrade", id, "--capacity", capacity, "--interactive"}, "n\n");
  ASSERT_EQ(run.code, kSuccess) << run;
  const std::string cancelled = UpgradeIdIn(run.out);
  run = Licensectl({"upgrade", id, "--capacity", capacity});
  ASSERT_EQ(run.code, kSuccess) << run;
  const std::string priced = UpgradeIdIn(run.out);
  ASSERT_FALSE(cancelled.empty());
  ASSERT_FALSE(priced.empty());

  run = Licensectl({"upgrades", "--license", license->key_number()});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StartsWith(run.out, "UPGRADE ID ")) << run;
  const size_t priced_row = run.out.find(priced);
  const size_t cancelled_row = run.out.find(cancelled);
  ASSERT_NE(priced_row, std::string::npos) << run;
  ASSERT_NE(cancelled_row, std::string::npos) << run;
  EXPECT_LT(priced_row, cancelled_row) << "newest first";
  const std::string priced_line = run.out.substr(priced_row, run.out.find('\n', priced_row) - priced_row);
  EXPECT_TRUE(absl::StrContains(priced_line, "PRICED")) << priced_line;
  EXPECT_TRUE(absl::StrContains(priced_line, license->key_number())) << priced_line;
  EXPECT_TRUE(absl::StrContains(priced_line, Eur(client().Get(priced).price().total().amount_minor()))) << priced_line;

  run = Licensectl({"upgrades", "--license", id, "--page-size", "1"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "more: --page-token ")) << run;

  run = Licensectl({"--json", "upgrades", "--license", id, "--all", "--page-size", "1"});
  ASSERT_EQ(run.code, kSuccess) << run;
  licensing::v1::ListUpgradesResponse all;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &all).ok()) << run;
  ASSERT_EQ(all.upgrades_size(), 2);
  EXPECT_EQ(all.upgrades(0).upgrade_id(), priced);
  EXPECT_EQ(all.upgrades(1).upgrade_id(), cancelled);

  run = Licensectl({"--json", "upgrades", "--license", id, "--state", "cancelled"});
  ASSERT_EQ(run.code, kSuccess) << run;
  licensing::v1::ListUpgradesResponse by_state;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &by_state).ok()) << run;
  ASSERT_EQ(by_state.upgrades_size(), 1);
  EXPECT_EQ(by_state.upgrades(0).upgrade_id(), cancelled);
  EXPECT_EQ(by_state.upgrades(0).state(), licensing::v1::UPGRADE_STATE_CANCELLED);

  run = Licensectl({"upgrade", "--resume", priced, "--cancel"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_EQ(client().Get(priced).state(), licensing::v1::UPGRADE_STATE_CANCELLED);
}

TEST_F(LicensectlUpgradeTest, JsonOfUpgradeIsThePlacedOrder) {
  std::optional<License> before =
      Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(before);
  const int64_t capacity = pool().StepsAbove(*before)[0];
  const CliRun run = Licensectl(
      {"--json", "upgrade", absl::StrCat(before->license_id()), "--capacity", absl::StrCat(capacity), "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  licensing::v1::PlaceUpgradeOrderResponse placed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &placed).ok()) << run;
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_EQ(placed.upgrade().license_id(), before->license_id());
  EXPECT_EQ(placed.upgrade().order().old_key_number(), before->key_number());
  const License after = client().GetLicense(before->license_id());
  EXPECT_EQ(placed.license().key_number(), after.key_number());
  EXPECT_EQ(placed.license().capacity(), capacity);
  EXPECT_EQ(placed.license().etag(), after.etag());
}

TEST_F(LicensectlUpgradeTest, TerminateNeedsYesWithoutATerminalAndTerminatesOnce) {
  std::optional<License> license = Take("any", [](const License&) { return true; });
  ASSERT_TRUE(license);
  const std::string id = absl::StrCat(license->license_id());
  const int64_t terminations = ka().CallCount("TerminateKey");

  CliRun run = Licensectl({"terminate", id});
  ASSERT_EQ(run.code, kUsageError) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "confirm with --yes")) << run;
  EXPECT_EQ(client().GetLicense(license->license_id()).state(), licensing::v1::LICENSE_STATE_ACTIVE);
  EXPECT_EQ(ka().CallCount("TerminateKey"), terminations);

  run = Licensectl({"terminate", id, "--interactive"}, "n\n");
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_EQ(client().GetLicense(license->license_id()).state(), licensing::v1::LICENSE_STATE_ACTIVE);

  run = Licensectl({"terminate", id, "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.out, "is TERMINATED at KA and in billing")) << run;
  EXPECT_EQ(client().GetLicense(license->license_id()).state(), licensing::v1::LICENSE_STATE_TERMINATED);
  EXPECT_TRUE(ka().GetKey(license->key_number()).terminated());
  EXPECT_EQ(ka().CallCount("TerminateKey"), terminations + 1);

  // Again, with --json: the same license, KA left alone.
  run = Licensectl({"--json", "terminate", "--key", license->key_number(), "--yes"});
  ASSERT_EQ(run.code, kSuccess) << run;
  licensing::v1::TerminateLicenseResponse terminated;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &terminated).ok()) << run;
  EXPECT_EQ(terminated.license().license_id(), license->license_id());
  EXPECT_EQ(terminated.license().state(), licensing::v1::LICENSE_STATE_TERMINATED);
  EXPECT_EQ(ka().CallCount("TerminateKey"), terminations + 1);

  // A terminated license cannot be upgraded: the reason, and a hint.
  run = Licensectl({"upgrade", id, "--adopt"});
  ASSERT_EQ(run.code, kCallFailed) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "reason: LICENSE_NOT_ACTIVE")) << run;
}

TEST_F(LicensectlUpgradeTest, TerminateAskedOnStdinTerminates) {
  std::optional<License> license = Take("any", [](const License&) { return true; });
  ASSERT_TRUE(license);
  const CliRun run = Licensectl({"terminate", license->key_number(), "--interactive"}, "yes\n");
  ASSERT_EQ(run.code, kSuccess) << run;
  EXPECT_TRUE(absl::StrContains(run.err, "This cannot be undone. [y/N] yes\n")) << run;
  EXPECT_EQ(client().GetLicense(license->license_id()).state(), licensing::v1::LICENSE_STATE_TERMINATED);
}

}  // namespace
}  // namespace lss::upgrade_test
