// Health as load balancers and operators see it (DESIGN.md §4): the overall
// status ("") and licensing.v1.LicenseService follow the database;
// keyadmin.v1.KeyAdministratorService follows KA. Each dependency is a real
// process here, stopped and started again: a private MariaDB (the CI's
// shared one serves other suites meanwhile) and ka-mock.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"

namespace lss {
namespace {

using harness::ServingStatus;

constexpr absl::string_view kOverall = "";
constexpr absl::string_view kLicenseService = "licensing.v1.LicenseService";
constexpr absl::string_view kKa = "keyadmin.v1.KeyAdministratorService";
constexpr absl::Duration kWithin = absl::Seconds(30);

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("health");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<harness::TempDir>(*std::move(dir));
    absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
        harness::KaMockProcess::Start({.seed_keys = 3, .work_dir = dir_->path()});
    ASSERT_TRUE(ka.ok()) << ka.status();
    ka_ = *std::move(ka);
  }

  void StartServer(const std::string& db, const std::string& db_password) {
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
        harness::LicenseServerProcess::Start({.db = db,
                                              .db_password = db_password,
                                              .ka_address = ka_->address(),
                                              .extra_args = {"--health_interval=100ms"},
                                              .work_dir = dir_->path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  ServingStatus HealthOf(absl::string_view service) {
    absl::StatusOr<ServingStatus> status = harness::CheckHealth(server_->NewChannel(), service, absl::Seconds(5));
    return status.ok() ? *status : ServingStatus::kUnknown;
  }

  // True once every service named has `status`, within kWithin.
  bool Becomes(std::initializer_list<absl::string_view> services, ServingStatus status) {
    return harness::WaitFor(
        [&] {
          for (absl::string_view service : services) {
            if (HealthOf(service) != status) return false;
          }
          return true;
        },
        kWithin);
  }

  std::unique_ptr<harness::TempDir> dir_;
  std::unique_ptr<harness::KaMockProcess> ka_;
  std::unique_ptr<harness::LicenseServerProcess> server_;
};

// A KA outage takes only KA's name down: readers stay on the balancer.
TEST_F(HealthTest, KaHealthFollowsTheKaProcessStoppedAndStartedAgain) {
  StartServer(absl::StrCat("sqlite:", dir_->path(), "/licenses.db"), "");
  ASSERT_TRUE(Becomes({kOverall, kLicenseService, kKa}, ServingStatus::kServing)) << server_->LogTail(20);

  ka_->Stop();
  EXPECT_TRUE(Becomes({kKa}, ServingStatus::kNotServing)) << server_->LogTail(20);
  EXPECT_EQ(HealthOf(kOverall), ServingStatus::kServing);
  EXPECT_EQ(HealthOf(kLicenseService), ServingStatus::kServing);

  ASSERT_TRUE(ka_->Restart().ok());
  EXPECT_TRUE(Becomes({kKa}, ServingStatus::kServing)) << server_->LogTail(20);
  EXPECT_EQ(HealthOf(kOverall), ServingStatus::kServing);
}

// Without its database the server can serve nothing: the overall status and
// the LicenseService go NOT_SERVING, and come back with the database.
TEST_F(HealthTest, OverallHealthFollowsMariaDbStoppedAndStartedAgain) {
  absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> db =
      harness::MariaDbProcess::Start({.work_dir = dir_->path()});
  ASSERT_TRUE(db.ok()) << db.status();
  StartServer((*db)->Dsn(), (*db)->password());
  ASSERT_TRUE(Becomes({kOverall, kLicenseService, kKa}, ServingStatus::kServing)) << server_->LogTail(20);

  (*db)->Stop();
  EXPECT_TRUE(Becomes({kOverall, kLicenseService}, ServingStatus::kNotServing)) << server_->LogTail(20);
  EXPECT_EQ(HealthOf(kKa), ServingStatus::kServing) << "KA's name follows KA alone";

  ASSERT_TRUE((*db)->Restart().ok());
  EXPECT_TRUE(Becomes({kOverall, kLicenseService}, ServingStatus::kServing)) << server_->LogTail(20);
  // And it serves again, not just says so.
  auto stub = licensing::v1::LicenseService::NewStub(server_->NewChannel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  licensing::v1::ListLicensesResponse listed;
  EXPECT_TRUE(stub->ListLicenses(&context, {}, &listed).ok());
}

}  // namespace
}  // namespace lss
