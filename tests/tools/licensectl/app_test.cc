// licensectl end to end within the process: the real argument handling,
// connection and printing against an in-process fake LicenseService on
// 127.0.0.1:0 that answers from canned data, hostile strings included.
// (Tests against the real license-server live with the integration tests.)
#include "licensectl/app.h"

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "scratch_files.h"
#include "terminal_safety.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using licensing::v1::License;
using testing::IsTerminalSafe;

License MakeLicense(int64_t id, licensing::v1::SyncStatus status) {
  License license;
  license.set_license_id(id);
  license.set_key_number(absl::StrCat("PLSK.0000000", id, ".0000"));
  license.set_license_class("PLESK_WEB_PRO");
  license.set_capacity(100);
  license.set_state(licensing::v1::LICENSE_STATE_ACTIVE);
  license.set_sync_status(status);
  if (status == licensing::v1::SYNC_STATUS_NOT_IN_SYNC) {
    auto* mismatch = license.add_mismatches();
    mismatch->set_kind(licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED);
    mismatch->set_billing_value("100");
    mismatch->set_ka_value("300");
    license.set_sync_message("Not In Sync: capacity changed (billing 100, KA 300)");
  } else {
    license.set_sync_message("In Sync");
  }
  return license;
}

grpc::Status LicenseNotFound() {
  google::rpc::ErrorInfo info;
  info.set_reason("LICENSE_NOT_FOUND");
  info.set_domain("licensing.v1");
  google::rpc::Status rich;
  rich.set_code(grpc::StatusCode::NOT_FOUND);
  rich.set_message("no license with this License ID");
  rich.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::NOT_FOUND, rich.message(), rich.SerializeAsString());
}

// What a hostile server (or KA through it) could send to take over the
// operator's terminal: a screen clear, a title change (OSC ... BEL), a C1
// CSI (U+009B), a carriage return that rewrites the line, a newline that
// forges one. Proto strings are UTF-8 by contract (the client refuses
// others), so invalid UTF-8 comes in the error message instead.
License HostileLicense() {
  License license = MakeLicense(66, licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  license.set_key_number("PLSK.66\x1b[2J");
  license.set_license_class("PLESK\x1b]0;owned\x07WEB");
  license.set_sync_message("Not In Sync: capacity\rIn Sync      ");
  license.mutable_mismatches(0)->set_ka_value("300\xc2\x9b" "2J\nIn Sync");
  return license;
}

grpc::Status HostileError() {
  google::rpc::ErrorInfo info;
  info.set_reason("LICENSE_NOT_FOUND\x1b[2J");
  (*info.mutable_metadata())["detail"] = "\x1b]52;c;b3duZWQ=\x07";
  google::rpc::Status rich;
  rich.set_code(grpc::StatusCode::NOT_FOUND);
  rich.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "no license \x1b[2J\xff\xfe\xc2\x9b" "31m here",
                      rich.SerializeAsString());
}

// Licenses 7 (Not In Sync) and 8 (In Sync); 9 for listings; 66 and the
// prefix "HOSTILE" the hostile license, 666 the hostile error; the rest
// unknown.
class FakeLicenseService final : public licensing::v1::LicenseService::Service {
 public:
  grpc::Status GetLicense(grpc::ServerContext* context, const licensing::v1::GetLicenseRequest* request,
                          licensing::v1::GetLicenseResponse* response) override {
    RecordAuthorization(*context);
    if (request->license_id() == 7 || request->key_number() == "PLSK.00000007") {
      *response->mutable_license() = MakeLicense(7, licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
      return grpc::Status::OK;
    }
    if (request->license_id() == 66) {
      *response->mutable_license() = HostileLicense();
      return grpc::Status::OK;
    }
    if (request->license_id() == 666) return HostileError();
    return LicenseNotFound();
  }

  grpc::Status SyncLicense(grpc::ServerContext* context, const licensing::v1::SyncLicenseRequest* request,
                           licensing::v1::SyncLicenseResponse* response) override {
    RecordAuthorization(*context);
    switch (request->license_id()) {
      case 7: *response->mutable_license() = MakeLicense(7, licensing::v1::SYNC_STATUS_NOT_IN_SYNC); break;
      case 8: *response->mutable_license() = MakeLicense(8, licensing::v1::SYNC_STATUS_IN_SYNC); break;
      case 66: *response->mutable_license() = HostileLicense(); break;
      default: return LicenseNotFound();
    }
    return grpc::Status::OK;
  }

  // Pages of licenses 7, 8, 9; the token is the index of the next license.
  grpc::Status ListLicenses(grpc::ServerContext* context, const licensing::v1::ListLicensesRequest* request,
                            licensing::v1::ListLicensesResponse* response) override {
    RecordAuthorization(*context);
    {
      absl::MutexLock lock(&mutex_);
      last_list_request_ = *request;
    }
    if (request->filter().key_number_prefix() == "HOSTILE") {
      *response->add_licenses() = MakeLicense(7, licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
      *response->add_licenses() = HostileLicense();
      return grpc::Status::OK;
    }
    const std::vector<License> all = {MakeLicense(7, licensing::v1::SYNC_STATUS_NOT_IN_SYNC),
                                      MakeLicense(8, licensing::v1::SYNC_STATUS_IN_SYNC),
                                      MakeLicense(9, licensing::v1::SYNC_STATUS_IN_SYNC)};
    size_t start = 0;
    if (!request->page_token().empty()) start = std::stoul(request->page_token());
    const size_t size = request->page_size() == 0 ? all.size() : static_cast<size_t>(request->page_size());
    const size_t end = std::min(all.size(), start + size);
    for (size_t i = start; i < end; ++i) *response->add_licenses() = all[i];
    if (end < all.size()) response->set_next_page_token(std::to_string(end));
    return grpc::Status::OK;
  }

  std::string last_authorization() {
    absl::MutexLock lock(&mutex_);
    return last_authorization_;
  }
  licensing::v1::ListLicensesRequest last_list_request() {
    absl::MutexLock lock(&mutex_);
    return last_list_request_;
  }

 private:
  void RecordAuthorization(const grpc::ServerContext& context) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find("authorization");
    absl::MutexLock lock(&mutex_);
    last_authorization_ = it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  absl::Mutex mutex_;
  std::string last_authorization_ ABSL_GUARDED_BY(mutex_);
  licensing::v1::ListLicensesRequest last_list_request_ ABSL_GUARDED_BY(mutex_);
};

struct Outcome {
  ExitCode code;
  std::string out;
  std::string err;
};

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  // licensectl with `args`, against the fake server, with `environment`
  // as the whole environment.
  Outcome Licensectl(std::vector<std::string> args, const std::map<std::string, std::string>& environment = {}) {
    args.insert(args.begin(), {"--address", absl::StrCat("127.0.0.1:", port_)});
    return LicensectlAsIs(args, environment);
  }
  static Outcome LicensectlAsIs(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& environment = {}) {
    std::ostringstream out;
    std::ostringstream err;
    const ExitCode code = RunLicensectl(
        args,
        [&](absl::string_view name) -> absl::optional<std::string> {
          auto it = environment.find(std::string(name));
          if (it == environment.end()) return absl::nullopt;
          return it->second;
        },
        out, err);
    return {code, out.str(), err.str()};
  }

  FakeLicenseService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(AppTest, ToolHelpListsCommandsOptionsAndExitCodes) {
  const Outcome run = LicensectlAsIs({"--help"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_THAT(run.out, AllOf(HasSubstr("\n  get "), HasSubstr("\n  list "), HasSubstr("\n  sync "),
                             HasSubstr("--address HOST:PORT"), HasSubstr("--timeout SECONDS"),
                             HasSubstr("--tls-ca-file FILE"), HasSubstr("LICENSECTL_TLS_CA_FILE"),
                             HasSubstr("Exit codes"), HasSubstr("3  sync: the license is Not In Sync")));
  EXPECT_THAT(run.err, IsEmpty());
}

TEST_F(AppTest, CommandHelpShowsItsUsageAndOptions) {
  const Outcome run = LicensectlAsIs({"list", "--help"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_THAT(run.out, AllOf(HasSubstr("Usage: licensectl list"), HasSubstr("--page-token TOKEN"),
                             HasSubstr("Global options: --address HOST:PORT")));
}

TEST_F(AppTest, UsageErrorsExit2WithTheUsageOnStderr) {
  Outcome run = LicensectlAsIs({});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: no command given"), HasSubstr("Usage: licensectl")));

  run = LicensectlAsIs({"frobnicate"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("error: unknown command 'frobnicate'"));

  run = LicensectlAsIs({"get", "--colour", "red"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr("unknown option --colour"), HasSubstr("Usage: licensectl get")));

  run = Licensectl({"get"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("which license?"));

  run = Licensectl({"--tls-ca-file", "/no/such/ca.pem", "list"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("cannot read --tls-ca-file /no/such/ca.pem"));

  run = Licensectl({"--tls_cert_file", "/no/such/cert.pem", "list"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--tls-key-file (or LICENSECTL_TLS_KEY_FILE) is missing"));

  run = Licensectl({"--tls-key-file", "/no/such/client.key", "list"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--tls-cert-file and --tls-key-file go together: --tls-cert-file"));

  run = Licensectl({"list", "--status", "sideways"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--status must be one of in-sync, not-in-sync, never-synced"));

  run = Licensectl({"--timeout", "0", "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--timeout"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST_F(AppTest, GetByIdOrKeyShowsTheLicense) {
  Outcome run = Licensectl({"get", "7"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("License ID:       7\n"),
                             HasSubstr("  - CAPACITY_CHANGED: billing 100, KA 300\n")));

  run = Licensectl({"get", "PLSK.00000007"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Key number:       PLSK.00000007.0000\n"));
}

TEST_F(AppTest, TheTokenTravelsAsBearerMetadata) {
  EXPECT_EQ(Licensectl({"get", "7", "--token", "s3cret"}).code, ExitCode::kSuccess);
  EXPECT_EQ(service_.last_authorization(), "Bearer s3cret");
  EXPECT_EQ(Licensectl({"get", "7"}).code, ExitCode::kSuccess);
  EXPECT_EQ(service_.last_authorization(), "");
}

TEST_F(AppTest, TheTokenFromAFileTravelsAsBearerMetadata) {
  testing::ScratchFiles files;
  const std::string token_file = files.Write("token", "s3cret-from-file\n");
  Outcome run = Licensectl({"--token-file", token_file, "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(service_.last_authorization(), "Bearer s3cret-from-file");

  run = Licensectl({"get", "7"}, {{"LICENSECTL_TOKEN_FILE", token_file}});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_EQ(service_.last_authorization(), "Bearer s3cret-from-file");
}

TEST_F(AppTest, AnUnusableTokenFileExits2NamingItAndCallsNothing) {
  testing::ScratchFiles files;
  const std::string shared = files.Write("shared", "s3cret\n", 0644);
  Outcome run = Licensectl({"--token-file", shared, "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, AllOf(HasSubstr(absl::StrCat("error: token file ", shared,
                                                    " may be read or written by others (mode 0644)")),
                             HasSubstr("Usage: licensectl get"), Not(HasSubstr("s3cret"))));
  EXPECT_THAT(run.out, IsEmpty());

  run = Licensectl({"--token-file", files.Path("absent"), "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr(absl::StrCat("cannot read token file ", files.Path("absent"))));

  run = Licensectl({"--token", "s3cret", "--token-file", files.Write("token", "s3cret"), "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--token and --token-file both give the token"));
  EXPECT_EQ(service_.last_authorization(), "") << "no call was made";
}

TEST_F(AppTest, APlaintextTokenToARemoteAddressExits2BeforeConnecting) {
  // 192.0.2.1 (TEST-NET-1) answers no one: had licensectl called it, the
  // call would have ended after --timeout with UNAVAILABLE or
  // DEADLINE_EXCEEDED, exit 1.
  const Outcome run = LicensectlAsIs({"--address", "192.0.2.1:50051", "--token", "s3cret", "--timeout", "1", "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kUsageError) << run.err;
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: refusing to send the token in plaintext to 192.0.2.1:50051"),
                             HasSubstr("--tls-ca-file"), Not(HasSubstr("s3cret"))));
}

TEST_F(AppTest, HelpDocumentsTheTokenFileAndWhereATokenMayTravel) {
  const Outcome run = LicensectlAsIs({"--help"});
  EXPECT_THAT(run.out, AllOf(HasSubstr("--token-file FILE"), HasSubstr("LICENSECTL_TOKEN_FILE     default of --token-file"),
                             HasSubstr("only to a loopback address")));
}

// Every string a command prints from the server: in a table (list), a
// field list (get), plain lines (sync) and an error (stderr).
TEST_F(AppTest, ServerStringsArePrintedWithoutTheirControls) {
  const std::string r = "\xEF\xBF\xBD";  // U+FFFD

  Outcome run = Licensectl({"sync", "66"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync) << run.err;
  EXPECT_TRUE(IsTerminalSafe(run.out));
  EXPECT_EQ(run.out,
            "Not In Sync: capacity" + r + "In Sync      \n"
            "  - CAPACITY_CHANGED: billing 100, KA 300" + r + "2J" + r + "In Sync\n")
      << "the newline in KA's value forges no line of its own";

  run = Licensectl({"list", "--prefix", "HOSTILE"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_TRUE(IsTerminalSafe(run.out));
  EXPECT_EQ(run.out,
            "ID  KEY NUMBER          CLASS               CAPACITY  STATUS       USABLE UNTIL\n"
            " 7  PLSK.00000007.0000  PLESK_WEB_PRO            100  Not In Sync  -\n"
            "66  PLSK.66" + r + "[2J         PLESK" + r + "]0;owned" + r + "WEB       100  Not In Sync  -\n");

  run = Licensectl({"get", "66"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_TRUE(IsTerminalSafe(run.out));
  EXPECT_THAT(run.out, HasSubstr("Key number:       PLSK.66" + r + "[2J\n"));

  run = Licensectl({"get", "666"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_TRUE(IsTerminalSafe(run.err));
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: NOT_FOUND: no license " + r + "[2J" + r + r + r + "31m here\n"),
                             HasSubstr("  reason: LICENSE_NOT_FOUND" + r + "[2J\n"),
                             HasSubstr("  detail: " + r + "]52;c;b3duZWQ=" + r + "\n")));

  run = Licensectl({"--json", "sync", "66"});
  EXPECT_TRUE(IsTerminalSafe(run.out));
  licensing::v1::SyncLicenseResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  EXPECT_EQ(parsed.license().key_number(), HostileLicense().key_number()) << "--json escapes, and keeps the value";
}

TEST_F(AppTest, ServerErrorsExit1WithTheirDetailsOnStderr) {
  const Outcome run = Licensectl({"--json", "get", "404"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_EQ(run.err,
            "error: NOT_FOUND: no license with this License ID\n"
            "  reason: LICENSE_NOT_FOUND\n");
  EXPECT_THAT(run.out, IsEmpty());
}

TEST_F(AppTest, AServerThatIsNotThereExits1WithAHint) {
  const std::string address = absl::StrCat("127.0.0.1:", port_);
  server_->Shutdown();
  const Outcome run = LicensectlAsIs({"--address", address, "--timeout", "5", "get", "7"});
  EXPECT_EQ(run.code, ExitCode::kCallFailed);
  EXPECT_THAT(run.err, AllOf(HasSubstr("error: UNAVAILABLE"),
                             HasSubstr(absl::StrCat("hint: is license-server running at ", address))));
}

TEST_F(AppTest, SyncExitsByTheVerdict) {
  Outcome run = Licensectl({"sync", "7"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync);
  EXPECT_EQ(run.out,
            "Not In Sync: capacity changed (billing 100, KA 300)\n"
            "  - CAPACITY_CHANGED: billing 100, KA 300\n");

  run = Licensectl({"sync", "--id", "8"});
  EXPECT_EQ(run.code, ExitCode::kSuccess);
  EXPECT_EQ(run.out, "In Sync\n");

  run = Licensectl({"sync", "7", "--json"});
  EXPECT_EQ(run.code, ExitCode::kNotInSync) << "--json changes the output, not the exit code";
  EXPECT_THAT(run.out, HasSubstr("\"sync_status\": \"SYNC_STATUS_NOT_IN_SYNC\""));
}

TEST_F(AppTest, ListPrintsAPageAndTheWayToTheNext) {
  const Outcome run = Licensectl({"list", "--page-size", "2", "--status", "in-sync", "--prefix", "PLSK."});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("PLSK.00000007.0000"), HasSubstr("PLSK.00000008.0000"),
                             Not(HasSubstr("PLSK.00000009.0000")), HasSubstr("more: --page-token 2\n")));
  const licensing::v1::ListLicensesRequest request = service_.last_list_request();
  EXPECT_EQ(request.page_size(), 2);
  EXPECT_EQ(request.filter().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(request.filter().key_number_prefix(), "PLSK.");
}

TEST_F(AppTest, ListAllFollowsThePageTokensIntoOneDocument) {
  Outcome run = Licensectl({"list", "--all", "--page-size", "2"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("PLSK.00000009.0000"), Not(HasSubstr("more:"))));

  run = Licensectl({"--json", "list", "--all", "--page-size", "1"});
  EXPECT_EQ(run.code, ExitCode::kSuccess) << run.err;
  licensing::v1::ListLicensesResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &parsed).ok()) << run.out;
  EXPECT_EQ(parsed.licenses_size(), 3);
  EXPECT_THAT(parsed.next_page_token(), IsEmpty());
  EXPECT_THAT(run.out, HasSubstr("\"license_id\": \"7\"")) << "proto field names";
}

}  // namespace
}  // namespace licensectl
