// TLS and mutual TLS end to end: license-server's listener, its channel to
// KA (ka-mock serving TLS), and licensectl, with certificates that the test
// makes with openssl (tests/harness/test_certificates.h). TLS sits in front
// of the database, so these run on SQLite only.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"

namespace lss {
namespace {

using harness::ExitStatus;
using harness::KaMockProcess;
using harness::LicenseServerProcess;
using harness::TestCertificates;
using licensing::v1::LicenseService;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kSeedKeys = 5;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status proto;
  if (!proto.ParseFromString(status.error_details())) return "";
  for (const auto& detail : proto.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) return info.reason();
  }
  return "";
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The base64 lines of a PEM file: any of them in a message would be a leak.
std::vector<std::string> PemBodyLines(const std::string& path) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(ReadWholeFile(path), '\n')) {
    if (line.size() >= 32 && !absl::StartsWith(line, "-----")) lines.emplace_back(line);
  }
  return lines;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("tls");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<harness::TempDir>(*std::move(dir));
    absl::StatusOr<TestCertificates> certs = TestCertificates::Create(dir_->path());
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *std::move(certs);
  }

  std::shared_ptr<grpc::ChannelCredentials> Trusting(const std::string& ca, const std::string& cert = "",
                                                     const std::string& key = "") {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        harness::TlsChannelCredentials(ca, cert, key);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.ok() ? *credentials : nullptr;
  }

  // ka-mock seeded with kSeedKeys keys, serving with `tls_flags`; the
  // harness reaches it with `credentials` (null: plaintext).
  void StartKaMock(std::vector<std::string> tls_flags = {},
                   std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr) {
    absl::StatusOr<std::unique_ptr<KaMockProcess>> ka =
        KaMockProcess::Start({.seed_keys = kSeedKeys,
                              .extra_args = std::move(tls_flags),
                              .work_dir = dir_->path(),
                              .channel_credentials = std::move(credentials)});
    ASSERT_TRUE(ka.ok()) << ka.status();
    ka_ = *std::move(ka);
  }

  // license-server over the SQLite file of this test and the running
  // ka-mock, with `extra_args` (TLS flags).
  harness::LicenseServerOptions ServerOptions(std::vector<std::string> extra_args,
                                              std::shared_ptr<grpc::ChannelCredentials> credentials) {
    return {.db = absl::StrCat("sqlite:", dir_->path(), "/licenses.db"),
            .ka_address = ka_ != nullptr ? ka_->address() : "127.0.0.1:1",
            .extra_args = std::move(extra_args),
            .work_dir = dir_->path(),
            .channel_credentials = std::move(credentials)};
  }

  void StartServer(std::vector<std::string> extra_args,
                   std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr) {
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server =
        LicenseServerProcess::Start(ServerOptions(std::move(extra_args), std::move(credentials)));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // The error of a license-server that must refuse to start.
  std::string RefusalOf(std::vector<std::string> extra_args) {
    harness::LicenseServerOptions options = ServerOptions(std::move(extra_args), nullptr);
    options.startup_timeout = absl::Seconds(20);
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    EXPECT_FALSE(server.ok()) << "license-server started";
    return server.ok() ? "" : std::string(server.status().message());
  }

  std::vector<std::string> ServerTlsFlags() const {
    return {"--tls_cert_file", certs_.server_cert, "--tls_key_file", certs_.server_key};
  }

  static grpc::Status ImportAll(LicenseService::Stub& stub, licensing::v1::ImportLicensesResponse* response) {
    return stub.ImportLicenses(Context().get(), {}, response);
  }

  static grpc::Status List(LicenseService::Stub& stub, licensing::v1::ListLicensesResponse* response) {
    return stub.ListLicenses(Context().get(), {}, response);
  }

  // Import, list and get over `stub`: what a trusted client must be able to do.
  static void ExpectCallsWork(LicenseService::Stub& stub) {
    licensing::v1::ImportLicensesResponse imported;
    grpc::Status status = ImportAll(stub, &imported);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(imported.failed(), 0);
    licensing::v1::ListLicensesResponse listed;
    status = List(stub, &listed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_FALSE(listed.licenses().empty());
    licensing::v1::GetLicenseRequest get;
    get.set_key_number(listed.licenses(0).key_number());
    licensing::v1::GetLicenseResponse got;
    status = stub.GetLicense(Context().get(), get, &got);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(got.license().key_number(), listed.licenses(0).key_number());
  }

  // A call over `channel` that must not get through the handshake.
  static grpc::Status ListOver(const std::shared_ptr<grpc::Channel>& channel) {
    licensing::v1::ListLicensesResponse listed;
    return List(*LicenseService::NewStub(channel), &listed);
  }

  // Runs licensectl to completion; its exit status and everything it wrote.
  std::pair<ExitStatus, std::string> RunLicensectl(std::vector<std::string> args,
                                                   std::vector<std::pair<std::string, std::string>> env = {}) {
    absl::StatusOr<std::unique_ptr<harness::ChildProcess>> licensectl =
        harness::ChildProcess::Start({.binary = LICENSECTL_PATH,
                                      .args = std::move(args),
                                      .env = std::move(env),
                                      .log_dir = dir_->path(),
                                      .name = absl::StrCat("licensectl-", ++licensectl_runs_)});
    if (!licensectl.ok()) {
      ADD_FAILURE() << licensectl.status();
      return {ExitStatus::Exited(-1), ""};
    }
    absl::StatusOr<ExitStatus> ended = (*licensectl)->WaitForExit(absl::Seconds(60));
    if (!ended.ok()) {
      ADD_FAILURE() << ended.status();
      return {ExitStatus::Exited(-1), ""};
    }
    return {*ended, ReadWholeFile((*licensectl)->log_path())};
  }

  std::unique_ptr<harness::TempDir> dir_;
  TestCertificates certs_;
  std::unique_ptr<KaMockProcess> ka_;
  std::unique_ptr<LicenseServerProcess> server_;
  int licensectl_runs_ = 0;
};

// (a) TLS on the listener.

TEST_F(TlsTest, ClientTrustingTheCaCallsTheTlsServer) {
  StartKaMock();
  StartServer(ServerTlsFlags(), Trusting(certs_.ca_cert));
  ExpectCallsWork(*LicenseService::NewStub(server_->NewChannel()));
}

TEST_F(TlsTest, ClientTrustingAnotherCaIsUnavailable) {
  StartKaMock();
  StartServer(ServerTlsFlags(), Trusting(certs_.ca_cert));
  grpc::Status status = ListOver(server_->NewChannel(Trusting(certs_.wrong_ca_cert)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(TlsTest, PlaintextClientFailsAgainstTheTlsServer) {
  StartKaMock();
  StartServer(ServerTlsFlags(), Trusting(certs_.ca_cert));
  grpc::Status status = ListOver(server_->NewChannel(grpc::InsecureChannelCredentials()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

// (b) Mutual TLS on the listener.

TEST_F(TlsTest, MutualTlsAdmitsOnlyClientsWithACertificateFromItsCa) {
  StartKaMock();
  std::vector<std::string> flags = ServerTlsFlags();
  flags.insert(flags.end(), {"--tls_client_ca_file", certs_.ca_cert});
  StartServer(flags, Trusting(certs_.ca_cert, certs_.client_cert, certs_.client_key));

  grpc::Status no_certificate = ListOver(server_->NewChannel(Trusting(certs_.ca_cert)));
  EXPECT_EQ(no_certificate.error_code(), grpc::StatusCode::UNAVAILABLE) << no_certificate.error_message();

  grpc::Status wrong_ca = ListOver(
      server_->NewChannel(Trusting(certs_.ca_cert, certs_.wrong_client_cert, certs_.wrong_client_key)));
  EXPECT_EQ(wrong_ca.error_code(), grpc::StatusCode::UNAVAILABLE) << wrong_ca.error_message();

  ExpectCallsWork(*LicenseService::NewStub(server_->NewChannel()));
}

// (c) license-server to KA over TLS and mutual TLS.

TEST_F(TlsTest, ImportAndSyncWorkOverTlsToKa) {
  StartKaMock(ServerTlsFlags(), Trusting(certs_.ca_cert));
  StartServer({"--ka_tls_ca_file", certs_.ca_cert});
  auto stub = LicenseService::NewStub(server_->NewChannel());
  ExpectCallsWork(*stub);

  licensing::v1::ListLicensesResponse listed;
  ASSERT_TRUE(List(*stub, &listed).ok());
  ASSERT_FALSE(listed.licenses().empty());
  licensing::v1::SyncLicenseRequest sync;
  sync.set_key_number(listed.licenses(0).key_number());
  licensing::v1::SyncLicenseResponse synced;
  grpc::Status status = stub->SyncLicense(Context().get(), sync, &synced);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(synced.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
}

TEST_F(TlsTest, ImportAndSyncWorkOverMutualTlsToKa) {
  std::vector<std::string> ka_flags = ServerTlsFlags();
  ka_flags.insert(ka_flags.end(), {"--tls_client_ca_file", certs_.ca_cert});
  StartKaMock(ka_flags, Trusting(certs_.ca_cert, certs_.client_cert, certs_.client_key));
  StartServer({"--ka_tls_ca_file", certs_.ca_cert, "--ka_tls_cert_file", certs_.client_cert, "--ka_tls_key_file",
               certs_.client_key});
  auto stub = LicenseService::NewStub(server_->NewChannel());
  ExpectCallsWork(*stub);

  licensing::v1::ListLicensesResponse listed;
  ASSERT_TRUE(List(*stub, &listed).ok());
  ASSERT_FALSE(listed.licenses().empty());
  for (const licensing::v1::License& license : listed.licenses()) {
    licensing::v1::SyncLicenseRequest sync;
    sync.set_license_id(license.license_id());
    licensing::v1::SyncLicenseResponse synced;
    grpc::Status status = stub->SyncLicense(Context().get(), sync, &synced);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(synced.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << license.key_number();
  }
}

// --ka_tls_server_name replaces the address's host in the certificate check:
// KA's certificate names localhost, not another.example.
TEST_F(TlsTest, KaCertificateIsCheckedAgainstTheServerNameOverride) {
  StartKaMock(ServerTlsFlags(), Trusting(certs_.ca_cert));
  StartServer({"--ka_tls_ca_file", certs_.ca_cert, "--ka_tls_server_name", "localhost"});
  licensing::v1::ImportLicensesResponse imported;
  grpc::Status status = ImportAll(*LicenseService::NewStub(server_->NewChannel()), &imported);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(server_->Stop(), ExitStatus::Exited(0));

  StartServer({"--ka_tls_ca_file", certs_.ca_cert, "--ka_tls_server_name", "another.example"});
  status = ImportAll(*LicenseService::NewStub(server_->NewChannel()), &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "KEY_ADMINISTRATOR_UNAVAILABLE") << status.error_message();
}

TEST_F(TlsTest, KaRequiringAClientCertificateRefusesAServerWithoutOne) {
  std::vector<std::string> ka_flags = ServerTlsFlags();
  ka_flags.insert(ka_flags.end(), {"--tls_client_ca_file", certs_.ca_cert});
  StartKaMock(ka_flags, Trusting(certs_.ca_cert, certs_.client_cert, certs_.client_key));
  StartServer({"--ka_tls_ca_file", certs_.ca_cert});
  licensing::v1::ImportLicensesResponse imported;
  grpc::Status status = ImportAll(*LicenseService::NewStub(server_->NewChannel()), &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "KEY_ADMINISTRATOR_UNAVAILABLE") << status.error_message();
}

TEST_F(TlsTest, SyncWithKaSignedByAnUntrustedCaIsUnavailableAndLeaksNothing) {
  StartKaMock(ServerTlsFlags(), Trusting(certs_.ca_cert));
  // Licenses imported while the server still trusted KA's CA...
  StartServer({"--ka_tls_ca_file", certs_.ca_cert, "--ka_tls_cert_file", certs_.client_cert, "--ka_tls_key_file",
               certs_.client_key});
  licensing::v1::ImportLicensesResponse imported;
  ASSERT_TRUE(ImportAll(*LicenseService::NewStub(server_->NewChannel()), &imported).ok());
  ASSERT_GT(imported.imported(), 0);
  licensing::v1::ListLicensesResponse listed;
  ASSERT_TRUE(List(*LicenseService::NewStub(server_->NewChannel()), &listed).ok());
  ASSERT_FALSE(listed.licenses().empty());
  EXPECT_EQ(server_->Stop(), ExitStatus::Exited(0));

  // ...then synced by one that trusts another CA.
  StartServer({"--ka_tls_ca_file", certs_.wrong_ca_cert, "--ka_tls_cert_file", certs_.client_cert,
               "--ka_tls_key_file", certs_.client_key});
  auto stub = LicenseService::NewStub(server_->NewChannel());
  licensing::v1::SyncLicenseRequest sync;
  sync.set_key_number(listed.licenses(0).key_number());
  licensing::v1::SyncLicenseResponse synced;
  grpc::Status status = stub->SyncLicense(Context().get(), sync, &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "KEY_ADMINISTRATOR_UNAVAILABLE");

  licensing::v1::GetLicenseRequest get;
  get.set_key_number(listed.licenses(0).key_number());
  licensing::v1::GetLicenseResponse got;
  ASSERT_TRUE(stub->GetLicense(Context().get(), get, &got).ok());
  EXPECT_NE(got.license().last_sync_error(), "") << "the failed attempt is recorded";

  // Nothing secret in the error, its details, the recorded sync error or
  // the server's log.
  const std::string told = absl::StrCat(status.error_message(), "\n", status.error_details(), "\n",
                                        got.license().last_sync_error(), "\n", server_->LogTail(1000));
  EXPECT_THAT(told, Not(HasSubstr("-----BEGIN")));
  EXPECT_THAT(told, Not(HasSubstr(harness::kKaMockDefaultPassword)));
  for (const std::string& file : {certs_.client_key, certs_.client_cert, certs_.wrong_ca_cert, certs_.ca_cert}) {
    for (const std::string& line : PemBodyLines(file)) EXPECT_THAT(told, Not(HasSubstr(line))) << file;
  }
}

// Bad settings stop the server before it listens, naming the flag and file.

TEST_F(TlsTest, LicenseServerRefusesToStartWithBadTlsSettings) {
  const std::string not_pem = dir_->Join("not-a-key.pem");
  std::ofstream(not_pem) << "not-a-pem-SECRET-VALUE\n";
  chmod(not_pem.c_str(), 0600);  // a key's mode, so that its contents are what is refused
  const std::string missing = dir_->Join("no-such-file.pem");
  struct Case {
    std::vector<std::string> flags;
    std::string says;
  };
  const Case cases[] = {
      {{"--tls_cert_file", certs_.server_cert}, "--tls_key_file is missing"},
      {{"--tls_key_file", certs_.server_key}, "--tls_cert_file is missing"},
      {{"--tls_cert_file", certs_.server_cert, "--tls_key_file", missing},
       absl::StrCat("cannot read --tls_key_file ", missing)},
      {{"--tls_cert_file", certs_.server_cert, "--tls_key_file", not_pem},
       absl::StrCat("--tls_key_file ", not_pem, " holds no PEM block")},
      {{"--tls_cert_file", certs_.server_cert, "--tls_key_file", certs_.client_key},
       "(is --tls_key_file the key of --tls_cert_file?)"},
      {{"--tls_client_ca_file", certs_.ca_cert}, "--tls_client_ca_file needs --tls_cert_file"},
      {{"--ka_tls_cert_file", certs_.client_cert}, "--ka_tls_key_file is missing"},
      {{"--ka_tls_ca_file", missing}, absl::StrCat("cannot read --ka_tls_ca_file ", missing)},
      {{"--ka_tls_ca_file", certs_.ca_cert, "--ka_tls_cert_file", certs_.client_cert, "--ka_tls_key_file", not_pem},
       absl::StrCat("--ka_tls_key_file ", not_pem, " holds no PEM block")},
  };
  for (const Case& c : cases) {
    const std::string refusal = RefusalOf(c.flags);
    EXPECT_THAT(refusal, HasSubstr(c.says)) << absl::StrJoin(c.flags, " ");
    EXPECT_THAT(refusal, Not(HasSubstr("SECRET"))) << absl::StrJoin(c.flags, " ");
  }
}

TEST_F(TlsTest, KaMockRefusesHalfATlsPair) {
  absl::StatusOr<std::unique_ptr<KaMockProcess>> ka =
      KaMockProcess::Start({.extra_args = {"--tls_cert_file", certs_.server_cert},
                            .work_dir = dir_->path(),
                            .startup_timeout = absl::Seconds(20)});
  ASSERT_FALSE(ka.ok());
  EXPECT_THAT(ka.status().message(), HasSubstr("--tls_key_file is missing"));
}

// (d) licensectl against the TLS server.

TEST_F(TlsTest, LicensectlListsOverTlsWithTheCaFromFlagOrEnvironment) {
  StartKaMock();
  StartServer(ServerTlsFlags(), Trusting(certs_.ca_cert));
  licensing::v1::ImportLicensesResponse imported;
  ASSERT_TRUE(ImportAll(*LicenseService::NewStub(server_->NewChannel()), &imported).ok());
  licensing::v1::ListLicensesResponse listed;
  ASSERT_TRUE(List(*LicenseService::NewStub(server_->NewChannel()), &listed).ok());
  ASSERT_FALSE(listed.licenses().empty());
  const std::string key_number = listed.licenses(0).key_number();

  auto [by_flag, flag_output] =
      RunLicensectl({"--address", server_->address(), "--tls_ca_file", certs_.ca_cert, "list", "--json"});
  EXPECT_EQ(by_flag, ExitStatus::Exited(0)) << flag_output;
  EXPECT_THAT(flag_output, HasSubstr(key_number));

  auto [by_environment, environment_output] =
      RunLicensectl({"list", "--json"}, {{"LICENSECTL_ADDRESS", server_->address()},
                                         {"LICENSECTL_TLS_CA_FILE", certs_.ca_cert}});
  EXPECT_EQ(by_environment, ExitStatus::Exited(0)) << environment_output;
  EXPECT_THAT(environment_output, HasSubstr(key_number));

  auto [plaintext, plaintext_output] = RunLicensectl({"--address", server_->address(), "list"});
  EXPECT_EQ(plaintext, ExitStatus::Exited(1)) << plaintext_output;

  auto [wrong_ca, wrong_ca_output] =
      RunLicensectl({"--address", server_->address(), "--tls-ca-file", certs_.wrong_ca_cert, "list"});
  EXPECT_EQ(wrong_ca, ExitStatus::Exited(1)) << wrong_ca_output;
}

TEST_F(TlsTest, LicensectlPresentsItsClientCertificateToTheMutualTlsServer) {
  StartKaMock();
  std::vector<std::string> flags = ServerTlsFlags();
  flags.insert(flags.end(), {"--tls_client_ca_file", certs_.ca_cert});
  StartServer(flags, Trusting(certs_.ca_cert, certs_.client_cert, certs_.client_key));

  auto [with_certificate, output] = RunLicensectl({"--address", server_->address(), "list", "--json"},
                                                  {{"LICENSECTL_TLS_CA_FILE", certs_.ca_cert},
                                                   {"LICENSECTL_TLS_CERT_FILE", certs_.client_cert},
                                                   {"LICENSECTL_TLS_KEY_FILE", certs_.client_key}});
  EXPECT_EQ(with_certificate, ExitStatus::Exited(0)) << output;

  auto [without_certificate, refused_output] =
      RunLicensectl({"--address", server_->address(), "--tls_ca_file", certs_.ca_cert, "list"});
  EXPECT_EQ(without_certificate, ExitStatus::Exited(1)) << refused_output;
}

}  // namespace
}  // namespace lss
