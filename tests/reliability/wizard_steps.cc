#include "tests/reliability/wizard_steps.h"

#include <algorithm>

#include "tests/reliability/rpc_calls.h"

namespace lss::reliability {

std::optional<UpgradeTarget> ChooseTarget(const licensing::v1::Upgrade& started, bool adopt_only) {
  const bool drifted = started.sync_status() == licensing::v1::SYNC_STATUS_NOT_IN_SYNC;
  if (drifted && adopt_only) return UpgradeTarget{};
  const int64_t ka_capacity = started.ka_configuration().capacity();
  for (int64_t step : started.options().capacity_steps()) {
    if (step > ka_capacity) return UpgradeTarget{.capacity = step, .features = {}, .calls_ka = true};
  }
  const auto& held = started.ka_configuration().features();
  for (const licensing::v1::FeatureOption& feature : started.options().features()) {
    if (std::find(held.begin(), held.end(), feature.api_name()) != held.end()) continue;
    return UpgradeTarget{.capacity = 0, .features = {feature.api_name()}, .calls_ka = true};
  }
  if (drifted) return UpgradeTarget{};
  return std::nullopt;
}

grpc::Status WizardSteps::Counted(const char* method, grpc::Status status) {
  if (tally_ != nullptr) tally_->Count(method, status);
  return status;
}

grpc::Status WizardSteps::Start(int64_t license_id, licensing::v1::Upgrade* out) {
  licensing::v1::StartUpgradeRequest request;
  request.set_license_id(license_id);
  licensing::v1::StartUpgradeResponse response;
  grpc::Status status = stub_->StartUpgrade(Deadline().get(), request, &response);
  if (out != nullptr) *out = response.upgrade();
  return Counted("StartUpgrade", status);
}

grpc::Status WizardSteps::Configure(const std::string& upgrade_id, const UpgradeTarget& target,
                                    licensing::v1::Upgrade* out) {
  licensing::v1::ConfigureUpgradeRequest request;
  request.set_upgrade_id(upgrade_id);
  request.set_capacity(target.capacity);
  for (const std::string& feature : target.features) request.add_add_features(feature);
  licensing::v1::ConfigureUpgradeResponse response;
  grpc::Status status = stub_->ConfigureUpgrade(Deadline().get(), request, &response);
  if (out != nullptr) *out = response.upgrade();
  return Counted("ConfigureUpgrade", status);
}

grpc::Status WizardSteps::Price(const std::string& upgrade_id, licensing::v1::Upgrade* out) {
  licensing::v1::PriceUpgradeRequest request;
  request.set_upgrade_id(upgrade_id);
  licensing::v1::PriceUpgradeResponse response;
  grpc::Status status = stub_->PriceUpgrade(Deadline().get(), request, &response);
  if (out != nullptr) *out = response.upgrade();
  return Counted("PriceUpgrade", status);
}

grpc::Status WizardSteps::Place(const std::string& upgrade_id, const std::string& request_id,
                                licensing::v1::PlaceUpgradeOrderResponse* out) {
  licensing::v1::PlaceUpgradeOrderRequest request;
  request.set_upgrade_id(upgrade_id);
  request.set_request_id(request_id);
  licensing::v1::PlaceUpgradeOrderResponse response;
  // Placing may wait for another placement of the session (its join
  // timeout is a minute) before answering.
  grpc::Status status = stub_->PlaceUpgradeOrder(Deadline(absl::Seconds(120)).get(), request, &response);
  if (out != nullptr) *out = response;
  return Counted("PlaceUpgradeOrder", status);
}

grpc::Status WizardSteps::Cancel(const std::string& upgrade_id) {
  licensing::v1::CancelUpgradeRequest request;
  request.set_upgrade_id(upgrade_id);
  licensing::v1::CancelUpgradeResponse response;
  return Counted("CancelUpgrade", stub_->CancelUpgrade(Deadline().get(), request, &response));
}

grpc::Status WizardSteps::Get(const std::string& upgrade_id, licensing::v1::Upgrade* out) {
  licensing::v1::GetUpgradeRequest request;
  request.set_upgrade_id(upgrade_id);
  licensing::v1::GetUpgradeResponse response;
  grpc::Status status = stub_->GetUpgrade(Deadline().get(), request, &response);
  if (out != nullptr) *out = response.upgrade();
  return Counted("GetUpgrade", status);
}

grpc::Status WizardSteps::GetLicense(int64_t license_id, licensing::v1::License* out) {
  licensing::v1::GetLicenseRequest request;
  request.set_license_id(license_id);
  licensing::v1::GetLicenseResponse response;
  grpc::Status status = stub_->GetLicense(Deadline().get(), request, &response);
  if (out != nullptr) *out = response.license();
  return Counted("GetLicense", status);
}

}  // namespace lss::reliability
