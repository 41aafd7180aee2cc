#include "ka-mock/key_administrator_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/key_proto.h"

namespace ka_mock {
namespace {

absl::StatusOr<BillingType> BillingFromProto(
    keyadmin::v1::BillingType billing) {
  switch (billing) {
    case keyadmin::v1::BILLING_TYPE_UNSPECIFIED:
    case keyadmin::v1::BILLING_TYPE_LEASE:
      return BillingType::kLease;
    case keyadmin::v1::BILLING_TYPE_PURCHASE:
      return BillingType::kPurchase;
    default:
      return KaError(
          KaCode::kNoPriceListEntry,
          absl::StrCat("no price-list entry for billing type ", billing));
  }
}

std::vector<std::string> Strings(
    const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

}  // namespace

KeyAdministratorServiceImpl::KeyAdministratorServiceImpl(
    KeyAdministrator& administrator, const Catalogue& catalogue,
    PartnerCredentials credentials, FaultInjector& faults, CallCounter& calls,
    DelayQueue& delays)
    : administrator_(administrator),
      catalogue_(catalogue),
      credentials_(std::move(credentials)),
      faults_(faults),
      calls_(calls),
      delays_(delays) {
  ToProto(catalogue_, &key_types_);
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::Answer(
    grpc::CallbackServerContext* context, KaMethod method,
    absl::FunctionRef<absl::Status()> handle) {
  const absl::Time arrival = absl::Now();
  calls_.Count(method);
  const auto& metadata = context->client_metadata();
  if (auto id = metadata.find("x-request-id"); id != metadata.end()) {
    calls_.SawRequestId(method, absl::string_view(id->second.data(), id->second.size()));
  }
  const FaultPlan plan = faults_.PlanFor(method);
  absl::Status status = plan.error;
  if (status.ok()) {
    status = CheckCredentials(credentials_, context->client_metadata());
  }
  if (status.ok()) status = handle();

  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  grpc::Status answer = ToGrpcStatus(status);
  if (plan.latency <= absl::ZeroDuration()) {
    reactor->Finish(std::move(answer));
  } else {
    delays_.RunAt(arrival + plan.latency,
                  [reactor, answer = std::move(answer)]() mutable {
                    reactor->Finish(std::move(answer));
                  });
  }
  return reactor;
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::GetKeyInfo(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::GetKeyInfoRequest* request,
    keyadmin::v1::GetKeyInfoResponse* response) {
  return Answer(context, KaMethod::kGetKeyInfo, [&] {
    absl::StatusOr<KeyView> key = administrator_.GetKey(request->key_number());
    if (!key.ok()) return key.status();
    ToProto(*key, catalogue_, response->mutable_key());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::ListKeys(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::ListKeysRequest* request,
    keyadmin::v1::ListKeysResponse* response) {
  return Answer(context, KaMethod::kListKeys, [&] {
    absl::StatusOr<KeyPage> page =
        administrator_.ListKeys(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    response->mutable_keys()->Reserve(static_cast<int>(page->keys.size()));
    for (const KeyView& key : page->keys) {
      ToProto(key, catalogue_, response->add_keys());
    }
    response->set_next_page_token(std::move(page->next_page_token));
    response->set_total_size(page->total_size);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::ListKeyTypes(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::ListKeyTypesRequest* /*request*/,
    keyadmin::v1::ListKeyTypesResponse* response) {
  return Answer(context, KaMethod::kListKeyTypes, [&] {
    *response = key_types_;
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::GetAvailableUpgrades(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::GetAvailableUpgradesRequest* request,
    keyadmin::v1::GetAvailableUpgradesResponse* response) {
  return Answer(context, KaMethod::kGetAvailableUpgrades, [&] {
    absl::StatusOr<UpgradeOptions> options =
        administrator_.GetAvailableUpgrades(request->key_number());
    if (!options.ok()) return options.status();
    ToProto(*options, catalogue_, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::CreateKey(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::CreateKeyRequest* request,
    keyadmin::v1::CreateKeyResponse* response) {
  return Answer(context, KaMethod::kCreateKey, [&] {
    absl::StatusOr<BillingType> billing =
        BillingFromProto(request->billing_type());
    if (!billing.ok()) return billing.status();
    CreateKeyParams params;
    params.key_type = request->key_type();
    params.capacity = request->capacity();
    params.features = Strings(request->features());
    params.billing = *billing;
    params.parent_key_number = request->parent_key_number();
    params.idempotency_key = request->idempotency_key();
    absl::StatusOr<KeyView> key = administrator_.CreateKey(params);
    if (!key.ok()) return key.status();
    ToProto(*key, catalogue_, response->mutable_key());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::UpgradeKey(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::UpgradeKeyRequest* request,
    keyadmin::v1::UpgradeKeyResponse* response) {
  return Answer(context, KaMethod::kUpgradeKey, [&] {
    UpgradeKeyParams params;
    params.key_number = request->key_number();
    params.capacity = request->capacity();
    params.add_features = Strings(request->add_features());
    params.idempotency_key = request->idempotency_key();
    absl::StatusOr<UpgradeOutcome> outcome = administrator_.UpgradeKey(params);
    if (!outcome.ok()) return outcome.status();
    ToProto(outcome->key, catalogue_, response->mutable_key());
    response->set_previous_key_number(std::move(outcome->previous_key_number));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::RenewKey(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::RenewKeyRequest* request,
    keyadmin::v1::RenewKeyResponse* response) {
  return Answer(context, KaMethod::kRenewKey, [&] {
    absl::StatusOr<KeyView> key =
        administrator_.RenewKey(request->key_number());
    if (!key.ok()) return key.status();
    ToProto(*key, catalogue_, response->mutable_key());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyAdministratorServiceImpl::TerminateKey(
    grpc::CallbackServerContext* context,
    const keyadmin::v1::TerminateKeyRequest* request,
    keyadmin::v1::TerminateKeyResponse* response) {
  return Answer(context, KaMethod::kTerminateKey, [&] {
    absl::StatusOr<KeyView> key =
        administrator_.TerminateKey(request->key_number());
    if (!key.ok()) return key.status();
    ToProto(*key, catalogue_, response->mutable_key());
    return absl::OkStatus();
  });
}

}  // namespace ka_mock
