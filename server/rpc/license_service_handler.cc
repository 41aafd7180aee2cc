#include "server/rpc/license_service_handler.h"

#include <string>
#include <utility>
#include <vector>

#include "server/rpc/grpc_status.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/license_ref_conversion.h"

namespace lss {
namespace {

using licensing::v1::CreateLicenseRequest;
using licensing::v1::CreateLicenseResponse;
using licensing::v1::GetLicenseRequest;
using licensing::v1::GetLicenseResponse;
using licensing::v1::ImportLicensesRequest;
using licensing::v1::ImportLicensesResponse;
using licensing::v1::ListLicensesRequest;
using licensing::v1::ListLicensesResponse;
using licensing::v1::ListSyncHistoryRequest;
using licensing::v1::ListSyncHistoryResponse;
using licensing::v1::SyncLicenseRequest;
using licensing::v1::SyncLicenseResponse;

}  // namespace

grpc::ServerUnaryReactor* LicenseServiceHandler::CreateLicense(grpc::CallbackServerContext* context,
                                                               const CreateLicenseRequest* request,
                                                               CreateLicenseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  CreateLicenseCommand command;
  command.license_class = request->license_class();
  command.capacity = request->capacity();
  command.features.assign(request->features().begin(), request->features().end());
  command.request_id = request->request_id();
  intake_.Create(std::move(command), [reactor, response](absl::StatusOr<LicenseRecord> license) {
    if (license.ok()) ToProto(*license, response->mutable_license());
    reactor->Finish(ToGrpcStatus(license.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ImportLicenses(grpc::CallbackServerContext* context,
                                                                const ImportLicensesRequest* request,
                                                                ImportLicensesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::vector<std::string> key_numbers(request->key_numbers().begin(), request->key_numbers().end());
  intake_.Import(std::move(key_numbers), [reactor, response](absl::StatusOr<ImportReport> report) {
    if (report.ok()) {
      response->set_keys_seen(report->keys_seen);
      response->set_imported(report->imported);
      response->set_already_present(report->already_present);
      response->set_failed(report->failed);
      for (const ImportFailureReport& f : report->failures) {
        licensing::v1::ImportFailure* failure = response->add_failures();
        failure->set_key_number(f.key_number);
        failure->set_error(f.error);
      }
    }
    reactor->Finish(ToGrpcStatus(report.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::GetLicense(grpc::CallbackServerContext* context,
                                                            const GetLicenseRequest* request,
                                                            GetLicenseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, ref = RefOf(*request), response] {
    absl::StatusOr<LicenseRecord> license = queries_.Get(ref);
    if (license.ok()) ToProto(*license, response->mutable_license());
    reactor->Finish(ToGrpcStatus(license.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ListLicenses(grpc::CallbackServerContext* context,
                                                              const ListLicensesRequest* request,
                                                              ListLicensesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<LicenseFilter> filter = FromProto(request->filter(), "filter.");
    if (!filter.ok()) return reactor->Finish(ToGrpcStatus(filter.status()));
    absl::StatusOr<Page<LicenseRecord>> page = queries_.List(
        *filter, request->filter().SerializeAsString(), request->page_size(), request->page_token());
    if (page.ok()) {
      for (const LicenseRecord& license : page->items) ToProto(license, response->add_licenses());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ListSyncHistory(grpc::CallbackServerContext* context,
                                                                 const ListSyncHistoryRequest* request,
                                                                 ListSyncHistoryResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<Page<SyncHistoryEntry>> page =
        queries_.History(RefOf(*request), request->page_size(), request->page_token());
    if (page.ok()) {
      for (const SyncHistoryEntry& entry : page->items) ToProto(entry, response->add_entries());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::SyncLicense(grpc::CallbackServerContext* context,
                                                             const SyncLicenseRequest* request,
                                                             SyncLicenseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  syncer_.Sync(RefOf(*request), [reactor, response](absl::StatusOr<SyncReport> report) {
    if (report.ok()) {
      ToProto(report->license, response->mutable_license());
      ToProto(report->entry, response->mutable_entry());
    }
    reactor->Finish(ToGrpcStatus(report.status()));
  });
  return reactor;
}

}  // namespace lss
