#include "bench/unary_scenario.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bare_point_calls.h"
#include "bench/bench_log.h"
#include "bench/text_file.h"
#include "bench/unary_callers.h"
#include "grpcpp/client_context.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {
namespace {

absl::Status WriteCannedResponse(BenchStack& stack, const std::string& path) {
  auto stub = licensing::v1::LicenseService::NewStub(stack.server().NewChannel());
  licensing::v1::GetLicenseRequest request;
  request.set_license_id(stack.licenses().front().license_id);
  licensing::v1::GetLicenseResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const grpc::Status status = stub->GetLicense(&context, request, &response);
  if (!status.ok()) return absl::UnavailableError(absl::StrCat("GetLicense: ", status.error_message()));
  return WriteFileAtomically(path, response.SerializeAsString());
}

}  // namespace

absl::StatusOr<std::unique_ptr<harness::GrpcServerProcess>> StartEchoServer(BenchStack& stack,
                                                                            const BenchConfig& config) {
  const std::string response_file = absl::StrCat(stack.work_dir(), "/get-license-response.bin");
  if (absl::Status written = WriteCannedResponse(stack, response_file); !written.ok()) return written;
  harness::GrpcServerOptions options;
  options.binary = config.self_path;
  options.name = "echo-server";
  options.args = {"--mode=echo_server", absl::StrCat("--echo_response_file=", response_file)};
  options.work_dir = stack.work_dir();
  return harness::GrpcServerProcess::Start(options);
}

std::vector<UnaryPoint> MeasureUnary(BenchStack& stack, const harness::GrpcServerProcess& echo,
                                     const BenchConfig& config, const std::string& run_label,
                                     std::vector<std::string>& errors) {
  const std::vector<int64_t> ids = stack.LicenseIds();
  struct Service {
    const char* name;
    std::string target;
    UnaryMethod method;
  };
  const Service services[] = {{kEchoService, echo.address(), UnaryMethod::kGetLicense},
                              {kGetLicenseService, stack.server().address(), UnaryMethod::kGetLicense},
                              {kSyncLicenseService, stack.server().address(), UnaryMethod::kSyncLicense}};
  const struct {
    const char* name;
    BarePointQuery query;
  } floors[] = {{kBareReadService, BarePointQuery::kRead}, {kBareWriteService, BarePointQuery::kWrite}};
  std::vector<UnaryPoint> points;
  auto measure = [&](const char* name, UnaryCaller& caller, int concurrency) {
    UnaryLoadResult result = RunClosedLoop(caller, concurrency, config.unary_warm_up, config.unary_window);
    Log(absl::StrFormat("%s unary %s x%d: %.0f/s, p50 %s, p99 %s", run_label, name, concurrency, result.PerSecond(),
                        absl::FormatDuration(result.latency.p50), absl::FormatDuration(result.latency.p99)));
    if (result.errors > 0) {
      errors.push_back(absl::StrCat(run_label, ", unary ", name, " x", concurrency, ": ", result.errors, " of ",
                                    result.calls, " calls failed, first: ", result.first_error));
    }
    points.push_back({name, std::move(result)});
  };
  for (int concurrency : config.unary_concurrency) {
    const int connections = std::min(concurrency, config.unary_connections);
    for (const Service& service : services) {
      std::unique_ptr<UnaryCaller> caller = NewLicenseServiceCaller(service.target, service.method, ids, connections);
      measure(service.name, *caller, concurrency);
    }
    if (std::find(config.unary_floor_clients.begin(), config.unary_floor_clients.end(), concurrency) ==
        config.unary_floor_clients.end()) {
      continue;
    }
    for (const auto& floor : floors) {
      absl::StatusOr<std::unique_ptr<UnaryCaller>> caller =
          NewBarePointCaller(stack.database().BareTarget(), floor.query, ids, concurrency);
      if (!caller.ok()) {
        errors.push_back(
            absl::StrCat(run_label, ", unary ", floor.name, " x", concurrency, ": ", caller.status().ToString()));
        continue;
      }
      measure(floor.name, **caller, concurrency);
    }
  }
  return points;
}

}  // namespace lss::bench
