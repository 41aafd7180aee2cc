// LicenseServiceHandler's daily-run RPCs.
#include "server/rpc/daily_run_conversion.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/rpc_refusal.h"

namespace lss {

grpc::ServerUnaryReactor* LicenseServiceHandler::ListDailyRuns(
    grpc::CallbackServerContext* context, const licensing::v1::ListDailyRunsRequest* request,
    licensing::v1::ListDailyRunsResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListDailyRuns");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<Page<DailyRunRecord>> page =
        daily_runs_.List(request->page_size(), request->page_token());
    if (page.ok()) {
      for (const DailyRunRecord& run : page->items) ToProto(run, response->add_daily_runs());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

}  // namespace lss
