#include "bench/bench_runner.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"
#include "bench/bench_processes.h"
#include "bench/bench_stack.h"
#include "bench/database_chores.h"
#include "bench/floor_scenario.h"
#include "bench/interrupt_cleanup.h"
#include "bench/latency_scenario.h"
#include "bench/loaded_scenario.h"
#include "bench/memory_scenario.h"
#include "bench/unary_scenario.h"
#include "bench/watchers_scenario.h"

namespace lss::bench {
namespace {

// Every per-run scenario, config.runs times, on one stack.
void RunOnStack(BenchStack& stack, const BenchConfig& config, BenchResults& results) {
  std::unique_ptr<harness::GrpcServerProcess> echo;
  if (config.Runs(kScenarioUnary)) {
    absl::StatusOr<std::unique_ptr<harness::GrpcServerProcess>> started = StartEchoServer(stack, config);
    if (started.ok()) {
      echo = *std::move(started);
      results.process_commands.push_back(echo->process().CommandLine());
    } else {
      results.errors.push_back(absl::StrCat("echo server: ", started.status().ToString()));
    }
  }
  for (int r = 1; r <= config.runs; ++r) {
    const std::string label = absl::StrCat("run ", r, "/", config.runs);
    RunResults run;
    run.floor = MeasureFloor(stack, config, label, results.errors);
    if (config.Runs(kScenarioWatchers)) run.watchers = MeasureWithWatchers(stack, config, label, results.errors);
    if (config.Runs(kScenarioLatency)) run.latency = MeasureLatencyBound(stack, config, label, results.errors);
    if (echo != nullptr) run.unary = MeasureUnary(stack, *echo, config, label, results.errors);
    if (config.Runs(kScenarioLoaded)) run.loaded = MeasureUnderLoad(stack, config, label, results.errors);
    results.runs.push_back(std::move(run));
  }
}

}  // namespace

BenchResults RunBenchmarks(const BenchConfig& config) {
  BenchResults results;
  results.config = config;
  results.machine = ReadMachineInfo();
  results.started = absl::Now();
  results.load_at_start = LoadAverage();
  // The harness keeps MariaDB's data under $TMPDIR (default /tmp).
  const char* tmpdir = std::getenv("TMPDIR");
  if (absl::StatusOr<int64_t> free_bytes = FreeDiskBytes(tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp");
      free_bytes.ok()) {
    results.free_disk_bytes = *free_bytes;
    Log(absl::StrCat(*free_bytes >> 20, " MiB free on disk for MariaDB's data"));
  }

  // When only memory runs, a MariaDB of its own; its folder goes last.
  std::optional<harness::TempDir> own_dir;
  std::unique_ptr<harness::MariaDbProcess> own_mariadb;
  std::unique_ptr<BenchStack> stack;
  harness::MariaDbProcess* mariadb = nullptr;
  std::string work_dir;
  if (config.NeedsMainStack()) {
    Log(absl::StrCat("starting MariaDB, ka-mock and license-server for ", config.licenses, " licenses"));
    absl::StatusOr<std::unique_ptr<BenchStack>> started = BenchStack::Start(config);
    if (!started.ok()) {
      results.errors.push_back(absl::StrCat("starting the servers: ", started.status().ToString()));
      results.duration = absl::Now() - results.started;
      return results;
    }
    stack = *std::move(started);
    results.seeding = stack->seeding();
    results.process_commands = stack->Commands();
    mariadb = &stack->mariadb();
    work_dir = stack->work_dir();
    Log(absl::StrCat("seeded and imported in ", absl::FormatDuration(results.seeding)));
    RunOnStack(*stack, config, results);
    stack->StopServices();
  } else {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("bench");
    if (!dir.ok()) {
      results.errors.push_back(absl::StrCat("creating a folder: ", dir.status().ToString()));
      results.duration = absl::Now() - results.started;
      return results;
    }
    own_dir.emplace(*std::move(dir));
    RemoveOnInterrupt(own_dir->path());
    absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> started =
        StartMariaDb(own_dir->path(), config.mariadb_args);
    if (!started.ok()) {
      results.errors.push_back(absl::StrCat("starting MariaDB: ", started.status().ToString()));
      results.duration = absl::Now() - results.started;
      return results;
    }
    own_mariadb = *std::move(started);
    mariadb = own_mariadb.get();
    work_dir = own_dir->path();
  }
  results.machine.mariadb_version = MariaDbVersion(*mariadb);
  if (config.Runs(kScenarioMemory)) results.memory = MeasureMemory(*mariadb, work_dir, config, results.errors);
  results.duration = absl::Now() - results.started;
  results.load_at_end = LoadAverage();
  return results;
}

}  // namespace lss::bench
