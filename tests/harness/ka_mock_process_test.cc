// KaMockProcess on the real tools/ka-mock: it starts seeded, serves health,
// and the faults a test injects reach a client as they would in production.
#include "tests/harness/ka_mock_process.h"

#include <signal.h>

#include <memory>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace lss::harness {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(30);

TEST(KaMockProcessTest, ServesFreezesThawsCrashesAndRestarts) {
  absl::StatusOr<std::unique_ptr<KaMockProcess>> mock =
      KaMockProcess::Start({.seed_keys = 10});
  ASSERT_TRUE(mock.ok()) << mock.status();
  KaMockProcess& ka = **mock;
  EXPECT_EQ(ka.login(), "billing");
  EXPECT_EQ(ka.password(), kKaMockDefaultPassword);

  absl::StatusOr<ServingStatus> health = ka.CheckHealth(kPatience);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);

  ka.Freeze();
  health = ka.CheckHealth(absl::Milliseconds(200));
  EXPECT_TRUE(absl::IsDeadlineExceeded(health.status())) << health.status();

  ka.Thaw();
  health = ka.CheckHealth(kPatience);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);

  const int port = ka.port();
  EXPECT_EQ(ka.Kill(), ExitStatus::KilledBy(SIGKILL));
  health = ka.CheckHealth(kPatience);
  EXPECT_TRUE(absl::IsUnavailable(health.status())) << health.status();

  absl::Status restarted = ka.Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_EQ(ka.port(), port);
  health = ka.CheckHealth(kPatience);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);
}

TEST(KaMockProcessTest, StopsCleanlyOnSigterm) {
  absl::StatusOr<std::unique_ptr<KaMockProcess>> mock = KaMockProcess::Start();
  ASSERT_TRUE(mock.ok()) << mock.status();
  EXPECT_EQ((*mock)->Stop(kPatience), ExitStatus::Exited(0));
}

}  // namespace
}  // namespace lss::harness
