// Everything one benchmark invocation measured, run by run, for the report.
// A measurement that failed is absent and its error is in `errors`, so one
// broken scenario does not lose the others' figures. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/bare_sync_writes.h"
#include "bench/bench_config.h"
#include "bench/chunk_write_load.h"
#include "bench/daily_run_call.h"
#include "bench/ka_call_load.h"
#include "bench/machine_info.h"
#include "bench/proc_status.h"
#include "bench/sync_all_call.h"
#include "bench/unary_load.h"
#include "bench/watch_fleet.h"

namespace lss::bench {

// Scenario 1: K over in-flight limits, D over methods and batch sizes,
// SyncAll at 0 ms.
struct FloorRun {
  std::vector<KaLoadResult> k;
  std::vector<BareWriteResult> d;        // bare: the floor's D
  std::vector<ChunkWriteResult> ours_d;  // ours, through SyncJobRepository: not a floor
  std::optional<SyncAllResult> sync_all;
};

// Scenario 2: KA answering after ka_latency.
struct LatencyRun {
  std::optional<KaLoadResult> bare;         // ka-mock alone at L in flight
  std::optional<KaLoadResult> bare_double;  // and at 2 L: more than L / latency
  std::optional<SyncAllResult> sync_all;
};

// Scenario 4: SyncAll without watchers, then with the watcher fleet
// attached, one right after the other.
struct WatchersRun {
  std::optional<SyncAllResult> without;
  std::optional<SyncAllResult> sync_all;
  std::optional<WatchFleetReport> fleet;
};

// Scenario 5: one service at one concurrency.
struct UnaryPoint {
  std::string service;  // "echo", "GetLicense", "SyncLicense", "P", "W" (unary_scenario.h)
  UnaryLoadResult result;
};

// SyncAll alone, then under closed-loop GetLicense clients (issue 8).
struct LoadedRun {
  std::optional<SyncAllResult> alone;
  std::optional<SyncAllResult> loaded;
  std::optional<UnaryLoadResult> reads;  // the clients' calls while the SyncAll ran
};

struct RunResults {
  FloorRun floor;
  LatencyRun latency;
  WatchersRun watchers;
  std::vector<UnaryPoint> unary;
  LoadedRun loaded;
};

// Scenario 3 (scale and memory): one size, a fresh license-server per run.
struct SizeRun {
  ProcessMemory at_start;  // serving, before the SyncAll
  ProcessMemory at_end;    // after the final event: VmHWM covers the whole job
  SyncAllResult sync_all;
};
struct SizeResult {
  int64_t licenses = 0;
  std::string skipped;  // why it was not measured, if it was not
  absl::Duration seeding;
  std::vector<SizeRun> runs;
  std::optional<DailyRunResult> daily;  // scenario daily
};

struct BenchResults {
  BenchConfig config;
  MachineInfo machine;
  absl::Time started;
  absl::Duration duration;
  int64_t free_disk_bytes = 0;
  double load_at_start = -1;  // 1-minute load averages
  double load_at_end = -1;
  absl::Duration seeding;  // keys at KA and the import, for the main stack
  std::vector<RunResults> runs;
  std::vector<SizeResult> sizes;
  std::vector<std::string> process_commands;  // how the servers were started
  std::vector<std::string> errors;
};

}  // namespace lss::bench
