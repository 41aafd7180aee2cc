// The example consumer (tests/install/consumer), built purely from the
// installed LicenseSyncApi package by the install_consumer_builds test, run
// against real ka-mock and license-server processes: what an internal
// service built that way sees. ctest runs install_consumer_builds first (a
// fixture); the consumer side does not depend on the backend: SQLite only.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/harness/program_run.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using harness::ExitStatus;
using harness::ProgramOutput;
using licensing::v1::License;
using licensing::v1::LicenseService;

constexpr int kSeedKeys = 7;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

std::string Transcript(const ProgramOutput& run) {
  return absl::StrCat(run.status.ToString(), "\n--- stdout\n", run.out, "--- stderr\n", run.err);
}

class InstalledConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(INSTALLED_CONSUMER_PATH))
        << INSTALLED_CONSUMER_PATH << " is built by the ctest install_consumer_builds, which ctest runs first "
        << "(ctest -R InstalledConsumer runs both)";
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("installed-consumer", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
        harness::LicenseServerProcess::Start(stack_->server_options());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = LicenseService::NewStub(server_->NewChannel());

    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub_->ImportLicenses(Context().get(), {}, &imported).ok());
    ASSERT_EQ(imported.imported(), kSeedKeys);
    licensing::v1::ListLicensesResponse listed;
    ASSERT_TRUE(stub_->ListLicenses(Context().get(), {}, &listed).ok());
    licenses_.assign(listed.licenses().begin(), listed.licenses().end());
    ASSERT_EQ(licenses_.size(), static_cast<size_t>(kSeedKeys));
  }

  ProgramOutput RunConsumer(std::vector<std::string> args) {
    absl::StatusOr<ProgramOutput> output =
        harness::RunProgram({.binary = INSTALLED_CONSUMER_PATH, .args = std::move(args), .env = {{"LICENSE_SYNC_TOKEN", ""}}});
    EXPECT_TRUE(output.ok()) << output.status();
    return output.ok() ? *std::move(output) : ProgramOutput{ExitStatus::Exited(-1), "", ""};
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<harness::LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
  std::vector<License> licenses_;
};

TEST_F(InstalledConsumerTest, ListsEveryLicenseAndGetsTheFirst) {
  const ProgramOutput run = RunConsumer({server_->address()});
  ASSERT_EQ(run.status, ExitStatus::Exited(0)) << Transcript(run);
  const std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), licenses_.size() + 2) << Transcript(run);
  for (size_t i = 0; i < licenses_.size(); ++i) {
    EXPECT_TRUE(absl::StartsWith(
        lines[i], absl::StrCat("license ", licenses_[i].license_id(), " ", licenses_[i].key_number(), " ")))
        << lines[i];
  }
  EXPECT_EQ(lines[licenses_.size()], absl::StrCat("licenses: ", kSeedKeys));
  EXPECT_TRUE(absl::StartsWith(lines.back(), absl::StrCat("got ", licenses_.front().key_number(), ": License ID ",
                                                          licenses_.front().license_id())))
      << lines.back();
}

TEST_F(InstalledConsumerTest, GetsANotInSyncLicenseWithItsMismatch) {
  const License& license = licenses_.back();
  keyadmin::v1::ChangeKeyRequest change;
  change.set_key_number(license.key_number());
  change.set_capacity(license.capacity() + 7);
  keyadmin::v1::ChangeKeyResponse changed;
  auto ka_admin = keyadmin::v1::KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
  ASSERT_TRUE(ka_admin->ChangeKey(Context().get(), change, &changed).ok());
  licensing::v1::SyncLicenseRequest sync;
  sync.set_license_id(license.license_id());
  licensing::v1::SyncLicenseResponse synced;
  ASSERT_TRUE(stub_->SyncLicense(Context().get(), sync, &synced).ok());

  const ProgramOutput run = RunConsumer({server_->address(), license.key_number()});
  ASSERT_EQ(run.status, ExitStatus::Exited(0)) << Transcript(run);
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("got ", license.key_number(), ": License ID ",
                                                      license.license_id(), ", class ", license.license_class(),
                                                      ", capacity ", license.capacity(), ", NOT_IN_SYNC\n")))
      << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, absl::StrCat("  - MISMATCH_KIND_CAPACITY_CHANGED: billing ",
                                                      license.capacity(), ", KA ", change.capacity(), "\n")))
      << run.out;
}

TEST_F(InstalledConsumerTest, UnknownLicenseFailsWithTheReason) {
  const ProgramOutput run = RunConsumer({server_->address(), "PLSK.99999999.0001"});
  EXPECT_EQ(run.status, ExitStatus::Exited(1)) << Transcript(run);
  EXPECT_TRUE(absl::StrContains(run.err, "error: GetLicense: NOT_FOUND: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "\n  reason: LICENSE_NOT_FOUND\n")) << run.err;
}

}  // namespace
}  // namespace lss
