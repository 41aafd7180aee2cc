// Who may do what, end to end: bearer tokens from a token file, every role
// against every RPC, the audit trail of changing calls, and the refusal to
// listen off loopback without TLS and tokens. Real license-server and
// ka-mock processes, on the backend this executable was built for.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/synchronization/notification.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using licensing::v1::LicenseService;

enum class Role { kNone = 0, kViewer = 1, kOperator = 2, kAdmin = 3 };

constexpr char kViewerToken[] = "viewer-token-0123";
constexpr char kOperatorToken[] = "operator-token-4567";
constexpr char kAdminToken[] = "admin-token-89ab";
// An operator of its own, so that its events are told apart from the other
// tests' by actor.
constexpr char kAuditeeToken[] = "auditee-token-7788";

// Every unary method of licensing.v1.LicenseService and the role it needs
// (issue 6, DESIGN.md §4), written out here rather than read from the
// server's table so that the test checks that table. The two streams are
// called through the typed stub below.
const struct {
  const char* method;
  Role role;
} kUnaryMethods[] = {
    {"GetLicense", Role::kViewer},         {"ListLicenses", Role::kViewer},     {"ListSyncHistory", Role::kViewer},
    {"GetSyncJob", Role::kViewer},         {"ListSyncJobs", Role::kViewer},     {"ListDailyRuns", Role::kViewer},
    {"GetUpgrade", Role::kViewer},         {"ListUpgrades", Role::kViewer},     {"SyncLicense", Role::kOperator},
    {"CancelSyncJob", Role::kOperator},    {"StartUpgrade", Role::kOperator},   {"ConfigureUpgrade", Role::kOperator},
    {"PriceUpgrade", Role::kOperator},     {"PlaceUpgradeOrder", Role::kOperator}, {"CancelUpgrade", Role::kOperator},
    {"CreateLicense", Role::kOperator},    {"ImportLicenses", Role::kOperator}, {"TerminateLicense", Role::kOperator},
    {"ListAuditEvents", Role::kAdmin}};

// What the token file lists: the token's SHA-256 in hex.
std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(std::string(reinterpret_cast<const char*>(digest), length));
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

std::unique_ptr<grpc::ClientContext> ContextAs(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

// Calls a unary method with `request` (serialized) as `token`'s holder.
grpc::Status CallAs(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                    const std::string& method, const std::string& request = "") {
  grpc::GenericStub stub(channel);
  std::unique_ptr<grpc::ClientContext> context = ContextAs(token);
  grpc::Slice slice(request);
  grpc::ByteBuffer body(&slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(context.get(), absl::StrCat("/licensing.v1.LicenseService/", method), grpc::StubOptions(), &body,
                 &response, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return status;
}

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("auth", 10);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = stack->release();
    const std::string tokens = absl::StrCat(stack_->path(), "/tokens");
    std::ofstream(tokens) << "# test tokens\n"
                          << Sha256Hex(kViewerToken) << " dashboard viewer\n"
                          << Sha256Hex(kOperatorToken) << " ops-bot operator\n"
                          << Sha256Hex(kAdminToken) << " auditor admin\n"
                          << Sha256Hex(kAuditeeToken) << " auditee operator\n";
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args.push_back(absl::StrCat("--auth_tokens_file=", tokens));
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
        harness::LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto stub = LicenseService::NewStub(server_->NewChannel());
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(stub->ImportLicenses(ContextAs(kOperatorToken).get(), {}, &imported).ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete stack_;
  }

  static IntegrationStack* stack_;
  static harness::LicenseServerProcess* server_;
};

IntegrationStack* AuthTest::stack_ = nullptr;
harness::LicenseServerProcess* AuthTest::server_ = nullptr;

// Every role against every RPC. An empty request is refused by the method
// itself (INVALID_ARGUMENT, NOT_FOUND...) only once the caller is admitted,
// so an admitted call is one that got past UNAUTHENTICATED and
// PERMISSION_DENIED.
TEST_F(AuthTest, EveryRoleAgainstEveryRpc) {
  const struct {
    std::string token;
    Role role;
  } callers[] = {{"", Role::kNone}, {"not-a-token", Role::kNone}, {kViewerToken, Role::kViewer},
                 {kOperatorToken, Role::kOperator}, {kAdminToken, Role::kAdmin}};
  auto channel = server_->NewChannel();
  for (const auto& caller : callers) {
    for (const auto& [method, needed] : kUnaryMethods) {
      // Placing or terminating something real is not this test's business:
      // an empty request names nothing. ImportLicenses with no key numbers
      // imports the account again, which finds every key present.
      const grpc::Status status = CallAs(channel, caller.token, method);
      const std::string what = absl::StrCat(method, " as ", caller.token.empty() ? "nobody" : caller.token);
      if (caller.role == Role::kNone) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
        EXPECT_EQ(ReasonOf(status), caller.token.empty() ? "TOKEN_MISSING" : "TOKEN_INVALID") << what;
      } else if (caller.role < needed) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
        EXPECT_EQ(ReasonOf(status), "ROLE_TOO_LOW") << what;
      } else {
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what << ": " << status.error_message();
      }
    }
    // The streams.
    auto stub = LicenseService::NewStub(channel);
    std::unique_ptr<grpc::ClientContext> watch_context = ContextAs(caller.token);
    licensing::v1::WatchSyncJobRequest watch;
    watch.set_job_id("job-that-does-not-exist");
    auto watcher = stub->WatchSyncJob(watch_context.get(), watch);
    licensing::v1::WatchSyncJobResponse event;
    while (watcher->Read(&event)) {
    }
    const grpc::Status watched = watcher->Finish();
    if (caller.role == Role::kNone) {
      EXPECT_EQ(watched.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    } else {
      EXPECT_EQ(watched.error_code(), grpc::StatusCode::NOT_FOUND) << watched.error_message();
    }
    std::unique_ptr<grpc::ClientContext> sync_context = ContextAs(caller.token);
    licensing::v1::SyncAllRequest sync_all;
    sync_all.mutable_scope()->set_license_class("NO_SUCH_CLASS");
    auto syncer = stub->SyncAll(sync_context.get(), sync_all);
    licensing::v1::SyncAllResponse progress;
    while (syncer->Read(&progress)) {
    }
    const grpc::Status synced = syncer->Finish();
    if (caller.role == Role::kNone) {
      EXPECT_EQ(synced.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    } else if (caller.role < Role::kOperator) {
      EXPECT_EQ(synced.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    } else {
      EXPECT_TRUE(synced.ok()) << synced.error_message();
    }
  }
}

// A caller without the right to a method learns nothing from it: not even
// whether the license exists.
TEST_F(AuthTest, TheRoleIsCheckedBeforeTheLicenseIsLookedUp) {
  licensing::v1::SyncLicenseRequest missing;
  missing.set_license_id(987654321);
  auto channel = server_->NewChannel();
  EXPECT_EQ(CallAs(channel, kViewerToken, "SyncLicense", missing.SerializeAsString()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallAs(channel, "", "SyncLicense", missing.SerializeAsString()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CallAs(channel, kOperatorToken, "SyncLicense", missing.SerializeAsString()).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// One ServerReflectionInfo exchange (a stream: one request, one answer),
// its request and answer as raw bytes, so that no reflection stubs are
// needed.
std::string AskReflection(const std::shared_ptr<grpc::Channel>& channel, const std::string& request_bytes) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  void* tag = nullptr;
  bool ok = false;
  std::string text;
  call->StartCall(reinterpret_cast<void*>(1));
  if (queue.Next(&tag, &ok) && ok) {
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    grpc::ByteBuffer response;
    std::vector<grpc::Slice> slices;
    if (queue.Next(&tag, &ok) && ok) call->Read(&response, reinterpret_cast<void*>(3));
    if (queue.Next(&tag, &ok) && ok && response.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  context.TryCancel();
  grpc::Status finished;
  call->Finish(&finished, reinterpret_cast<void*>(4));
  while (queue.Next(&tag, &ok) && tag != reinterpret_cast<void*>(4)) {
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return text;
}

TEST_F(AuthTest, HealthAndReflectionStayOpen) {
  absl::StatusOr<harness::ServingStatus> health = server_->CheckHealth(absl::Seconds(10));
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, harness::ServingStatus::kServing);

  // list_services (field 7).
  const std::string services = AskReflection(server_->NewChannel(), std::string("\x3a\x01*", 3));
  EXPECT_NE(services.find("licensing.v1.LicenseService"), std::string::npos) << services;
  // file_containing_symbol (field 4): reflection describes the health
  // service too, so that buf curl and grpcurl call it without a proto file.
  const std::string symbol = "grpc.health.v1.Health";
  const std::string health_file =
      AskReflection(server_->NewChannel(), absl::StrCat("\x22", std::string(1, static_cast<char>(symbol.size())), symbol));
  EXPECT_NE(health_file.find("grpc/health/v1/health.proto"), std::string::npos) << health_file;
  EXPECT_NE(health_file.find("HealthCheckResponse"), std::string::npos) << health_file;
}

// Every changing call leaves an event — who, what, which license, how it
// ended — refused ones included; reading them needs the admin role.
TEST_F(AuthTest, ChangingCallsAreAuditedWithTheirCallerAndOutcome) {
  auto stub = LicenseService::NewStub(server_->NewChannel());
  licensing::v1::ListLicensesResponse licenses;
  ASSERT_TRUE(stub->ListLicenses(ContextAs(kViewerToken).get(), {}, &licenses).ok());
  ASSERT_GE(licenses.licenses_size(), 2);
  const int64_t synced_id = licenses.licenses(0).license_id();
  const int64_t denied_id = licenses.licenses(1).license_id();

  licensing::v1::SyncLicenseRequest sync;
  sync.set_license_id(synced_id);
  licensing::v1::SyncLicenseResponse synced;
  std::unique_ptr<grpc::ClientContext> sync_context = ContextAs(kOperatorToken);
  ASSERT_TRUE(stub->SyncLicense(sync_context.get(), sync, &synced).ok());
  // The caller sent no request id: the server made one and sent it back.
  const auto returned_id = sync_context->GetServerTrailingMetadata().find("x-request-id");
  ASSERT_NE(returned_id, sync_context->GetServerTrailingMetadata().end());
  const std::string request_id(returned_id->second.data(), returned_id->second.size());
  licensing::v1::SyncLicenseRequest denied;
  denied.set_license_id(denied_id);
  EXPECT_EQ(stub->SyncLicense(ContextAs(kViewerToken).get(), denied, &synced).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  licensing::v1::StartUpgradeRequest start;
  start.set_license_id(987654321);
  licensing::v1::StartUpgradeResponse started;
  EXPECT_EQ(stub->StartUpgrade(ContextAs(kOperatorToken).get(), start, &started).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Reads are not audited.
  licensing::v1::GetLicenseRequest get;
  get.set_license_id(synced_id);
  licensing::v1::GetLicenseResponse got;
  ASSERT_TRUE(stub->GetLicense(ContextAs(kAdminToken).get(), get, &got).ok());

  // Events are written beside the answer: wait for them.
  licensing::v1::ListAuditEventsRequest by_license;
  by_license.set_license_id(synced_id);
  licensing::v1::ListAuditEventsResponse events;
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        events.Clear();
        return stub->ListAuditEvents(ContextAs(kAdminToken).get(), by_license, &events).ok() &&
               events.events_size() >= 1;
      },
      absl::Seconds(10)));
  ASSERT_EQ(events.events_size(), 1);
  const licensing::v1::AuditEvent& ok_event = events.events(0);
  EXPECT_EQ(ok_event.actor(), "ops-bot");
  EXPECT_EQ(ok_event.role(), "operator");
  EXPECT_EQ(ok_event.method(), "SyncLicense");
  EXPECT_EQ(ok_event.license_id(), synced_id);
  EXPECT_EQ(ok_event.key_number(), synced.license().key_number());
  EXPECT_EQ(ok_event.outcome(), "OK");
  EXPECT_EQ(ok_event.request_id(), request_id) << "the audit event and the caller know one id";
  EXPECT_TRUE(ok_event.has_event_time());
  // ... and so does the call log, one JSON line per call.
  EXPECT_NE(server_->LogTail(100000).find(absl::StrCat(R"("event":"rpc","method":"SyncLicense","code":"OK",)")),
            std::string::npos);
  EXPECT_NE(server_->LogTail(100000).find(absl::StrCat(R"("request_id":")", request_id, R"(")")), std::string::npos)
      << server_->LogTail(20);

  licensing::v1::ListAuditEventsRequest by_viewer;
  by_viewer.set_actor("dashboard");
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        events.Clear();
        return stub->ListAuditEvents(ContextAs(kAdminToken).get(), by_viewer, &events).ok() &&
               events.events_size() >= 1;
      },
      absl::Seconds(10)));
  EXPECT_EQ(events.events(0).method(), "SyncLicense");
  EXPECT_EQ(events.events(0).outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(events.events(0).role(), "viewer");

  // Paging walks every event once, newest first; only an admin reads them.
  licensing::v1::ListAuditEventsRequest page;
  page.set_page_size(1);
  std::vector<int64_t> ids;
  for (;;) {
    licensing::v1::ListAuditEventsResponse one;
    ASSERT_TRUE(stub->ListAuditEvents(ContextAs(kAdminToken).get(), page, &one).ok());
    for (const auto& event : one.events()) ids.push_back(event.event_id());
    if (one.next_page_token().empty()) break;
    page.set_page_token(one.next_page_token());
  }
  ASSERT_GE(ids.size(), 3u);
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i - 1], ids[i]);
  EXPECT_EQ(stub->ListAuditEvents(ContextAs(kOperatorToken).get(), {}, &events).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  licensing::v1::ListAuditEventsRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(stub->ListAuditEvents(ContextAs(kAdminToken).get(), negative, &events).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Each method that changes something leaves an event, whatever its outcome
// (these empty requests name nothing: most are refused by the method).
TEST_F(AuthTest, EachChangingMethodLeavesAnEvent) {
  auto channel = server_->NewChannel();
  std::vector<std::string> changing;
  for (const auto& [method, needed] : kUnaryMethods) {
    if (needed != Role::kOperator) continue;
    changing.push_back(method);
    CallAs(channel, kAuditeeToken, method);
  }
  auto stub = LicenseService::NewStub(channel);
  std::unique_ptr<grpc::ClientContext> sync_context = ContextAs(kAuditeeToken);
  licensing::v1::SyncAllRequest sync_all;
  sync_all.mutable_scope()->set_license_class("NO_SUCH_CLASS");
  auto syncer = stub->SyncAll(sync_context.get(), sync_all);
  licensing::v1::SyncAllResponse progress;
  while (syncer->Read(&progress)) {
  }
  ASSERT_TRUE(syncer->Finish().ok());
  changing.push_back("SyncAll");

  licensing::v1::ListAuditEventsRequest by_auditee;
  by_auditee.set_actor("auditee");
  by_auditee.set_page_size(1000);
  licensing::v1::ListAuditEventsResponse events;
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        events.Clear();
        return stub->ListAuditEvents(ContextAs(kAdminToken).get(), by_auditee, &events).ok() &&
               events.events_size() >= static_cast<int>(changing.size());
      },
      absl::Seconds(10)))
      << events.events_size() << " events for " << changing.size() << " calls";
  std::vector<std::string> audited;
  for (const auto& event : events.events()) {
    audited.push_back(event.method());
    EXPECT_EQ(event.role(), "operator");
    EXPECT_FALSE(event.outcome().empty());
    EXPECT_FALSE(event.request_id().empty());
  }
  for (const std::string& method : changing) {
    EXPECT_NE(std::find(audited.begin(), audited.end(), method), audited.end()) << method << " left no event";
  }
  EXPECT_EQ(audited.size(), changing.size()) << "reads are not audited";
}

// Tokens and passwords reach the server through files and the environment;
// none of them ever shows in what it writes, refused calls included.
TEST_F(AuthTest, NoSecretInTheServersLog) {
  auto channel = server_->NewChannel();
  for (const char* token : {kViewerToken, kOperatorToken, kAdminToken, "wrong-token-cdef"}) {
    CallAs(channel, token, "ListAuditEvents");
    CallAs(channel, token, "SyncLicense");
  }
  const std::string log = server_->LogTail(100000);
  ASSERT_FALSE(log.empty());
  std::vector<std::string> secrets = {kViewerToken, kOperatorToken, kAdminToken, "wrong-token-cdef",
                                      harness::kKaMockDefaultPassword};
  if (stack_->db() != nullptr) secrets.push_back(stack_->db()->password());
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret in the log";
  }
}

// A CreateLicense request_id is its caller's own: another operator's equal
// id is another request, and the same caller's id reused for other
// parameters is refused rather than answered with the first license.
TEST_F(AuthTest, CreateLicenseRequestIdsAreScopedToTheCallerAndBoundToTheRequest) {
  auto stub = LicenseService::NewStub(server_->NewChannel());
  licensing::v1::CreateLicenseRequest request;
  request.set_license_class("PLESK_WEB_PRO");
  request.set_capacity(100);
  request.add_features("POWER_PACK");
  request.set_request_id("order-scoped-1");
  licensing::v1::CreateLicenseResponse mine, retried, theirs, reused;
  ASSERT_TRUE(stub->CreateLicense(ContextAs(kOperatorToken).get(), request, &mine).ok());
  ASSERT_TRUE(stub->CreateLicense(ContextAs(kOperatorToken).get(), request, &retried).ok());
  EXPECT_EQ(retried.license().license_id(), mine.license().license_id());
  grpc::Status other_caller = stub->CreateLicense(ContextAs(kAuditeeToken).get(), request, &theirs);
  ASSERT_TRUE(other_caller.ok()) << other_caller.error_message();
  EXPECT_NE(theirs.license().license_id(), mine.license().license_id());
  EXPECT_NE(theirs.license().key_number(), mine.license().key_number());

  request.set_capacity(200);
  grpc::Status refused = stub->CreateLicense(ContextAs(kOperatorToken).get(), request, &reused);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_EQ(ReasonOf(refused), "REQUEST_ID_REUSED");
  // The features' order is not a change of request.
  request.set_capacity(100);
  request.clear_features();
  request.add_features("POWER_PACK");
  ASSERT_TRUE(stub->CreateLicense(ContextAs(kOperatorToken).get(), request, &retried).ok());
  EXPECT_EQ(retried.license().license_id(), mine.license().license_id());
}

// Secure by default: off loopback, license-server wants TLS and tokens, or
// an explicit acceptance of the risk.
TEST(ListenPolicyEndToEndTest, AServerOffLoopbackWithoutTlsAndTokensRefusesToStart) {
  absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("insecure-listen");
  ASSERT_TRUE(dir.ok()) << dir.status();
  absl::StatusOr<std::unique_ptr<harness::ChildProcess>> server = harness::ChildProcess::Start(
      {.binary = LICENSE_SERVER_PATH,
       .args = {"--listen=0.0.0.0:0", absl::StrCat("--db=sqlite:", dir->path(), "/licenses.db"), "--daily_at=off"},
       .env = {{"KA_LOGIN", "billing"}, {"KA_PASSWORD", "unused"}},
       .log_dir = dir->path()});
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<harness::ExitStatus> exit = (*server)->WaitForExit(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, harness::ExitStatus::Exited(1));
  const std::string log = (*server)->LogTail(5);
  EXPECT_NE(log.find("refusing to listen on 0.0.0.0:0"), std::string::npos) << log;
  EXPECT_NE(log.find("--allow_insecure_listen"), std::string::npos) << log;
}

}  // namespace
}  // namespace lss
