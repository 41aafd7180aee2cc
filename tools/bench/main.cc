// lss-bench: the performance targets of DESIGN.md §5, measured on MariaDB
// or SQLite (--backend) and written to that backend's section of
// docs/BENCHMARKS.md. Not a test: CI does not run it; run it with
// tools/bench/run-benchmarks.sh. See tools/bench/README.md.
//
// The same binary is also the two helper processes the benchmark starts:
// --mode=echo_server (the bare service beside which unary calls are
// measured) and --mode=watchers (the WatchSyncJob fleet), so that their CPU
// is theirs and not the measuring process's.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "bench/bench_config.h"
#include "bench/bench_log.h"
#include "bench/bench_runner.h"
#include "bench/echo_server.h"
#include "bench/interrupt_cleanup.h"
#include "bench/report_file.h"
#include "bench/report_markdown.h"
#include "bench/watch_fleet.h"

#ifndef LSS_BENCH_DEFAULT_OUTPUT
#define LSS_BENCH_DEFAULT_OUTPUT "docs/BENCHMARKS.md"
#endif

ABSL_FLAG(std::string, mode, "bench", "bench | echo_server | watchers (the last two are started by the benchmark)");

// The benchmark.
ABSL_FLAG(std::string, backend, "mariadb",
          "mariadb | sqlite: the database license-server runs on (SQLite: a file in the benchmark's folder), and "
          "every database floor with it");
ABSL_FLAG(int64_t, licenses, 100'000, "Licenses (keys at ka-mock, imported) for every scenario but scale and memory");
ABSL_FLAG(int, runs, 3, "Runs per figure; the report shows the median");
ABSL_FLAG(std::string, only, "all",
          "Scenarios, comma-separated: k,d,syncall,latency,scale,memory,watchers,unary,loaded,daily or all "
          "(scale and memory are one measurement: either gives both; daily times one daily run at each of "
          "--scale_sizes)");
ABSL_FLAG(bool, sync_bulk, true,
          "How SyncAll asks KA (passed to license-server): ListKeys pages (true) or GetKeyInfo per license; "
          "K measures the same calls");
ABSL_FLAG(int, ka_page_size, 1000, "Keys per ListKeys page (passed to license-server) when --sync_bulk");
ABSL_FLAG(std::vector<std::string>, ka_in_flight, std::vector<std::string>({"16", "32", "64", "128", "256"}),
          "K without --sync_bulk: the client's in-flight limits to try");
ABSL_FLAG(std::vector<std::string>, batches, std::vector<std::string>({"100", "250", "500", "1000"}),
          "D: rows per statement (bare D) and per chunk (our CompleteChunk) to try");
ABSL_FLAG(absl::Duration, ka_latency, absl::Milliseconds(20), "Latency-bound scenario: ka-mock's delay per call");
ABSL_FLAG(int, latency_in_flight, 64, "L: KA calls in flight, for the bare client and license-server alike");
ABSL_FLAG(std::vector<std::string>, scale_sizes, std::vector<std::string>({"10000", "100000", "1000000"}),
          "Scale and memory: license counts, each with its own database and ka-mock, a fresh license-server per run");
ABSL_FLAG(std::vector<std::string>, memory_sizes, std::vector<std::string>({"10000", "100000", "1000000"}),
          "The older name of --scale_sizes");
ABSL_FLAG(int, watchers, 1000, "Watchers scenario: WatchSyncJob streams");
ABSL_FLAG(int, watcher_connections, 10, "Connections the watchers are spread over");
ABSL_FLAG(std::vector<std::string>, unary_concurrency, std::vector<std::string>({"1", "4", "16", "64", "256"}),
          "Unary: concurrent clients to try");
ABSL_FLAG(std::vector<std::string>, unary_floor_clients, std::vector<std::string>({"1", "16", "64"}),
          "Unary: client counts (each one of --unary_concurrency) at which the bare P and W are measured too and "
          "GetLicense and SyncLicense set against their floors");
ABSL_FLAG(absl::Duration, unary_warm_up, absl::Seconds(1), "Unary: untimed calls before each point");
ABSL_FLAG(absl::Duration, unary_window, absl::Seconds(4), "Unary: measured time per point");
ABSL_FLAG(int, loaded_clients, 64, "Loaded: GetLicense clients (closed loop) while SyncAll runs");
ABSL_FLAG(int, unary_connections, 4, "Unary: connections the clients are spread over (at most one per client)");
ABSL_FLAG(std::vector<std::string>, server_args, {}, "More license-server flags, comma-separated");
ABSL_FLAG(std::vector<std::string>, mariadb_args,
          std::vector<std::string>({"--innodb-buffer-pool-size=2G", "--innodb-log-file-size=512M"}),
          "MariaDB: mariadbd flags after the test harness's own (which size it for tests, not for a million rows)");
ABSL_FLAG(std::string, output, LSS_BENCH_DEFAULT_OUTPUT,
          "Markdown report to write (its intro and the other backend's section are kept)");

// --mode=echo_server (--listen and --port_file as every server of ours).
ABSL_FLAG(std::string, listen, "127.0.0.1:0", "echo_server: HOST:PORT");
ABSL_FLAG(std::string, port_file, "", "echo_server: write the bound port here");
ABSL_FLAG(std::string, echo_response_file, "", "echo_server: a serialized GetLicenseResponse to answer with");

// --mode=watchers.
ABSL_FLAG(std::string, target, "", "watchers: license-server HOST:PORT");
ABSL_FLAG(std::string, ready_file, "", "watchers: written once connected");
ABSL_FLAG(std::string, job_id_file, "", "watchers: polled for the id of the job to watch");
ABSL_FLAG(std::string, report_file, "", "watchers: where to write what the fleet saw");

namespace lss::bench {
namespace {

template <typename Int>
absl::StatusOr<std::vector<Int>> ParseInts(const std::vector<std::string>& texts, absl::string_view flag) {
  std::vector<Int> values;
  for (const std::string& text : texts) {
    Int value = 0;
    if (!absl::SimpleAtoi(text, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag, ": not a number: '", text, "'"));
    }
    values.push_back(value);
  }
  return values;
}

// --scale_sizes, or --memory_sizes (its older name) when only that one
// differs from the default both share.
absl::StatusOr<std::vector<int64_t>> SizesFromFlags() {
  absl::StatusOr<std::vector<int64_t>> scale = ParseInts<int64_t>(absl::GetFlag(FLAGS_scale_sizes), "scale_sizes");
  absl::StatusOr<std::vector<int64_t>> memory = ParseInts<int64_t>(absl::GetFlag(FLAGS_memory_sizes), "memory_sizes");
  if (!scale.ok()) return scale.status();
  if (!memory.ok()) return memory.status();
  const std::vector<int64_t> defaults = BenchConfig{}.sizes;
  if (*memory == defaults || *memory == *scale) return scale;
  if (*scale == defaults) return memory;
  return absl::InvalidArgumentError("--memory_sizes is the older name of --scale_sizes: give one of them");
}

// This binary's path, to start its helper modes.
std::string SelfPath() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

absl::StatusOr<BenchConfig> ConfigFromFlags(const std::string& command_line) {
  BenchConfig config;
  absl::StatusOr<Backend> backend = ParseBackend(absl::GetFlag(FLAGS_backend));
  if (!backend.ok()) return backend.status();
  config.backend = *backend;
  config.licenses = absl::GetFlag(FLAGS_licenses);
  config.runs = absl::GetFlag(FLAGS_runs);
  absl::StatusOr<std::set<std::string, std::less<>>> scenarios = ParseScenarios(absl::GetFlag(FLAGS_only));
  if (!scenarios.ok()) return scenarios.status();
  config.scenarios = *std::move(scenarios);
  config.sync_bulk = absl::GetFlag(FLAGS_sync_bulk);
  config.ka_page_size = absl::GetFlag(FLAGS_ka_page_size);
  absl::StatusOr<std::vector<int>> limits = ParseInts<int>(absl::GetFlag(FLAGS_ka_in_flight), "ka_in_flight");
  if (!limits.ok()) return limits.status();
  config.ka_in_flight = *std::move(limits);
  absl::StatusOr<std::vector<int64_t>> batches = ParseInts<int64_t>(absl::GetFlag(FLAGS_batches), "batches");
  if (!batches.ok()) return batches.status();
  config.batches = *std::move(batches);
  config.ka_latency = absl::GetFlag(FLAGS_ka_latency);
  config.latency_in_flight = absl::GetFlag(FLAGS_latency_in_flight);
  absl::StatusOr<std::vector<int64_t>> sizes = SizesFromFlags();
  if (!sizes.ok()) return sizes.status();
  config.sizes = *std::move(sizes);
  config.watchers = absl::GetFlag(FLAGS_watchers);
  config.watcher_connections = absl::GetFlag(FLAGS_watcher_connections);
  absl::StatusOr<std::vector<int>> clients =
      ParseInts<int>(absl::GetFlag(FLAGS_unary_concurrency), "unary_concurrency");
  if (!clients.ok()) return clients.status();
  config.unary_concurrency = *std::move(clients);
  absl::StatusOr<std::vector<int>> floor_clients =
      ParseInts<int>(absl::GetFlag(FLAGS_unary_floor_clients), "unary_floor_clients");
  if (!floor_clients.ok()) return floor_clients.status();
  config.unary_floor_clients = *std::move(floor_clients);
  config.unary_warm_up = absl::GetFlag(FLAGS_unary_warm_up);
  config.unary_window = absl::GetFlag(FLAGS_unary_window);
  config.unary_connections = absl::GetFlag(FLAGS_unary_connections);
  config.loaded_clients = absl::GetFlag(FLAGS_loaded_clients);
  config.server_args = absl::GetFlag(FLAGS_server_args);
  config.mariadb_args = absl::GetFlag(FLAGS_mariadb_args);
  config.output = absl::GetFlag(FLAGS_output);
  config.self_path = SelfPath();
  config.command_line = command_line;
  if (absl::Status valid = ValidateConfig(config); !valid.ok()) return valid;
  return config;
}

int RunBenchmarkMode(const std::string& command_line) {
  absl::StatusOr<BenchConfig> config = ConfigFromFlags(command_line);
  if (!config.ok()) {
    std::fprintf(stderr, "lss-bench: %s\n", std::string(config.status().message()).c_str());
    return 1;
  }
  const BenchResults results = RunBenchmarks(*config);
  if (absl::Status written = WriteReportFile(config->output, BackendFlagName(config->backend), RenderReport(results));
      !written.ok()) {
    std::fprintf(stderr, "lss-bench: %s\n", std::string(written.message()).c_str());
    return 1;
  }
  Log(absl::StrCat("report written to ", config->output));
  for (const std::string& error : results.errors) Log(absl::StrCat("error: ", error));
  return results.errors.empty() ? 0 : 2;
}

int RunWatchersMode() {
  WatchFleetOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.ready_file = absl::GetFlag(FLAGS_ready_file);
  options.job_id_file = absl::GetFlag(FLAGS_job_id_file);
  options.watchers = absl::GetFlag(FLAGS_watchers);
  options.connections = absl::GetFlag(FLAGS_watcher_connections);
  options.report_file = absl::GetFlag(FLAGS_report_file);
  if (options.target.empty() || options.ready_file.empty() || options.job_id_file.empty() ||
      options.report_file.empty()) {
    std::fprintf(stderr, "lss-bench --mode=watchers needs --target, --ready_file, --job_id_file, --report_file\n");
    return 1;
  }
  return RunWatchFleet(options);
}

}  // namespace
}  // namespace lss::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures the performance targets of DESIGN.md §5 on MariaDB or SQLite (--backend) and writes their section "
      "of docs/BENCHMARKS.md.\n"
      "Try it small first: lss-bench --licenses=5000 --runs=1 --scale_sizes=2000,5000 --output=/tmp/b.md");
  std::vector<std::string> args(argv, argv + argc);
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "echo_server") {
    return lss::bench::RunEchoServer(absl::GetFlag(FLAGS_listen), absl::GetFlag(FLAGS_port_file),
                                     absl::GetFlag(FLAGS_echo_response_file));
  }
  if (mode == "watchers") return lss::bench::RunWatchersMode();
  if (mode != "bench") {
    std::fprintf(stderr, "lss-bench: unknown --mode=%s\n", mode.c_str());
    return 1;
  }
  lss::bench::InstallInterruptCleanup();
  return lss::bench::RunBenchmarkMode(absl::StrJoin(args, " "));
}
