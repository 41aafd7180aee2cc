// GrpcServerProcess on fake-health-server, a program that keeps our servers'
// contract and nothing more: start on a free port, wait for SERVING, and the
// faults a test injects look to a client as they would in production.
#include "tests/harness/grpc_server_process.h"

#include <signal.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/harness/wait.h"

namespace lss::harness {
namespace {

// Long enough for a loaded CI machine; the calls that should succeed return
// in milliseconds.
constexpr absl::Duration kPatience = absl::Seconds(30);

GrpcServerOptions FakeServer() {
  GrpcServerOptions options;
  options.binary = FAKE_HEALTH_SERVER_PATH;
  options.name = "fake-health-server";
  return options;
}

TEST(GrpcServerProcessTest, StartsOnAFreePortAndServes) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();

  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ((*server)->address(),
            "127.0.0.1:" + std::to_string((*server)->port()));
  absl::StatusOr<ServingStatus> health = (*server)->CheckHealth(kPatience);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);
}

TEST(GrpcServerProcessTest, TwoServersGetDifferentPorts) {
  auto first = GrpcServerProcess::Start(FakeServer());
  auto second = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE((*first)->port(), (*second)->port());
}

TEST(GrpcServerProcessTest, FrozenServerLetsCallsTimeOutAndThawRecovers) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();

  (*server)->Freeze();
  // A hung server accepts connections (the kernel does) but answers nothing:
  // the call runs into its deadline instead of being refused.
  absl::StatusOr<ServingStatus> frozen =
      (*server)->CheckHealth(absl::Milliseconds(200));
  EXPECT_TRUE(absl::IsDeadlineExceeded(frozen.status())) << frozen.status();

  (*server)->Thaw();
  absl::StatusOr<ServingStatus> thawed = (*server)->CheckHealth(kPatience);
  ASSERT_TRUE(thawed.ok()) << thawed.status();
  EXPECT_EQ(*thawed, ServingStatus::kServing);
}

TEST(GrpcServerProcessTest, KilledServerIsUnavailableAndRestartsOnItsPort) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const pid_t first_pid = (*server)->pid();
  // A channel made before the crash must work again after the restart:
  // that is what keeping the port is for.
  std::shared_ptr<grpc::Channel> old_channel = (*server)->NewChannel();
  ASSERT_TRUE(CheckHealth(old_channel, "", kPatience).ok());

  EXPECT_EQ((*server)->Kill(), ExitStatus::KilledBy(SIGKILL));
  absl::StatusOr<ServingStatus> killed = (*server)->CheckHealth(kPatience);
  EXPECT_TRUE(absl::IsUnavailable(killed.status())) << killed.status();

  ASSERT_TRUE((*server)->Restart().ok());
  EXPECT_EQ((*server)->port(), port);
  EXPECT_NE((*server)->pid(), first_pid);
  absl::StatusOr<ServingStatus> restarted =
      CheckHealth(old_channel, "", kPatience, /*wait_for_ready=*/true);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ(*restarted, ServingStatus::kServing);
}

TEST(GrpcServerProcessTest, StopShutsTheServerDownCleanly) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();

  EXPECT_EQ((*server)->Stop(kPatience), ExitStatus::Exited(0));
  EXPECT_FALSE((*server)->IsRunning());
  EXPECT_TRUE(absl::StrContains((*server)->LogTail(5), "shutting down"));
}

TEST(GrpcServerProcessTest, StartReportsAProgramThatExitsWithItsLog) {
  GrpcServerOptions options;
  options.binary = "/bin/sh";
  options.name = "failing-server";
  // sh runs the script; the --listen/--port_file the harness appends become
  // the script's $0, $1...
  options.args = {"-c", "echo 'cannot open the database' >&2; exit 3"};
  auto server = GrpcServerProcess::Start(options);

  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(absl::IsUnavailable(server.status())) << server.status();
  EXPECT_TRUE(
      absl::StrContains(server.status().message(), "exited with code 3"))
      << server.status();
  EXPECT_TRUE(
      absl::StrContains(server.status().message(), "cannot open the database"))
      << server.status();
}

TEST(GrpcServerProcessTest, WaitUntilServingWaitsForServingNotForAnOpenPort) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();
  // The fake server turns NOT_SERVING on SIGUSR1, SERVING on SIGUSR2.
  ASSERT_EQ(kill((*server)->pid(), SIGUSR1), 0);
  ASSERT_TRUE(WaitFor(
      [&] {
        absl::StatusOr<ServingStatus> health =
            (*server)->CheckHealth(kPatience);
        return health.ok() && *health == ServingStatus::kNotServing;
      },
      kPatience));

  // Listening and answering, but not SERVING: not ready.
  absl::Status not_ready = (*server)->WaitUntilServing(absl::Milliseconds(100));
  EXPECT_TRUE(absl::IsDeadlineExceeded(not_ready)) << not_ready;

  ASSERT_EQ(kill((*server)->pid(), SIGUSR2), 0);
  absl::Status ready = (*server)->WaitUntilServing(kPatience);
  EXPECT_TRUE(ready.ok()) << ready;
}

TEST(GrpcServerProcessTest, HealthOfAnUnknownServiceIsNotFound) {
  auto server = GrpcServerProcess::Start(FakeServer());
  ASSERT_TRUE(server.ok()) << server.status();

  // Exercises the encoding of a non-empty HealthCheckRequest.
  absl::StatusOr<ServingStatus> health =
      (*server)->CheckHealth(kPatience, "no.such.Service");
  EXPECT_TRUE(absl::IsNotFound(health.status())) << health.status();
}

}  // namespace
}  // namespace lss::harness
