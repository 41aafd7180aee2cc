// The gRPC face of licensing.v1.LicenseService: a thin adapter that turns
// requests into domain calls and domain results into responses. It holds no
// logic of its own: validation, sync, paging and idempotency live in the
// domain (server/licenses, server/sync), which knows nothing of gRPC.
//
// Uses the callback API: no reaction blocks. Database work runs on the
// WorkerPool, which finishes the reactor. Every method admits its call
// first: the token's role against the method's, then the server's load
// (CallAdmission: a full work queue or too many calls in progress is
// RESOURCE_EXHAUSTED at once). Every method that changes something leaves
// an audit event with its outcome; refusals are counted (AuditTrail).
//
// A unary call's request and response live until its reactor finishes, so
// pool tasks may read them. A stream may end (cancelled, past its
// deadline) before its first task runs, and gRPC frees its request with
// it: streaming tasks get copies of what they need. Thread-safe.
#pragma once

#include "licensing/v1/license_service.grpc.pb.h"
#include "server/audit/audit_queries.h"
#include "server/audit/audit_trail.h"
#include "server/auth/authenticator.h"
#include "server/daily/daily_run_queries.h"
#include "server/jobs/progress_hub.h"
#include "server/jobs/sync_jobs.h"
#include "server/licenses/license_intake.h"
#include "server/licenses/license_queries.h"
#include "common/request_context.h"
#include "server/runtime/call_admission.h"
#include "server/runtime/worker_pool.h"
#include "server/licenses/license_terminator.h"
#include "server/sync/license_syncer.h"
#include "server/upgrade/order_placement.h"
#include "server/upgrade/upgrade_wizard.h"

namespace lss {

// Who may call, how much the server takes, and the audit log of what they
// changed.
struct SecurityServices {
  const Authenticator& auth;
  CallAdmission& admission;
  AuditTrail& audit;
  AuditQueries& audit_queries;
};

// An admitted unary call: who calls, and the reactor that holds its place
// among the calls in progress until gRPC is done with it.
struct AdmittedCall {
  CallerIdentity caller;
  grpc::ServerUnaryReactor* reactor = nullptr;
  // The call's request id is current (common/request_context.h) for as long
  // as the handler holds this, so that the work it starts carries it to KA.
  RequestContext::Scope request_scope;
};

// The domain services behind the upgrade RPCs and TerminateLicense.
struct UpgradeServices {
  UpgradeWizard& wizard;
  OrderPlacement& placement;
  LicenseTerminator& terminator;
};

class LicenseServiceHandler final : public licensing::v1::LicenseService::CallbackService {
 public:
  LicenseServiceHandler(LicenseQueries& queries, LicenseSyncer& syncer, LicenseIntake& intake, SyncJobs& jobs,
                        ProgressHub& progress, DailyRunQueries& daily_runs, UpgradeServices upgrades,
                        SecurityServices security, WorkerPool& pool)
      : queries_(queries),
        syncer_(syncer),
        intake_(intake),
        jobs_(jobs),
        progress_(progress),
        daily_runs_(daily_runs),
        upgrades_(upgrades),
        security_(security),
        pool_(pool) {}

  grpc::ServerUnaryReactor* CreateLicense(grpc::CallbackServerContext* context,
                                          const licensing::v1::CreateLicenseRequest* request,
                                          licensing::v1::CreateLicenseResponse* response) override;
  grpc::ServerUnaryReactor* ImportLicenses(grpc::CallbackServerContext* context,
                                           const licensing::v1::ImportLicensesRequest* request,
                                           licensing::v1::ImportLicensesResponse* response) override;
  grpc::ServerUnaryReactor* GetLicense(grpc::CallbackServerContext* context,
                                       const licensing::v1::GetLicenseRequest* request,
                                       licensing::v1::GetLicenseResponse* response) override;
  grpc::ServerUnaryReactor* ListLicenses(grpc::CallbackServerContext* context,
                                         const licensing::v1::ListLicensesRequest* request,
                                         licensing::v1::ListLicensesResponse* response) override;
  grpc::ServerUnaryReactor* ListSyncHistory(grpc::CallbackServerContext* context,
                                            const licensing::v1::ListSyncHistoryRequest* request,
                                            licensing::v1::ListSyncHistoryResponse* response) override;
  grpc::ServerUnaryReactor* SyncLicense(grpc::CallbackServerContext* context,
                                        const licensing::v1::SyncLicenseRequest* request,
                                        licensing::v1::SyncLicenseResponse* response) override;

  // SyncAll jobs: sync_job_handlers.cc.
  grpc::ServerWriteReactor<licensing::v1::SyncAllResponse>* SyncAll(
      grpc::CallbackServerContext* context, const licensing::v1::SyncAllRequest* request) override;
  grpc::ServerWriteReactor<licensing::v1::WatchSyncJobResponse>* WatchSyncJob(
      grpc::CallbackServerContext* context, const licensing::v1::WatchSyncJobRequest* request) override;
  grpc::ServerUnaryReactor* GetSyncJob(grpc::CallbackServerContext* context,
                                       const licensing::v1::GetSyncJobRequest* request,
                                       licensing::v1::GetSyncJobResponse* response) override;
  grpc::ServerUnaryReactor* ListSyncJobs(grpc::CallbackServerContext* context,
                                         const licensing::v1::ListSyncJobsRequest* request,
                                         licensing::v1::ListSyncJobsResponse* response) override;
  grpc::ServerUnaryReactor* CancelSyncJob(grpc::CallbackServerContext* context,
                                          const licensing::v1::CancelSyncJobRequest* request,
                                          licensing::v1::CancelSyncJobResponse* response) override;

  // Daily runs: daily_run_handlers.cc.
  grpc::ServerUnaryReactor* ListDailyRuns(grpc::CallbackServerContext* context,
                                          const licensing::v1::ListDailyRunsRequest* request,
                                          licensing::v1::ListDailyRunsResponse* response) override;

  // The upgrade wizard and TerminateLicense: upgrade_handlers.cc.
  grpc::ServerUnaryReactor* StartUpgrade(grpc::CallbackServerContext* context,
                                         const licensing::v1::StartUpgradeRequest* request,
                                         licensing::v1::StartUpgradeResponse* response) override;
  grpc::ServerUnaryReactor* ConfigureUpgrade(grpc::CallbackServerContext* context,
                                             const licensing::v1::ConfigureUpgradeRequest* request,
                                             licensing::v1::ConfigureUpgradeResponse* response) override;
  grpc::ServerUnaryReactor* PriceUpgrade(grpc::CallbackServerContext* context,
                                         const licensing::v1::PriceUpgradeRequest* request,
                                         licensing::v1::PriceUpgradeResponse* response) override;
  grpc::ServerUnaryReactor* PlaceUpgradeOrder(grpc::CallbackServerContext* context,
                                              const licensing::v1::PlaceUpgradeOrderRequest* request,
                                              licensing::v1::PlaceUpgradeOrderResponse* response) override;
  grpc::ServerUnaryReactor* GetUpgrade(grpc::CallbackServerContext* context,
                                       const licensing::v1::GetUpgradeRequest* request,
                                       licensing::v1::GetUpgradeResponse* response) override;
  grpc::ServerUnaryReactor* ListUpgrades(grpc::CallbackServerContext* context,
                                         const licensing::v1::ListUpgradesRequest* request,
                                         licensing::v1::ListUpgradesResponse* response) override;
  grpc::ServerUnaryReactor* CancelUpgrade(grpc::CallbackServerContext* context,
                                          const licensing::v1::CancelUpgradeRequest* request,
                                          licensing::v1::CancelUpgradeResponse* response) override;
  grpc::ServerUnaryReactor* TerminateLicense(grpc::CallbackServerContext* context,
                                             const licensing::v1::TerminateLicenseRequest* request,
                                             licensing::v1::TerminateLicenseResponse* response) override;

  // The audit log: audit_handlers.cc.
  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* context,
                                            const licensing::v1::ListAuditEventsRequest* request,
                                            licensing::v1::ListAuditEventsResponse* response) override;

 private:
  // Admits a unary call to `method`: the caller (caller_context.h), then
  // the load (CallAdmission). A refused call to a method that changes
  // something is counted in the audit log.
  absl::StatusOr<AdmittedCall> Admit(const grpc::ServerContextBase& context, absl::string_view method);
  // The same for a stream, which holds no place among the calls in
  // progress (watchers have caps of their own).
  absl::StatusOr<CallerIdentity> AdmitStream(const grpc::ServerContextBase& context, absl::string_view method);
  // The caller of `method`, or why not; refusals audited as above.
  absl::StatusOr<CallerIdentity> Identify(const grpc::ServerContextBase& context, absl::string_view method,
                                          CallerIdentity& refused);
  void AuditRefusal(const CallerIdentity& refused, absl::string_view method, const absl::Status& refusal);
  // Records a changing call's outcome in the audit log.
  void Audit(const CallerIdentity& caller, AuditedCall call, const absl::Status& outcome);

  LicenseQueries& queries_;
  LicenseSyncer& syncer_;
  LicenseIntake& intake_;
  SyncJobs& jobs_;
  ProgressHub& progress_;
  DailyRunQueries& daily_runs_;
  const UpgradeServices upgrades_;
  const SecurityServices security_;
  WorkerPool& pool_;
};

}  // namespace lss
