// KeyAdministratorClient against the real ka-mock process: every method
// round-trips, KA's codes map to our reasons, retries, deadlines, the
// in-flight bound and shutdown behave. Each test gets a fresh ka-mock.
#include "client/key_administrator_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/status/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "tests/harness/ka_mock_process.h"

namespace lss {
namespace {

namespace ka = keyadmin::v1;
using harness::KaMockProcess;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kPassword = "test-ka-password";
constexpr int kSeedKeys = 25;
// Generous: a callback that never comes fails the test instead of hanging it.
constexpr absl::Duration kCallbackWait = absl::Seconds(60);

template <typename T>
struct Outcome {
  absl::Notification done;
  absl::StatusOr<T> result = absl::UnknownError("callback never ran");
};

// Issues one asynchronous call and waits, with a deadline, for its callback.
template <typename T, typename Issue>
absl::StatusOr<T> Await(Issue issue) {
  // Shared, so that a callback arriving after a timeout writes to live memory.
  auto outcome = std::make_shared<Outcome<T>>();
  issue([outcome](absl::StatusOr<T> result) {
    outcome->result = std::move(result);
    outcome->done.Notify();
  });
  if (!outcome->done.WaitForNotificationWithTimeout(kCallbackWait)) {
    return absl::DeadlineExceededError("test: the callback did not run in time");
  }
  return outcome->result;
}

absl::StatusOr<KaKey> GetKeyInfo(KeyAdministrator& ka, absl::string_view key_number) {
  return Await<KaKey>([&](KaCallback<KaKey> done) { ka.GetKeyInfo(key_number, std::move(done)); });
}
absl::StatusOr<KaKeyPage> ListKeys(KeyAdministrator& ka, absl::string_view token, int size) {
  return Await<KaKeyPage>(
      [&](KaCallback<KaKeyPage> done) { ka.ListKeys(token, size, std::move(done)); });
}
absl::StatusOr<std::vector<KaKeyType>> ListKeyTypes(KeyAdministrator& ka) {
  return Await<std::vector<KaKeyType>>(
      [&](KaCallback<std::vector<KaKeyType>> done) { ka.ListKeyTypes(std::move(done)); });
}
absl::StatusOr<KaUpgradeOptions> GetAvailableUpgrades(KeyAdministrator& ka,
                                                      absl::string_view key_number) {
  return Await<KaUpgradeOptions>([&](KaCallback<KaUpgradeOptions> done) {
    ka.GetAvailableUpgrades(key_number, std::move(done));
  });
}
absl::StatusOr<KaKey> CreateKey(KeyAdministrator& ka, const KaCreateKeyRequest& request) {
  return Await<KaKey>([&](KaCallback<KaKey> done) { ka.CreateKey(request, std::move(done)); });
}
absl::StatusOr<KaUpgradeResult> UpgradeKey(KeyAdministrator& ka,
                                           const KaUpgradeKeyRequest& request) {
  return Await<KaUpgradeResult>(
      [&](KaCallback<KaUpgradeResult> done) { ka.UpgradeKey(request, std::move(done)); });
}
absl::StatusOr<KaKey> RenewKey(KeyAdministrator& ka, absl::string_view key_number) {
  return Await<KaKey>([&](KaCallback<KaKey> done) { ka.RenewKey(key_number, std::move(done)); });
}
absl::StatusOr<KaKey> TerminateKey(KeyAdministrator& ka, absl::string_view key_number) {
  return Await<KaKey>(
      [&](KaCallback<KaKey> done) { ka.TerminateKey(key_number, std::move(done)); });
}

// Polls `condition` until it holds or `timeout` passes; true if it held.
template <typename Condition>
bool Eventually(Condition condition, absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// "PLSK.00012345.0002" -> 2.
int RevisionOf(const std::string& key_number) {
  return std::stoi(key_number.substr(key_number.rfind('.') + 1));
}

// "PLSK.00012345.0002" -> "00012345".
std::string NumberOf(const std::string& key_number) {
  const size_t first = key_number.find('.') + 1;
  return key_number.substr(first, key_number.find('.', first) - first);
}

std::string WithoutRevision(const std::string& key_number) {
  return key_number.substr(0, key_number.rfind('.'));
}

// Asserts that `status` is the error a KA result code maps to.
void ExpectKaError(const absl::Status& status, absl::StatusCode code, absl::string_view reason,
                   absl::string_view ka_code) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(ReasonOf(status), reason) << status;
  EXPECT_EQ(MetadataOf(status, "ka_code"), ka_code) << status;
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kPassword)));
}

class KeyAdministratorClientTest : public ::testing::Test {
 protected:
  using Options = KeyAdministratorClient::Options;

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KaMockProcess>> mock =
        KaMockProcess::Start({.seed_keys = kSeedKeys, .password = std::string(kPassword)});
    ASSERT_TRUE(mock.ok()) << mock.status();
    mock_ = *std::move(mock);
    admin_ = ka::KeyAdministratorAdminService::NewStub(mock_->NewChannel());
  }

  Options BaseOptions() const {
    Options options;
    options.target = mock_->address();
    options.credentials = {"billing", std::string(kPassword)};
    options.jitter_source = [] { return 0.0; };  // retry at once: tests stay quick
    return options;
  }

  std::unique_ptr<KeyAdministratorClient> MakeClient(Options options) {
    absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> client =
        KeyAdministratorClient::Create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  static grpc::ClientContext* WithDeadline(grpc::ClientContext& context) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return &context;
  }

  void SetFaults(const ka::SetFaultsRequest& request) {
    grpc::ClientContext context;
    ka::SetFaultsResponse response;
    grpc::Status status = admin_->SetFaults(WithDeadline(context), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void InjectKaCode(ka::ResultCode code, const std::string& method = "") {
    ka::SetFaultsRequest faults;
    faults.set_error_rate(1.0);
    faults.set_error_code(code);
    if (!method.empty()) faults.add_methods(method);
    SetFaults(faults);
  }

  int64_t CallCount(const std::string& method, bool reset = false) {
    grpc::ClientContext context;
    ka::GetCallCountsRequest request;
    request.set_reset(reset);
    ka::GetCallCountsResponse response;
    grpc::Status status = admin_->GetCallCounts(WithDeadline(context), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    auto it = response.counts().find(method);
    return it == response.counts().end() ? 0 : it->second;
  }

  void ResetCallCounts() { CallCount("", /*reset=*/true); }

  ka::Key ChangeKey(const ka::ChangeKeyRequest& request) {
    grpc::ClientContext context;
    ka::ChangeKeyResponse response;
    grpc::Status status = admin_->ChangeKey(WithDeadline(context), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.key();
  }

  // The seeded main keys that are still usable, in key-number order.
  std::vector<KaKey> LiveMainKeys(KeyAdministrator& ka) {
    std::vector<KaKey> keys;
    absl::StatusOr<KaKeyPage> page = ListKeys(ka, "", 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return keys;
    for (KaKey& key : page->keys) {
      if (!key.additional && !key.terminated && !key.problem) keys.push_back(std::move(key));
    }
    EXPECT_FALSE(keys.empty());
    return keys;
  }

  absl::StatusOr<KaKey> AnyLiveMainKey(KeyAdministrator& ka) {
    std::vector<KaKey> keys = LiveMainKeys(ka);
    if (keys.empty()) return absl::NotFoundError("test: no live main key listed");
    return keys.front();
  }

  std::unique_ptr<KaMockProcess> mock_;
  std::unique_ptr<ka::KeyAdministratorAdminService::Stub> admin_;
};

// --- every method round-trips ---------------------------------------------

TEST_F(KeyAdministratorClientTest, GetKeyInfoFindsKeyWithAndWithoutRevision) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;

  absl::StatusOr<KaKey> full = GetKeyInfo(*client, key.key_number);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(*full, key);

  absl::StatusOr<KaKey> bare = GetKeyInfo(*client, WithoutRevision(key.key_number));
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->key_number, key.key_number);

  // An older revision finds the key too, under its current number.
  ka::ChangeKeyRequest regenerate;
  regenerate.set_key_number(key.key_number);
  regenerate.set_regenerate(true);
  const std::string current = ChangeKey(regenerate).key_number();
  ASSERT_NE(current, key.key_number);
  absl::StatusOr<KaKey> old = GetKeyInfo(*client, key.key_number);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->key_number, current);
}

TEST_F(KeyAdministratorClientTest, ListKeysPagesThroughEverySeededKey) {
  auto client = MakeClient(BaseOptions());
  ResetCallCounts();
  std::vector<KaKey> keys;
  std::string token;
  int64_t total = -1;
  int pages = 0;
  do {
    absl::StatusOr<KaKeyPage> page = ListKeys(*client, token, 7);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->keys.size(), 7u);
    if (total < 0) total = page->total_size;
    EXPECT_EQ(page->total_size, total);
    for (KaKey& key : page->keys) keys.push_back(std::move(key));
    token = page->next_page_token;
    ASSERT_LT(++pages, 100) << "paging does not end";
  } while (!token.empty());

  EXPECT_GE(total, kSeedKeys);  // main keys, plus the additional ones
  EXPECT_EQ(static_cast<int64_t>(keys.size()), total);
  // Key-number order is the order of the 8-digit number, which identifies a
  // key whatever its prefix; so no key is listed twice or skipped.
  for (size_t i = 1; i < keys.size(); ++i) {
    EXPECT_LT(NumberOf(keys[i - 1].key_number), NumberOf(keys[i].key_number))
        << keys[i - 1].key_number << " listed before " << keys[i].key_number;
  }
  EXPECT_EQ(CallCount("ListKeys"), pages);
}

TEST_F(KeyAdministratorClientTest, ListKeyTypesReturnsTheCatalogue) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<std::vector<KaKeyType>> types = ListKeyTypes(*client);
  ASSERT_TRUE(types.ok()) << types.status();
  ASSERT_FALSE(types->empty());
  bool saw_main = false;
  bool saw_additional = false;
  for (const KaKeyType& type : *types) {
    SCOPED_TRACE(type.name);
    EXPECT_FALSE(type.name.empty());
    EXPECT_FALSE(type.key_prefix.empty());
    ASSERT_FALSE(type.capacity_steps.empty());
    EXPECT_TRUE(std::is_sorted(type.capacity_steps.begin(), type.capacity_steps.end()));
    EXPECT_EQ(type.max_capacity, type.capacity_steps.back());
    (type.additional ? saw_additional : saw_main) = true;
  }
  EXPECT_TRUE(saw_main);
  EXPECT_TRUE(saw_additional);
}

TEST_F(KeyAdministratorClientTest, GetAvailableUpgradesOffersOnlyWhatTheKeyLacks) {
  auto client = MakeClient(BaseOptions());
  for (const KaKey& key : LiveMainKeys(*client)) {
    SCOPED_TRACE(key.key_number);
    absl::StatusOr<KaUpgradeOptions> options = GetAvailableUpgrades(*client, key.key_number);
    ASSERT_TRUE(options.ok()) << options.status();
    EXPECT_EQ(options->key_number, key.key_number);
    EXPECT_EQ(options->key_type, key.key_type);
    EXPECT_EQ(options->current_capacity, key.capacity);
    for (int64_t step : options->capacity_steps) EXPECT_GT(step, key.capacity);
    for (const KaFeature& offered : options->features) {
      for (const KaFeature& owned : key.features) EXPECT_NE(offered.api_name, owned.api_name);
    }
  }
}

TEST_F(KeyAdministratorClientTest, CreateKeyIsIdempotentByIdempotencyKey) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<std::vector<KaKeyType>> types = ListKeyTypes(*client);
  ASSERT_TRUE(types.ok()) << types.status();
  auto main_type =
      std::find_if(types->begin(), types->end(), [](const KaKeyType& t) { return !t.additional; });
  ASSERT_NE(main_type, types->end());
  absl::StatusOr<KaKeyPage> before = ListKeys(*client, "", 1);
  ASSERT_TRUE(before.ok()) << before.status();
  ResetCallCounts();

  KaCreateKeyRequest request;
  request.key_type = main_type->name;
  request.capacity = main_type->capacity_steps.front();
  if (!main_type->features.empty()) request.features = {main_type->features.front().api_name};
  request.billing_type = KaBillingType::kPurchase;
  request.idempotency_key = "create-once-1";
  absl::StatusOr<KaKey> first = CreateKey(*client, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<KaKey> second = CreateKey(*client, request);
  ASSERT_TRUE(second.ok()) << second.status();

  EXPECT_EQ(second->key_number, first->key_number);
  EXPECT_EQ(first->key_type, request.key_type);
  EXPECT_EQ(first->capacity, request.capacity);
  EXPECT_EQ(first->billing_type, KaBillingType::kPurchase);
  EXPECT_FALSE(first->additional);
  if (!request.features.empty()) {
    ASSERT_EQ(first->features.size(), 1u);
    EXPECT_EQ(first->features[0].api_name, request.features[0]);
  }
  EXPECT_EQ(CallCount("CreateKey"), 2);
  absl::StatusOr<KaKeyPage> after = ListKeys(*client, "", 1);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->total_size, before->total_size + 1);
}

TEST_F(KeyAdministratorClientTest, CreateKeyAttachesAnAdditionalKey) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<std::vector<KaKeyType>> types = ListKeyTypes(*client);
  ASSERT_TRUE(types.ok()) << types.status();
  auto add_on =
      std::find_if(types->begin(), types->end(), [](const KaKeyType& t) { return t.additional; });
  ASSERT_NE(add_on, types->end());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey parent = *live;

  absl::StatusOr<KaKey> created = CreateKey(*client, {.key_type = add_on->name,
                                                      .capacity = add_on->capacity_steps.front(),
                                                      .features = {},
                                                      .billing_type = KaBillingType::kLease,
                                                      .parent_key_number = parent.key_number,
                                                      .idempotency_key = "attach-1"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->additional);
  EXPECT_EQ(WithoutRevision(created->parent_key_number), WithoutRevision(parent.key_number));
}

TEST_F(KeyAdministratorClientTest, UpgradeKeyIssuesANewRevision) {
  auto client = MakeClient(BaseOptions());
  for (const KaKey& key : LiveMainKeys(*client)) {
    absl::StatusOr<KaUpgradeOptions> options = GetAvailableUpgrades(*client, key.key_number);
    ASSERT_TRUE(options.ok()) << options.status();
    if (options->capacity_steps.empty()) continue;  // already at the maximum
    const int64_t target = options->capacity_steps.front();

    absl::StatusOr<KaUpgradeResult> upgraded =
        UpgradeKey(*client, {.key_number = key.key_number,
                             .capacity = target,
                             .add_features = {},
                             .idempotency_key = "upgrade-1"});
    ASSERT_TRUE(upgraded.ok()) << upgraded.status();
    EXPECT_EQ(upgraded->previous_key_number, key.key_number);
    EXPECT_EQ(WithoutRevision(upgraded->key.key_number), WithoutRevision(key.key_number));
    EXPECT_EQ(RevisionOf(upgraded->key.key_number), RevisionOf(key.key_number) + 1);
    EXPECT_EQ(upgraded->key.capacity, target);

    absl::StatusOr<KaKey> now = GetKeyInfo(*client, key.key_number);
    ASSERT_TRUE(now.ok()) << now.status();
    EXPECT_EQ(now->key_number, upgraded->key.key_number);
    return;
  }
  FAIL() << "no seeded key can be upgraded";
}

TEST_F(KeyAdministratorClientTest, RenewKeyExtendsTheTerm) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  absl::StatusOr<KaKey> renewed = RenewKey(*client, key.key_number);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->key_number, key.key_number);
  EXPECT_GT(renewed->expire_time, key.expire_time);
  EXPECT_LT(renewed->update_due_time, renewed->expire_time);
}

TEST_F(KeyAdministratorClientTest, TerminateKeyTerminatesOnce) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  absl::StatusOr<KaKey> terminated = TerminateKey(*client, key.key_number);
  ASSERT_TRUE(terminated.ok()) << terminated.status();
  EXPECT_TRUE(terminated->terminated);

  absl::StatusOr<KaKey> again = TerminateKey(*client, key.key_number);
  ExpectKaError(again.status(), absl::StatusCode::kFailedPrecondition, kReasonKaAlreadyInState,
                "110");
}

// --- KA's result codes, from real KA state ---------------------------------

TEST_F(KeyAdministratorClientTest, UnknownKeyIsNotFound) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "PLSK.99999999");
  ExpectKaError(key.status(), absl::StatusCode::kNotFound, kReasonKaKeyNotFound, "220");
  EXPECT_EQ(key.status().message(), "Key Administrator: key PLSK.99999999 not found (KA code 220)");
}

TEST_F(KeyAdministratorClientTest, MalformedKeyNumberIsInvalidArgument) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "not-a-key");
  ExpectKaError(key.status(), absl::StatusCode::kInvalidArgument, kReasonMalformedKeyNumber, "410");
  ASSERT_EQ(FieldViolationsOf(key.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(key.status())[0].field, "key_number");
}

TEST_F(KeyAdministratorClientTest, TerminatedKeyRefusesUpgrades) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ka::ChangeKeyRequest terminate;
  terminate.set_key_number(key.key_number);
  terminate.set_terminate(true);
  ChangeKey(terminate);
  absl::StatusOr<KaUpgradeOptions> options = GetAvailableUpgrades(*client, key.key_number);
  ExpectKaError(options.status(), absl::StatusCode::kFailedPrecondition, kReasonKaKeyTerminated,
                "222");
}

TEST_F(KeyAdministratorClientTest, ProblemKeyRefusesRenewal) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ka::ChangeKeyRequest mark;
  mark.set_key_number(key.key_number);
  mark.set_mark_problem(true);
  ChangeKey(mark);
  absl::StatusOr<KaKey> renewed = RenewKey(*client, key.key_number);
  ExpectKaError(renewed.status(), absl::StatusCode::kFailedPrecondition, kReasonKaKeyProblem,
                "221");
}

TEST_F(KeyAdministratorClientTest, UnknownKeyTypeHasNoPriceListEntry) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> created = CreateKey(*client, {.key_type = "NO_SUCH_TYPE",
                                                      .capacity = 10,
                                                      .features = {},
                                                      .billing_type = KaBillingType::kLease,
                                                      .parent_key_number = "",
                                                      .idempotency_key = "bad-type"});
  ExpectKaError(created.status(), absl::StatusCode::kFailedPrecondition, kReasonKaNoPriceListEntry,
                "260");
}

TEST_F(KeyAdministratorClientTest, DowngradeIsNotAcceptable) {
  auto client = MakeClient(BaseOptions());
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ASSERT_GT(key.capacity, 1);
  absl::StatusOr<KaUpgradeResult> upgraded = UpgradeKey(*client, {.key_number = key.key_number,
                                                                  .capacity = key.capacity - 1,
                                                                  .add_features = {},
                                                                  .idempotency_key = "downgrade"});
  ExpectKaError(upgraded.status(), absl::StatusCode::kFailedPrecondition,
                kReasonKaUpgradeNotAcceptable, "266");
}

TEST_F(KeyAdministratorClientTest, WrongPasswordIsOurAuthFailureAndNotRetried) {
  Options options = BaseOptions();
  options.credentials.password = "wrong-password-xyz";
  auto client = MakeClient(std::move(options));
  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "PLSK.00000001");
  ExpectKaError(key.status(), absl::StatusCode::kUnavailable, kReasonKaAuthFailed, "200");
  EXPECT_THAT(std::string(key.status().message()), Not(HasSubstr("wrong-password-xyz")));
  EXPECT_EQ(CallCount("GetKeyInfo"), 1);
}

// --- KA's result codes, injected -------------------------------------------

struct InjectedCase {
  ka::ResultCode code;
  absl::StatusCode want_code;
  absl::string_view want_reason;
};

class InjectedKaCodeTest : public KeyAdministratorClientTest,
                           public ::testing::WithParamInterface<InjectedCase> {};

TEST_P(InjectedKaCodeTest, MapsAndDoesNotRetry) {
  const InjectedCase& c = GetParam();
  auto client = MakeClient(BaseOptions());
  InjectKaCode(c.code);
  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "PLSK.00000001");
  ExpectKaError(key.status(), c.want_code, c.want_reason, absl::StrCat(static_cast<int>(c.code)));
  EXPECT_EQ(CallCount("GetKeyInfo"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    EveryNonRetryableCode, InjectedKaCodeTest,
    ::testing::Values(InjectedCase{ka::RESULT_CODE_ALREADY_IN_STATE,
                                   absl::StatusCode::kFailedPrecondition, kReasonKaAlreadyInState},
                      InjectedCase{ka::RESULT_CODE_AUTHENTICATION_FAILED,
                                   absl::StatusCode::kUnavailable, kReasonKaAuthFailed},
                      InjectedCase{ka::RESULT_CODE_KEY_NOT_FOUND, absl::StatusCode::kNotFound,
                                   kReasonKaKeyNotFound},
                      InjectedCase{ka::RESULT_CODE_KEY_PROBLEM,
                                   absl::StatusCode::kFailedPrecondition, kReasonKaKeyProblem},
                      InjectedCase{ka::RESULT_CODE_KEY_TERMINATED,
                                   absl::StatusCode::kFailedPrecondition, kReasonKaKeyTerminated},
                      InjectedCase{ka::RESULT_CODE_NO_PRICE_LIST_ENTRY,
                                   absl::StatusCode::kFailedPrecondition,
                                   kReasonKaNoPriceListEntry},
                      InjectedCase{ka::RESULT_CODE_UPGRADE_NOT_ACCEPTABLE,
                                   absl::StatusCode::kFailedPrecondition,
                                   kReasonKaUpgradeNotAcceptable},
                      InjectedCase{ka::RESULT_CODE_REMOTE_OPERATION_FAILED,
                                   absl::StatusCode::kUnavailable, kReasonKaOperationFailed},
                      InjectedCase{ka::RESULT_CODE_MALFORMED_KEY_NUMBER,
                                   absl::StatusCode::kInvalidArgument, kReasonMalformedKeyNumber}),
    [](const ::testing::TestParamInfo<InjectedCase>& info) {
      return absl::StrCat("Code", static_cast<int>(info.param.code));
    });

// --- retries and deadlines --------------------------------------------------

TEST_F(KeyAdministratorClientTest, OutageIsRetriedUpToMaxAttemptsThenUnavailable) {
  Options options = BaseOptions();
  options.retry.max_attempts = 4;
  auto jitter_draws = std::make_shared<std::atomic<int>>(0);
  options.jitter_source = [jitter_draws] {
    ++*jitter_draws;
    return 0.0;
  };
  auto client = MakeClient(std::move(options));
  ka::SetFaultsRequest outage;
  outage.set_outage(true);
  SetFaults(outage);

  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "PLSK.00000001");
  ExpectKaError(key.status(), absl::StatusCode::kUnavailable, kReasonKaUnavailable, "");
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("after 4 attempts"));
  EXPECT_EQ(CallCount("GetKeyInfo"), 4);
  EXPECT_EQ(*jitter_draws, 3);  // one backoff before each retry
}

TEST_F(KeyAdministratorClientTest, KaCode300IsRetriedExactlyMaxAttemptsTimes) {
  Options options = BaseOptions();
  options.retry.max_attempts = 3;
  auto client = MakeClient(std::move(options));
  InjectKaCode(ka::RESULT_CODE_INTERNAL);
  absl::StatusOr<KaKey> key = GetKeyInfo(*client, "PLSK.00000001");
  ExpectKaError(key.status(), absl::StatusCode::kUnavailable, kReasonKaUnavailable, "300");
  EXPECT_EQ(CallCount("GetKeyInfo"), 3);
}

TEST_F(KeyAdministratorClientTest, KaCode300ClearedMidwaySucceedsOnRetry) {
  Options options = BaseOptions();
  options.retry.max_attempts = 10;
  options.retry.initial_backoff = absl::Milliseconds(200);
  options.retry.max_backoff = absl::Seconds(1);
  options.jitter_source = [] { return 1.0; };  // the full backoff: time to clear the fault
  auto client = MakeClient(std::move(options));
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ResetCallCounts();
  InjectKaCode(ka::RESULT_CODE_INTERNAL);

  auto outcome = std::make_shared<Outcome<KaKey>>();
  client->GetKeyInfo(key.key_number, [outcome](absl::StatusOr<KaKey> result) {
    outcome->result = std::move(result);
    outcome->done.Notify();
  });
  ASSERT_TRUE(Eventually([&] { return CallCount("GetKeyInfo") >= 1; }));
  SetFaults(ka::SetFaultsRequest());  // all zero: KA recovers
  ASSERT_TRUE(outcome->done.WaitForNotificationWithTimeout(kCallbackWait));
  ASSERT_TRUE(outcome->result.ok()) << outcome->result.status();
  EXPECT_EQ(outcome->result->key_number, key.key_number);
  EXPECT_GE(CallCount("GetKeyInfo"), 2);
}

TEST_F(KeyAdministratorClientTest, NonIdempotentCallsAreRetriedOnlyOnKaRetryLater) {
  Options options = BaseOptions();
  options.retry.max_attempts = 3;
  auto client = MakeClient(std::move(options));
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  const KaCreateKeyRequest create{.key_type = "PLESK_WEB_PRO",
                                  .capacity = 30,
                                  .features = {},
                                  .billing_type = KaBillingType::kLease,
                                  .parent_key_number = "",
                                  .idempotency_key = ""};
  ka::SetFaultsRequest outage;
  outage.set_outage(true);
  SetFaults(outage);
  ResetCallCounts();

  // A bare UNAVAILABLE may hide a lost answer: one attempt only.
  ExpectKaError(CreateKey(*client, create).status(), absl::StatusCode::kUnavailable,
                kReasonKaUnavailable, "");
  ExpectKaError(RenewKey(*client, key.key_number).status(), absl::StatusCode::kUnavailable,
                kReasonKaUnavailable, "");
  EXPECT_EQ(CallCount("CreateKey"), 1);
  EXPECT_EQ(CallCount("RenewKey"), 1);

  // KA's own 300 says it did nothing: retried like any call.
  InjectKaCode(ka::RESULT_CODE_INTERNAL);
  ResetCallCounts();
  ExpectKaError(CreateKey(*client, create).status(), absl::StatusCode::kUnavailable,
                kReasonKaUnavailable, "300");
  ExpectKaError(RenewKey(*client, key.key_number).status(), absl::StatusCode::kUnavailable,
                kReasonKaUnavailable, "300");
  EXPECT_EQ(CallCount("CreateKey"), 3);
  EXPECT_EQ(CallCount("RenewKey"), 3);
}

TEST_F(KeyAdministratorClientTest, DeadlineExceededIsUnavailableAndNotRetried) {
  Options options = BaseOptions();
  options.attempt_deadline = absl::Milliseconds(50);
  auto client = MakeClient(std::move(options));
  // Connect the channel first, so that the one attempt below surely reaches
  // KA; on a loaded machine even that may take a few 50 ms attempts.
  ASSERT_TRUE(Eventually([&] { return ListKeys(*client, "", 1).ok(); }));
  ResetCallCounts();
  ka::SetFaultsRequest slow;
  slow.set_latency_ms(300);
  SetFaults(slow);

  absl::StatusOr<KaKey> result = GetKeyInfo(*client, "PLSK.00000001");
  ExpectKaError(result.status(), absl::StatusCode::kUnavailable, kReasonKaUnavailable, "");
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("within 50ms"));
  // The callback has run, so no attempt can follow; wait only for the one
  // attempt to be counted.
  ASSERT_TRUE(Eventually([&] { return CallCount("GetKeyInfo") >= 1; }));
  EXPECT_EQ(CallCount("GetKeyInfo"), 1);
}

// --- the in-flight bound and shutdown ---------------------------------------

// Counts callbacks and remembers what they saw.
struct Tally {
  absl::Mutex mu;
  int completed ABSL_GUARDED_BY(mu) = 0;
  int succeeded ABSL_GUARDED_BY(mu) = 0;
  int max_in_flight_seen ABSL_GUARDED_BY(mu) = 0;
  std::vector<absl::Status> errors ABSL_GUARDED_BY(mu);

  bool WaitFor(int n) {
    absl::MutexLock lock(&mu);
    auto reached = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return completed >= n; };
    return mu.AwaitWithTimeout(absl::Condition(&reached), kCallbackWait);
  }
};

TEST_F(KeyAdministratorClientTest, InFlightNeverExceedsTheBound) {
  constexpr int kCalls = 20;
  constexpr int kBound = 4;
  Options options = BaseOptions();
  options.max_in_flight = kBound;
  auto client = MakeClient(std::move(options));
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ka::SetFaultsRequest slow;
  slow.set_latency_ms(200);
  SetFaults(slow);

  auto tally = std::make_shared<Tally>();
  KeyAdministratorClient* raw = client.get();
  int max_seen_while_issuing = 0;
  int max_queued_seen = 0;
  for (int i = 0; i < kCalls; ++i) {
    client->GetKeyInfo(key.key_number, [tally, raw](absl::StatusOr<KaKey> result) {
      const int in_flight = raw->InFlight();
      absl::MutexLock lock(&tally->mu);
      tally->max_in_flight_seen = std::max(tally->max_in_flight_seen, in_flight);
      ++tally->completed;
      if (result.ok()) ++tally->succeeded;
    });
    max_seen_while_issuing = std::max(max_seen_while_issuing, client->InFlight());
    max_queued_seen = std::max(max_queued_seen, client->Queued());
  }

  ASSERT_TRUE(tally->WaitFor(kCalls));
  absl::MutexLock lock(&tally->mu);
  EXPECT_EQ(tally->succeeded, kCalls);
  EXPECT_LE(tally->max_in_flight_seen, kBound);
  EXPECT_LE(max_seen_while_issuing, kBound);
  EXPECT_GT(max_queued_seen, 0) << "the bound never made a call wait";
  EXPECT_EQ(client->InFlight(), 0);
  EXPECT_EQ(client->Queued(), 0);
}

TEST_F(KeyAdministratorClientTest, DestructorFailsOutstandingCallsAndWaitsForTheirCallbacks) {
  constexpr int kCalls = 10;
  Options options = BaseOptions();
  options.max_in_flight = 2;  // two in flight, eight queued
  auto client = MakeClient(std::move(options));
  absl::StatusOr<KaKey> live = AnyLiveMainKey(*client);
  ASSERT_TRUE(live.ok()) << live.status();
  const KaKey key = *live;
  ka::SetFaultsRequest slow;
  slow.set_latency_ms(2000);
  SetFaults(slow);

  auto tally = std::make_shared<Tally>();
  for (int i = 0; i < kCalls; ++i) {
    client->GetKeyInfo(key.key_number, [tally](absl::StatusOr<KaKey> result) {
      absl::MutexLock lock(&tally->mu);
      ++tally->completed;
      if (!result.ok()) tally->errors.push_back(result.status());
    });
  }
  client.reset();

  // No waiting: the destructor returned only after every callback had.
  absl::MutexLock lock(&tally->mu);
  EXPECT_EQ(tally->completed, kCalls);
  ASSERT_EQ(tally->errors.size(), static_cast<size_t>(kCalls));
  for (const absl::Status& error : tally->errors) {
    EXPECT_EQ(error.code(), absl::StatusCode::kUnavailable) << error;
    EXPECT_EQ(ReasonOf(error), kReasonKaUnavailable) << error;
  }
}

TEST_F(KeyAdministratorClientTest, DestructorCancelsAPendingRetry) {
  Options options = BaseOptions();
  options.retry.initial_backoff = absl::Seconds(30);
  options.retry.max_backoff = absl::Seconds(30);
  options.jitter_source = [] { return 1.0; };
  auto client = MakeClient(std::move(options));
  InjectKaCode(ka::RESULT_CODE_INTERNAL);

  auto tally = std::make_shared<Tally>();
  client->GetKeyInfo("PLSK.00000001", [tally](absl::StatusOr<KaKey> result) {
    absl::MutexLock lock(&tally->mu);
    ++tally->completed;
    if (!result.ok()) tally->errors.push_back(result.status());
  });
  // The first attempt failed and gave back its slot: the call now waits on
  // its backoff alarm.
  ASSERT_TRUE(Eventually([&] { return CallCount("GetKeyInfo") >= 1 && client->InFlight() == 0; }));
  client.reset();

  absl::MutexLock lock(&tally->mu);
  EXPECT_EQ(tally->completed, 1);
  ASSERT_EQ(tally->errors.size(), 1u);
  EXPECT_EQ(tally->errors[0].code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(tally->errors[0]), kReasonKaUnavailable);
  EXPECT_EQ(CallCount("GetKeyInfo"), 1);
}

// --- no KA at all ------------------------------------------------------------

// A loopback port that nothing listens on: bound, read, released.
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

TEST(KeyAdministratorClientNoKaTest, UnreachableKaIsUnavailableAfterRetries) {
  const int port = UnusedPort();
  ASSERT_GT(port, 0);
  KeyAdministratorClient::Options options;
  options.target = absl::StrCat("127.0.0.1:", port);
  options.credentials = {"billing", std::string(kPassword)};
  options.retry.max_attempts = 3;
  auto jitter_draws = std::make_shared<std::atomic<int>>(0);
  options.jitter_source = [jitter_draws] {
    ++*jitter_draws;
    return 0.0;
  };
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> client =
      KeyAdministratorClient::Create(std::move(options));
  ASSERT_TRUE(client.ok()) << client.status();

  absl::StatusOr<KaKey> key = GetKeyInfo(**client, "PLSK.00000001");
  ExpectKaError(key.status(), absl::StatusCode::kUnavailable, kReasonKaUnavailable, "");
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("after 3 attempts"));
  EXPECT_EQ(*jitter_draws, 2);
}

}  // namespace
}  // namespace lss
