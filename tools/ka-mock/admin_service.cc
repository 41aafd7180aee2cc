#include "ka-mock/admin_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/ka_method.h"
#include "ka-mock/key_changes.h"
#include "ka-mock/key_proto.h"
#include "ka-mock/seeder.h"

namespace ka_mock {
namespace {

// Longer than any test or benchmark wants; a typo of three zeros would
// otherwise hang every call for hours.
constexpr int kMaxLatencyMs = 10 * 60 * 1000;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

absl::StatusOr<FaultSettings> FaultSettingsFromProto(
    const keyadmin::v1::SetFaultsRequest& request) {
  FaultSettings settings;
  if (request.latency_ms() < 0 || request.latency_ms() > kMaxLatencyMs) {
    return absl::InvalidArgumentError(
        absl::StrCat("latency_ms must be between 0 and ", kMaxLatencyMs));
  }
  settings.latency = absl::Milliseconds(request.latency_ms());
  // Written so that NaN fails too.
  if (!(request.error_rate() >= 0 && request.error_rate() <= 1)) {
    return absl::InvalidArgumentError("error_rate must be between 0 and 1");
  }
  settings.error_rate = request.error_rate();
  if (request.error_code() != keyadmin::v1::RESULT_CODE_UNSPECIFIED) {
    if (!keyadmin::v1::ResultCode_IsValid(request.error_code())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "error_code ", request.error_code(), " is not a KA result code"));
    }
    settings.error_code = static_cast<KaCode>(request.error_code());
  }
  settings.outage = request.outage();
  for (const std::string& name : request.methods()) {
    const std::optional<KaMethod> method = KaMethodFromName(name);
    if (!method) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", name, "\" is not a KeyAdministratorService method"));
    }
    settings.methods.push_back(*method);
  }
  return settings;
}

KeyChange KeyChangeFromProto(const keyadmin::v1::ChangeKeyRequest& request) {
  KeyChange change;
  change.key_number = request.key_number();
  change.add_features.assign(request.add_features().begin(),
                             request.add_features().end());
  change.remove_features.assign(request.remove_features().begin(),
                                request.remove_features().end());
  change.capacity = request.capacity();
  change.key_type = request.key_type();
  if (request.has_expires_at()) {
    change.expire_time = request.expires_at().seconds();
  }
  change.regenerate = request.regenerate();
  change.terminate = request.terminate();
  change.mark_problem = request.mark_problem();
  change.attach_additional_key_type = request.attach_additional_key_type();
  change.detach_additional_key = request.detach_additional_key();
  change.erase = request.delete_();
  return change;
}

}  // namespace

grpc::ServerUnaryReactor* AdminServiceImpl::SeedKeys(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::SeedKeysRequest* request,
    keyadmin::v1::SeedKeysResponse* response) {
  const absl::StatusOr<SeedOutcome> outcome = ka_mock::SeedKeys(
      store_, clock_,
      SeedParams{request->count(), request->seed(), request->reset()});
  if (outcome.ok()) {
    response->set_main_keys_created(outcome->main_keys_created);
    response->set_additional_keys_created(outcome->additional_keys_created);
    response->set_total_keys(outcome->total_keys);
  }
  return Finish(context, outcome.status());
}

grpc::ServerUnaryReactor* AdminServiceImpl::ChangeKey(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::ChangeKeyRequest* request,
    keyadmin::v1::ChangeKeyResponse* response) {
  const absl::StatusOr<KeyChangeOutcome> outcome =
      ApplyKeyChange(store_, clock_, KeyChangeFromProto(*request));
  if (outcome.ok()) {
    if (outcome->key) {
      ToProto(*outcome->key, catalogue_, response->mutable_key());
    }
    if (outcome->attached_key) {
      ToProto(*outcome->attached_key, catalogue_,
              response->mutable_attached_key());
    }
  }
  return Finish(context, outcome.status());
}

grpc::ServerUnaryReactor* AdminServiceImpl::SetFaults(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::SetFaultsRequest* request,
    keyadmin::v1::SetFaultsResponse* /*response*/) {
  const absl::StatusOr<FaultSettings> settings =
      FaultSettingsFromProto(*request);
  if (settings.ok()) faults_.Set(*settings);
  return Finish(context, settings.status());
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetCallCounts(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::GetCallCountsRequest* request,
    keyadmin::v1::GetCallCountsResponse* response) {
  for (const auto& [method, count] : calls_.Snapshot(request->reset())) {
    (*response->mutable_counts())[std::string(method)] = count;
  }
  for (auto& [method, request_id] : calls_.RequestIds(request->reset())) {
    keyadmin::v1::RequestIdSeen* seen = response->add_request_ids();
    seen->set_method(std::string(method));
    seen->set_request_id(std::move(request_id));
  }
  return Finish(context, absl::OkStatus());
}

}  // namespace ka_mock
