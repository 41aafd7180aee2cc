// The upgrade wizard and TerminateLicense end to end: real ka-mock and
// license-server processes on the backend this executable was built for.
// Most tests share one server and one ka-mock and take licenses no other
// test touches (LicensePool), so counts at ka-mock are read as differences
// around each test's own calls. Tests that need a server of their own (a
// short TTL, a daily run) start one. Every wait is a condition with a
// deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"
#include "tests/integration/upgrade_steps_client.h"

namespace lss::upgrade_test {
namespace {

using google::protobuf::util::MessageDifferencer;
using harness::LicenseServerProcess;
using harness::WaitFor;
using licensing::v1::MismatchKind;
using licensing::v1::PriceLine;
using licensing::v1::UpgradeState;

// Enough keys that every test finds licenses of the shape it needs (one in
// five main keys has an additional key; classes and features are drawn
// deterministically by ka-mock's seed).
constexpr int kSeedKeys = 80;
constexpr int64_t kPpm = 1'000'000;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}
int64_t SecondsOf(const google::protobuf::Timestamp& t) { return t.seconds(); }

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}
template <typename Repeated>
auto ToVector(const Repeated& items) {
  return std::vector<std::decay_t<decltype(*items.begin())>>(items.begin(), items.end());
}

// The price catalogue the server was started with, read independently of
// the server's parser, so that the tests' expected prices come from the file.
struct PriceList {
  std::string currency;
  int64_t fee = 0;
  std::map<std::string, std::map<int64_t, int64_t>> capacity;
  std::map<std::string, std::map<std::string, int64_t>> features;

  static PriceList Load() {
    PriceList prices;
    std::ifstream in(PriceCataloguePath());
    EXPECT_TRUE(in.good()) << "cannot read " << PriceCataloguePath();
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> words = absl::StrSplit(line.substr(0, line.find('#')), ' ', absl::SkipWhitespace());
      if (words.empty()) continue;
      if (words[0] == "currency") prices.currency = words[1];
      if (words[0] == "fee") prices.fee = std::stoll(words[1]);
      if (words[0] == "capacity") prices.capacity[words[1]][std::stoll(words[2])] = std::stoll(words[3]);
      if (words[0] == "feature") prices.features[words[1]][words[2]] = std::stoll(words[3]);
    }
    return prices;
  }

  // Term amounts of the capacity lines from `from` up to `to`: one per
  // listed step above `from`, each the difference from the step before.
  std::vector<std::pair<int64_t, int64_t>> CapacityLines(const std::string& license_class, int64_t from,
                                                         int64_t to) const {
    std::vector<std::pair<int64_t, int64_t>> lines;
    const std::map<int64_t, int64_t>& steps = capacity.at(license_class);
    auto step = steps.upper_bound(from);
    int64_t previous = step == steps.begin() ? 0 : std::prev(step)->second;
    for (; step != steps.end() && step->first <= to; ++step) {
      lines.emplace_back(step->first, step->second - previous);
      previous = step->second;
    }
    return lines;
  }
};

// term * ppm / 10^6, half up (amounts here are never negative).
int64_t Prorated(int64_t term_amount, int64_t ppm) { return (term_amount * ppm + kPpm / 2) / kPpm; }

// Every line in `currency`, the total their sum, ppm in (0, 10^6].
void ExpectConsistentPrice(const licensing::v1::UpgradePrice& price, const std::string& currency) {
  EXPECT_GT(price.prorate_ppm(), 0);
  EXPECT_LE(price.prorate_ppm(), kPpm);
  int64_t sum = 0;
  for (const PriceLine& line : price.lines()) {
    EXPECT_EQ(line.amount().currency_code(), currency) << line.item();
    EXPECT_EQ(line.term_amount().currency_code(), currency) << line.item();
    EXPECT_FALSE(line.description().empty()) << line.item();
    sum += line.amount().amount_minor();
  }
  EXPECT_EQ(price.total().currency_code(), currency);
  EXPECT_EQ(price.total().amount_minor(), sum);
  EXPECT_TRUE(price.has_price_time());
}

std::vector<licensing::v1::PriceLineKind> KindsOf(const licensing::v1::UpgradePrice& price) {
  std::vector<licensing::v1::PriceLineKind> kinds;
  for (const PriceLine& line : price.lines()) kinds.push_back(line.kind());
  return kinds;
}

std::vector<std::string> AdditionalKeysOf(const google::protobuf::RepeatedPtrField<licensing::v1::AdditionalKey>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys) out.push_back(absl::StrCat(key.key_number(), " ", key.key_type()));
  return Sorted(out);
}
std::vector<std::string> AdditionalKeysOf(const keyadmin::v1::Key& key) {
  std::vector<std::string> out;
  for (const auto& additional : key.additional_keys()) {
    out.push_back(absl::StrCat(additional.key_number(), " ", additional.key_type()));
  }
  return Sorted(out);
}

// `config` (a License or a LicenseConfiguration) is what KA holds for `ka`.
template <typename Config>
void ExpectConfigOfKa(const Config& config, const keyadmin::v1::Key& ka) {
  EXPECT_EQ(config.key_number(), ka.key_number());
  EXPECT_EQ(config.license_class(), ka.key_type());
  EXPECT_EQ(config.capacity(), ka.capacity());
  EXPECT_EQ(Sorted(ToVector(config.features())), FeatureNames(ka));
  EXPECT_EQ(AdditionalKeysOf(config.additional_keys()), AdditionalKeysOf(ka));
  EXPECT_EQ(SecondsOf(config.expire_time()), SecondsOf(ka.expire_time()));
}

std::vector<MismatchKind> KindsOf(const License& license) {
  std::vector<MismatchKind> kinds;
  for (const auto& mismatch : license.mismatches()) kinds.push_back(mismatch.kind());
  return kinds;
}

// One server, one ka-mock and one database for every test of the suites
// below that needs nothing special; created by the first such test.
struct SharedStack {
  std::unique_ptr<UpgradeStack> up;
  PriceList prices;
};
std::unique_ptr<SharedStack>& Shared() {
  static auto* const shared = new std::unique_ptr<SharedStack>;
  return *shared;
}

// The processes stop before the test program's static objects go.
class SharedStackEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Shared().reset(); }
};
[[maybe_unused]] ::testing::Environment* const kSharedStackEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedStackEnvironment);

class UpgradeWizardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Shared() == nullptr) {
      absl::StatusOr<std::unique_ptr<UpgradeStack>> up = UpgradeStack::Start("upgrade-wizard", kSeedKeys);
      ASSERT_TRUE(up.ok()) << up.status();
      auto shared = std::make_unique<SharedStack>();
      shared->up = *std::move(up);
      shared->prices = PriceList::Load();
      Shared() = std::move(shared);
    }
    shared_ = Shared().get();
  }

  UpgradeClient& client() { return *shared_->up->client; }
  KaMockClient& ka() { return *shared_->up->ka; }
  LicensePool& pool() { return shared_->up->pool; }
  const PriceList& prices() { return shared_->prices; }

  void ChangeAtKa(const std::string& key_number, keyadmin::v1::ChangeKeyRequest change) {
    change.set_key_number(key_number);
    grpc::Status status = ka().ChangeKey(change);
    ASSERT_TRUE(status.ok()) << "ChangeKey " << key_number << ": " << status.error_message();
  }

  // The session is still in `state` and the license still at `etag`: a
  // refused call changed nothing.
  void ExpectUnchanged(const std::string& upgrade_id, UpgradeState state, int64_t license_id,
                       const std::string& etag) {
    EXPECT_EQ(client().Get(upgrade_id).state(), state);
    EXPECT_EQ(client().GetLicense(license_id).etag(), etag);
  }

  // Refused as FAILED_PRECONDITION `reason` with the session's state and
  // the step to call instead in the ErrorInfo metadata.
  static void ExpectStepRefused(const grpc::Status& status, absl::string_view reason, absl::string_view state,
                                absl::string_view expected_step) {
    EXPECT_TRUE(FailedWith(status, grpc::StatusCode::FAILED_PRECONDITION, reason));
    const ErrorDetails details = DetailsOf(status);
    EXPECT_EQ(details.Metadata("state"), state) << details.message;
    EXPECT_EQ(details.Metadata("expected_step"), expected_step) << details.message;
  }

  SharedStack* shared_ = nullptr;
};

TEST_F(UpgradeWizardTest, TheWholeWizardUpgradesTheKeyOnceAndKeepsTheOrder) {
  std::optional<License> picked = pool().Take("In Sync, two capacity steps and a feature to go", [&](const License& l) {
    return pool().StepsAbove(l).size() >= 2 && !pool().FeaturesOffered(l).empty();
  });
  ASSERT_TRUE(picked);
  const License before = client().GetLicense(picked->license_id());
  ASSERT_EQ(before.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  const keyadmin::v1::KeyType& type = pool().TypeOf(before);
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  // Start: KA's configuration (the same as billing's here) and the options
  // of the class from the license's capacity upward.
  Upgrade started;
  ASSERT_TRUE(client().Start(before.license_id(), &started).ok());
  EXPECT_FALSE(started.upgrade_id().empty());
  EXPECT_EQ(started.license_id(), before.license_id());
  EXPECT_EQ(started.state(), licensing::v1::UPGRADE_STATE_STARTED);
  EXPECT_EQ(started.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(started.license_etag(), before.etag());
  EXPECT_EQ(started.billing_configuration().key_number(), before.key_number());
  ExpectConfigOfKa(started.ka_configuration(), ka().GetKey(before.key_number()));
  std::vector<int64_t> steps = {before.capacity()};
  for (int64_t step : pool().StepsAbove(before)) steps.push_back(step);
  EXPECT_EQ(ToVector(started.options().capacity_steps()), steps);
  EXPECT_EQ(started.options().max_capacity(), type.max_capacity());
  EXPECT_EQ(started.options().capacity_unit(), type.capacity_unit());
  std::vector<std::string> offered;
  for (const auto& feature : started.options().features()) {
    offered.push_back(feature.api_name());
    EXPECT_FALSE(feature.display_name().empty()) << feature.api_name();
  }
  EXPECT_EQ(Sorted(offered), Sorted(pool().FeaturesOffered(before)));
  EXPECT_GT(TimeOf(started.expire_time()), TimeOf(started.create_time()));
  EXPECT_FALSE(started.has_target_configuration());
  EXPECT_FALSE(started.has_price());

  // Configure: two steps up and a feature.
  const int64_t target_capacity = pool().StepsAbove(before)[1];
  const std::string feature = pool().FeaturesOffered(before)[0];
  Upgrade configured;
  ASSERT_TRUE(client().Configure(started.upgrade_id(), target_capacity, {feature}, &configured).ok());
  EXPECT_EQ(configured.state(), licensing::v1::UPGRADE_STATE_CONFIGURED);
  EXPECT_EQ(configured.target_configuration().capacity(), target_capacity);
  std::vector<std::string> target_features = ToVector(before.features());
  target_features.push_back(feature);
  EXPECT_EQ(ToVector(configured.target_configuration().features()), Sorted(target_features));
  EXPECT_FALSE(configured.has_price());

  // Price: the capacity steps, then the feature, then the fee, from the
  // catalogue's file, prorated by the session's ppm (the fee is not).
  Upgrade priced;
  ASSERT_TRUE(client().Price(started.upgrade_id(), &priced).ok());
  EXPECT_EQ(priced.state(), licensing::v1::UPGRADE_STATE_PRICED);
  const licensing::v1::UpgradePrice& price = priced.price();
  EXPECT_EQ(price.total().currency_code(), "EUR");
  ExpectConsistentPrice(price, "EUR");
  const auto capacity_lines = prices().CapacityLines(before.license_class(), before.capacity(), target_capacity);
  ASSERT_EQ(capacity_lines.size(), 2u);
  ASSERT_EQ(price.lines_size(), 4);
  for (int i = 0; i < 2; ++i) {
    const PriceLine& line = price.lines(i);
    EXPECT_EQ(line.kind(), licensing::v1::PRICE_LINE_KIND_CAPACITY);
    EXPECT_EQ(line.item(), absl::StrCat(capacity_lines[i].first));
    EXPECT_EQ(line.term_amount().amount_minor(), capacity_lines[i].second);
    EXPECT_EQ(line.amount().amount_minor(), Prorated(capacity_lines[i].second, price.prorate_ppm()));
  }
  EXPECT_EQ(price.lines(2).kind(), licensing::v1::PRICE_LINE_KIND_FEATURE);
  EXPECT_EQ(price.lines(2).item(), feature);
  const int64_t feature_price = prices().features.at(before.license_class()).at(feature);
  EXPECT_EQ(price.lines(2).term_amount().amount_minor(), feature_price);
  EXPECT_EQ(price.lines(2).amount().amount_minor(), Prorated(feature_price, price.prorate_ppm()));
  EXPECT_EQ(price.lines(3).kind(), licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE);
  EXPECT_EQ(price.lines(3).amount().amount_minor(), prices().fee);

  // Place: the same license, the key's next revision, the new configuration.
  licensing::v1::PlaceUpgradeOrderResponse placed;
  grpc::Status status = client().Place(started.upgrade_id(), "wizard-order-1", &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const License& after = placed.license();
  EXPECT_EQ(after.license_id(), before.license_id());
  EXPECT_EQ(ParseKeyNumber(after.key_number()).key, ParseKeyNumber(before.key_number()).key);
  EXPECT_EQ(ParseKeyNumber(after.key_number()).revision, ParseKeyNumber(before.key_number()).revision + 1);
  EXPECT_EQ(after.license_class(), before.license_class());
  EXPECT_EQ(after.capacity(), target_capacity);
  EXPECT_EQ(ToVector(after.features()), Sorted(target_features));
  EXPECT_EQ(after.state(), licensing::v1::LICENSE_STATE_ACTIVE);
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_TRUE(after.mismatches().empty()) << after.sync_message();
  EXPECT_NE(after.etag(), before.etag());
  EXPECT_FALSE(after.order_placing());
  ExpectConfigOfKa(after, ka().GetKey(after.key_number()));
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);

  // The order is kept with the session.
  const Upgrade& completed = placed.upgrade();
  EXPECT_EQ(completed.state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  const licensing::v1::UpgradeOrder& order = completed.order();
  EXPECT_EQ(order.request_id(), "wizard-order-1");
  EXPECT_EQ(order.old_key_number(), before.key_number());
  EXPECT_EQ(order.new_key_number(), after.key_number());
  EXPECT_TRUE(order.key_administrator_called());
  EXPECT_TRUE(order.mismatches().empty());
  EXPECT_TRUE(order.error().empty()) << order.error();
  EXPECT_TRUE(order.has_place_time());
  EXPECT_TRUE(order.has_complete_time());
  ASSERT_EQ(order.lines_size(), price.lines_size());
  for (int i = 0; i < order.lines_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(order.lines(i), price.lines(i))) << order.lines(i).DebugString();
  }
  EXPECT_TRUE(MessageDifferencer::Equals(order.total(), price.total()));
  EXPECT_TRUE(MessageDifferencer::Equals(client().Get(started.upgrade_id()).order(), order));
  EXPECT_EQ(client().GetLicense(before.license_id()).etag(), after.etag());

  // KA agrees: a sync finds the license In Sync.
  License synced;
  ASSERT_TRUE(client().Sync(before.license_id(), &synced).ok());
  EXPECT_EQ(synced.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << synced.sync_message();

  // The session has ended.
  ExpectStepRefused(client().Configure(started.upgrade_id(), 0, {feature}), "UPGRADE_ENDED", "COMPLETED",
                    "StartUpgrade");
  ExpectStepRefused(client().Cancel(started.upgrade_id()), "UPGRADE_ENDED", "COMPLETED", "StartUpgrade");
}

TEST_F(UpgradeWizardTest, StartByKeyNumberAndListUpgradesByStateAndLicenseInPages) {
  std::optional<License> license = pool().Take("any", [](const License&) { return true; });
  ASSERT_TRUE(license);
  // By License ID, by the whole key number, by the key without revision.
  Upgrade first, second, third;
  ASSERT_TRUE(client().Start(license->license_id(), &first).ok());
  grpc::Status status = client().StartByKey(license->key_number(), &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = client().StartByKey(ParseKeyNumber(license->key_number()).key, &third);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.license_id(), license->license_id());
  EXPECT_EQ(third.license_id(), license->license_id());
  ASSERT_TRUE(client().Cancel(second.upgrade_id()).ok());

  // Newest first, one to a page, through page tokens.
  licensing::v1::ListUpgradesRequest request;
  request.set_license_id(license->license_id());
  request.set_page_size(1);
  std::vector<std::string> listed;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    licensing::v1::ListUpgradesResponse response;
    status = client().List(request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_LE(response.upgrades_size(), 1);
    for (const Upgrade& upgrade : response.upgrades()) {
      EXPECT_EQ(upgrade.license_id(), license->license_id());
      listed.push_back(upgrade.upgrade_id());
    }
    if (first_token.empty()) first_token = response.next_page_token();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed, (std::vector<std::string>{third.upgrade_id(), second.upgrade_id(), first.upgrade_id()}));

  // By state, of this license and of all.
  licensing::v1::ListUpgradesRequest by_state;
  by_state.set_license_id(license->license_id());
  by_state.set_state(licensing::v1::UPGRADE_STATE_STARTED);
  licensing::v1::ListUpgradesResponse started;
  ASSERT_TRUE(client().List(by_state, &started).ok());
  ASSERT_EQ(started.upgrades_size(), 2);
  EXPECT_EQ(started.upgrades(0).upgrade_id(), third.upgrade_id());
  EXPECT_EQ(started.upgrades(1).upgrade_id(), first.upgrade_id());
  by_state.clear_license_id();
  by_state.set_state(licensing::v1::UPGRADE_STATE_CANCELLED);
  licensing::v1::ListUpgradesResponse cancelled;
  ASSERT_TRUE(client().List(by_state, &cancelled).ok());
  bool found = false;
  for (const Upgrade& upgrade : cancelled.upgrades()) {
    EXPECT_EQ(upgrade.state(), licensing::v1::UPGRADE_STATE_CANCELLED);
    found |= upgrade.upgrade_id() == second.upgrade_id();
  }
  EXPECT_TRUE(found);

  // A token is only valid with its own filter; a made-up one never.
  licensing::v1::ListUpgradesResponse ignored;
  by_state.set_page_token(first_token);
  EXPECT_EQ(client().List(by_state, &ignored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_page_token("not-a-page-token");
  EXPECT_EQ(client().List(request, &ignored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_EQ(client().List(request, &ignored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  licensing::v1::ListUpgradesRequest bad_state;
  bad_state.set_state(static_cast<licensing::v1::UpgradeState>(99));
  const grpc::Status refused = client().List(bad_state, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(DetailsOf(refused).fields, std::vector<std::string>{"state"});
  for (const Upgrade& open : {first, third}) ASSERT_TRUE(client().Cancel(open.upgrade_id()).ok());
}

TEST_F(UpgradeWizardTest, EachRefusedConfigurationNamesItsFieldAndChangesNothing) {
  std::optional<License> license = pool().Take("between steps, with a feature and one to go", [&](const License& l) {
    return !pool().StepsAbove(l).empty() && !pool().StepsBelow(l).empty() && l.features_size() > 0 &&
           !pool().FeaturesOffered(l).empty();
  });
  ASSERT_TRUE(license);
  const License before = client().GetLicense(license->license_id());
  const keyadmin::v1::KeyType& type = pool().TypeOf(before);
  // A feature of another class that this one does not offer.
  std::string foreign_feature;
  for (const auto& [name, other] : ka().KeyTypes()) {
    for (const auto& feature : other.features()) {
      bool offered = false;
      for (const auto& own : type.features()) offered |= own.api_name() == feature.api_name();
      if (!offered && foreign_feature.empty()) foreign_feature = feature.api_name();
    }
  }
  ASSERT_FALSE(foreign_feature.empty());
  const std::string offered = pool().FeaturesOffered(before)[0];
  const std::string owned = before.features(0);

  Upgrade started;
  ASSERT_TRUE(client().Start(before.license_id(), &started).ok());
  struct Refusal {
    int64_t capacity;
    std::vector<std::string> features;
    std::string reason;
    std::vector<std::string> fields;
  };
  const std::vector<Refusal> refusals = {
      {pool().StepsBelow(before).back(), {}, "DOWNGRADE_REFUSED", {"capacity"}},
      {before.capacity() + 1, {}, "CAPACITY_NOT_OFFERED", {"capacity"}},
      {type.max_capacity() * 10, {}, "CAPACITY_NOT_OFFERED", {"capacity"}},
      {0, {foreign_feature}, "FEATURE_NOT_OFFERED", {"add_features[0]"}},
      {0, {"NO_SUCH_FEATURE"}, "FEATURE_NOT_OFFERED", {"add_features[0]"}},
      {0, {offered, owned}, "FEATURE_NOT_OFFERED", {"add_features[1]"}},
      {0, {}, "UPGRADE_NO_CHANGE", {"capacity", "add_features"}},
      {before.capacity(), {}, "UPGRADE_NO_CHANGE", {"capacity", "add_features"}},
  };
  auto expect_each_refused = [&](UpgradeState state) {
    for (const Refusal& refusal : refusals) {
      SCOPED_TRACE(absl::StrCat("capacity ", refusal.capacity, " features ", absl::StrJoin(refusal.features, ",")));
      grpc::Status status = client().Configure(started.upgrade_id(), refusal.capacity, refusal.features);
      EXPECT_TRUE(FailedWith(status, grpc::StatusCode::INVALID_ARGUMENT, refusal.reason));
      EXPECT_EQ(DetailsOf(status).fields, refusal.fields);
      ExpectUnchanged(started.upgrade_id(), state, before.license_id(), before.etag());
    }
  };
  expect_each_refused(licensing::v1::UPGRADE_STATE_STARTED);
  EXPECT_FALSE(client().Get(started.upgrade_id()).has_target_configuration());

  // Refused after a good configuration, the good one stands.
  Upgrade configured;
  ASSERT_TRUE(client().Configure(started.upgrade_id(), pool().StepsAbove(before)[0], {}, &configured).ok());
  expect_each_refused(licensing::v1::UPGRADE_STATE_CONFIGURED);
  EXPECT_TRUE(MessageDifferencer::Equals(client().Get(started.upgrade_id()).target_configuration(),
                                         configured.target_configuration()));
  ASSERT_TRUE(client().Cancel(started.upgrade_id()).ok());
}

TEST_F(UpgradeWizardTest, UnknownAndEmptyUpgradeIdsAreRefused) {
  Upgrade ignored;
  for (const std::string& id : {std::string("upg-00000000deadbeef"), std::string()}) {
    SCOPED_TRACE(absl::StrCat("upgrade_id \"", id, "\""));
    const grpc::StatusCode code = id.empty() ? grpc::StatusCode::INVALID_ARGUMENT : grpc::StatusCode::NOT_FOUND;
    const std::vector<grpc::Status> answers = {client().Get(id, &ignored), client().Configure(id, 0, {"POWER_PACK"}),
                                               client().Price(id), client().Place(id, "place-unknown"),
                                               client().Cancel(id)};
    for (const grpc::Status& status : answers) {
      const ErrorDetails details = DetailsOf(status);
      EXPECT_EQ(details.code, code) << details.message;
      if (id.empty()) {
        EXPECT_EQ(details.fields, std::vector<std::string>{"upgrade_id"}) << details.message;
      } else {
        EXPECT_EQ(details.reason, "UPGRADE_NOT_FOUND") << details.message;
      }
    }
  }
}

TEST_F(UpgradeWizardTest, KeysTerminatedDeletedOrAProblemAtKaCannotBeUpgraded) {
  struct Case {
    std::string mismatch;
    std::function<void(keyadmin::v1::ChangeKeyRequest&)> change;
  };
  const std::vector<Case> cases = {
      {"TERMINATED", [](keyadmin::v1::ChangeKeyRequest& c) { c.set_terminate(true); }},
      {"KEY_NOT_FOUND", [](keyadmin::v1::ChangeKeyRequest& c) { c.set_delete_(true); }},
      {"PROBLEM", [](keyadmin::v1::ChangeKeyRequest& c) { c.set_mark_problem(true); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.mismatch);
    std::optional<License> license = pool().Take("any", [](const License&) { return true; });
    ASSERT_TRUE(license);
    keyadmin::v1::ChangeKeyRequest change;
    c.change(change);
    ChangeAtKa(license->key_number(), change);
    // Before a sync noticed, and after.
    for (bool synced : {false, true}) {
      if (synced) {
        ASSERT_TRUE(client().Sync(license->license_id()).ok());
      }
      const std::string etag = client().GetLicense(license->license_id()).etag();
      grpc::Status status = client().Start(license->license_id());
      EXPECT_TRUE(FailedWith(status, grpc::StatusCode::FAILED_PRECONDITION, "KEY_NOT_UPGRADABLE"));
      EXPECT_EQ(DetailsOf(status).Metadata("mismatch"), c.mismatch);
      EXPECT_EQ(client().GetLicense(license->license_id()).etag(), etag);
    }
    licensing::v1::ListUpgradesRequest request;
    request.set_license_id(license->license_id());
    licensing::v1::ListUpgradesResponse sessions;
    ASSERT_TRUE(client().List(request, &sessions).ok());
    EXPECT_EQ(sessions.upgrades_size(), 0);
  }
}

TEST_F(UpgradeWizardTest, StepsOutOfOrderNameTheStepExpected) {
  std::optional<License> license =
      pool().Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  const std::string etag = client().GetLicense(license->license_id()).etag();
  Upgrade started;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  const std::string& id = started.upgrade_id();

  ExpectStepRefused(client().Price(id), "UPGRADE_STEP_OUT_OF_ORDER", "STARTED", "ConfigureUpgrade");
  ExpectStepRefused(client().Place(id, "early-1"), "UPGRADE_STEP_OUT_OF_ORDER", "STARTED", "ConfigureUpgrade");
  ExpectUnchanged(id, licensing::v1::UPGRADE_STATE_STARTED, license->license_id(), etag);

  ASSERT_TRUE(client().Configure(id, pool().StepsAbove(*license)[0], {}).ok());
  ExpectStepRefused(client().Place(id, "early-2"), "UPGRADE_STEP_OUT_OF_ORDER", "CONFIGURED", "PriceUpgrade");
  ExpectUnchanged(id, licensing::v1::UPGRADE_STATE_CONFIGURED, license->license_id(), etag);

  Upgrade cancelled;
  ASSERT_TRUE(client().Cancel(id, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), licensing::v1::UPGRADE_STATE_CANCELLED);
  // Cancelling again is no error.
  ASSERT_TRUE(client().Cancel(id, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), licensing::v1::UPGRADE_STATE_CANCELLED);
  ExpectStepRefused(client().Configure(id, pool().StepsAbove(*license)[0], {}), "UPGRADE_ENDED", "CANCELLED",
                    "StartUpgrade");
  ExpectStepRefused(client().Price(id), "UPGRADE_ENDED", "CANCELLED", "StartUpgrade");
  ExpectStepRefused(client().Place(id, "late-1"), "UPGRADE_ENDED", "CANCELLED", "StartUpgrade");
  ExpectUnchanged(id, licensing::v1::UPGRADE_STATE_CANCELLED, license->license_id(), etag);
}

TEST_F(UpgradeWizardTest, ConfiguringAgainDropsThePriceAndThePriceFollows) {
  std::optional<License> license = pool().Take("with a step and a feature to go", [&](const License& l) {
    return !pool().StepsAbove(l).empty() && !pool().FeaturesOffered(l).empty();
  });
  ASSERT_TRUE(license);
  const int64_t step = pool().StepsAbove(*license)[0];
  const std::string feature = pool().FeaturesOffered(*license)[0];
  Upgrade started, priced;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  const std::string& id = started.upgrade_id();
  ASSERT_TRUE(client().Configure(id, step, {}).ok());
  ASSERT_TRUE(client().Price(id, &priced).ok());
  EXPECT_EQ(KindsOf(priced.price()),
            (std::vector{licensing::v1::PRICE_LINE_KIND_CAPACITY, licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE}));

  Upgrade back;
  ASSERT_TRUE(client().Configure(id, step, {feature}, &back).ok());
  EXPECT_EQ(back.state(), licensing::v1::UPGRADE_STATE_CONFIGURED);
  EXPECT_FALSE(back.has_price());
  EXPECT_FALSE(client().Get(id).has_price());
  ExpectStepRefused(client().Place(id, "after-going-back"), "UPGRADE_STEP_OUT_OF_ORDER", "CONFIGURED",
                    "PriceUpgrade");

  Upgrade repriced;
  ASSERT_TRUE(client().Price(id, &repriced).ok());
  EXPECT_EQ(KindsOf(repriced.price()),
            (std::vector{licensing::v1::PRICE_LINE_KIND_CAPACITY, licensing::v1::PRICE_LINE_KIND_FEATURE,
                         licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE}));
  EXPECT_EQ(repriced.price().lines(1).item(), feature);
  ExpectConsistentPrice(repriced.price(), "EUR");
  // Pricing again without a change is allowed and prices the same lines.
  Upgrade again;
  ASSERT_TRUE(client().Price(id, &again).ok());
  EXPECT_EQ(KindsOf(again.price()), KindsOf(repriced.price()));
  ASSERT_TRUE(client().Cancel(id).ok());
}

TEST_F(UpgradeWizardTest, ARealChangeToTheLicenseAbortsTheNextStep) {
  std::optional<License> license =
      pool().Take("with a feature to go", [&](const License& l) { return !pool().FeaturesOffered(l).empty(); });
  ASSERT_TRUE(license);
  Upgrade started;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  keyadmin::v1::ChangeKeyRequest change;
  change.add_add_features(pool().FeaturesOffered(*license)[0]);
  ChangeAtKa(license->key_number(), change);
  License synced;
  ASSERT_TRUE(client().Sync(license->license_id(), &synced).ok());
  ASSERT_EQ(synced.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  ASSERT_NE(synced.etag(), started.license_etag());

  EXPECT_TRUE(FailedWith(client().Configure(started.upgrade_id(), 0, {}), grpc::StatusCode::ABORTED,
                         "UPGRADE_LICENSE_CHANGED"));
  EXPECT_EQ(client().Get(started.upgrade_id()).state(), licensing::v1::UPGRADE_STATE_STARTED);
  // A new session starts from the license as it is now.
  Upgrade restarted;
  ASSERT_TRUE(client().Start(license->license_id(), &restarted).ok());
  EXPECT_EQ(restarted.license_etag(), synced.etag());
  EXPECT_EQ(restarted.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  for (const Upgrade& open : {started, restarted}) ASSERT_TRUE(client().Cancel(open.upgrade_id()).ok());
}

// Two sessions of one license: the first placed changes the license, so the
// second, priced against the old one, is aborted rather than applied on top.
TEST_F(UpgradeWizardTest, AnotherUpgradeOfTheLicenseAbortsTheSecondSession) {
  std::optional<License> license =
      pool().Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  const int64_t step = pool().StepsAbove(*license)[0];
  const std::string first = client().PricedSession(license->license_id(), step, {});
  const std::string second = client().PricedSession(license->license_id(), step, {});
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");
  licensing::v1::PlaceUpgradeOrderResponse placed;
  ASSERT_TRUE(client().Place(first, "first-of-two", &placed).ok());
  EXPECT_TRUE(FailedWith(client().Place(second, "second-of-two"), grpc::StatusCode::ABORTED,
                         "UPGRADE_LICENSE_CHANGED"));
  EXPECT_EQ(client().Get(second).state(), licensing::v1::UPGRADE_STATE_PRICED);
  EXPECT_EQ(client().GetLicense(license->license_id()).etag(), placed.license().etag());
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
}

TEST_F(UpgradeWizardTest, ASyncThatFindsNothingNewAbortsNothing) {
  std::optional<License> license =
      pool().Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  // Synced once before the session, so that this test is about syncs
  // between the steps (the first sync after an import is the next test's).
  ASSERT_TRUE(client().Sync(license->license_id()).ok());
  Upgrade started;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  License synced;
  ASSERT_TRUE(client().Sync(license->license_id(), &synced).ok());
  EXPECT_EQ(synced.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(synced.etag(), started.license_etag());
  grpc::Status status = client().Configure(started.upgrade_id(), pool().StepsAbove(*license)[0], {});
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(client().Sync(license->license_id()).ok());
  status = client().Price(started.upgrade_id());
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(client().Sync(license->license_id()).ok());
  licensing::v1::PlaceUpgradeOrderResponse placed;
  status = client().Place(started.upgrade_id(), "after-quiet-syncs", &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
}

// An imported license is In Sync; the first sync that finds KA as imported
// has nothing new to say, so it keeps the etag and a session opened before
// it goes on.
TEST_F(UpgradeWizardTest, TheFirstSyncAfterImportFindingNothingNewAbortsNothing) {
  std::optional<License> license =
      pool().Take("with a step to go", [&](const License& l) { return !pool().StepsAbove(l).empty(); });
  ASSERT_TRUE(license);
  const License imported = client().GetLicense(license->license_id());
  ASSERT_EQ(imported.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  Upgrade started;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  License synced;
  ASSERT_TRUE(client().Sync(license->license_id(), &synced).ok());
  EXPECT_EQ(synced.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(synced.etag(), imported.etag()) << "imported: " << imported.ShortDebugString()
                                            << "\nsynced: " << synced.ShortDebugString();
  grpc::Status status = client().Configure(started.upgrade_id(), pool().StepsAbove(*license)[0], {});
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(client().Cancel(started.upgrade_id()).ok());
}

// For a Not In Sync license an upgrade with more than KA has calls KA for
// the difference only, and the price charges what billing lacked.
TEST_F(UpgradeWizardTest, ANotInSyncLicenseUpgradedBeyondKaGetsKasChangeAndTheNewOne) {
  std::optional<License> license = pool().Take("with a step and a feature to go", [&](const License& l) {
    return !pool().StepsAbove(l).empty() && !pool().FeaturesOffered(l).empty();
  });
  ASSERT_TRUE(license);
  const std::string feature_at_ka = pool().FeaturesOffered(*license)[0];
  const int64_t step = pool().StepsAbove(*license)[0];
  keyadmin::v1::ChangeKeyRequest change;
  change.add_add_features(feature_at_ka);
  ChangeAtKa(license->key_number(), change);
  ASSERT_TRUE(client().Sync(license->license_id()).ok());
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  Upgrade started, priced;
  ASSERT_TRUE(client().Start(license->license_id(), &started).ok());
  EXPECT_EQ(started.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  // KA's feature is KA's already: not offered again.
  for (const auto& offered : started.options().features()) EXPECT_NE(offered.api_name(), feature_at_ka);
  ASSERT_TRUE(client().Configure(started.upgrade_id(), step, {}).ok());
  ASSERT_TRUE(client().Price(started.upgrade_id(), &priced).ok());
  EXPECT_EQ(KindsOf(priced.price()),
            (std::vector{licensing::v1::PRICE_LINE_KIND_CAPACITY, licensing::v1::PRICE_LINE_KIND_FEATURE,
                         licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE}));
  licensing::v1::PlaceUpgradeOrderResponse placed;
  grpc::Status status = client().Place(started.upgrade_id(), "beyond-ka", &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(placed.upgrade().order().key_administrator_called());
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades + 1);
  const License& after = placed.license();
  EXPECT_EQ(after.capacity(), step);
  EXPECT_NE(std::find(after.features().begin(), after.features().end(), feature_at_ka), after.features().end());
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_EQ(ParseKeyNumber(after.key_number()).revision, ParseKeyNumber(license->key_number()).revision + 1);
  ExpectConfigOfKa(after, ka().GetKey(after.key_number()));
}

// KA changed the key after the session read it (no sync in between, so the
// etag holds): KA's answer carries more than was ordered, and the license
// and the order say what differs.
TEST_F(UpgradeWizardTest, AKaAnswerThatDiffersFromTheOrderLeavesTheLicenseNotInSync) {
  std::optional<License> license = pool().Take("with a step and a feature to go", [&](const License& l) {
    return !pool().StepsAbove(l).empty() && !pool().FeaturesOffered(l).empty();
  });
  ASSERT_TRUE(license);
  const std::string id = client().PricedSession(license->license_id(), pool().StepsAbove(*license)[0], {});
  ASSERT_FALSE(id.empty());
  const std::string feature = pool().FeaturesOffered(*license)[0];
  keyadmin::v1::ChangeKeyRequest change;
  change.add_add_features(feature);
  ChangeAtKa(license->key_number(), change);

  licensing::v1::PlaceUpgradeOrderResponse placed;
  grpc::Status status = client().Place(id, "ka-differs", &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  const License& after = placed.license();
  EXPECT_EQ(after.key_number(), ka().GetKey(after.key_number()).key_number());
  EXPECT_EQ(after.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  ASSERT_EQ(after.mismatches_size(), 1) << after.sync_message();
  EXPECT_EQ(after.mismatches(0).kind(), licensing::v1::MISMATCH_KIND_FEATURES_ADDED);
  EXPECT_EQ(after.mismatches(0).ka_value(), feature);
  ASSERT_EQ(placed.upgrade().order().mismatches_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(placed.upgrade().order().mismatches(0), after.mismatches(0)));
}

TEST_F(UpgradeWizardTest, TerminateLicenseTerminatesAtKaOnceAndRefusesUpgrades) {
  std::optional<License> license = pool().Take("any", [](const License&) { return true; });
  ASSERT_TRUE(license);
  const int64_t terminations = ka().CallCount("TerminateKey");
  licensing::v1::TerminateLicenseRequest by_id;
  by_id.set_license_id(license->license_id());
  License terminated;
  grpc::Status status = client().Terminate(by_id, &terminated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(terminated.license_id(), license->license_id());
  EXPECT_EQ(terminated.state(), licensing::v1::LICENSE_STATE_TERMINATED);
  EXPECT_TRUE(ka().GetKey(license->key_number()).terminated());
  EXPECT_EQ(ka().CallCount("TerminateKey"), terminations + 1);

  // Again, by License ID and by key number: the same license, KA left alone.
  licensing::v1::TerminateLicenseRequest by_key;
  by_key.set_key_number(license->key_number());
  for (const auto& request : {by_id, by_key}) {
    License again;
    status = client().Terminate(request, &again);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(again, terminated)) << again.DebugString();
  }
  EXPECT_EQ(ka().CallCount("TerminateKey"), terminations + 1);
  EXPECT_EQ(client().GetLicense(license->license_id()).state(), licensing::v1::LICENSE_STATE_TERMINATED);

  EXPECT_TRUE(FailedWith(client().Start(license->license_id()), grpc::StatusCode::FAILED_PRECONDITION,
                         "LICENSE_NOT_ACTIVE"));
  EXPECT_TRUE(FailedWith(client().StartByKey(license->key_number()), grpc::StatusCode::FAILED_PRECONDITION,
                         "LICENSE_NOT_ACTIVE"));
  EXPECT_EQ(client().GetLicense(license->license_id()).etag(), terminated.etag());
}

TEST_F(UpgradeWizardTest, TerminateLicenseOfAKeyTerminatedAtKaAlreadyEndsTerminated) {
  std::optional<License> license = pool().Take("any", [](const License&) { return true; });
  ASSERT_TRUE(license);
  keyadmin::v1::ChangeKeyRequest change;
  change.set_terminate(true);
  ChangeAtKa(license->key_number(), change);
  licensing::v1::TerminateLicenseRequest request;
  request.set_key_number(license->key_number());
  License terminated;
  grpc::Status status = client().Terminate(request, &terminated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(terminated.state(), licensing::v1::LICENSE_STATE_TERMINATED);

  licensing::v1::TerminateLicenseRequest unknown;
  unknown.set_license_id(987654321);
  EXPECT_TRUE(FailedWith(client().Terminate(unknown), grpc::StatusCode::NOT_FOUND, "LICENSE_NOT_FOUND"));
}

// Adoption: each kind of drift KA may show is resolved by an upgrade that
// changes nothing at KA.
enum class Drift {
  kKeyRegenerated,
  kClassChanged,
  kCapacityChanged,
  kFeatureAdded,
  kFeatureRemoved,
  kExpirationChanged,
  kAdditionalKeyAttached,
  kAdditionalKeyDetached,
};

struct DriftCase {
  Drift drift;
  const char* name;
  MismatchKind kind;
};

class UpgradeAdoptionTest : public UpgradeWizardTest, public ::testing::WithParamInterface<DriftCase> {};

INSTANTIATE_TEST_SUITE_P(
    EachAdoptableMismatch, UpgradeAdoptionTest,
    ::testing::Values(
        DriftCase{Drift::kKeyRegenerated, "KeyChanged", licensing::v1::MISMATCH_KIND_KEY_CHANGED},
        DriftCase{Drift::kClassChanged, "LicenseClassChanged", licensing::v1::MISMATCH_KIND_LICENSE_CLASS_CHANGED},
        DriftCase{Drift::kCapacityChanged, "CapacityChanged", licensing::v1::MISMATCH_KIND_CAPACITY_CHANGED},
        DriftCase{Drift::kFeatureAdded, "FeaturesAdded", licensing::v1::MISMATCH_KIND_FEATURES_ADDED},
        DriftCase{Drift::kFeatureRemoved, "FeaturesRemoved", licensing::v1::MISMATCH_KIND_FEATURES_REMOVED},
        DriftCase{Drift::kExpirationChanged, "ExpirationChanged", licensing::v1::MISMATCH_KIND_EXPIRATION_CHANGED},
        DriftCase{Drift::kAdditionalKeyAttached, "AdditionalKeyAttached",
                  licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_ATTACHED},
        DriftCase{Drift::kAdditionalKeyDetached, "AdditionalKeyDetached",
                  licensing::v1::MISMATCH_KIND_ADDITIONAL_KEY_DETACHED}),
    [](const ::testing::TestParamInfo<DriftCase>& info) { return std::string(info.param.name); });

TEST_P(UpgradeAdoptionTest, AnEmptyUpgradeAdoptsKasConfigurationWithoutCallingKa) {
  const Drift drift = GetParam().drift;
  // A license that can show the drift, and the change at KA that makes it.
  std::function<bool(const License&)> can = [](const License&) { return true; };
  switch (drift) {
    case Drift::kClassChanged:  // to a larger Plesk edition, which offers every feature of the smaller
      can = [](const License& l) {
        return l.license_class() == "PLESK_WEB_PRO" || l.license_class() == "PLESK_WEB_ADMIN";
      };
      break;
    case Drift::kCapacityChanged:
      can = [&](const License& l) { return !pool().StepsAbove(l).empty(); };
      break;
    case Drift::kFeatureAdded:
      can = [&](const License& l) { return !pool().FeaturesOffered(l).empty(); };
      break;
    case Drift::kFeatureRemoved:
      can = [](const License& l) { return l.features_size() > 0; };
      break;
    case Drift::kAdditionalKeyDetached:
      can = [](const License& l) { return l.additional_keys_size() > 0; };
      break;
    default:
      break;
  }
  std::optional<License> picked = pool().Take(GetParam().name, can);
  ASSERT_TRUE(picked);
  const License before = client().GetLicense(picked->license_id());
  keyadmin::v1::ChangeKeyRequest change;
  switch (drift) {
    case Drift::kKeyRegenerated:
      change.set_regenerate(true);
      break;
    case Drift::kClassChanged:
      change.set_key_type("PLESK_WEB_HOST");
      break;
    case Drift::kCapacityChanged:
      change.set_capacity(pool().StepsAbove(before)[0]);
      break;
    case Drift::kFeatureAdded:
      change.add_add_features(pool().FeaturesOffered(before)[0]);
      break;
    case Drift::kFeatureRemoved:
      change.add_remove_features(before.features(0));
      break;
    case Drift::kExpirationChanged:
      change.mutable_expires_at()->set_seconds(before.expire_time().seconds() + 30 * 24 * 3600);
      break;
    case Drift::kAdditionalKeyAttached:
      change.set_attach_additional_key_type("KASPERSKY_ANTIVIRUS");
      break;
    case Drift::kAdditionalKeyDetached:
      change.set_detach_additional_key(before.additional_keys(0).key_number());
      break;
  }
  ChangeAtKa(before.key_number(), change);
  const keyadmin::v1::Key at_ka = ka().GetKey(ParseKeyNumber(before.key_number()).key);

  License drifted;
  ASSERT_TRUE(client().Sync(before.license_id(), &drifted).ok());
  EXPECT_EQ(drifted.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  EXPECT_EQ(KindsOf(drifted), std::vector<MismatchKind>{GetParam().kind}) << drifted.sync_message();
  const int64_t ka_upgrades = ka().CallCount("UpgradeKey");

  Upgrade started;
  grpc::Status status = client().Start(before.license_id(), &started);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(started.sync_status(), licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  EXPECT_EQ(started.billing_configuration().key_number(), before.key_number());
  EXPECT_EQ(started.billing_configuration().capacity(), before.capacity());
  ExpectConfigOfKa(started.ka_configuration(), at_ka);

  Upgrade configured, priced;
  status = client().Configure(started.upgrade_id(), 0, {}, &configured);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectConfigOfKa(configured.target_configuration(), at_ka);
  status = client().Price(started.upgrade_id(), &priced);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectConsistentPrice(priced.price(), "EUR");
  // Only what billing did not have is charged, and no fee: KA does nothing.
  std::vector<licensing::v1::PriceLineKind> charged;
  if (drift == Drift::kCapacityChanged) charged.push_back(licensing::v1::PRICE_LINE_KIND_CAPACITY);
  if (drift == Drift::kFeatureAdded) charged.push_back(licensing::v1::PRICE_LINE_KIND_FEATURE);
  EXPECT_EQ(KindsOf(priced.price()), charged);

  licensing::v1::PlaceUpgradeOrderResponse placed;
  status = client().Place(started.upgrade_id(), absl::StrCat("adopt-", GetParam().name), &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(placed.upgrade().state(), licensing::v1::UPGRADE_STATE_COMPLETED);
  EXPECT_FALSE(placed.upgrade().order().key_administrator_called());
  EXPECT_EQ(placed.upgrade().order().old_key_number(), before.key_number());
  EXPECT_EQ(placed.upgrade().order().new_key_number(), at_ka.key_number());
  const License& adopted = placed.license();
  EXPECT_EQ(adopted.license_id(), before.license_id());
  ExpectConfigOfKa(adopted, at_ka);
  EXPECT_EQ(adopted.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC);
  EXPECT_TRUE(adopted.mismatches().empty()) << adopted.sync_message();
  EXPECT_EQ(ka().CallCount("UpgradeKey"), ka_upgrades);

  License resynced;
  ASSERT_TRUE(client().Sync(before.license_id(), &resynced).ok());
  EXPECT_EQ(resynced.sync_status(), licensing::v1::SYNC_STATUS_IN_SYNC) << resynced.sync_message();
  EXPECT_EQ(resynced.etag(), adopted.etag());
}

// Tests that need a server configured for them alone, on a stack of their
// own.
class UpgradeOwnServerTest : public ::testing::Test {
 protected:
  void StartStack(const std::string& name, int seed_keys) {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start(name, seed_keys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    ka_ = std::make_unique<KaMockClient>(stack_->ka());
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<KaMockClient> ka_;
};

TEST_F(UpgradeOwnServerTest, AnUntouchedSessionExpiresAfterItsTtl) {
  ASSERT_NO_FATAL_FAILURE(StartStack("upgrade-ttl", 3));
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server =
      StartUpgradeServer(*stack_, "ttl", {"--upgrade_ttl=1s", "--upgrade_sweep_interval=200ms"});
  ASSERT_TRUE(server.ok()) << server.status();
  UpgradeClient client((*server)->NewChannel());
  licensing::v1::ImportLicensesResponse imported;
  ASSERT_TRUE(client.stub().ImportLicenses(Context().get(), {}, &imported).ok());
  const std::vector<License> licenses = client.ListAllLicenses();
  ASSERT_FALSE(licenses.empty());

  Upgrade started;
  ASSERT_TRUE(client.Start(licenses[0].license_id(), &started).ok());
  EXPECT_LE(TimeOf(started.expire_time()) - TimeOf(started.update_time()), absl::Seconds(1));
#if LSS_TEST_MARIADB
  // The sweeper, not a read, ends the session: its row says so while
  // nobody calls.
  ASSERT_TRUE(WaitFor(
      [&] {
        absl::StatusOr<std::string> state = stack_->db()->QueryScalar(
            absl::StrCat("SELECT state FROM upgrades WHERE upgrade_id = '", started.upgrade_id(), "'"));
        return state.ok() && *state == "7";  // UpgradeState EXPIRED (storage/migrations/0007)
      },
      absl::Seconds(30)));
#endif
  ASSERT_TRUE(WaitFor([&] { return client.Get(started.upgrade_id()).state() == licensing::v1::UPGRADE_STATE_EXPIRED; },
                      absl::Seconds(30)));
  for (const grpc::Status& status : {client.Configure(started.upgrade_id(), 0, {"POWER_PACK"}),
                                     client.Price(started.upgrade_id()), client.Place(started.upgrade_id(), "late"),
                                     client.Cancel(started.upgrade_id())}) {
    const ErrorDetails details = DetailsOf(status);
    EXPECT_EQ(details.code, grpc::StatusCode::FAILED_PRECONDITION) << details.message;
    EXPECT_EQ(details.reason, "UPGRADE_EXPIRED") << details.message;
    EXPECT_EQ(details.Metadata("state"), "EXPIRED");
    EXPECT_EQ(details.Metadata("expected_step"), "StartUpgrade");
  }
  licensing::v1::ListUpgradesRequest request;
  request.set_state(licensing::v1::UPGRADE_STATE_EXPIRED);
  licensing::v1::ListUpgradesResponse expired;
  ASSERT_TRUE(client.List(request, &expired).ok());
  ASSERT_EQ(expired.upgrades_size(), 1);
  EXPECT_EQ(expired.upgrades(0).upgrade_id(), started.upgrade_id());
}

// A license gets EXPIRED through the daily run (Not In Sync, so not renewed,
// and past its expiration date); an EXPIRED license cannot be upgraded.
TEST_F(UpgradeOwnServerTest, AnExpiredLicenseCannotBeUpgraded) {
  ASSERT_NO_FATAL_FAILURE(StartStack("upgrade-expired", 2));
  std::string key_number;
  for (const keyadmin::v1::Key& key : ka_->ListKeys()) {
    if (key_number.empty() && key.kind() == keyadmin::v1::KEY_KIND_MAIN) key_number = key.key_number();
  }
  ASSERT_FALSE(key_number.empty());
  keyadmin::v1::ChangeKeyRequest past;
  past.set_key_number(key_number);
  past.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(48)));
  ASSERT_TRUE(ka_->ChangeKey(past).ok());
  {
    // Imported with the daily run off, so that the run below is the first.
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> importer = StartUpgradeServer(*stack_, "importer");
    ASSERT_TRUE(importer.ok()) << importer.status();
    UpgradeClient client((*importer)->NewChannel());
    licensing::v1::ImportLicensesResponse imported;
    ASSERT_TRUE(client.stub().ImportLicenses(Context().get(), {}, &imported).ok());
    (*importer)->Stop();
  }
  keyadmin::v1::ChangeKeyRequest problem;
  problem.set_key_number(key_number);
  problem.set_mark_problem(true);
  ASSERT_TRUE(ka_->ChangeKey(problem).ok());

  // Past 00:00 with no run for the day: the run starts at once.
  harness::LicenseServerOptions options = stack_->server_options();
  options.daily_at = "00:00";
  options.extra_args = {"--replica-id=daily", "--daily-check-interval=100ms", "--sync-lease=2s",
                        "--sync-poll-interval=100ms", absl::StrCat("--price_catalogue=", PriceCataloguePath())};
  absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  UpgradeClient client((*server)->NewChannel());
  licensing::v1::GetLicenseRequest get;
  get.set_key_number(key_number);
  License license;
  ASSERT_TRUE(WaitFor(
      [&] {
        licensing::v1::GetLicenseResponse response;
        if (!client.stub().GetLicense(Context().get(), get, &response).ok()) return false;
        license = response.license();
        return license.state() == licensing::v1::LICENSE_STATE_EXPIRED;
      },
      absl::Seconds(60)))
      << license.DebugString();
  EXPECT_TRUE(FailedWith(client.StartByKey(key_number), grpc::StatusCode::FAILED_PRECONDITION, "LICENSE_NOT_ACTIVE"));
  EXPECT_EQ(client.GetLicense(license.license_id()).etag(), license.etag());
}

}  // namespace
}  // namespace lss::upgrade_test
