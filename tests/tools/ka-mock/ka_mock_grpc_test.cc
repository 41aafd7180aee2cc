// ka-mock's two services over real gRPC, in-process on 127.0.0.1:0: every
// method, every KA result code, and the error encoding the KA client parses.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fake_clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "ka-mock/ka_mock_server.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"

namespace ka_mock {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::keyadmin::v1::KeyAdministratorAdminService;
using ::keyadmin::v1::KeyAdministratorService;
using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

namespace ka = ::keyadmin::v1;

constexpr char kLogin[] = "billing";
constexpr char kPassword[] = "test-password";

// A failed call as the KA client sees it, decoded from the wire.
struct WireError {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  bool has_details = false;
  int ka_code = 0;          // ResultDetail.code
  std::string ka_message;   // ResultDetail.message
  std::string reason;       // ErrorInfo.reason
  std::string domain;       // ErrorInfo.domain
  std::string ka_code_tag;  // ErrorInfo.metadata["ka_code"]
};

WireError Decode(const grpc::Status& status) {
  WireError error;
  error.code = status.error_code();
  error.message = status.error_message();
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return error;
  }
  error.has_details = true;
  EXPECT_EQ(details.code(), status.error_code());
  for (const google::protobuf::Any& any : details.details()) {
    ka::ResultDetail result;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&result)) {
      error.ka_code = result.code();
      error.ka_message = result.message();
    } else if (any.UnpackTo(&info)) {
      error.reason = info.reason();
      error.domain = info.domain();
      if (info.metadata().count("ka_code") != 0) {
        error.ka_code_tag = info.metadata().at("ka_code");
      }
    }
  }
  return error;
}

// The KA result code of a failed call; 0 for success or no KA detail.
int KaCodeOf(const grpc::Status& status) { return Decode(status).ka_code; }

class KaMockGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<KaMockServer>(
        KaMockOptions{.credentials = {kLogin, kPassword}, .clock = &clock_});
    const absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    const auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                            grpc::InsecureChannelCredentials());
    ka_ = KeyAdministratorService::NewStub(channel);
    admin_ = KeyAdministratorAdminService::NewStub(channel);
  }

  void TearDown() override { server_->Shutdown(absl::Seconds(5)); }

  // Calls a KeyAdministratorService method with the partner credentials
  // (or `login`/`password` when given) and a deadline.
  template <typename Request, typename Response>
  grpc::Status Ka(grpc::Status (KeyAdministratorService::Stub::*method)(
                      grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response,
                  absl::Duration deadline = absl::Seconds(10),
                  const char* login = kLogin,
                  const char* password = kPassword) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    if (login != nullptr) context.AddMetadata("ka-login", login);
    if (password != nullptr) context.AddMetadata("ka-password", password);
    return (ka_.get()->*method)(&context, request, response);
  }

  template <typename Request, typename Response>
  grpc::Status Admin(grpc::Status (KeyAdministratorAdminService::Stub::*method)(
                         grpc::ClientContext*, const Request&, Response*),
                     const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    return (admin_.get()->*method)(&context, request, response);
  }

  grpc::Status GetKeyInfo(const std::string& key_number,
                          ka::Key* key = nullptr) {
    ka::GetKeyInfoRequest request;
    request.set_key_number(key_number);
    ka::GetKeyInfoResponse response;
    const grpc::Status status =
        Ka(&KeyAdministratorService::Stub::GetKeyInfo, request, &response);
    if (key != nullptr) *key = response.key();
    return status;
  }

  grpc::Status CreateKey(const std::string& type, int64_t capacity,
                         std::vector<std::string> features = {},
                         ka::Key* key = nullptr,
                         const std::string& idempotency_key = "",
                         const std::string& parent = "") {
    ka::CreateKeyRequest request;
    request.set_key_type(type);
    request.set_capacity(capacity);
    for (const std::string& feature : features) request.add_features(feature);
    request.set_idempotency_key(idempotency_key);
    request.set_parent_key_number(parent);
    ka::CreateKeyResponse response;
    const grpc::Status status =
        Ka(&KeyAdministratorService::Stub::CreateKey, request, &response);
    if (key != nullptr) *key = response.key();
    return status;
  }

  grpc::Status UpgradeKey(const std::string& key_number, int64_t capacity,
                          std::vector<std::string> features = {},
                          ka::UpgradeKeyResponse* response = nullptr,
                          const std::string& idempotency_key = "") {
    ka::UpgradeKeyRequest request;
    request.set_key_number(key_number);
    request.set_capacity(capacity);
    for (const std::string& feature : features) {
      request.add_add_features(feature);
    }
    request.set_idempotency_key(idempotency_key);
    ka::UpgradeKeyResponse ignored;
    return Ka(&KeyAdministratorService::Stub::UpgradeKey, request,
              response != nullptr ? response : &ignored);
  }

  grpc::Status TerminateKey(const std::string& key_number,
                            ka::Key* key = nullptr) {
    ka::TerminateKeyRequest request;
    request.set_key_number(key_number);
    ka::TerminateKeyResponse response;
    const grpc::Status status =
        Ka(&KeyAdministratorService::Stub::TerminateKey, request, &response);
    if (key != nullptr) *key = response.key();
    return status;
  }

  grpc::Status RenewKey(const std::string& key_number, ka::Key* key = nullptr) {
    ka::RenewKeyRequest request;
    request.set_key_number(key_number);
    ka::RenewKeyResponse response;
    const grpc::Status status =
        Ka(&KeyAdministratorService::Stub::RenewKey, request, &response);
    if (key != nullptr) *key = response.key();
    return status;
  }

  grpc::Status ChangeKey(const ka::ChangeKeyRequest& request,
                         ka::ChangeKeyResponse* response = nullptr) {
    ka::ChangeKeyResponse ignored;
    return Admin(&KeyAdministratorAdminService::Stub::ChangeKey, request,
                 response != nullptr ? response : &ignored);
  }

  void SetFaults(const ka::SetFaultsRequest& request) {
    ka::SetFaultsResponse response;
    const grpc::Status status = Admin(
        &KeyAdministratorAdminService::Stub::SetFaults, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  ka::SeedKeysResponse Seed(int64_t count, uint64_t seed, bool reset) {
    ka::SeedKeysRequest request;
    request.set_count(count);
    request.set_seed(seed);
    request.set_reset(reset);
    ka::SeedKeysResponse response;
    const grpc::Status status = Admin(
        &KeyAdministratorAdminService::Stub::SeedKeys, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::map<std::string, int64_t> CallCounts(bool reset = false) {
    ka::GetCallCountsRequest request;
    request.set_reset(reset);
    ka::GetCallCountsResponse response;
    const grpc::Status status = Admin(
        &KeyAdministratorAdminService::Stub::GetCallCounts, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.counts().begin(), response.counts().end()};
  }

  // Every key, page by page.
  std::vector<ka::Key> ListAllKeys(int page_size) {
    std::vector<ka::Key> keys;
    ka::ListKeysRequest request;
    request.set_page_size(page_size);
    do {
      ka::ListKeysResponse response;
      const grpc::Status status =
          Ka(&KeyAdministratorService::Stub::ListKeys, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      keys.insert(keys.end(), response.keys().begin(), response.keys().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return keys;
  }

  FakeClock clock_{TestEpoch()};
  std::unique_ptr<KaMockServer> server_;
  std::unique_ptr<KeyAdministratorService::Stub> ka_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> admin_;
};

TEST_F(KaMockGrpcTest, ListKeyTypesServesTheCatalogue) {
  ka::ListKeyTypesResponse response;
  ASSERT_TRUE(Ka(&KeyAdministratorService::Stub::ListKeyTypes,
                 ka::ListKeyTypesRequest(), &response)
                  .ok());
  std::set<std::string> names;
  for (const ka::KeyType& type : response.key_types()) {
    names.insert(type.name());
    EXPECT_EQ(type.max_capacity(),
              type.capacity_steps(type.capacity_steps_size() - 1));
    EXPECT_FALSE(type.features().empty()) << type.name();
    if (type.name() == "PLESK_WEB_PRO") {
      EXPECT_EQ(type.display_name(), "Plesk Web Pro Edition");
      EXPECT_EQ(type.key_prefix(), "PLSK");
      EXPECT_EQ(type.kind(), ka::KEY_KIND_MAIN);
      EXPECT_EQ(type.capacity_unit(), "domains");
      EXPECT_THAT(type.capacity_steps(), ElementsAre(30, 100, 300));
    }
    if (type.name() == "KASPERSKY_ANTIVIRUS") {
      EXPECT_EQ(type.kind(), ka::KEY_KIND_ADDITIONAL);
    }
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf(
                         {"PLESK_WEB_ADMIN", "PLESK_WEB_PRO", "PLESK_WEB_HOST",
                          "VIRTUOZZO", "CLOUDLINUX", "KASPERSKY_ANTIVIRUS",
                          "IMUNIFY360"}));
}

TEST_F(KaMockGrpcTest, CreateThenGetKeyInfo) {
  ka::Key created;
  ASSERT_TRUE(CreateKey("PLESK_WEB_PRO", 100,
                        {"WORDPRESS_TOOLKIT", "POWER_PACK"}, &created)
                  .ok());
  EXPECT_EQ(created.key_number(), "PLSK.00000001.0001");
  EXPECT_EQ(created.kind(), ka::KEY_KIND_MAIN);
  EXPECT_EQ(created.billing_type(), ka::BILLING_TYPE_LEASE);
  // Ordered by api_name.
  ASSERT_EQ(created.features_size(), 2);
  EXPECT_EQ(created.features(0).api_name(), "POWER_PACK");
  EXPECT_EQ(created.features(0).display_name(), "Power Pack");
  EXPECT_EQ(created.features(1).api_name(), "WORDPRESS_TOOLKIT");
  EXPECT_EQ(created.create_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(created.update_due_time().seconds(),
            created.expire_time().seconds() - 10 * 86400);

  ka::Key fetched;
  ASSERT_TRUE(GetKeyInfo("PLSK.00000001", &fetched).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(fetched, created));
}

TEST_F(KaMockGrpcTest,
       LookupWithoutOrWithAnOldRevisionAnswersTheCurrentNumber) {
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 2).ok());
  ka::UpgradeKeyResponse upgraded;
  ASSERT_TRUE(UpgradeKey("CLN.00000001.0001", 8, {}, &upgraded).ok());
  EXPECT_EQ(upgraded.key().key_number(), "CLN.00000001.0002");
  EXPECT_EQ(upgraded.previous_key_number(), "CLN.00000001.0001");
  for (const char* name :
       {"CLN.00000001", "CLN.00000001.0001", "CLN.00000001.0002"}) {
    ka::Key key;
    ASSERT_TRUE(GetKeyInfo(name, &key).ok()) << name;
    EXPECT_EQ(key.key_number(), "CLN.00000001.0002");
    EXPECT_EQ(key.capacity(), 8);
  }
}

TEST_F(KaMockGrpcTest, ErrorDetailsAreEncodedForTheClient) {
  const WireError error = Decode(GetKeyInfo("PLSK.00012345"));
  EXPECT_EQ(error.code, grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(error.has_details);
  EXPECT_EQ(error.ka_code, 220);
  EXPECT_EQ(error.ka_message, error.message);
  EXPECT_EQ(error.reason, "KEY_NOT_FOUND");
  EXPECT_EQ(error.domain, "keyadmin.v1");
  EXPECT_EQ(error.ka_code_tag, "220");
}

TEST_F(KaMockGrpcTest, MalformedKeyNumberIs410) {
  const WireError error = Decode(GetKeyInfo("PLSK.123"));
  EXPECT_EQ(error.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(error.ka_code, 410);
  EXPECT_EQ(error.reason, "MALFORMED_KEY_NUMBER");
}

TEST_F(KaMockGrpcTest, WrongOrMissingCredentialsAre200) {
  ka::GetKeyInfoRequest request;
  request.set_key_number("PLSK.00000001");
  ka::GetKeyInfoResponse response;
  for (const auto& [login, password] :
       std::vector<std::pair<const char*, const char*>>{{kLogin, "wrong"},
                                                        {"intruder", kPassword},
                                                        {kLogin, nullptr},
                                                        {nullptr, nullptr}}) {
    const WireError error =
        Decode(Ka(&KeyAdministratorService::Stub::GetKeyInfo, request,
                  &response, absl::Seconds(10), login, password));
    EXPECT_EQ(error.code, grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(error.ka_code, 200);
    EXPECT_EQ(error.reason, "AUTHENTICATION_FAILED");
  }
  // The admin service needs none.
  EXPECT_THAT(CallCounts(), UnorderedElementsAre(Pair("GetKeyInfo", 4)));
}

TEST_F(KaMockGrpcTest, CreateKeyRefusals) {
  const WireError unknown_type = Decode(CreateKey("PLESK_ULTIMATE", 0));
  EXPECT_EQ(unknown_type.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(unknown_type.ka_code, 260);
  EXPECT_EQ(unknown_type.reason, "NO_PRICE_LIST_ENTRY");
  EXPECT_EQ(KaCodeOf(CreateKey("PLESK_WEB_PRO", 0, {"HA_CLUSTER"})), 260);
  EXPECT_EQ(KaCodeOf(CreateKey("PLESK_WEB_PRO", 31)), 266);
  EXPECT_EQ(KaCodeOf(CreateKey("KASPERSKY_ANTIVIRUS", 10, {}, nullptr, "",
                               "PLSK.00000404")),
            220);

  ka::CreateKeyRequest bad_billing;
  bad_billing.set_key_type("VIRTUOZZO");
  bad_billing.set_billing_type(static_cast<ka::BillingType>(9));
  ka::CreateKeyResponse response;
  EXPECT_EQ(KaCodeOf(Ka(&KeyAdministratorService::Stub::CreateKey, bad_billing,
                        &response)),
            260);
}

TEST_F(KaMockGrpcTest, CreateAdditionalKeyUpdatesTheParent) {
  ka::Key parent;
  ASSERT_TRUE(CreateKey("PLESK_WEB_HOST", 1000, {}, &parent).ok());
  ka::Key antivirus;
  ASSERT_TRUE(CreateKey("KASPERSKY_ANTIVIRUS", 100, {}, &antivirus, "",
                        parent.key_number())
                  .ok());
  EXPECT_EQ(antivirus.key_number(), "KAV.00000002.0001");
  EXPECT_EQ(antivirus.kind(), ka::KEY_KIND_ADDITIONAL);
  EXPECT_EQ(antivirus.parent_key_number(), parent.key_number());
  ASSERT_TRUE(GetKeyInfo(parent.key_number(), &parent).ok());
  ASSERT_EQ(parent.additional_keys_size(), 1);
  EXPECT_EQ(parent.additional_keys(0).key_number(), "KAV.00000002.0001");
  EXPECT_EQ(parent.additional_keys(0).key_type(), "KASPERSKY_ANTIVIRUS");
}

TEST_F(KaMockGrpcTest, CreateKeyIsIdempotent) {
  ka::Key first;
  ka::Key second;
  ASSERT_TRUE(
      CreateKey("VIRTUOZZO", 25, {"HA_CLUSTER"}, &first, "order-77").ok());
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(
      CreateKey("VIRTUOZZO", 25, {"HA_CLUSTER"}, &second, "order-77").ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second));
  EXPECT_EQ(CallCounts()["CreateKey"], 2);
  EXPECT_EQ(ListAllKeys(100).size(), 1u);
}

TEST_F(KaMockGrpcTest, UpgradeKeyIsIdempotent) {
  ASSERT_TRUE(CreateKey("PLESK_WEB_ADMIN", 10).ok());
  ka::UpgradeKeyResponse first;
  ka::UpgradeKeyResponse second;
  ASSERT_TRUE(UpgradeKey("PLSK.00000001", 30, {}, &first, "upgrade-1").ok());
  // KA changes the key in between; the replay still answers as the first time.
  ka::ChangeKeyRequest regenerate;
  regenerate.set_key_number("PLSK.00000001");
  regenerate.set_regenerate(true);
  ASSERT_TRUE(ChangeKey(regenerate).ok());
  ASSERT_TRUE(UpgradeKey("PLSK.00000001", 30, {}, &second, "upgrade-1").ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second));
  EXPECT_EQ(second.key().key_number(), "PLSK.00000001.0002");
  EXPECT_EQ(CallCounts()["UpgradeKey"], 2);
  const std::vector<ka::Key> keys = ListAllKeys(100);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_number(), "PLSK.00000001.0003");
}

TEST_F(KaMockGrpcTest, UpgradeKeyRefusals) {
  ASSERT_TRUE(CreateKey("PLESK_WEB_PRO", 100, {"POWER_PACK"}).ok());
  ASSERT_TRUE(CreateKey("PLESK_WEB_PRO", 100).ok());
  ASSERT_TRUE(CreateKey("PLESK_WEB_PRO", 100).ok());
  const WireError downgrade = Decode(UpgradeKey("PLSK.00000001", 30));
  EXPECT_EQ(downgrade.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(downgrade.ka_code, 266);
  EXPECT_EQ(downgrade.reason, "UPGRADE_NOT_ACCEPTABLE");
  EXPECT_EQ(KaCodeOf(UpgradeKey("PLSK.00000001", 150)), 266);
  EXPECT_EQ(KaCodeOf(UpgradeKey("PLSK.00000001", 0, {"POWER_PACK"})), 266);
  EXPECT_EQ(KaCodeOf(UpgradeKey("PLSK.00000001", 0)), 266);
  EXPECT_EQ(KaCodeOf(UpgradeKey("PLSK.00000001", 0, {"KERNELCARE"})), 260);

  ka::ChangeKeyRequest problem;
  problem.set_key_number("PLSK.00000002");
  problem.set_mark_problem(true);
  ASSERT_TRUE(ChangeKey(problem).ok());
  const WireError problem_error = Decode(UpgradeKey("PLSK.00000002", 300));
  EXPECT_EQ(problem_error.ka_code, 221);
  EXPECT_EQ(problem_error.reason, "KEY_PROBLEM");

  ASSERT_TRUE(TerminateKey("PLSK.00000003").ok());
  const WireError terminated = Decode(UpgradeKey("PLSK.00000003", 300));
  EXPECT_EQ(terminated.ka_code, 222);
  EXPECT_EQ(terminated.reason, "KEY_TERMINATED");
}

TEST_F(KaMockGrpcTest, UpgradeKeyGivesAFreshTerm) {
  ka::Key created;
  ASSERT_TRUE(CreateKey("VIRTUOZZO", 5, {}, &created).ok());
  clock_.Advance(absl::Hours(24 * 90));
  ka::UpgradeKeyResponse upgraded;
  ASSERT_TRUE(
      UpgradeKey(created.key_number(), 0, {"LIVE_MIGRATION"}, &upgraded).ok());
  EXPECT_EQ(upgraded.key().create_time().seconds(),
            created.create_time().seconds());
  EXPECT_GT(upgraded.key().expire_time().seconds(),
            created.expire_time().seconds());
  EXPECT_EQ(upgraded.key().update_due_time().seconds(),
            upgraded.key().expire_time().seconds() - 10 * 86400);
}

TEST_F(KaMockGrpcTest, RenewKeyMovesTheDatesOneTerm) {
  ka::Key created;
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 1, {}, &created).ok());
  ka::Key renewed;
  ASSERT_TRUE(RenewKey("CLN.00000001", &renewed).ok());
  // 2025-03-01 -> 2026-03-01: 365 days.
  EXPECT_EQ(renewed.expire_time().seconds(),
            created.expire_time().seconds() + 365 * 86400);
  EXPECT_EQ(renewed.update_due_time().seconds(),
            renewed.expire_time().seconds() - 10 * 86400);
  ASSERT_TRUE(TerminateKey("CLN.00000001").ok());
  EXPECT_EQ(KaCodeOf(RenewKey("CLN.00000001")), 222);
}

TEST_F(KaMockGrpcTest, TerminateKeyTerminatesAdditionalKeysAndTwiceIs110) {
  ka::Key parent;
  ASSERT_TRUE(CreateKey("PLESK_WEB_HOST", 100, {}, &parent).ok());
  ASSERT_TRUE(
      CreateKey("IMUNIFY360", 30, {}, nullptr, "", parent.key_number()).ok());
  ka::Key terminated;
  ASSERT_TRUE(TerminateKey(parent.key_number(), &terminated).ok());
  EXPECT_TRUE(terminated.terminated());
  ka::Key additional;
  ASSERT_TRUE(GetKeyInfo("EXT.00000002", &additional).ok());
  EXPECT_TRUE(additional.terminated());
  const WireError again = Decode(TerminateKey(parent.key_number()));
  EXPECT_EQ(again.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(again.ka_code, 110);
  EXPECT_EQ(again.reason, "ALREADY_IN_STATE");
}

TEST_F(KaMockGrpcTest, GetAvailableUpgrades) {
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 4, {"CAGEFS"}).ok());
  ka::GetAvailableUpgradesRequest request;
  request.set_key_number("CLN.00000001.0001");
  ka::GetAvailableUpgradesResponse response;
  ASSERT_TRUE(Ka(&KeyAdministratorService::Stub::GetAvailableUpgrades, request,
                 &response)
                  .ok());
  EXPECT_EQ(response.key_number(), "CLN.00000001.0001");
  EXPECT_EQ(response.key_type(), "CLOUDLINUX");
  EXPECT_EQ(response.current_capacity(), 4);
  EXPECT_THAT(response.capacity_steps(), ElementsAre(8, 16, 32));
  EXPECT_EQ(response.max_capacity(), 32);
  std::vector<std::string> features;
  for (const ka::Feature& feature : response.features()) {
    features.push_back(feature.api_name());
  }
  EXPECT_THAT(features, ElementsAre("KERNELCARE", "MYSQL_GOVERNOR"));

  ASSERT_TRUE(TerminateKey("CLN.00000001").ok());
  EXPECT_EQ(KaCodeOf(Ka(&KeyAdministratorService::Stub::GetAvailableUpgrades,
                        request, &response)),
            222);
}

TEST_F(KaMockGrpcTest, ListKeysPagesCoverEveryKeyExactlyOnce) {
  const ka::SeedKeysResponse seeded = Seed(300, 11, true);
  EXPECT_EQ(seeded.main_keys_created(), 300);
  const std::vector<ka::Key> keys = ListAllKeys(7);
  EXPECT_EQ(static_cast<int64_t>(keys.size()), seeded.total_keys());
  std::set<std::string> numbers;
  for (const ka::Key& key : keys) {
    numbers.insert(key.key_number().substr(key.key_number().find('.')));
  }
  EXPECT_EQ(numbers.size(), keys.size());

  ka::ListKeysRequest request;
  request.set_page_size(10);
  ka::ListKeysResponse response;
  ASSERT_TRUE(
      Ka(&KeyAdministratorService::Stub::ListKeys, request, &response).ok());
  EXPECT_EQ(response.keys_size(), 10);
  EXPECT_EQ(response.total_size(), seeded.total_keys());
  request.set_page_token("not-a-token");
  EXPECT_EQ(KaCodeOf(Ka(&KeyAdministratorService::Stub::ListKeys, request,
                        &response)),
            410);
}

TEST_F(KaMockGrpcTest, SeedKeysIsDeterministic) {
  const ka::SeedKeysResponse first = Seed(200, 5, true);
  EXPECT_EQ(first.main_keys_created(), 200);
  EXPECT_GT(first.additional_keys_created(), 0);
  EXPECT_EQ(first.total_keys(),
            first.main_keys_created() + first.additional_keys_created());
  const std::vector<ka::Key> keys = ListAllKeys(1000);
  const ka::SeedKeysResponse second = Seed(200, 5, true);
  EXPECT_TRUE(MessageDifferencer::Equals(first, second));
  const std::vector<ka::Key> again = ListAllKeys(1000);
  ASSERT_EQ(again.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(keys[i], again[i]))
        << keys[i].key_number();
  }
}

TEST_F(KaMockGrpcTest, ChangeKeyProducesEachDrift) {
  ka::Key parent;
  ASSERT_TRUE(CreateKey("PLESK_WEB_PRO", 30, {"POWER_PACK"}, &parent).ok());

  ka::ChangeKeyRequest drift;
  drift.set_key_number("PLSK.00000001");
  drift.add_add_features("LANGUAGE_PACK");
  drift.add_remove_features("POWER_PACK");
  drift.set_capacity(55);
  drift.set_key_type("PLESK_WEB_HOST");
  drift.mutable_expires_at()->set_seconds(parent.expire_time().seconds() +
                                          86400);
  drift.set_attach_additional_key_type("KASPERSKY_ANTIVIRUS");
  ka::ChangeKeyResponse changed;
  ASSERT_TRUE(ChangeKey(drift, &changed).ok());
  EXPECT_EQ(changed.key().key_number(),
            "PLSK.00000001.0001");  // no regenerate, no new revision
  EXPECT_EQ(changed.key().key_type(), "PLESK_WEB_HOST");
  EXPECT_EQ(changed.key().capacity(), 55);
  ASSERT_EQ(changed.key().features_size(), 1);
  EXPECT_EQ(changed.key().features(0).api_name(), "LANGUAGE_PACK");
  EXPECT_EQ(changed.key().expire_time().seconds(),
            parent.expire_time().seconds() + 86400);
  EXPECT_EQ(changed.attached_key().key_number(), "KAV.00000002.0001");
  ASSERT_EQ(changed.key().additional_keys_size(), 1);

  ka::ChangeKeyRequest regenerate;
  regenerate.set_key_number("PLSK.00000001");
  regenerate.set_regenerate(true);
  regenerate.set_detach_additional_key("KAV.00000002.0001");
  ASSERT_TRUE(ChangeKey(regenerate, &changed).ok());
  EXPECT_EQ(changed.key().key_number(), "PLSK.00000001.0002");
  EXPECT_EQ(changed.key().additional_keys_size(), 0);
  EXPECT_EQ(KaCodeOf(GetKeyInfo("KAV.00000002")), 220);

  ka::ChangeKeyRequest erase;
  erase.set_key_number("PLSK.00000001");
  erase.set_delete_(true);
  ASSERT_TRUE(ChangeKey(erase, &changed).ok());
  EXPECT_FALSE(changed.has_key());
  EXPECT_EQ(KaCodeOf(GetKeyInfo("PLSK.00000001")), 220);
}

TEST_F(KaMockGrpcTest, ChangeKeyRefusals) {
  ka::ChangeKeyRequest unknown;
  unknown.set_key_number("VZ.00000042");
  unknown.set_regenerate(true);
  const WireError not_found = Decode(ChangeKey(unknown));
  EXPECT_EQ(not_found.code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(not_found.ka_code, 220);

  ASSERT_TRUE(CreateKey("VIRTUOZZO", 5).ok());
  ka::ChangeKeyRequest bad_type;
  bad_type.set_key_number("VZ.00000001");
  bad_type.set_key_type("VIRTUOZZO_ULTRA");
  EXPECT_EQ(KaCodeOf(ChangeKey(bad_type)), 260);
}

TEST_F(KaMockGrpcTest, InjectedErrorsCarryTheChosenCode) {
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 1).ok());
  ka::SetFaultsRequest faults;
  faults.set_error_rate(1);
  SetFaults(faults);
  const WireError internal = Decode(GetKeyInfo("CLN.00000001"));
  EXPECT_EQ(internal.code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(internal.ka_code, 300);
  EXPECT_EQ(internal.reason, "INTERNAL");

  faults.set_error_code(ka::RESULT_CODE_REMOTE_OPERATION_FAILED);
  faults.add_methods("UpgradeKey");
  SetFaults(faults);
  const WireError remote = Decode(UpgradeKey("CLN.00000001", 2));
  EXPECT_EQ(remote.code, grpc::StatusCode::INTERNAL);
  EXPECT_EQ(remote.ka_code, 287);
  EXPECT_EQ(remote.reason, "REMOTE_OPERATION_FAILED");
  // Other methods are spared, and the faulted upgrade changed nothing.
  ka::Key key;
  ASSERT_TRUE(GetKeyInfo("CLN.00000001", &key).ok());
  EXPECT_EQ(key.key_number(), "CLN.00000001.0001");

  SetFaults(ka::SetFaultsRequest());
  EXPECT_TRUE(UpgradeKey("CLN.00000001", 2).ok());
}

TEST_F(KaMockGrpcTest, OutageFailsEveryCallBareButSparesTheAdminService) {
  ka::SetFaultsRequest faults;
  faults.set_outage(true);
  SetFaults(faults);
  const WireError error = Decode(GetKeyInfo("PLSK.00000001"));
  EXPECT_EQ(error.code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(error.message, "KA outage (injected)");
  EXPECT_FALSE(error.has_details);
  EXPECT_EQ(Decode(CreateKey("VIRTUOZZO", 5)).code,
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Seed(3, 1, false).main_keys_created(), 3);
  EXPECT_THAT(CallCounts(), UnorderedElementsAre(Pair("GetKeyInfo", 1),
                                                 Pair("CreateKey", 1)));
}

TEST_F(KaMockGrpcTest, LatencyHoldsTheAnswerPastAShortDeadline) {
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 1).ok());
  ka::SetFaultsRequest faults;
  faults.set_latency_ms(200);
  SetFaults(faults);
  ka::GetKeyInfoRequest request;
  request.set_key_number("CLN.00000001");
  ka::GetKeyInfoResponse response;
  EXPECT_EQ(Ka(&KeyAdministratorService::Stub::GetKeyInfo, request, &response,
               absl::Milliseconds(50))
                .error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  const grpc::Status patient =
      Ka(&KeyAdministratorService::Stub::GetKeyInfo, request, &response);
  ASSERT_TRUE(patient.ok()) << patient.error_message();
  EXPECT_EQ(response.key().key_number(), "CLN.00000001.0001");
}

TEST_F(KaMockGrpcTest, ManyDelayedCallsInFlightAllComplete) {
  ASSERT_TRUE(CreateKey("CLOUDLINUX", 1).ok());
  ka::SetFaultsRequest faults;
  faults.set_latency_ms(20);
  SetFaults(faults);
  CallCounts(/*reset=*/true);

  constexpr int kCalls = 256;
  struct Call {
    grpc::ClientContext context;
    ka::GetKeyInfoResponse response;
    grpc::Status status;
  };
  std::vector<std::unique_ptr<Call>> calls;
  absl::Mutex mu;
  int done = 0;
  ka::GetKeyInfoRequest request;
  request.set_key_number("CLN.00000001");
  for (int i = 0; i < kCalls; ++i) {
    auto call = std::make_unique<Call>();
    call->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    call->context.AddMetadata("ka-login", kLogin);
    call->context.AddMetadata("ka-password", kPassword);
    ka_->async()->GetKeyInfo(&call->context, &request, &call->response,
                             [&, raw = call.get()](grpc::Status status) {
                               absl::MutexLock lock(&mu);
                               raw->status = std::move(status);
                               ++done;
                             });
    calls.push_back(std::move(call));
  }
  {
    absl::MutexLock lock(&mu);
    const auto all_done = [](int* count) { return *count == kCalls; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(+all_done, &done),
                                    absl::Seconds(60)));
  }
  for (const auto& call : calls) {
    EXPECT_TRUE(call->status.ok()) << call->status.error_message();
  }
  EXPECT_EQ(CallCounts()["GetKeyInfo"], kCalls);
}

TEST_F(KaMockGrpcTest, SetFaultsRejectsNonsense) {
  const auto rejects = [&](const ka::SetFaultsRequest& request) {
    ka::SetFaultsResponse response;
    return Admin(&KeyAdministratorAdminService::Stub::SetFaults, request,
                 &response)
               .error_code() == grpc::StatusCode::INVALID_ARGUMENT;
  };
  ka::SetFaultsRequest rate;
  rate.set_error_rate(1.5);
  EXPECT_TRUE(rejects(rate));
  ka::SetFaultsRequest latency;
  latency.set_latency_ms(-1);
  EXPECT_TRUE(rejects(latency));
  ka::SetFaultsRequest method;
  method.add_methods("upgradeKey");
  EXPECT_TRUE(rejects(method));
  ka::SetFaultsRequest code;
  code.set_error_code(static_cast<ka::ResultCode>(999));
  EXPECT_TRUE(rejects(code));
}

TEST_F(KaMockGrpcTest, GetCallCountsCountsEveryMethodAndResets) {
  ka::ListKeyTypesResponse types;
  ASSERT_TRUE(Ka(&KeyAdministratorService::Stub::ListKeyTypes,
                 ka::ListKeyTypesRequest(), &types)
                  .ok());
  EXPECT_FALSE(GetKeyInfo("PLSK.00000001").ok());
  EXPECT_FALSE(RenewKey("PLSK.00000001").ok());
  EXPECT_THAT(CallCounts(/*reset=*/true),
              UnorderedElementsAre(Pair("ListKeyTypes", 1),
                                   Pair("GetKeyInfo", 1), Pair("RenewKey", 1)));
  EXPECT_TRUE(CallCounts().empty());
}

}  // namespace
}  // namespace ka_mock
