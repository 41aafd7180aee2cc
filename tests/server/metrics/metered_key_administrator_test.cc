// Every KA call counted by outcome and timed, and its answer passed on
// unchanged.
#include "server/metrics/metered_key_administrator.h"

#include <gtest/gtest.h>

#include "tests/server/fakes/fake_key_administrator.h"
#include "tests/server/metrics/exposition_lines.h"

namespace lss {
namespace {

using testing::SampleValue;

class MeteredKeyAdministratorTest : public ::testing::Test {
 protected:
  MeteredKeyAdministratorTest() {
    KaKey key;
    key.key_number = "PLSK.00000001.0001";
    ka_.Put(key);
  }

  absl::StatusOr<KaKey> GetKeyInfo(absl::string_view key_number) {
    absl::StatusOr<KaKey> answer = absl::UnknownError("no answer");
    metered_.GetKeyInfo(key_number, [&](absl::StatusOr<KaKey> key) { answer = std::move(key); });
    return answer;  // the fake answers on the caller's thread
  }

  testing::FakeKeyAdministrator ka_;
  metrics::MetricRegistry registry_;
  MeteredKeyAdministrator metered_{ka_, registry_};
};

TEST_F(MeteredKeyAdministratorTest, CountsEachCallByOutcome) {
  ASSERT_TRUE(GetKeyInfo("PLSK.00000001").ok());
  ASSERT_TRUE(GetKeyInfo("PLSK.00000001.0001").ok());
  EXPECT_EQ(GetKeyInfo("PLSK.00000099").status().code(), absl::StatusCode::kNotFound);

  const std::string text = registry_.Render();
  EXPECT_EQ(SampleValue(text, R"(lss_ka_calls_total{method="GetKeyInfo",outcome="OK"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(lss_ka_calls_total{method="GetKeyInfo",outcome="NOT_FOUND"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(lss_ka_call_duration_seconds_count{method="GetKeyInfo"})"), 3);
  EXPECT_EQ(SampleValue(text, R"(lss_ka_call_duration_seconds_count{method="ListKeys"})"), 0);
}

TEST_F(MeteredKeyAdministratorTest, PassesTheAnswerOnUnchanged) {
  absl::StatusOr<KaKey> key = GetKeyInfo("PLSK.00000001");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->key_number, "PLSK.00000001.0001");
  EXPECT_EQ(ka_.calls(), 1);
}

TEST_F(MeteredKeyAdministratorTest, EveryMethodIsItsOwnSeries) {
  absl::Status listed;
  metered_.ListKeys("", 10, [&](absl::StatusOr<KaKeyPage> page) { listed = page.status(); });
  metered_.TerminateKey("PLSK.00000001", [](absl::StatusOr<KaKey>) {});
  EXPECT_EQ(listed.code(), absl::StatusCode::kUnimplemented);  // the fake's answer
  const std::string text = registry_.Render();
  EXPECT_EQ(SampleValue(text, R"(lss_ka_calls_total{method="ListKeys",outcome="UNIMPLEMENTED"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(lss_ka_calls_total{method="TerminateKey",outcome="UNIMPLEMENTED"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(lss_ka_call_duration_seconds_count{method="GetKeyInfo"})"), 0);
}

// Holds GetKeyInfo's callback until the test answers it, as the real client
// does while KA thinks.
class DeferredKa final : public KeyAdministrator {
 public:
  void GetKeyInfo(absl::string_view, KaCallback<KaKey> done) override { pending = std::move(done); }
  void ListKeys(absl::string_view, int, KaCallback<KaKeyPage>) override {}
  void ListKeyTypes(KaCallback<std::vector<KaKeyType>>) override {}
  void GetAvailableUpgrades(absl::string_view, KaCallback<KaUpgradeOptions>) override {}
  void CreateKey(const KaCreateKeyRequest&, KaCallback<KaKey>) override {}
  void UpgradeKey(const KaUpgradeKeyRequest&, KaCallback<KaUpgradeResult>) override {}
  void RenewKey(absl::string_view, KaCallback<KaKey>) override {}
  void TerminateKey(absl::string_view, KaCallback<KaKey>) override {}

  KaCallback<KaKey> pending;
};

TEST(MeteredKeyAdministratorLifetimeTest, AnAnswerAfterTheDecoratorIsGoneIsStillRecorded) {
  metrics::MetricRegistry registry;  // outlives the decorator, as in the server
  DeferredKa ka;
  auto metered = std::make_unique<MeteredKeyAdministrator>(ka, registry);
  absl::Status seen = absl::UnknownError("no answer");
  metered->GetKeyInfo("PLSK.00000001", [&](absl::StatusOr<KaKey> key) { seen = key.status(); });
  metered.reset();
  std::move(ka.pending)(absl::UnavailableError("KA down"));
  EXPECT_EQ(seen.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(SampleValue(registry.Render(), R"(lss_ka_calls_total{method="GetKeyInfo",outcome="UNAVAILABLE"})"), 1);
}

}  // namespace
}  // namespace lss
