// LicenseServiceHandler's upgrade wizard and TerminateLicense RPCs.
#include <string>
#include <utility>

#include "server/rpc/caller_context.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/license_ref_conversion.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/upgrade_conversion.h"

namespace lss {
namespace {

// Finishes a call answered with one session.
template <typename Response>
void FinishWithUpgrade(grpc::ServerUnaryReactor* reactor, Response* response,
                       const absl::StatusOr<UpgradeRecord>& upgrade) {
  if (upgrade.ok()) ToProto(*upgrade, response->mutable_upgrade());
  reactor->Finish(ToGrpcStatus(upgrade.status()));
}

}  // namespace

grpc::ServerUnaryReactor* LicenseServiceHandler::StartUpgrade(grpc::CallbackServerContext* context,
                                                              const licensing::v1::StartUpgradeRequest* request,
                                                              licensing::v1::StartUpgradeResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  upgrades_.wizard.Start(CallerFromContext(*context), RefOf(*request),
                         [reactor, response](absl::StatusOr<UpgradeRecord> upgrade) {
                           FinishWithUpgrade(reactor, response, upgrade);
                         });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ConfigureUpgrade(
    grpc::CallbackServerContext* context, const licensing::v1::ConfigureUpgradeRequest* request,
    licensing::v1::ConfigureUpgradeResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    UpgradeRequest change;
    change.capacity = request->capacity();
    change.add_features.assign(request->add_features().begin(), request->add_features().end());
    FinishWithUpgrade(reactor, response, upgrades_.wizard.Configure(request->upgrade_id(), change));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::PriceUpgrade(grpc::CallbackServerContext* context,
                                                              const licensing::v1::PriceUpgradeRequest* request,
                                                              licensing::v1::PriceUpgradeResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    FinishWithUpgrade(reactor, response, upgrades_.wizard.Price(request->upgrade_id()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::PlaceUpgradeOrder(
    grpc::CallbackServerContext* context, const licensing::v1::PlaceUpgradeOrderRequest* request,
    licensing::v1::PlaceUpgradeOrderResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  upgrades_.placement.Place(request->upgrade_id(), request->request_id(),
                            [reactor, response](absl::StatusOr<CompletedUpgrade> completed) {
                              if (completed.ok()) {
                                ToProto(completed->upgrade, response->mutable_upgrade());
                                ToProto(completed->license, response->mutable_license());
                              }
                              reactor->Finish(ToGrpcStatus(completed.status()));
                            });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::GetUpgrade(grpc::CallbackServerContext* context,
                                                            const licensing::v1::GetUpgradeRequest* request,
                                                            licensing::v1::GetUpgradeResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    FinishWithUpgrade(reactor, response, upgrades_.wizard.Get(request->upgrade_id()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ListUpgrades(grpc::CallbackServerContext* context,
                                                              const licensing::v1::ListUpgradesRequest* request,
                                                              licensing::v1::ListUpgradesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
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
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    FinishWithUpgrade(reactor, response, upgrades_.wizard.Cancel(request->upgrade_id()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::TerminateLicense(
    grpc::CallbackServerContext* context, const licensing::v1::TerminateLicenseRequest* request,
    licensing::v1::TerminateLicenseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  upgrades_.terminator.Terminate(RefOf(*request), [reactor, response](absl::StatusOr<LicenseRecord> license) {
    if (license.ok()) ToProto(*license, response->mutable_license());
    reactor->Finish(ToGrpcStatus(license.status()));
  });
  return reactor;
}

}  // namespace lss
