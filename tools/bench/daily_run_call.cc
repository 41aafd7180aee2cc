#include "bench/daily_run_call.h"

#include <chrono>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/bench_processes.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/wait.h"

namespace lss::bench {
namespace {

using licensing::v1::DailyRun;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// "DAILY_RUN_PHASE_KIND_SYNC" as "sync": the enum's name past its prefix.
std::string ShortName(absl::string_view name, absl::string_view prefix) {
  if (absl::StartsWith(name, prefix)) name.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(name);
}

// The newest run, if one has ended.
absl::StatusOr<DailyRun> EndedRun(licensing::v1::LicenseService::Stub& stub) {
  licensing::v1::ListDailyRunsRequest request;
  request.set_page_size(1);
  licensing::v1::ListDailyRunsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status status = stub.ListDailyRuns(&context, request, &response);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  if (response.daily_runs().empty()) return absl::NotFoundError("no daily run yet");
  const DailyRun& run = response.daily_runs(0);
  if (run.state() == licensing::v1::DAILY_RUN_STATE_RUNNING) return absl::NotFoundError("still running");
  return run;
}

}  // namespace

absl::StatusOr<DailyRunResult> RunDailyRun(const BenchDatabase& database, const harness::KaMockProcess& ka,
                                           const std::string& work_dir, const std::string& name,
                                           const std::vector<std::string>& server_flags, absl::Duration timeout) {
  std::vector<std::string> flags = server_flags;
  // 00:00 UTC has always come today: the run is due when the server starts.
  flags.push_back("--daily_at=00:00");
  flags.push_back("--daily_check_interval=1s");
  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
      StartLicenseServer(database, ka, work_dir, name, flags);
  if (!server.ok()) return server.status();
  std::unique_ptr<licensing::v1::LicenseService::Stub> stub =
      licensing::v1::LicenseService::NewStub((*server)->NewChannel());
  absl::StatusOr<DailyRun> run = absl::NotFoundError("not polled");
  const bool ended = harness::WaitFor(
      [&] {
        run = EndedRun(*stub);
        return run.ok();
      },
      timeout, absl::Milliseconds(200));
  (*server)->Stop();
  if (!ended) {
    return absl::DeadlineExceededError(
        absl::StrCat("the daily run did not end within ", absl::FormatDuration(timeout), ": ", run.status().ToString()));
  }

  DailyRunResult result;
  result.state = ShortName(licensing::v1::DailyRunState_Name(run->state()), "DAILY_RUN_STATE_");
  result.time = ToTime(run->end_time()) - ToTime(run->start_time());
  for (const licensing::v1::DailyRunPhase& phase : run->phases()) {
    DailyPhaseResult& out = result.phases.emplace_back();
    out.kind = ShortName(licensing::v1::DailyRunPhaseKind_Name(phase.kind()), "DAILY_RUN_PHASE_KIND_");
    out.state = ShortName(licensing::v1::DailyRunState_Name(phase.state()), "DAILY_RUN_STATE_");
    out.processed = phase.processed();
    out.succeeded = phase.succeeded();
    out.failed = phase.failed();
    if (phase.has_start_time() && phase.has_end_time()) {
      out.time = ToTime(phase.end_time()) - ToTime(phase.start_time());
    }
  }
  return result;
}

}  // namespace lss::bench
