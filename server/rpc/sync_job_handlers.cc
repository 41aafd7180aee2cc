// LicenseServiceHandler's SyncAll methods: thin adapters over SyncJobs and
// the ProgressHub (see license_service_handler.h).
#include "absl/strings/str_cat.h"
#include "server/rpc/grpc_status.h"
#include "server/rpc/license_conversion.h"
#include "server/rpc/license_service_handler.h"
#include "server/rpc/progress_stream.h"
#include "server/rpc/rpc_refusal.h"
#include "server/rpc/sync_job_conversion.h"

namespace lss {

using licensing::v1::SyncAllRequest;
using licensing::v1::SyncAllResponse;
using licensing::v1::WatchSyncJobRequest;
using licensing::v1::WatchSyncJobResponse;

grpc::ServerWriteReactor<SyncAllResponse>* LicenseServiceHandler::SyncAll(grpc::CallbackServerContext* context,
                                                                          const SyncAllRequest* request) {
  auto* stream = ProgressStream<SyncAllResponse>::Create(progress_);
  absl::StatusOr<CallerIdentity> caller = AdmitStream(*context, "SyncAll");
  if (!caller.ok()) {
    stream->Fail(ToGrpcStatus(caller.status()));
    return stream;
  }
  // The stream may end (a cancel, a deadline) before the task runs, and
  // gRPC frees the request with it: the task gets a copy of what it needs.
  RequestContext::Scope request_scope(caller->request_id);
  pool_.Run([this, stream, scope = FromProto(request->scope(), "scope."), caller = *caller] {
    AuditedCall call{"SyncAll"};
    absl::StatusOr<SyncJobRecord> job = scope.ok() ? jobs_.StartOrAttach(caller, *scope) : scope.status();
    if (job.ok()) call.detail = absl::StrCat("job ", job->job_id);
    Audit(caller, std::move(call), job.status());
    if (!job.ok()) return stream->Fail(ToGrpcStatus(job.status()));
    stream->Attach(job->job_id, CallerKey(caller));
  });
  return stream;
}

grpc::ServerWriteReactor<WatchSyncJobResponse>* LicenseServiceHandler::WatchSyncJob(
    grpc::CallbackServerContext* context, const WatchSyncJobRequest* request) {
  auto* stream = ProgressStream<WatchSyncJobResponse>::Create(progress_);
  absl::StatusOr<CallerIdentity> caller = AdmitStream(*context, "WatchSyncJob");
  if (!caller.ok()) {
    stream->Fail(ToGrpcStatus(caller.status()));
    return stream;
  }
  // As in SyncAll: the task must not read the request, which may be gone.
  RequestContext::Scope request_scope(caller->request_id);
  pool_.Run([this, stream, job_id = request->job_id(), watcher = CallerKey(*caller)] {
    // The job must exist; its current state goes first.
    absl::StatusOr<SyncJobRecord> job = jobs_.Get(job_id);
    if (!job.ok()) return stream->Fail(ToGrpcStatus(job.status()));
    jobs_.PublishProgress(*job);
    stream->Attach(job->job_id, watcher);
  });
  return stream;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::GetSyncJob(grpc::CallbackServerContext* context,
                                                            const licensing::v1::GetSyncJobRequest* request,
                                                            licensing::v1::GetSyncJobResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "GetSyncJob");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<SyncJobRecord> job = jobs_.Get(request->job_id());
    if (job.ok()) ToProto(*job, response->mutable_job());
    reactor->Finish(ToGrpcStatus(job.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::ListSyncJobs(grpc::CallbackServerContext* context,
                                                              const licensing::v1::ListSyncJobsRequest* request,
                                                              licensing::v1::ListSyncJobsResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "ListSyncJobs");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response] {
    absl::StatusOr<absl::optional<SyncJobState>> state = FromProto(request->state());
    if (!state.ok()) return reactor->Finish(ToGrpcStatus(state.status()));
    absl::StatusOr<Page<SyncJobRecord>> page = jobs_.List(*state, request->page_size(), request->page_token());
    if (page.ok()) {
      for (const SyncJobRecord& job : page->items) ToProto(job, response->add_jobs());
      response->set_next_page_token(page->next_page_token);
    }
    reactor->Finish(ToGrpcStatus(page.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* LicenseServiceHandler::CancelSyncJob(grpc::CallbackServerContext* context,
                                                               const licensing::v1::CancelSyncJobRequest* request,
                                                               licensing::v1::CancelSyncJobResponse* response) {
  absl::StatusOr<AdmittedCall> admitted = Admit(*context, "CancelSyncJob");
  if (!admitted.ok()) return Refuse(context, admitted.status());
  grpc::ServerUnaryReactor* reactor = admitted->reactor;
  pool_.Run([this, reactor, request, response, caller = admitted->caller] {
    absl::StatusOr<SyncJobRecord> job = jobs_.Cancel(request->job_id());
    if (job.ok()) ToProto(*job, response->mutable_job());
    Audit(caller, AuditedCall{"CancelSyncJob", absl::nullopt, "", absl::StrCat("job ", request->job_id())},
          job.status());
    reactor->Finish(ToGrpcStatus(job.status()));
  });
  return reactor;
}

}  // namespace lss
