// LicenseServerProcess on the real server/license-server, with a real
// ka-mock: it starts on SQLite, serves health, and shuts down cleanly.
#include "tests/harness/license_server_process.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/harness/ka_mock_process.h"
#include "tests/harness/temp_dir.h"

namespace lss::harness {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(30);

TEST(LicenseServerProcessTest, ServesOnSqliteAndStopsCleanlyOnSigterm) {
  absl::StatusOr<TempDir> dir = TempDir::Create("license-server");
  ASSERT_TRUE(dir.ok()) << dir.status();
  absl::StatusOr<std::unique_ptr<KaMockProcess>> ka =
      KaMockProcess::Start({.seed_keys = 10, .work_dir = dir->path()});
  ASSERT_TRUE(ka.ok()) << ka.status();

  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server =
      LicenseServerProcess::Start(
          {.db = absl::StrCat("sqlite://", dir->Join("lss.db")),
           .ka_address = (*ka)->address(),
           .work_dir = dir->path()});
  ASSERT_TRUE(server.ok()) << server.status();

  absl::StatusOr<ServingStatus> health = (*server)->CheckHealth(kPatience);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);

  EXPECT_EQ((*server)->Stop(kPatience), ExitStatus::Exited(0));
}

}  // namespace
}  // namespace lss::harness
