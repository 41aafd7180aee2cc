// PlaceUpgradeOrder reaches KA exactly once per session, end to end: placed
// again sequentially, concurrently, through two replicas, across a kill -9
// between KA's answer and the database write, and after KA failed. The
// proof is at ka-mock: its UpgradeKey call count and the key's revision
// (one new key is one revision up, however many calls KA answered with its
// first answer). Every wait is a condition with a deadline.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"
#include "tests/integration/upgrade_steps_client.h"

namespace lss::upgrade_test {
namespace {

using google::protobuf::util::MessageDifferencer;
using harness::LicenseServerProcess;
using harness::WaitFor;

constexpr int kSeedKeys = 30;
constexpr int kPlacers = 8;

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

// A license with a capacity step to go, and the session that raises it,
// priced and ready to be placed.
struct PricedUpgrade {
  License license;
  std::string upgrade_id;
  int64_t capacity = 0;
};

PricedUpgrade PriceOneStepUp(UpgradeStack& up, UpgradeClient& client) {
  PricedUpgrade priced;
  std::optional<License> license =
      up.pool.Take("with a step to go", [&](const License& l) { return !up.pool.StepsAbove(l).empty(); });
  if (!license) return priced;
  priced.license = *license;
  priced.capacity = up.pool.StepsAbove(*license)[0];
  priced.upgrade_id = client.PricedSession(license->license_id(), priced.capacity, {});
  return priced;
}

// Places `upgrade_id` from kPlacers threads at once, each with a request_id
// of its own, thread i through clients[i % clients.size()].
std::vector<std::pair<grpc::Status, licensing::v1::PlaceUpgradeOrderResponse>> PlaceConcurrently(
    const std::vector<UpgradeClient*>& clients, const std::string& upgrade_id, const std::string& prefix) {
  std::vector<std::pair<grpc::Status, licensing::v1::PlaceUpgradeOrderResponse>> results(kPlacers);
  absl::Barrier* ready = new absl::Barrier(kPlacers);  // deleted by the last thread through Block()
  std::vector<std::thread> threads;
  for (int i = 0; i < kPlacers; ++i) {
    threads.emplace_back([&, i] {
      if (ready->Block()) delete ready;
      results[i].first = clients[i % clients.size()]->Place(upgrade_id, absl::StrCat(prefix, i), &results[i].second);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return results;
}

class UpgradePlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Shared() == nullptr) {
      absl::StatusOr<std::unique_ptr<UpgradeStack>> up = UpgradeStack::Start("upgrade-placement", kSeedKeys);
      ASSERT_TRUE(up.ok()) << up.status();
      Shared() = *std::move(up);
    }
    up_ = Shared().get();
  }

  UpgradeClient& client() { return *up_->client; }
  KaMockClient& ka() { return *up_->ka; }

  // The key at KA has exactly one revision more than `before`.
  void ExpectOneNewKeyAtKa(const License& before, const std::string& new_key_number) {
    const keyadmin::v1::Key now = ka().GetKey(ParseKeyNumber(before.key_number()).key);
    EXPECT_EQ(now.key_number(), new_key_number);
    EXPECT_EQ(ParseKeyNumber(now.key_number()).revision, ParseKeyNumber(before.key_number()).revision + 1);
  }

  UpgradeStack* up_ = nullptr;
};

TEST_F(UpgradePlacementTest, PlacingAgainWithTheSameOrANewRequestIdUpgradesOnce) {
  const PricedUpgrade priced = PriceOneStepUp(*up_, client());
  ASSERT_FALSE(priced.upgrade_id.empty());
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  // A request_id that cannot be an idempotency key is refused before
  // anything happens.
  grpc::Status refused = client().Place(priced.upgrade_id, "not a request id");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(DetailsOf(refused).fields, std::vector<std::string>{"request_id"});
  EXPECT_EQ(client().Get(priced.upgrade_id).state(), licensing::v1::UPGRADE_STATE_PRICED);

  licensing::v1::PlaceUpgradeOrderResponse first;
  grpc::Status status = client().Place(priced.upgrade_id, "double-1", &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_EQ(first.license().capacity(), priced.capacity);
  for (const std::string request_id : {"double-1", "double-2"}) {
    licensing::v1::PlaceUpgradeOrderResponse again;
    status = client().Place(priced.upgrade_id, request_id, &again);
    ASSERT_TRUE(status.ok()) << request_id << ": " << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(again.upgrade().order(), first.upgrade().order())) << request_id;
    EXPECT_EQ(again.license().key_number(), first.license().key_number());
    EXPECT_EQ(again.license().etag(), first.license().etag());
  }
  EXPECT_EQ(first.upgrade().order().request_id(), "double-1");
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  ExpectOneNewKeyAtKa(priced.license, first.license().key_number());
}

TEST_F(UpgradePlacementTest, ConcurrentPlacementsOfOneSessionUpgradeOnce) {
  const PricedUpgrade priced = PriceOneStepUp(*up_, client());
  ASSERT_FALSE(priced.upgrade_id.empty());
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  // A connection per caller, as separate clients would have.
  std::vector<std::unique_ptr<UpgradeClient>> owned;
  std::vector<UpgradeClient*> clients;
  for (int i = 0; i < kPlacers; ++i) {
    owned.push_back(std::make_unique<UpgradeClient>(up_->server->NewChannel()));
    clients.push_back(owned.back().get());
  }
  const auto results = PlaceConcurrently(clients, priced.upgrade_id, "concurrent-");
  std::set<std::string> request_ids;
  for (int i = 0; i < kPlacers; ++i) {
    ASSERT_TRUE(results[i].first.ok()) << "placer " << i << ": " << results[i].first.error_message();
    EXPECT_EQ(results[i].second.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
    EXPECT_EQ(results[i].second.license().key_number(), results[0].second.license().key_number());
    request_ids.insert(results[i].second.upgrade().order().request_id());
  }
  // One placement made the order; every caller got its result.
  EXPECT_EQ(request_ids.size(), 1u);
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  ExpectOneNewKeyAtKa(priced.license, results[0].second.license().key_number());
  const License after = client().GetLicense(priced.license.license_id());
  EXPECT_EQ(after.capacity(), priced.capacity);
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
}

TEST_F(UpgradePlacementTest, AKaFailureLeavesTheLicenseAsItWasAndTheOrderRetryable) {
  const PricedUpgrade priced = PriceOneStepUp(*up_, client());
  ASSERT_FALSE(priced.upgrade_id.empty());
  const License before = client().GetLicense(priced.license.license_id());

  keyadmin::v1::SetFaultsRequest outage;
  outage.set_outage(true);
  outage.add_methods("UpgradeKey");
  keyadmin::v1::SetFaultsRequest internal_error;
  internal_error.set_error_rate(1.0);
  internal_error.set_error_code(keyadmin::v1::RESULT_CODE_INTERNAL);
  internal_error.add_methods("UpgradeKey");
  for (const auto& [name, faults] : {std::pair{"outage", outage}, std::pair{"code-300", internal_error}}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(ka().SetFaults(faults).ok());
    grpc::Status status = client().Place(priced.upgrade_id, absl::StrCat("ka-down-", name));
    ka().ClearFaults();
    EXPECT_TRUE(FailedWith(status, grpc::StatusCode::UNAVAILABLE, "KEY_ADMINISTRATOR_UNAVAILABLE"));

    const License now = client().GetLicense(before.license_id());
    EXPECT_EQ(now.etag(), before.etag());
    EXPECT_EQ(now.key_number(), before.key_number());
    EXPECT_EQ(now.capacity(), before.capacity());
    EXPECT_EQ(now.sync_status(), before.sync_status());
    EXPECT_FALSE(now.order_placing());
    const Upgrade session = client().Get(priced.upgrade_id);
    EXPECT_EQ(session.state(), licensing::v1::UPGRADE_STATE_PRICED);
    EXPECT_FALSE(session.order().error().empty());
    EXPECT_TRUE(session.has_price());
    EXPECT_EQ(ka().GetKey(before.key_number()).key_number(), before.key_number()) << "KA issued a key";
  }

  licensing::v1::PlaceUpgradeOrderResponse placed;
  grpc::Status status = client().Place(priced.upgrade_id, "ka-back", &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_TRUE(placed.upgrade().order().error().empty()) << placed.upgrade().order().error();
  EXPECT_EQ(placed.license().capacity(), priced.capacity);
  EXPECT_EQ(placed.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  ExpectOneNewKeyAtKa(before, placed.license().key_number());
}

// KA refusing the upgrade (the key was terminated there after the session
// was priced) is final: the session FAILED with KA's reason, the license as
// it was, and no second try.
TEST_F(UpgradePlacementTest, AKaRefusalEndsTheSessionFailedAndLeavesTheLicense) {
  const PricedUpgrade priced = PriceOneStepUp(*up_, client());
  ASSERT_FALSE(priced.upgrade_id.empty());
  const License before = client().GetLicense(priced.license.license_id());
  keyadmin::v1::ChangeKeyRequest terminate;
  terminate.set_key_number(before.key_number());
  terminate.set_terminate(true);
  ASSERT_TRUE(ka().ChangeKey(terminate).ok());

  grpc::Status status = client().Place(priced.upgrade_id, "refused-1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  const Upgrade session = client().Get(priced.upgrade_id);
  EXPECT_EQ(session.state(), licensing::v1::UPGRADE_STATE_FAILED);
  EXPECT_FALSE(session.order().error().empty());
  const License now = client().GetLicense(before.license_id());
  EXPECT_EQ(now.etag(), before.etag());
  EXPECT_EQ(now.key_number(), before.key_number());
  EXPECT_FALSE(now.order_placing());
  EXPECT_TRUE(FailedWith(client().Place(priced.upgrade_id, "refused-2"), grpc::StatusCode::FAILED_PRECONDITION,
                         "UPGRADE_ENDED"));
}

// A termination marks the license before it asks KA (issue 15): while KA
// takes its time, no upgrade starts, and a session priced before cannot
// place its order; the key is terminated, never upgraded.
TEST_F(UpgradePlacementTest, ATerminationUnderWayKeepsUpgradesOff) {
  const PricedUpgrade priced = PriceOneStepUp(*up_, client());
  ASSERT_FALSE(priced.upgrade_id.empty());
  const License before = client().GetLicense(priced.license.license_id());
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  keyadmin::v1::SetFaultsRequest slow_termination;
  slow_termination.set_latency_ms(1500);  // within the stack's --ka-deadline of 2 s
  slow_termination.add_methods("TerminateKey");
  ASSERT_TRUE(ka().SetFaults(slow_termination).ok());

  grpc::Status terminated;
  License after_termination;
  std::thread terminator([&] {
    UpgradeClient own(up_->server->NewChannel());
    licensing::v1::TerminateLicenseRequest request;
    request.set_license_id(before.license_id());
    terminated = own.Terminate(request, &after_termination);
  });
  // The mark is written before KA is called: the etag moves at once.
  EXPECT_TRUE(harness::WaitFor([&] { return client().GetLicense(before.license_id()).etag() != before.etag(); },
                               absl::Seconds(10)));
  EXPECT_TRUE(FailedWith(client().Start(before.license_id()), grpc::StatusCode::FAILED_PRECONDITION,
                         "LICENSE_TERMINATING"));
  EXPECT_TRUE(FailedWith(client().Place(priced.upgrade_id, "during-termination"), grpc::StatusCode::ABORTED,
                         "UPGRADE_LICENSE_CHANGED"));
  terminator.join();
  ka().ClearFaults();
  ASSERT_TRUE(terminated.ok()) << terminated.error_message();
  EXPECT_EQ(after_termination.state(), licensing::v1::LICENSE_STATE_TERMINATED);
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);
}

#if LSS_TEST_MARIADB
// Replicas share sessions through the database: any replica serves any
// step, and two placing at once upgrade the key once.
TEST_F(UpgradePlacementTest, TwoReplicasPlacingOneSessionUpgradeOnce) {
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> second = StartUpgradeServer(*up_->stack, "replica-b");
  ASSERT_TRUE(second.ok()) << second.status();
  UpgradeClient other((*second)->NewChannel());
  std::optional<License> license =
      up_->pool.Take("with a step to go", [&](const License& l) { return !up_->pool.StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  const int64_t capacity = up_->pool.StepsAbove(*license)[0];
  Upgrade started;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  grpc::Status status = other.Configure(started.upgrade_id(), capacity, {});
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = client().Price(started.upgrade_id());
  ASSERT_TRUE(status.ok()) << status.error_message();
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  UpgradeClient first_a(up_->server->NewChannel());
  UpgradeClient first_b((*second)->NewChannel());
  const auto results = PlaceConcurrently({&first_a, &first_b}, started.upgrade_id(), "replicas-");
  for (int i = 0; i < kPlacers; ++i) {
    ASSERT_TRUE(results[i].first.ok()) << "placer " << i << ": " << results[i].first.error_message();
    EXPECT_EQ(results[i].second.license().key_number(), results[0].second.license().key_number());
  }
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  ExpectOneNewKeyAtKa(*license, results[0].second.license().key_number());
  EXPECT_TRUE(MessageDifferencer::Equals(other.Get(started.upgrade_id()), client().Get(started.upgrade_id())));
}
#endif

// kill -9 between KA's answer and the database write (the server's test
// fault point), then a restart: the order completes with the key KA issued
// before, never a second one.
TEST(UpgradeCrashTest, AnOrderLeftPlacingByACrashCompletesOnRestartWithTheOneKey) {
  const std::vector<std::string> lease = {"--sync-lease=3s"};
  std::vector<std::string> crashing_args = lease;
  crashing_args.push_back("--testing_crash_after_ka_upgrade");
  absl::StatusOr<std::unique_ptr<UpgradeStack>> up = UpgradeStack::Start("upgrade-crash", 5, crashing_args);
  ASSERT_TRUE(up.ok()) << up.status();
  const PricedUpgrade priced = PriceOneStepUp(**up, *(*up)->client);
  ASSERT_FALSE(priced.upgrade_id.empty());
  KaMockClient& ka = *(*up)->ka;

  grpc::Status status = (*up)->client->Place(priced.upgrade_id, "crash-1");
  EXPECT_FALSE(status.ok()) << "the server was to die before answering";
  absl::StatusOr<harness::ExitStatus> exit = (*up)->server->process().WaitForExit(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, harness::ExitStatus::KilledBy(SIGKILL));
  // KA did issue the key; billing never heard of it.
  const keyadmin::v1::Key issued = ka.GetKey(ParseKeyNumber(priced.license.key_number()).key);
  ASSERT_EQ(ParseKeyNumber(issued.key_number()).revision, ParseKeyNumber(priced.license.key_number()).revision + 1);

  std::vector<std::string> restarted_args = lease;
  restarted_args.push_back("--upgrade_sweep_interval=200ms");
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> restarted =
      StartUpgradeServer(*(*up)->stack, "restarted", restarted_args);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  UpgradeClient client((*restarted)->NewChannel());

  // While the dead replica's claim holds, the license is neither synced nor
  // upgraded again, and the stuck order shows. The state read after those
  // calls decides: still PLACING then means PLACING throughout them.
  License synced;
  const grpc::Status sync = client.Sync(priced.license.license_id(), &synced);
  const grpc::Status start = client.Start(priced.license.license_id());
  const License placing_license = client.GetLicense(priced.license.license_id());
  licensing::v1::ListUpgradesRequest stuck;
  stuck.set_state(licensing::v1::UPGRADE_STATE_PLACING);
  licensing::v1::ListUpgradesResponse placing;
  ASSERT_TRUE(client.List(stuck, &placing).ok());
  if (client.Get(priced.upgrade_id).state() == licensing::v1::UPGRADE_STATE_PLACING) {
    EXPECT_TRUE(FailedWith(sync, grpc::StatusCode::FAILED_PRECONDITION, "UPGRADE_ORDER_PLACING"));
    EXPECT_TRUE(FailedWith(start, grpc::StatusCode::FAILED_PRECONDITION, "UPGRADE_ORDER_PLACING"));
    EXPECT_TRUE(placing_license.order_placing());
    EXPECT_EQ(placing_license.key_number(), priced.license.key_number());
    ASSERT_EQ(placing.upgrades_size(), 1);
    EXPECT_EQ(placing.upgrades(0).upgrade_id(), priced.upgrade_id);
    EXPECT_EQ(placing.upgrades(0).order().request_id(), "crash-1");
    EXPECT_TRUE(placing.upgrades(0).order().new_key_number().empty());
  } else {
    std::cerr << "note: the order completed before the sync; the refusal was not observed\n";
  }

  ASSERT_TRUE(WaitFor([&] { return client.Get(priced.upgrade_id).state() == licensing::v1::UPGRADE_STATE_COMPLETED; },
                      absl::Seconds(60)));
  const Upgrade completed = client.Get(priced.upgrade_id);
  const License after = client.GetLicense(priced.license.license_id());
  const keyadmin::v1::Key at_ka = ka.GetKey(ParseKeyNumber(priced.license.key_number()).key);
  EXPECT_EQ(at_ka.key_number(), issued.key_number()) << "a second key was issued";
  EXPECT_EQ(after.key_number(), issued.key_number());
  EXPECT_EQ(completed.order().new_key_number(), issued.key_number());
  EXPECT_EQ(completed.order().request_id(), "crash-1");
  EXPECT_EQ(after.capacity(), priced.capacity);
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << after.sync_message();
  EXPECT_FALSE(after.order_placing());

  // Placing again returns the result; a sync finds billing and KA agreeing.
  licensing::v1::PlaceUpgradeOrderResponse again;
  status = client.Place(priced.upgrade_id, "crash-2", &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.license().key_number(), issued.key_number());
  ASSERT_TRUE(client.Sync(priced.license.license_id(), &synced).ok());
  EXPECT_EQ(synced.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << synced.sync_message();
  EXPECT_EQ(ka.GetKey(issued.key_number()).key_number(), issued.key_number());
}

}  // namespace
}  // namespace lss::upgrade_test
