// license-server end to end: real ka-mock and license-server processes over
// gRPC on loopback, on the backend this executable was built for (SQLite, or
// the CI's MariaDB). Each test starts its own processes and database, so
// tests are independent and may run in parallel.
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"

namespace lss {
namespace {

using harness::KaMockProcess;
using harness::LicenseServerProcess;
using keyadmin::v1::KeyAdministratorAdminService;
using keyadmin::v1::KeyAdministratorService;
using licensing::v1::LicenseService;

constexpr int kSeedKeys = 30;

// The ErrorInfo reason and BadRequest fields of a failed call.
struct ErrorDetails {
  std::string reason;
  std::vector<std::string> fields;
};

ErrorDetails DetailsOf(const grpc::Status& status) {
  ErrorDetails out;
  google::rpc::Status proto;
  if (!proto.ParseFromString(status.error_details())) return out;
  for (const auto& detail : proto.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (detail.UnpackTo(&info)) out.reason = info.reason();
    if (detail.Is<google::rpc::BadRequest>() && detail.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) out.fields.push_back(v.field());
    }
  }
  return out;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

class LicenseServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("license-server", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    server_options_ = stack_->server_options();
    ka_stub_ = KeyAdministratorService::NewStub(stack_->ka().NewChannel());
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());
    StartServer(server_options_);
  }

  void StartServer(harness::LicenseServerOptions options) {
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = LicenseService::NewStub(server_->NewChannel());
  }

  licensing::v1::ImportLicensesResponse ImportAll() {
    licensing::v1::ImportLicensesResponse response;
    grpc::Status status = stub_->ImportLicenses(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Sync(const std::string& key_number, licensing::v1::SyncLicenseResponse* response) {
    licensing::v1::SyncLicenseRequest request;
    request.set_key_number(key_number);
    return stub_->SyncLicense(Context().get(), request, response);
  }

  licensing::v1::License Get(const std::string& key_number) {
    licensing::v1::GetLicenseRequest request;
    request.set_key_number(key_number);
    licensing::v1::GetLicenseResponse response;
    grpc::Status status = stub_->GetLicense(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.license();
  }

  void AddKaCredentials(grpc::ClientContext& context) {
    context.AddMetadata("ka-login", stack_->ka().login());
    context.AddMetadata("ka-password", stack_->ka().password());
  }

  // The first main key the mock holds.
  keyadmin::v1::Key FirstMainKey() {
    for (const keyadmin::v1::Key& key : KaKeys()) {
      if (key.kind() == keyadmin::v1::KEY_KIND_MAIN) return key;
    }
    ADD_FAILURE() << "ka-mock holds no main key";
    return {};
  }

  // Every key the mock holds, main and additional.
  std::vector<keyadmin::v1::Key> KaKeys() {
    std::vector<keyadmin::v1::Key> keys;
    keyadmin::v1::ListKeysRequest request;
    request.set_page_size(1000);
    keyadmin::v1::ListKeysResponse response;
    auto context = Context();
    AddKaCredentials(*context);
    grpc::Status status = ka_stub_->ListKeys(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    keys.assign(response.keys().begin(), response.keys().end());
    return keys;
  }

  keyadmin::v1::Key ChangeAtKa(const keyadmin::v1::ChangeKeyRequest& change) {
    keyadmin::v1::ChangeKeyResponse response;
    grpc::Status status = ka_admin_->ChangeKey(Context().get(), change, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.key();
  }

  int64_t KaCalls(const std::string& method) {
    keyadmin::v1::GetCallCountsResponse response;
    grpc::Status status = ka_admin_->GetCallCounts(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    auto it = response.counts().find(method);
    return it == response.counts().end() ? 0 : it->second;
  }

  // The request ids KA received, per method.
  std::multimap<std::string, std::string> KaRequestIds() {
    keyadmin::v1::GetCallCountsResponse response;
    grpc::Status status = ka_admin_->GetCallCounts(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::multimap<std::string, std::string> seen;
    for (const keyadmin::v1::RequestIdSeen& call : response.request_ids()) seen.emplace(call.method(), call.request_id());
    return seen;
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<KeyAdministratorService::Stub> ka_stub_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  harness::LicenseServerOptions server_options_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::unique_ptr<LicenseService::Stub> stub_;
};

TEST_F(LicenseServerTest, ImportedLicensesSyncInSync) {
  licensing::v1::ImportLicensesResponse imported = ImportAll();
  EXPECT_EQ(imported.imported(), kSeedKeys);
  EXPECT_EQ(imported.failed(), 0);
  // Importing again adopts nothing twice.
  licensing::v1::ImportLicensesResponse again = ImportAll();
  EXPECT_EQ(again.imported(), 0);
  EXPECT_EQ(again.already_present(), kSeedKeys);

  for (const keyadmin::v1::Key& key : KaKeys()) {
    if (key.kind() != keyadmin::v1::KEY_KIND_MAIN) continue;
    licensing::v1::SyncLicenseResponse synced;
    ASSERT_TRUE(Sync(key.key_number(), &synced).ok());
    EXPECT_EQ(synced.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << key.key_number();
    EXPECT_EQ(synced.license().sync_message(), "In Sync");
    EXPECT_TRUE(synced.license().mismatches().empty());
  }
}

// Each change KA can make to a key, made alone, is reported as exactly its
// mismatch kind, with billing's and KA's values.
TEST_F(LicenseServerTest, EachChangeAtKaIsReportedAsItsMismatch) {
  ImportAll();
  std::vector<keyadmin::v1::Key> main_keys, with_features, with_additional;
  for (const keyadmin::v1::Key& key : KaKeys()) {
    if (key.kind() != keyadmin::v1::KEY_KIND_MAIN) continue;
    if (!key.additional_keys().empty()) {
      with_additional.push_back(key);
    } else if (!key.features().empty()) {
      with_features.push_back(key);
    } else {
      main_keys.push_back(key);
    }
  }
  ASSERT_GE(with_additional.size(), 2u);
  ASSERT_GE(with_features.size(), 2u);
  std::vector<keyadmin::v1::Key> plain = main_keys;
  plain.insert(plain.end(), with_features.begin() + 1, with_features.end());
  ASSERT_GE(plain.size(), 9u);

  struct Case {
    keyadmin::v1::ChangeKeyRequest change;
    licensing::v1::MismatchKind expected;
  };
  std::vector<Case> cases;
  auto next_plain = [&, i = size_t{0}]() mutable { return plain.at(i++).key_number(); };
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_KEY_CHANGED};
    c.change.set_key_number(next_plain());
    c.change.set_regenerate(true);
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_LICENSE_CLASS_CHANGED};
    const std::string key_number = next_plain();
    c.change.set_key_number(key_number);
    c.change.set_key_type(Get(key_number).license_class() == "PLESK_WEB_ADMIN" ? "PLESK_WEB_PRO"
                                                                                : "PLESK_WEB_ADMIN");
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED};
    c.change.set_key_number(next_plain());
    c.change.set_capacity(77777);
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_FEATURES_REMOVED};
    c.change.set_key_number(with_features[0].key_number());
    c.change.add_remove_features(with_features[0].features(0).api_name());
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_EXPIRATION_CHANGED};
    c.change.set_key_number(next_plain());
    c.change.mutable_expires_at()->set_seconds(4'000'000'000);
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_ATTACHED};
    c.change.set_key_number(next_plain());
    c.change.set_attach_additional_key_type("KASPERSKY_ANTIVIRUS");
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_DETACHED};
    c.change.set_key_number(with_additional[0].key_number());
    c.change.set_detach_additional_key(with_additional[0].additional_keys(0).key_number());
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_TERMINATED};
    c.change.set_key_number(next_plain());
    c.change.set_terminate(true);
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_PROBLEM};
    c.change.set_key_number(next_plain());
    c.change.set_mark_problem(true);
    cases.push_back(c);
  }
  {
    Case c{{}, licensing::v1::MISMATCH_KIND_KEY_NOT_FOUND};
    c.change.set_key_number(next_plain());
    c.change.set_delete_(true);
    cases.push_back(c);
  }
  // FEATURES_ADDED needs a feature the key's class offers and it lacks.
  {
    keyadmin::v1::GetAvailableUpgradesRequest request;
    const std::string key_number = next_plain();
    request.set_key_number(key_number);
    keyadmin::v1::GetAvailableUpgradesResponse options;
    auto context = Context();
    AddKaCredentials(*context);
    ASSERT_TRUE(ka_stub_->GetAvailableUpgrades(context.get(), request, &options).ok());
    ASSERT_FALSE(options.features().empty());
    Case c{{}, licensing::v1::MISMATCH_KIND_FEATURES_ADDED};
    c.change.set_key_number(key_number);
    c.change.add_add_features(options.features(0).api_name());
    cases.push_back(c);
  }

  for (const Case& c : cases) {
    const licensing::v1::License before = Get(c.change.key_number());
    ChangeAtKa(c.change);
    licensing::v1::SyncLicenseResponse synced;
    grpc::Status status = Sync(c.change.key_number(), &synced);
    ASSERT_TRUE(status.ok()) << c.change.ShortDebugString() << ": " << status.error_message();
    const licensing::v1::License& after = synced.license();
    EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC) << c.change.ShortDebugString();
    ASSERT_EQ(after.mismatches_size(), 1) << c.change.ShortDebugString() << " " << after.sync_message();
    EXPECT_EQ(after.mismatches(0).kind(), c.expected) << c.change.ShortDebugString();
    EXPECT_NE(after.mismatches(0).billing_value() + after.mismatches(0).ka_value(), "");
    EXPECT_NE(after.sync_message().find("Not In Sync: "), std::string::npos);
    // A sync records what KA holds; it never rewrites billing's configuration.
    EXPECT_EQ(after.key_number(), before.key_number());
    EXPECT_EQ(after.capacity(), before.capacity());
    EXPECT_EQ(after.license_class(), before.license_class());
    EXPECT_EQ(std::vector<std::string>(after.features().begin(), after.features().end()),
              std::vector<std::string>(before.features().begin(), before.features().end()));
    EXPECT_NE(after.etag(), before.etag());
    // Not In Sync: usable until its expiration, and the history has it.
    EXPECT_EQ(after.usable_until().seconds(), before.expire_time().seconds());
    licensing::v1::ListSyncHistoryRequest history_request;
    history_request.set_license_id(after.license_id());
    licensing::v1::ListSyncHistoryResponse history;
    ASSERT_TRUE(stub_->ListSyncHistory(Context().get(), history_request, &history).ok());
    ASSERT_FALSE(history.entries().empty());
    EXPECT_EQ(history.entries(0).mismatches(0).kind(), c.expected);
  }

  // The Not In Sync ones are listable by status.
  licensing::v1::ListLicensesRequest list;
  list.mutable_filter()->set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  licensing::v1::ListLicensesResponse listed;
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.licenses_size(), static_cast<int>(cases.size()));
}

TEST_F(LicenseServerTest, SyncFindingNothingNewKeepsTheEtag) {
  ImportAll();
  const std::string key = FirstMainKey().key_number();
  licensing::v1::SyncLicenseResponse first, second;
  ASSERT_TRUE(Sync(key, &first).ok());
  ASSERT_TRUE(Sync(key, &second).ok());
  EXPECT_EQ(first.license().etag(), second.license().etag());
  EXPECT_GE(second.license().last_synced_at().seconds(), first.license().last_synced_at().seconds());
}

TEST_F(LicenseServerTest, KaOutageIsUnavailableAndLeavesTheStatus) {
  ImportAll();
  const std::string key = FirstMainKey().key_number();
  const licensing::v1::License before = Get(key);
  keyadmin::v1::SetFaultsRequest outage;
  outage.set_outage(true);
  keyadmin::v1::SetFaultsResponse ignored;
  ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), outage, &ignored).ok());

  licensing::v1::SyncLicenseResponse synced;
  grpc::Status status = Sync(key, &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(DetailsOf(status).reason, "KEY_ADMINISTRATOR_UNAVAILABLE");

  const licensing::v1::License after = Get(key);
  EXPECT_EQ(after.sync_status(), before.sync_status());
  EXPECT_EQ(after.etag(), before.etag());
  EXPECT_FALSE(after.last_sync_error().empty());

  // KA back: the next sync clears the error.
  ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), {}, &ignored).ok());
  ASSERT_TRUE(Sync(key, &synced).ok());
  EXPECT_EQ(synced.license().last_sync_error(), "");
}

TEST_F(LicenseServerTest, WrongKaLoginIsUnavailableAuthFailed) {
  ImportAll();
  const std::string key = FirstMainKey().key_number();
  harness::LicenseServerOptions options = server_options_;
  options.ka_password = "not-the-password";
  server_.reset();
  StartServer(options);
  licensing::v1::SyncLicenseResponse synced;
  grpc::Status status = Sync(key, &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(DetailsOf(status).reason, "KEY_ADMINISTRATOR_AUTH_FAILED");
  EXPECT_EQ(status.error_message().find("not-the-password"), std::string::npos);
}

TEST_F(LicenseServerTest, UnknownLicenseIsNotFound) {
  licensing::v1::GetLicenseRequest by_id;
  by_id.set_license_id(424242);
  licensing::v1::GetLicenseResponse response;
  grpc::Status status = stub_->GetLicense(Context().get(), by_id, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(DetailsOf(status).reason, "LICENSE_NOT_FOUND");

  licensing::v1::SyncLicenseResponse synced;
  status = Sync("PLSK.99999999.0001", &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(DetailsOf(status).reason, "LICENSE_NOT_FOUND");
}

TEST_F(LicenseServerTest, MalformedKeyNumberIsInvalidAndNeverReachesKa) {
  ImportAll();
  const int64_t calls_before = KaCalls("GetKeyInfo");
  licensing::v1::SyncLicenseResponse synced;
  grpc::Status status = Sync("PLSK-12345", &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const ErrorDetails details = DetailsOf(status);
  EXPECT_EQ(details.reason, "MALFORMED_KEY_NUMBER");
  EXPECT_EQ(details.fields, std::vector<std::string>{"key_number"});
  EXPECT_EQ(KaCalls("GetKeyInfo"), calls_before);

  licensing::v1::SyncLicenseRequest unnamed;
  status = stub_->SyncLicense(Context().get(), unnamed, &synced);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// The caller's x-request-id reaches KA on every call made for it, through
// the worker pool and KA's own callbacks; a SyncAll job's calls name the job.
TEST_F(LicenseServerTest, RequestIdsAreForwardedToKa) {
  ImportAll();
  licensing::v1::SyncLicenseRequest request;
  request.set_license_id(1);
  licensing::v1::SyncLicenseResponse synced;
  auto context = Context();
  context->AddMetadata("x-request-id", "sync-probe-42");
  grpc::Status status = stub_->SyncLicense(context.get(), request, &synced);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::multimap<std::string, std::string> seen = KaRequestIds();
  EXPECT_THAT(seen, ::testing::Contains(std::pair<const std::string, std::string>("GetKeyInfo", "sync-probe-42")));

  // StartUpgrade asks KA three times, each from the previous one's answer.
  licensing::v1::StartUpgradeRequest start;
  start.set_license_id(1);
  licensing::v1::StartUpgradeResponse started;
  context = Context();
  context->AddMetadata("x-request-id", "start-probe-7");
  status = stub_->StartUpgrade(context.get(), start, &started);
  seen = KaRequestIds();
  for (const char* method : {"GetKeyInfo", "GetAvailableUpgrades", "ListKeyTypes"}) {
    EXPECT_THAT(seen, ::testing::Contains(std::pair<const std::string, std::string>(method, "start-probe-7")))
        << method << " (StartUpgrade: " << status.error_message() << ")";
  }

  auto job_context = Context();
  auto reader = stub_->SyncAll(job_context.get(), licensing::v1::SyncAllRequest{});
  licensing::v1::SyncAllResponse event;
  std::string job_id;
  while (reader->Read(&event)) job_id = event.progress().job_id();
  ASSERT_TRUE(reader->Finish().ok());
  seen = KaRequestIds();
  EXPECT_THAT(seen, ::testing::Contains(std::pair<const std::string, std::string>("ListKeys", "job:" + job_id)));
}

TEST_F(LicenseServerTest, BadPagingIsInvalidArgument) {
  ImportAll();
  licensing::v1::ListLicensesRequest request;
  request.set_page_token("not-a-token");
  licensing::v1::ListLicensesResponse response;
  grpc::Status status = stub_->ListLicenses(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(DetailsOf(status).reason, "INVALID_PAGE_TOKEN");
  EXPECT_EQ(DetailsOf(status).fields, std::vector<std::string>{"page_token"});

  request.clear_page_token();
  request.set_page_size(-1);
  status = stub_->ListLicenses(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(DetailsOf(status).fields, std::vector<std::string>{"page_size"});

  // A token is bound to its filter.
  request.set_page_size(2);
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.mutable_filter()->set_license_class("PLESK_WEB_PRO");
  status = stub_->ListLicenses(Context().get(), request, &response);
  EXPECT_EQ(DetailsOf(status).reason, "INVALID_PAGE_TOKEN");
}

TEST_F(LicenseServerTest, PagingVisitsEveryLicenseOnce) {
  ImportAll();
  std::vector<int64_t> ids;
  licensing::v1::ListLicensesRequest request;
  request.set_page_size(7);
  do {
    licensing::v1::ListLicensesResponse response;
    ASSERT_TRUE(stub_->ListLicenses(Context().get(), request, &response).ok());
    for (const auto& license : response.licenses()) ids.push_back(license.license_id());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  ASSERT_EQ(ids.size(), static_cast<size_t>(kSeedKeys));
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
}

TEST_F(LicenseServerTest, KeyNumberFindsTheLicenseWithoutOrWithAnOlderRevision) {
  ImportAll();
  const keyadmin::v1::Key key = FirstMainKey();
  const std::string base = key.key_number().substr(0, key.key_number().rfind('.'));
  const int64_t id = Get(key.key_number()).license_id();
  EXPECT_EQ(Get(base).license_id(), id);

  keyadmin::v1::ChangeKeyRequest regenerate;
  regenerate.set_key_number(base);
  regenerate.set_regenerate(true);
  const keyadmin::v1::Key newer = ChangeAtKa(regenerate);
  licensing::v1::SyncLicenseResponse synced;
  ASSERT_TRUE(Sync(newer.key_number(), &synced).ok());  // KA's newer number finds billing's license
  EXPECT_EQ(synced.license().license_id(), id);
  EXPECT_EQ(synced.license().mismatches(0).kind(), licensing::v1::MISMATCH_KIND_KEY_CHANGED);
}

TEST_F(LicenseServerTest, CreateLicenseRetriedWithTheSameRequestIdCreatesOneKey) {
  licensing::v1::CreateLicenseRequest request;
  request.set_license_class("PLESK_WEB_PRO");
  request.set_capacity(100);
  request.add_features("POWER_PACK");
  request.set_request_id("create-7f3a");
  licensing::v1::CreateLicenseResponse first, second;
  ASSERT_TRUE(stub_->CreateLicense(Context().get(), request, &first).ok());
  ASSERT_TRUE(stub_->CreateLicense(Context().get(), request, &second).ok());
  EXPECT_EQ(first.license().license_id(), second.license().license_id());
  EXPECT_EQ(first.license().key_number(), second.license().key_number());
  EXPECT_EQ(first.license().sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(first.license().capacity(), 100);

  // KA issued one key: the mock holds the seeded keys plus exactly one.
  int64_t keys_of_class = 0;
  for (const keyadmin::v1::Key& key : KaKeys()) keys_of_class += key.key_number() == first.license().key_number();
  EXPECT_EQ(keys_of_class, 1);
  EXPECT_EQ(KaCalls("CreateKey"), 1);  // the retry was answered from billing's record

  // A new request_id orders a second license.
  request.set_request_id("create-7f3b");
  licensing::v1::CreateLicenseResponse third;
  ASSERT_TRUE(stub_->CreateLicense(Context().get(), request, &third).ok());
  EXPECT_NE(third.license().license_id(), first.license().license_id());

  // Bad input changes nothing and names the field.
  request.set_request_id("create-7f3c");
  request.set_capacity(-5);
  grpc::Status status = stub_->CreateLicense(Context().get(), request, &third);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(DetailsOf(status).fields, std::vector<std::string>{"capacity"});
}

// KA's reachability has its own health name, so that a KA outage does not
// take readers off the load balancer; the overall health follows the
// database.
TEST_F(LicenseServerTest, KaHealthFollowsKaWhileOverallHealthStaysServing) {
  harness::LicenseServerOptions options = server_options_;
  options.extra_args = {"--health-interval=100ms"};
  server_.reset();
  StartServer(options);
  auto health_of = [this](absl::string_view service) {
    absl::StatusOr<harness::ServingStatus> status =
        harness::CheckHealth(server_->NewChannel(), service, absl::Seconds(5));
    return status.ok() ? *status : harness::ServingStatus::kUnknown;
  };
  constexpr absl::string_view kKa = "keyadmin.v1.KeyAdministratorService";
  ASSERT_TRUE(harness::WaitFor([&] { return health_of(kKa) == harness::ServingStatus::kServing; },
                               absl::Seconds(20)));

  keyadmin::v1::SetFaultsRequest outage;
  outage.set_outage(true);
  keyadmin::v1::SetFaultsResponse ignored;
  ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), outage, &ignored).ok());
  EXPECT_TRUE(harness::WaitFor([&] { return health_of(kKa) == harness::ServingStatus::kNotServing; },
                               absl::Seconds(20)));
  EXPECT_EQ(health_of(""), harness::ServingStatus::kServing);
  EXPECT_EQ(health_of("licensing.v1.LicenseService"), harness::ServingStatus::kServing);

  ASSERT_TRUE(ka_admin_->SetFaults(Context().get(), {}, &ignored).ok());
  EXPECT_TRUE(harness::WaitFor([&] { return health_of(kKa) == harness::ServingStatus::kServing; },
                               absl::Seconds(20)));
}

TEST_F(LicenseServerTest, KillNineAndRestartKeepsEverything) {
  ImportAll();
  const std::string key = FirstMainKey().key_number();
  keyadmin::v1::ChangeKeyRequest change;
  change.set_key_number(key);
  change.set_capacity(12345);
  ChangeAtKa(change);
  licensing::v1::SyncLicenseResponse synced;
  ASSERT_TRUE(Sync(key, &synced).ok());

  server_->Kill();
  ASSERT_TRUE(server_->Restart().ok());
  stub_ = LicenseService::NewStub(server_->NewChannel());

  const licensing::v1::License after = Get(key);
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  EXPECT_EQ(after.etag(), synced.license().etag());
  ASSERT_EQ(after.mismatches_size(), 1);
  EXPECT_EQ(after.mismatches(0).ka_value(), "12345");
  licensing::v1::ListLicensesResponse all;
  licensing::v1::ListLicensesRequest list;
  list.set_page_size(1000);
  ASSERT_TRUE(stub_->ListLicenses(Context().get(), list, &all).ok());
  EXPECT_EQ(all.licenses_size(), kSeedKeys);
}

}  // namespace
}  // namespace lss
