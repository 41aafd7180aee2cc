// LicenseServiceHandler's upgrade wizard and TerminateLicense RPCs.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/rpc/audited_call.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/license_ref_conversion.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/rpc_refusal.h"
#include "server/rpc/upgrade_conversion.h"

namespace lss {
namespace {

// The audit event of a step of session `upgrade_id`.
AuditedCall StepOf(absl::string_view method, absl::string_view upgrade_id,
                   const absl::StatusOr<UpgradeRecord>& upgrade, absl::string_view done) {
  AuditedCall call{std::string(method), absl::nullopt, "", absl::StrCat("upgrade ", upgrade_id)};
  if (upgrade.ok()) {
    call.license_id = upgrade->license_id;
    call.key_number = upgrade->ka.key_number;
    absl::StrAppend(&call.detail, " ", done);
  }
  return call;
}

}  // namespace

grpc::ServerUnaryReactor* LicenseServiceHandler::StartUpgrade(grpc::CallbackServerContext* context,
                                                              const licensing::v1::StartUpgradeRequest* request,
                                                              licensing::v1::StartUpgradeResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "StartUpgrade");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  const LicenseRef ref = RefOf(*request);
  upgrades_.wizard.Start(admitted->caller, ref,
                         [this, reactor, response, caller = admitted->caller,
                          call = AuditOf("StartUpgrade", ref)](absl::StatusOr<UpgradeRecord> upgrade) mutable {
                           if (upgrade.ok()) {
                             ToProto(*upgrade, response->mutable_upgrade());
                             call = StepOf("StartUpgrade", upgrade->upgrade_id, upgrade, "started");
                           }
                           Audit(caller, std::move(call), upgrade.status());
                           reactor->Finish(ToGrpcStatus(upgrade.status()));
                         });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ConfigureUpgrade(
    grpc::CallbackServerContext* context, const licensing::v1::ConfigureUpgradeRequest* request,
    licensing::v1::ConfigureUpgradeResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ConfigureUpgrade");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response, caller = admitted->caller] {
    UpgradeRequest change;
    change.capacity = request->capacity();
    change.add_features.assign(request->add_features().begin(), request->add_features().end());
    absl::StatusOr<UpgradeRecord> upgrade = upgrades_.wizard.Configure(request->upgrade_id(), change);
    if (upgrade.ok()) ToProto(*upgrade, response->mutable_upgrade());
    const std::string target =
        upgrade.ok() && upgrade->target
            ? absl::StrCat("configured: capacity ", upgrade->target->capacity, ", ",
                           upgrade->target->add_features.size(), " feature(s) added")
            : "";
    Audit(caller, StepOf("ConfigureUpgrade", request->upgrade_id(), upgrade, target), upgrade.status());
    reactor->Finish(ToGrpcStatus(upgrade.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::PriceUpgrade(grpc::CallbackServerContext* context,
                                                              const licensing::v1::PriceUpgradeRequest* request,
                                                              licensing::v1::PriceUpgradeResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "PriceUpgrade");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response, caller = admitted->caller] {
    absl::StatusOr<UpgradeRecord> upgrade = upgrades_.wizard.Price(request->upgrade_id());
    if (upgrade.ok()) ToProto(*upgrade, response->mutable_upgrade());
    const std::string total = upgrade.ok() && upgrade->price
                                  ? absl::StrCat("priced: ", upgrade->price->total_minor, " ",
                                                 upgrade->price->currency, " (minor units)")
                                  : "";
    Audit(caller, StepOf("PriceUpgrade", request->upgrade_id(), upgrade, total), upgrade.status());
    reactor->Finish(ToGrpcStatus(upgrade.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::PlaceUpgradeOrder(
    grpc::CallbackServerContext* context, const licensing::v1::PlaceUpgradeOrderRequest* request,
    licensing::v1::PlaceUpgradeOrderResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "PlaceUpgradeOrder");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  upgrades_.placement.Place(
      request->upgrade_id(), request->request_id(),
      [this, reactor, response, caller = admitted->caller,
       upgrade_id = request->upgrade_id()](absl::StatusOr<CompletedUpgrade> completed) {
        AuditedCall call{"PlaceUpgradeOrder", absl::nullopt, "", absl::StrCat("upgrade ", upgrade_id)};
        if (completed.ok()) {
          ToProto(completed->upgrade, response->mutable_upgrade());
          ToProto(completed->license, response->mutable_license());
          AboutLicense(completed->license, call);
          const UpgradeOrder& order = *completed->upgrade.order;
          absl::StrAppend(&call.detail, " order ", order.request_id, ": ", order.old_key_number, " -> ",
                          order.new_key_number, order.ka_called ? "" : " (KA's configuration adopted)");
        }
        Audit(caller, std::move(call), completed.status());
        reactor->Finish(ToGrpcStatus(completed.status()));
      });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::GetUpgrade(grpc::CallbackServerContext* context,
                                                            const licensing::v1::GetUpgradeRequest* request,
                                                            licensing::v1::GetUpgradeResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "GetUpgrade");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<UpgradeRecord> upgrade = upgrades_.wizard.Get(request->upgrade_id());
    if (upgrade.ok()) ToProto(*upgrade, response->mutable_upgrade());
    reactor->Finish(ToGrpcStatus(upgrade.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ListUpgrades(grpc::CallbackServerContext* context,
                                                              const licensing::v1::ListUpgradesRequest* request,
                                                              licensing::v1::ListUpgradesResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListUpgrades");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<UpgradeFilter> filter = FilterOf(*request);
    if (!filter.ok()) return reactor->Finish(ToGrpcStatus(filter.status()));
    absl::StatusOr<Page<UpgradeRecord>> page =
        upgrades_.wizard.List(*filter, request->page_size(), request->page_token());
    if (page.ok()) {
      for (const UpgradeRecord& upgrade : page->items) ToProto(upgrade, response->add_upgrades());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::CancelUpgrade(grpc::CallbackServerContext* context,
                                                               const licensing::v1::CancelUpgradeRequest* request,
                                                               licensing::v1::CancelUpgradeResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "CancelUpgrade");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response, caller = admitted->caller] {
    absl::StatusOr<UpgradeRecord> upgrade = upgrades_.wizard.Cancel(request->upgrade_id());
    if (upgrade.ok()) ToProto(*upgrade, response->mutable_upgrade());
    Audit(caller, StepOf("CancelUpgrade", request->upgrade_id(), upgrade, "cancelled"), upgrade.status());
    reactor->Finish(ToGrpcStatus(upgrade.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::TerminateLicense(
    grpc::CallbackServerContext* context, const licensing::v1::TerminateLicenseRequest* request,
    licensing::v1::TerminateLicenseResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "TerminateLicense");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  const LicenseRef ref = RefOf(*request);
  upgrades_.terminator.Terminate(ref, [this, reactor, response, caller = admitted->caller,
                                       call = AuditOf("TerminateLicense", ref)](
                                          absl::StatusOr<LicenseRecord> license) mutable {
    if (license.ok()) {
      ToProto(*license, response->mutable_license());
      AboutLicense(*license, call);
      call.detail = "TERMINATED at KA and in billing";
    }
    Audit(caller, std::move(call), license.status());
    reactor->Finish(ToGrpcStatus(license.status()));
  });
  return reactor;
}

}  // namespace lss
