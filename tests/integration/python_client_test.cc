// The Python example client (tools/examples/python/sync_client.py) end to
// end: run by Debian's /usr/bin/python3 over the generated stubs (the
// licensing_python target), as an internal service would run it, against
// real ka-mock and license-server processes. Its output and exit codes are
// the contract a team copying it relies on. The client side does not depend
// on the backend: SQLite only.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
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
using harness::LicenseServerProcess;
using harness::ProgramOutput;
using keyadmin::v1::KeyAdministratorAdminService;
using licensing::v1::License;
using licensing::v1::LicenseService;

constexpr int kSeedKeys = 12;
constexpr char kOperatorToken[] = "python-example-operator-token";

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

// What the token file lists: the token's SHA-256 in hex.
std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(std::string(reinterpret_cast<const char*>(digest), length));
}

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n', absl::SkipEmpty()); }

std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& line : Lines(text)) {
    if (absl::StartsWith(line, prefix)) found.push_back(line);
  }
  return found;
}

// For failure messages: everything the client said.
std::string Transcript(const ProgramOutput& run) {
  return absl::StrCat(run.status.ToString(), "\n--- stdout\n", run.out, "--- stderr\n", run.err);
}

class PythonClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("python-client", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
  }

  void StartServer(std::vector<std::string> extra_args = {},
                   std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr) {
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args = std::move(extra_args);
    options.channel_credentials = std::move(credentials);
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = LicenseService::NewStub(server_->NewChannel());
    address_ = server_->address();
  }

  // Imports every key of ka-mock; returns the licenses, by License ID.
  std::vector<License> ImportAll(const std::string& token = "") {
    licensing::v1::ImportLicensesResponse imported;
    grpc::Status status = stub_->ImportLicenses(Context(token).get(), {}, &imported);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(imported.imported(), kSeedKeys);
    licensing::v1::ListLicensesRequest request;
    request.set_page_size(1000);
    licensing::v1::ListLicensesResponse listed;
    status = stub_->ListLicenses(Context(token).get(), request, &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {listed.licenses().begin(), listed.licenses().end()};
  }

  // Changes the license's capacity at KA, as KA itself would: billing now
  // drifts from it (CAPACITY_CHANGED). Returns KA's new capacity.
  int64_t ChangeCapacityAtKa(const License& license) {
    keyadmin::v1::ChangeKeyRequest change;
    change.set_key_number(license.key_number());
    change.set_capacity(license.capacity() + 7);
    keyadmin::v1::ChangeKeyResponse changed;
    grpc::Status status = ka_admin_->ChangeKey(Context().get(), change, &changed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return change.capacity();
  }

  void SetKaLatency(int latency_ms) {
    keyadmin::v1::SetFaultsRequest faults;
    faults.set_latency_ms(latency_ms);
    keyadmin::v1::SetFaultsResponse ignored;
    grpc::Status status = ka_admin_->SetFaults(Context().get(), faults, &ignored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // `python3 sync_client.py --address <address_> <args>`. The child's
  // environment is pinned: only the build's stubs and Debian's packages
  // are importable (no user site), and no token comes from the test's own
  // environment unless `env` gives one.
  ProgramOutput RunClient(const std::vector<std::string>& args,
                          std::vector<std::pair<std::string, std::string>> env = {}) {
    harness::ProgramRun run{.binary = LSS_SYSTEM_PYTHON,
                            .args = {LSS_PYTHON_SYNC_CLIENT, "--address", address_},
                            .env = {{"PYTHONPATH", LSS_PYTHON_STUBS_DIR},
                                    {"PYTHONNOUSERSITE", "1"},
                                    {"PYTHONDONTWRITEBYTECODE", "1"}}};
    run.args.insert(run.args.end(), args.begin(), args.end());
    if (std::none_of(env.begin(), env.end(), [](const auto& var) { return var.first == "LICENSE_SYNC_TOKEN"; })) {
      env.emplace_back("LICENSE_SYNC_TOKEN", "");
    }
    run.env.insert(run.env.end(), env.begin(), env.end());
    absl::StatusOr<ProgramOutput> output = harness::RunProgram(run);
    EXPECT_TRUE(output.ok()) << output.status();
    return output.ok() ? *std::move(output) : ProgramOutput{ExitStatus::Exited(-1), "", ""};
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
  // Where the client is pointed; port 1 (nothing listens) until a server
  // starts.
  std::string address_ = "127.0.0.1:1";
};

TEST_F(PythonClientTest, UnchangedKeyIsInSyncAndExitsZero) {
  StartServer();
  const std::vector<License> licenses = ImportAll();
  ASSERT_FALSE(licenses.empty());
  const License& license = licenses.front();

  const ProgramOutput run = RunClient({"sync", "--key-number", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << Transcript(run);
  EXPECT_EQ(Lines(run.out), (std::vector<std::string>{
                                absl::StrCat(license.key_number(), " (License ID ", license.license_id(), ")"),
                                "In Sync"}))
      << Transcript(run);
  EXPECT_EQ(run.err, "");

  // By License ID too.
  const ProgramOutput by_id = RunClient({"sync", "--license-id", absl::StrCat(license.license_id())});
  EXPECT_EQ(by_id.status, ExitStatus::Exited(0)) << Transcript(by_id);
  EXPECT_EQ(run.out, by_id.out);
}

TEST_F(PythonClientTest, KeyChangedAtKaIsNotInSyncWithItsMismatchAndExitsThree) {
  StartServer();
  const std::vector<License> licenses = ImportAll();
  ASSERT_FALSE(licenses.empty());
  const License& license = licenses.back();
  const int64_t ka_capacity = ChangeCapacityAtKa(license);

  const ProgramOutput run = RunClient({"sync", "--key-number", license.key_number()});
  EXPECT_EQ(run.status, ExitStatus::Exited(3)) << Transcript(run);
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << Transcript(run);
  EXPECT_TRUE(absl::StartsWith(lines[1], "Not In Sync")) << lines[1];
  EXPECT_EQ(lines[2], absl::StrCat("  - CAPACITY_CHANGED: billing ", license.capacity(), ", KA ", ka_capacity));
}

TEST_F(PythonClientTest, UnknownKeyFailsWithTheReasonAndExitsOne) {
  StartServer();
  ImportAll();

  const ProgramOutput run = RunClient({"sync", "--key-number", "PLSK.99999999.0001"});
  EXPECT_EQ(run.status, ExitStatus::Exited(1)) << Transcript(run);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StartsWith(run.err, "error: NOT_FOUND: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "\n  reason: LICENSE_NOT_FOUND\n")) << run.err;
}

TEST_F(PythonClientTest, MalformedKeyNamesTheFieldFromBadRequest) {
  StartServer();

  const ProgramOutput run = RunClient({"sync", "--key-number", "PLSK-12345"});
  EXPECT_EQ(run.status, ExitStatus::Exited(1)) << Transcript(run);
  EXPECT_TRUE(absl::StartsWith(run.err, "error: INVALID_ARGUMENT: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "\n  reason: MALFORMED_KEY_NUMBER\n")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "\n  field key_number: ")) << run.err;
}

TEST_F(PythonClientTest, SyncAllPrintsProgressAndASummaryOfEveryLicense) {
  // Small pages, frequent progress and a slow KA: the job lasts long enough
  // (a few pages of 40 ms) to stream progress before its final event.
  StartServer({"--progress-interval=20ms", "--sync-chunk-size=3", "--ka-page-size=3", "--sync-poll-interval=50ms"});
  const std::vector<License> licenses = ImportAll();
  ASSERT_EQ(licenses.size(), static_cast<size_t>(kSeedKeys));
  ChangeCapacityAtKa(licenses[1]);
  SetKaLatency(40);

  const ProgramOutput run = RunClient({"sync-all"});
  EXPECT_EQ(run.status, ExitStatus::Exited(0)) << Transcript(run);
  EXPECT_EQ(run.err, "");

  const std::vector<std::string> progress = LinesStartingWith(run.out, "progress: job ");
  ASSERT_GE(progress.size(), 2u) << Transcript(run);
  const std::vector<std::string> summary = LinesStartingWith(run.out, "summary: job ");
  ASSERT_EQ(summary.size(), 1u) << Transcript(run);
  EXPECT_EQ(Lines(run.out).back(), summary[0]) << "the summary comes last";
  EXPECT_EQ(Lines(run.out).size(), progress.size() + 1) << Transcript(run);

  // One job throughout, its last event the complete count.
  const std::string job_id = std::vector<std::string>(absl::StrSplit(progress.front(), ' ')).at(2);
  for (const std::string& line : progress) {
    EXPECT_TRUE(absl::StartsWith(line, absl::StrCat("progress: job ", job_id, " "))) << line;
  }
  EXPECT_TRUE(absl::StrContains(progress.back(), absl::StrCat(" SUCCEEDED, ", kSeedKeys, "/", kSeedKeys,
                                                              " processed: ", kSeedKeys - 1,
                                                              " In Sync, 1 Not In Sync, 0 errors, 0 skipped")))
      << progress.back();
  EXPECT_EQ(summary[0], absl::StrCat("summary: job ", job_id, " SUCCEEDED, ", kSeedKeys, " of ", kSeedKeys,
                                     " licenses: ", kSeedKeys - 1, " In Sync, 1 Not In Sync, 0 errors, 0 skipped"));
  // Some event came while the job ran.
  EXPECT_TRUE(absl::StrContains(progress.front(), " RUNNING, ")) << progress.front();

  // The job the client reported is the server's.
  licensing::v1::GetSyncJobRequest get;
  get.set_job_id(job_id);
  licensing::v1::GetSyncJobResponse job;
  ASSERT_TRUE(stub_->GetSyncJob(Context().get(), get, &job).ok());
  EXPECT_EQ(job.job().progress().not_in_sync(), 1);
}

// The connection options an internal service needs in production: TLS with
// its CA, and a bearer token (from the environment, off the command line).
TEST_F(PythonClientTest, TlsAndTokenReachASecuredServer) {
  absl::StatusOr<harness::TestCertificates> certs = harness::TestCertificates::Create(stack_->path());
  ASSERT_TRUE(certs.ok()) << certs.status();
  const std::string tokens = absl::StrCat(stack_->path(), "/tokens");
  std::ofstream(tokens) << Sha256Hex(kOperatorToken) << " python-example operator\n";
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      harness::TlsChannelCredentials(certs->ca_cert);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  StartServer({"--tls_cert_file", certs->server_cert, "--tls_key_file", certs->server_key,
               absl::StrCat("--auth_tokens_file=", tokens)},
              *credentials);
  const std::vector<License> licenses = ImportAll(kOperatorToken);
  ASSERT_FALSE(licenses.empty());
  const std::vector<std::string> sync = {"--tls-ca-file", certs->ca_cert, "sync", "--key-number",
                                         licenses.front().key_number()};

  const ProgramOutput secured = RunClient(sync, {{"LICENSE_SYNC_TOKEN", kOperatorToken}});
  EXPECT_EQ(secured.status, ExitStatus::Exited(0)) << Transcript(secured);
  EXPECT_EQ(Lines(secured.out), (std::vector<std::string>{absl::StrCat(licenses.front().key_number(), " (License ID ",
                                                                      licenses.front().license_id(), ")"),
                                                         "In Sync"}))
      << Transcript(secured);

  const ProgramOutput no_token = RunClient(sync);
  EXPECT_EQ(no_token.status, ExitStatus::Exited(1)) << Transcript(no_token);
  EXPECT_TRUE(absl::StartsWith(no_token.err, "error: UNAUTHENTICATED: ")) << no_token.err;
  EXPECT_TRUE(absl::StrContains(no_token.err, "hint: no token was sent")) << no_token.err;

  // Plaintext to a TLS-only server never gets an answer from it.
  const ProgramOutput plaintext = RunClient({"--timeout", "10", "sync", "--key-number", licenses.front().key_number()},
                                            {{"LICENSE_SYNC_TOKEN", kOperatorToken}});
  EXPECT_EQ(plaintext.status, ExitStatus::Exited(1)) << Transcript(plaintext);
  EXPECT_TRUE(absl::StartsWith(plaintext.err, "error: UNAVAILABLE: ")) << plaintext.err;
}

TEST_F(PythonClientTest, UnreachableServerIsAnErrorWithAHint) {
  const ProgramOutput run = RunClient({"--timeout", "10", "sync", "--license-id", "1"});
  EXPECT_EQ(run.status, ExitStatus::Exited(1)) << Transcript(run);
  EXPECT_TRUE(absl::StartsWith(run.err, "error: UNAVAILABLE: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "hint: is license-server running at 127.0.0.1:1?")) << run.err;
}

TEST_F(PythonClientTest, BadUsageExitsTwo) {
  const ProgramOutput neither = RunClient({"sync"});
  EXPECT_EQ(neither.status, ExitStatus::Exited(2)) << Transcript(neither);
  const ProgramOutput half_pair = RunClient({"--tls-cert-file", "client.pem", "sync", "--license-id", "1"});
  EXPECT_EQ(half_pair.status, ExitStatus::Exited(2)) << Transcript(half_pair);
  EXPECT_TRUE(absl::StrContains(half_pair.err, "--tls-cert-file and --tls-key-file go together")) << half_pair.err;
}

}  // namespace
}  // namespace lss
