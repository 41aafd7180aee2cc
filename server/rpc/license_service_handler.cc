#include "server/rpc/license_service_handler.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/auth/method_roles.h"
#include "server/rpc/admitted_reactor.h"
#include "server/rpc/audited_call.h"
#include "server/rpc/caller_context.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/license_ref_conversion.h"
#include "server/rpc/rpc_refusal.h"

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

absl::StatusOr<CallerIdentity> LicenseServiceHandler::Identify(const grpc::ServerContextBase& context,
                                                               absl::string_view method, CallerIdentity& refused) {
  absl::StatusOr<CallerIdentity> caller = AdmitCaller(context, security_.auth, method, &refused);
  if (!caller.ok()) AuditRefusal(refused, method, caller.status());
  return caller;
}

void LicenseServiceHandler::AuditRefusal(const CallerIdentity& refused, absl::string_view method,
                                         const absl::Status& refusal) {
  if (ChangesState(method)) security_.audit.RecordRefusal(refused, method, refusal);
}

absl::StatusOr<AdmittedCall> LicenseServiceHandler::Admit(const grpc::ServerContextBase& context,
                                                          absl::string_view method) {
  CallerIdentity refused;
  absl::StatusOr<CallerIdentity> caller = Identify(context, method, refused);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<CallAdmission::Ticket> ticket = security_.admission.AdmitCall();
  if (!ticket.ok()) {
    AuditRefusal(*caller, method, ticket.status());
    return ticket.status();
  }
  std::string request_id = caller->request_id;
  return AdmittedCall{*std::move(caller), new AdmittedReactor(*std::move(ticket)),
                      RequestContext::Scope(std::move(request_id))};
}

absl::StatusOr<CallerIdentity> LicenseServiceHandler::AdmitStream(const grpc::ServerContextBase& context,
                                                                  absl::string_view method) {
  CallerIdentity refused;
  absl::StatusOr<CallerIdentity> caller = Identify(context, method, refused);
  if (!caller.ok()) return caller.status();
  if (absl::Status room = security_.admission.AdmitStream(); !room.ok()) {
    AuditRefusal(*caller, method, room);
    return room;
  }
  return caller;
}

void LicenseServiceHandler::Audit(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome) {
  security_.audit.Record(caller, std::move(call), outcome);
}

grpc::ServerUnaryReactor* LicenseServiceHandler::CreateLicense(grpc::CallbackServerContext* context,
                                                               const CreateLicenseRequest* request,
                                                               CreateLicenseResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "CreateLicense");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  CreateLicenseCommand command;
  command.license_class = request->license_class();
  command.capacity = request->capacity();
  command.features.assign(request->features().begin(), request->features().end());
  command.request_id = request->request_id();
  command.caller = admitted->caller.name;
  intake_.Create(std::move(command),
                 [this, reactor, response, caller = admitted->caller](absl::StatusOr<LicenseRecord> license) {
                   AuditedCall call{"CreateLicense"};
                   if (license.ok()) {
                     ToProto(*license, response->mutable_license());
                     AboutLicense(*license, call);
                     call.detail = absl::StrCat("created ", license->config.license_class, " capacity ",
                                                license->config.capacity);
                   }
                   Audit(caller, std::move(call), license.status());
                   reactor->Finish(ToGrpcStatus(license.status()));
                 });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ImportLicenses(grpc::CallbackServerContext* context,
                                                                const ImportLicensesRequest* request,
                                                                ImportLicensesResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ImportLicenses");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  std::vector<std::string> key_numbers(request->key_numbers().begin(), request->key_numbers().end());
  intake_.Import(std::move(key_numbers),
                 [this, reactor, response, caller = admitted->caller](absl::StatusOr<ImportReport> report) {
                   AuditedCall call{"ImportLicenses"};
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
                     call.detail = absl::StrCat(report->imported, " imported, ", report->already_present,
                                                " already present, ", report->failed, " failed");
                   }
                   Audit(caller, std::move(call), report.status());
                   reactor->Finish(ToGrpcStatus(report.status()));
                 });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::GetLicense(grpc::CallbackServerContext* context,
                                                            const GetLicenseRequest* request,
                                                            GetLicenseResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "GetLicense");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
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
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListLicenses");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
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
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListSyncHistory");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
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
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "SyncLicense");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  const LicenseRef ref = RefOf(*request);
  syncer_.Sync(ref, [this, reactor, response, caller = admitted->caller,
                     call = AuditOf("SyncLicense", ref)](absl::StatusOr<SyncReport> report) mutable {
    if (report.ok()) {
      ToProto(report->license, response->mutable_license());
      ToProto(report->entry, response->mutable_entry());
      AboutLicense(report->license, call);
      call.detail = report->license.sync.message.empty() ? "In Sync" : report->license.sync.message;
    }
    Audit(caller, std::move(call), report.status());
    reactor->Finish(ToGrpcStatus(report.status()));
  });
  return reactor;
}

}  // namespace lss
