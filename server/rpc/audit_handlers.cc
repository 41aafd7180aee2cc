// LicenseServiceHandler's ListAuditEvents.
#include "server/rpc/audit_conversion.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/rpc_refusal.h"
#include "server/rpc/time_conversion.h"

namespace lss {

grpc::ServerUnaryReactor* LicenseServiceHandler::ListAuditEvents(
    grpc::CallbackServerContext* context, const licensing::v1::ListAuditEventsRequest* request,
    licensing::v1::ListAuditEventsResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListAuditEvents");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    AuditQuery query;
    query.license_id = request->license_id();
    query.actor = request->actor();
    query.method = request->method();
    if (request->has_since()) {
      absl::StatusOr<absl::Time> since = TimeFromRequest(request->since(), "since");
      if (!since.ok()) return reactor->Finish(ToGrpcStatus(since.status()));
      query.since = *since;
    }
    query.page_size = request->page_size();
    query.page_token = request->page_token();
    absl::StatusOr<Page<AuditEvent>> page = security_.audit_queries.List(query);
    if (page.ok()) {
      for (const AuditEvent& event : page->items) ToProto(event, response->add_events());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

}  // namespace lss
