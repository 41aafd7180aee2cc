#include "fake_upgrade_service.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "licensectl/app.h"

namespace licensectl::testing {
namespace {

using licensing::v1::License;
using licensing::v1::LicenseConfiguration;
using licensing::v1::Upgrade;

constexpr int64_t kCapacitySteps[] = {30, 100, 300};
constexpr struct {
  const char* api_name;
  const char* display_name;
} kFeatures[] = {{"BACKUP_CLOUD", "Cloud Backup"}, {"DEVELOPER_PACK", "Developer Pack"}, {"POWER_PACK", "Power Pack"}};
constexpr int64_t kPpm = 735000;
constexpr int64_t k2026January1 = 1767225600;

LicenseConfiguration ConfigurationOf(const License& license) {
  LicenseConfiguration config;
  config.set_key_number(license.key_number());
  config.set_license_class(license.license_class());
  config.set_capacity(license.capacity());
  *config.mutable_features() = license.features();
  *config.mutable_expire_time() = license.expire_time();
  return config;
}

License MakeLicense(int64_t id, int64_t capacity, std::vector<std::string> features) {
  License license;
  license.set_license_id(id);
  license.set_key_number(absl::StrCat("PLSK.0000000", id, ".0000"));
  license.set_license_class("PLESK_WEB_PRO");
  license.set_capacity(capacity);
  for (const std::string& feature : features) license.add_features(feature);
  license.set_state(licensing::v1::LICENSE_STATE_ACTIVE);
  license.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
  license.set_sync_message("In Sync");
  license.mutable_expire_time()->set_seconds(k2026January1 + 180 * 86400);
  license.set_etag(absl::StrCat("etag-", id, "-1"));
  return license;
}

bool Has(const google::protobuf::RepeatedPtrField<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool SameConfiguration(const LicenseConfiguration& a, const LicenseConfiguration& b) {
  return a.key_number() == b.key_number() && a.capacity() == b.capacity() &&
         std::vector<std::string>(a.features().begin(), a.features().end()) ==
             std::vector<std::string>(b.features().begin(), b.features().end());
}

licensing::v1::Money Eur(int64_t minor) {
  licensing::v1::Money money;
  money.set_currency_code("EUR");
  money.set_amount_minor(minor);
  return money;
}

void AddLine(licensing::v1::UpgradePrice& price, licensing::v1::PriceLineKind kind, const std::string& item,
             const std::string& description, int64_t term, int64_t now) {
  licensing::v1::PriceLine* line = price.add_lines();
  line->set_kind(kind);
  line->set_item(item);
  line->set_description(description);
  if (term > 0) *line->mutable_term_amount() = Eur(term);
  *line->mutable_amount() = Eur(now);
  price.mutable_total()->set_amount_minor(price.total().amount_minor() + now);
}

// "PLSK.00000007.0001" from "PLSK.00000007.0000".
std::string NextRevision(const std::string& key_number) {
  const size_t dot = key_number.rfind('.');
  const int revision = std::stoi(key_number.substr(dot + 1)) + 1;
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", revision);
  return absl::StrCat(key_number.substr(0, dot + 1), digits);
}

bool Ended(licensing::v1::UpgradeState state) {
  return state == licensing::v1::UPGRADE_STATE_COMPLETED || state == licensing::v1::UPGRADE_STATE_CANCELLED ||
         state == licensing::v1::UPGRADE_STATE_EXPIRED || state == licensing::v1::UPGRADE_STATE_FAILED;
}

grpc::Status StepRefused(const Upgrade& upgrade) {
  if (Ended(upgrade.state())) {
    return Refusal(grpc::StatusCode::FAILED_PRECONDITION, absl::StrCat("upgrade ", upgrade.upgrade_id(), " has ended"),
                   "UPGRADE_ENDED");
  }
  return Refusal(grpc::StatusCode::FAILED_PRECONDITION, "step out of order", "UPGRADE_STEP_OUT_OF_ORDER");
}

}  // namespace

grpc::Status Refusal(grpc::StatusCode code, const std::string& message, const std::string& reason,
                     const std::string& field) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain("licensing.v1");
  google::rpc::Status rich;
  rich.set_code(code);
  rich.set_message(message);
  rich.add_details()->PackFrom(info);
  if (!field.empty()) {
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(message);
    rich.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(code, message, rich.SerializeAsString());
}

FakeUpgradeService::FakeUpgradeService() {
  absl::MutexLock lock(&mutex_);
  licenses_[7] = MakeLicense(7, 100, {"POWER_PACK"});
  at_ka_[7] = ConfigurationOf(licenses_[7]);

  licenses_[8] = MakeLicense(8, 100, {"POWER_PACK"});
  licenses_[8].set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
  licenses_[8].set_sync_message("Not In Sync: capacity changed (billing 100, KA 300)");
  at_ka_[8] = ConfigurationOf(licenses_[8]);
  at_ka_[8].set_key_number("PLSK.00000008.0001");
  at_ka_[8].set_capacity(300);
  at_ka_[8].clear_features();
  at_ka_[8].add_features("BACKUP_CLOUD");
  at_ka_[8].add_features("POWER_PACK");

  licenses_[9] = MakeLicense(9, 30, {});
  licenses_[9].set_state(licensing::v1::LICENSE_STATE_TERMINATED);
  at_ka_[9] = ConfigurationOf(licenses_[9]);
}

void FakeUpgradeService::Count(const std::string& method) {
  absl::MutexLock lock(&mutex_);
  ++calls_[method];
}

template <typename Request>
grpc::Status FakeUpgradeService::FindLicense(const Request& request, License** license) {
  for (auto& [id, candidate] : licenses_) {
    if ((request.has_license_id() && request.license_id() == id) ||
        (request.has_key_number() && !request.key_number().empty() &&
         absl::StartsWith(candidate.key_number(), request.key_number().substr(0, 13)))) {
      *license = &candidate;
      return grpc::Status::OK;
    }
  }
  return Refusal(grpc::StatusCode::NOT_FOUND, "no such license", "LICENSE_NOT_FOUND");
}

grpc::Status FakeUpgradeService::Find(const std::string& upgrade_id, Upgrade** upgrade) {
  if (upgrade_id.empty()) {
    return Refusal(grpc::StatusCode::INVALID_ARGUMENT, "upgrade_id is empty", "INVALID_ARGUMENT", "upgrade_id");
  }
  auto it = upgrades_.find(upgrade_id);
  if (it == upgrades_.end()) {
    return Refusal(grpc::StatusCode::NOT_FOUND, absl::StrCat("no upgrade ", upgrade_id), "UPGRADE_NOT_FOUND");
  }
  *upgrade = &it->second;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::GetLicense(grpc::ServerContext*, const licensing::v1::GetLicenseRequest* request,
                                            licensing::v1::GetLicenseResponse* response) {
  Count("GetLicense");
  absl::MutexLock lock(&mutex_);
  License* license = nullptr;
  if (grpc::Status found = FindLicense(*request, &license); !found.ok()) return found;
  *response->mutable_license() = *license;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::StartUpgrade(grpc::ServerContext*, const licensing::v1::StartUpgradeRequest* request,
                                              licensing::v1::StartUpgradeResponse* response) {
  Count("StartUpgrade");
  absl::MutexLock lock(&mutex_);
  License* license = nullptr;
  if (grpc::Status found = FindLicense(*request, &license); !found.ok()) return found;
  if (license->state() != licensing::v1::LICENSE_STATE_ACTIVE) {
    return Refusal(grpc::StatusCode::FAILED_PRECONDITION,
                   absl::StrCat("license ", license->license_id(), " is TERMINATED; only an ACTIVE license"),
                   "LICENSE_NOT_ACTIVE");
  }
  Upgrade upgrade;
  char id[32];
  std::snprintf(id, sizeof id, "upg-%016zx", upgrades_.size() + 1);
  upgrade.set_upgrade_id(id);
  upgrade.set_license_id(license->license_id());
  upgrade.set_state(licensing::v1::UPGRADE_STATE_STARTED);
  *upgrade.mutable_billing_configuration() = ConfigurationOf(*license);
  const LicenseConfiguration& ka = at_ka_[license->license_id()];
  *upgrade.mutable_ka_configuration() = ka;
  upgrade.set_sync_status(license->sync_status());
  licensing::v1::UpgradeOptions& options = *upgrade.mutable_options();
  options.set_capacity_unit("domains");
  for (int64_t step : kCapacitySteps) {
    if (step >= ka.capacity()) options.add_capacity_steps(step);
  }
  options.set_max_capacity(300);
  for (const auto& feature : kFeatures) {
    if (Has(ka.features(), feature.api_name)) continue;
    auto* option = options.add_features();
    option->set_api_name(feature.api_name);
    option->set_display_name(feature.display_name);
  }
  upgrade.set_license_etag(license->etag());
  upgrade.set_created_by("test");
  upgrade.mutable_create_time()->set_seconds(k2026January1);
  upgrade.mutable_update_time()->set_seconds(k2026January1);
  upgrade.mutable_expire_time()->set_seconds(k2026January1 + 1800);
  upgrades_[upgrade.upgrade_id()] = upgrade;
  upgrade_order_.push_back(upgrade.upgrade_id());
  *response->mutable_upgrade() = upgrade;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::ConfigureUpgrade(grpc::ServerContext*,
                                                  const licensing::v1::ConfigureUpgradeRequest* request,
                                                  licensing::v1::ConfigureUpgradeResponse* response) {
  Count("ConfigureUpgrade");
  absl::MutexLock lock(&mutex_);
  configure_requests_.push_back(*request);
  Upgrade* upgrade = nullptr;
  if (grpc::Status found = Find(request->upgrade_id(), &upgrade); !found.ok()) return found;
  if (Ended(upgrade->state()) || upgrade->state() == licensing::v1::UPGRADE_STATE_PLACING) return StepRefused(*upgrade);
  const LicenseConfiguration& ka = upgrade->ka_configuration();
  const auto& steps = upgrade->options().capacity_steps();
  if (request->capacity() != 0 && request->capacity() < ka.capacity()) {
    return Refusal(grpc::StatusCode::INVALID_ARGUMENT,
                   absl::StrCat("capacity ", request->capacity(), " is below KA's ", ka.capacity()),
                   "DOWNGRADE_REFUSED", "capacity");
  }
  if (request->capacity() != 0 && std::find(steps.begin(), steps.end(), request->capacity()) == steps.end()) {
    return Refusal(grpc::StatusCode::INVALID_ARGUMENT,
                   absl::StrCat("capacity ", request->capacity(), " is not a step of PLESK_WEB_PRO"),
                   "CAPACITY_NOT_OFFERED", "capacity");
  }
  LicenseConfiguration target = ka;
  if (request->capacity() != 0) target.set_capacity(request->capacity());
  for (int i = 0; i < request->add_features_size(); ++i) {
    const std::string& feature = request->add_features(i);
    bool offered = false;
    for (const auto& option : upgrade->options().features()) offered |= option.api_name() == feature;
    if (!offered) {
      return Refusal(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(feature, " is not offered"),
                     "FEATURE_NOT_OFFERED", absl::StrCat("add_features[", i, "]"));
    }
    target.add_features(feature);
  }
  std::sort(target.mutable_features()->begin(), target.mutable_features()->end());
  if (SameConfiguration(target, upgrade->billing_configuration())) {
    return Refusal(grpc::StatusCode::INVALID_ARGUMENT, "the upgrade changes nothing", "UPGRADE_NO_CHANGE",
                   "capacity");
  }
  *upgrade->mutable_target_configuration() = target;
  upgrade->clear_price();
  upgrade->set_state(licensing::v1::UPGRADE_STATE_CONFIGURED);
  *response->mutable_upgrade() = *upgrade;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::PriceUpgrade(grpc::ServerContext*, const licensing::v1::PriceUpgradeRequest* request,
                                              licensing::v1::PriceUpgradeResponse* response) {
  Count("PriceUpgrade");
  absl::MutexLock lock(&mutex_);
  Upgrade* upgrade = nullptr;
  if (grpc::Status found = Find(request->upgrade_id(), &upgrade); !found.ok()) return found;
  if (upgrade->state() != licensing::v1::UPGRADE_STATE_CONFIGURED &&
      upgrade->state() != licensing::v1::UPGRADE_STATE_PRICED) {
    return StepRefused(*upgrade);
  }
  const LicenseConfiguration& billing = upgrade->billing_configuration();
  const LicenseConfiguration& target = upgrade->target_configuration();
  licensing::v1::UpgradePrice price;
  *price.mutable_total() = Eur(0);
  for (int64_t step : kCapacitySteps) {
    if (step > billing.capacity() && step <= target.capacity()) {
      AddLine(price, licensing::v1::PRICE_LINE_KIND_CAPACITY, absl::StrCat(step),
              absl::StrCat("Capacity ", billing.capacity(), " -> ", step, " domains"), 9600, 7056);
    }
  }
  for (const std::string& feature : target.features()) {
    if (!Has(billing.features(), feature)) {
      AddLine(price, licensing::v1::PRICE_LINE_KIND_FEATURE, feature, absl::StrCat("Feature ", feature), 2400, 1764);
    }
  }
  if (!SameConfiguration(target, upgrade->ka_configuration())) {
    AddLine(price, licensing::v1::PRICE_LINE_KIND_UPGRADE_FEE, "", "Upgrade fee", 0, 1500);
  }
  price.set_prorate_ppm(kPpm);
  price.mutable_price_time()->set_seconds(k2026January1 + 60);
  *upgrade->mutable_price() = price;
  upgrade->set_state(licensing::v1::UPGRADE_STATE_PRICED);
  *response->mutable_upgrade() = *upgrade;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::PlaceUpgradeOrder(grpc::ServerContext*,
                                                   const licensing::v1::PlaceUpgradeOrderRequest* request,
                                                   licensing::v1::PlaceUpgradeOrderResponse* response) {
  Count("PlaceUpgradeOrder");
  absl::MutexLock lock(&mutex_);
  place_requests_.push_back(*request);
  Upgrade* upgrade = nullptr;
  if (grpc::Status found = Find(request->upgrade_id(), &upgrade); !found.ok()) return found;
  License& license = licenses_[upgrade->license_id()];
  if (upgrade->state() == licensing::v1::UPGRADE_STATE_COMPLETED) {
    *response->mutable_upgrade() = *upgrade;
    *response->mutable_license() = license;
    return grpc::Status::OK;
  }
  if (upgrade->state() != licensing::v1::UPGRADE_STATE_PRICED &&
      upgrade->state() != licensing::v1::UPGRADE_STATE_PLACING) {
    return StepRefused(*upgrade);
  }
  licensing::v1::UpgradeOrder& order = *upgrade->mutable_order();
  if (upgrade->state() == licensing::v1::UPGRADE_STATE_PRICED) {
    order.set_request_id(request->request_id());
    order.set_old_key_number(upgrade->billing_configuration().key_number());
    *order.mutable_lines() = upgrade->price().lines();
    *order.mutable_total() = upgrade->price().total();
    order.mutable_place_time()->set_seconds(k2026January1 + 120);
    upgrade->set_state(licensing::v1::UPGRADE_STATE_PLACING);
  }
  if (fail_next_placement_) {
    fail_next_placement_ = false;
    return Refusal(grpc::StatusCode::UNAVAILABLE, "KA did not answer", "KEY_ADMINISTRATOR_UNAVAILABLE");
  }
  LicenseConfiguration& ka = at_ka_[license.license_id()];
  const LicenseConfiguration& target = upgrade->target_configuration();
  const bool ka_called = !SameConfiguration(target, upgrade->ka_configuration());
  if (ka_called) {
    ++ka_upgrades_;
    const auto kept_features = ka.features();
    ka = target;
    ka.set_key_number(NextRevision(upgrade->ka_configuration().key_number()));
    if (ka_drops_features_) *ka.mutable_features() = kept_features;
  }
  order.set_new_key_number(ka.key_number());
  order.set_key_administrator_called(ka_called);
  order.mutable_complete_time()->set_seconds(k2026January1 + 121);
  license.set_key_number(ka.key_number());
  license.set_capacity(target.capacity());
  *license.mutable_features() = target.features();
  license.set_etag(absl::StrCat(license.etag(), "+"));
  license.clear_mismatches();
  if (SameConfiguration(ConfigurationOf(license), ka)) {
    license.set_sync_status(licensing::v1::SYNC_STATUS_IN_SYNC);
    license.set_sync_message("In Sync");
  } else {
    license.set_sync_status(licensing::v1::SYNC_STATUS_NOT_IN_SYNC);
    license.set_sync_message("Not In Sync: features removed at KA");
    auto* mismatch = license.add_mismatches();
    mismatch->set_kind(licensing::v1::MISMATCH_KIND_FEATURES_REMOVED);
    mismatch->set_billing_value(absl::StrJoin(license.features(), ","));
    mismatch->set_ka_value(absl::StrJoin(ka.features(), ","));
    *order.add_mismatches() = *mismatch;
  }
  upgrade->set_state(licensing::v1::UPGRADE_STATE_COMPLETED);
  *response->mutable_upgrade() = *upgrade;
  *response->mutable_license() = license;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::GetUpgrade(grpc::ServerContext*, const licensing::v1::GetUpgradeRequest* request,
                                            licensing::v1::GetUpgradeResponse* response) {
  Count("GetUpgrade");
  absl::MutexLock lock(&mutex_);
  Upgrade* upgrade = nullptr;
  if (grpc::Status found = Find(request->upgrade_id(), &upgrade); !found.ok()) return found;
  *response->mutable_upgrade() = *upgrade;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::ListUpgrades(grpc::ServerContext*, const licensing::v1::ListUpgradesRequest* request,
                                              licensing::v1::ListUpgradesResponse* response) {
  Count("ListUpgrades");
  absl::MutexLock lock(&mutex_);
  list_requests_.push_back(*request);
  if (request->page_size() < 0) {
    return Refusal(grpc::StatusCode::INVALID_ARGUMENT, "page_size must not be negative", "INVALID_ARGUMENT",
                   "page_size");
  }
  std::vector<const Upgrade*> matching;
  for (auto id = upgrade_order_.rbegin(); id != upgrade_order_.rend(); ++id) {
    const Upgrade& upgrade = upgrades_[*id];
    if (request->state() != licensing::v1::UPGRADE_STATE_UNSPECIFIED && upgrade.state() != request->state()) continue;
    if (request->license_id() != 0 && upgrade.license_id() != request->license_id()) continue;
    matching.push_back(&upgrade);
  }
  const size_t start = request->page_token().empty() ? 0 : std::stoul(request->page_token());
  const size_t size = request->page_size() == 0 ? 100 : static_cast<size_t>(request->page_size());
  const size_t end = std::min(matching.size(), start + size);
  for (size_t i = start; i < end; ++i) *response->add_upgrades() = *matching[i];
  if (end < matching.size()) response->set_next_page_token(absl::StrCat(end));
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::CancelUpgrade(grpc::ServerContext*, const licensing::v1::CancelUpgradeRequest* request,
                                               licensing::v1::CancelUpgradeResponse* response) {
  Count("CancelUpgrade");
  absl::MutexLock lock(&mutex_);
  Upgrade* upgrade = nullptr;
  if (grpc::Status found = Find(request->upgrade_id(), &upgrade); !found.ok()) return found;
  if (upgrade->state() == licensing::v1::UPGRADE_STATE_PLACING ||
      (Ended(upgrade->state()) && upgrade->state() != licensing::v1::UPGRADE_STATE_CANCELLED)) {
    return StepRefused(*upgrade);
  }
  upgrade->set_state(licensing::v1::UPGRADE_STATE_CANCELLED);
  *response->mutable_upgrade() = *upgrade;
  return grpc::Status::OK;
}

grpc::Status FakeUpgradeService::TerminateLicense(grpc::ServerContext*,
                                                  const licensing::v1::TerminateLicenseRequest* request,
                                                  licensing::v1::TerminateLicenseResponse* response) {
  Count("TerminateLicense");
  absl::MutexLock lock(&mutex_);
  License* license = nullptr;
  if (grpc::Status found = FindLicense(*request, &license); !found.ok()) return found;
  license->set_state(licensing::v1::LICENSE_STATE_TERMINATED);
  *response->mutable_license() = *license;
  return grpc::Status::OK;
}

void FakeUpgradeService::FailNextPlacement() {
  absl::MutexLock lock(&mutex_);
  fail_next_placement_ = true;
}

void FakeUpgradeService::KaDropsFeatures() {
  absl::MutexLock lock(&mutex_);
  ka_drops_features_ = true;
}

License FakeUpgradeService::StoredLicense(int64_t license_id) {
  absl::MutexLock lock(&mutex_);
  return licenses_[license_id];
}

Upgrade FakeUpgradeService::StoredUpgrade(const std::string& upgrade_id) {
  absl::MutexLock lock(&mutex_);
  return upgrades_[upgrade_id];
}

int FakeUpgradeService::Calls(const std::string& method) {
  absl::MutexLock lock(&mutex_);
  return calls_[method];
}

int FakeUpgradeService::KaUpgrades() {
  absl::MutexLock lock(&mutex_);
  return ka_upgrades_;
}

std::vector<licensing::v1::ConfigureUpgradeRequest> FakeUpgradeService::configure_requests() {
  absl::MutexLock lock(&mutex_);
  return configure_requests_;
}

std::vector<licensing::v1::PlaceUpgradeOrderRequest> FakeUpgradeService::place_requests() {
  absl::MutexLock lock(&mutex_);
  return place_requests_;
}

std::vector<licensing::v1::ListUpgradesRequest> FakeUpgradeService::list_requests() {
  absl::MutexLock lock(&mutex_);
  return list_requests_;
}

FakeUpgradeServer::FakeUpgradeServer() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();
}

FakeUpgradeServer::~FakeUpgradeServer() {
  if (server_ != nullptr) server_->Shutdown();
}

Outcome FakeUpgradeServer::Licensectl(std::vector<std::string> args, const std::string& answers, bool terminal) {
  args.insert(args.begin(), {"--address", absl::StrCat("127.0.0.1:", port_)});
  std::istringstream in(answers);
  std::ostringstream out;
  std::ostringstream err;
  const ExitCode code = RunLicensectl(
      args, [](absl::string_view) -> absl::optional<std::string> { return absl::nullopt; },
      {.stream = &in, .is_terminal = terminal}, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace licensectl::testing
