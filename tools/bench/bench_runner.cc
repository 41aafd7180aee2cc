#include "bench/bench_runner.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_database.h"
#include "bench/bench_log.h"
#include "bench/bench_stack.h"
#include "bench/floor_scenario.h"
#include "bench/interrupt_cleanup.h"
#include "bench/latency_scenario.h"
#include "bench/loaded_scenario.h"
#include "bench/machine_info.h"
#include "bench/scale_scenario.h"
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
  auto finish = [&results] {
    results.duration = absl::Now() - results.started;
    results.load_at_end = LoadAverage();
    return results;
  };

  // Declared in this order so that they go in the reverse: the servers,
  // then the database engine, then the folder that held their files.
  absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create("bench");
  if (!dir.ok()) {
    results.errors.push_back(absl::StrCat("creating a folder: ", dir.status().ToString()));
    return finish();
  }
  RemoveOnInterrupt(dir->path());
  Log(absl::StrCat("starting ", BackendName(config.backend)));
  absl::StatusOr<std::unique_ptr<DatabaseHost>> host = DatabaseHost::Start(config, dir->path());
  if (!host.ok()) {
    results.errors.push_back(absl::StrCat("starting ", BackendName(config.backend), ": ", host.status().ToString()));
    return finish();
  }
  results.machine.database_version = (*host)->Version();
  if (absl::StatusOr<int64_t> free_bytes = FreeDiskBytes((*host)->DataDir()); free_bytes.ok()) {
    results.free_disk_bytes = *free_bytes;
    Log(absl::StrCat(*free_bytes >> 20, " MiB free on disk for the database"));
  }

  if (config.NeedsMainStack()) {
    Log(absl::StrCat("starting ka-mock and license-server on ", BackendName(config.backend), " for ", config.licenses,
                     " licenses"));
    absl::StatusOr<std::unique_ptr<BenchStack>> stack = BenchStack::Start(config, **host, dir->path());
    if (!stack.ok()) {
      results.errors.push_back(absl::StrCat("starting the servers: ", stack.status().ToString()));
      return finish();
    }
    results.seeding = (*stack)->seeding();
    results.process_commands = (*stack)->Commands();
    Log(absl::StrCat("seeded and imported in ", absl::FormatDuration(results.seeding)));
    RunOnStack(**stack, config, results);
    // Its servers stopped and its database dropped before the sizes, so
    // that neither their threads nor their data share what follows.
    stack->reset();
  } else {
    results.process_commands.push_back((*host)->Command());
  }
  if (config.RunsSizes()) results.sizes = MeasureSizes(**host, dir->path(), config, results.errors);
  return finish();
}

}  // namespace lss::bench
