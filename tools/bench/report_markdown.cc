#include "bench/report_markdown.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/floor_scenario.h"
#include "bench/latency_scenario.h"
#include "bench/stats.h"
#include "bench/unary_scenario.h"

namespace lss::bench {
namespace {

// The targets of DESIGN.md §5.
constexpr double kFloorTarget = 0.70;
constexpr double kLatencyTarget = 0.80;
constexpr double kMemoryGrowthLimit = 0.20;
constexpr double kWatchersLossLimit = 0.10;

// 1234567.8 -> "1,234,568".
std::string Thousands(double value) {
  const int64_t rounded = std::llround(value);
  std::string digits = absl::StrCat(rounded < 0 ? -rounded : rounded);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return rounded < 0 ? "-" + out : out;
}

std::string PerSecond(double value) { return value > 0 ? absl::StrCat(Thousands(value), "/s") : "—"; }
std::string Percent(double ratio) { return absl::StrFormat("%.0f%%", ratio * 100); }
std::string Signed(double change) { return absl::StrFormat("%+.1f%%", change * 100); }
std::string Ms(absl::Duration d) { return absl::StrFormat("%.2f ms", absl::ToDoubleMilliseconds(d)); }
std::string Seconds(absl::Duration d) { return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(d)); }
std::string Minutes(absl::Duration d) { return absl::StrFormat("%.1f min", absl::ToDoubleMinutes(d)); }
std::string MiB(double kib) { return absl::StrFormat("%.1f MiB", kib / 1024); }
std::string Verdict(bool met) { return met ? "**met**" : "**missed**"; }

std::string Row(const std::vector<std::string>& cells) {
  return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |\n");
}
std::string Header(const std::vector<std::string>& cells) {
  return absl::StrCat(Row(cells), "|", absl::StrJoin(std::vector<std::string>(cells.size(), " --- "), "|"), "|\n");
}

// "run 1" ... "run N" header cells.
std::vector<std::string> RunColumns(const BenchResults& results) {
  std::vector<std::string> cells;
  for (size_t r = 1; r <= results.runs.size(); ++r) cells.push_back(absl::StrCat("run ", r));
  return cells;
}

// The median over runs of what `value` gives for each run (runs where it
// gives nothing are left out).
double MedianOverRuns(const BenchResults& results,
                      const std::function<std::optional<double>(const RunResults&)>& value) {
  std::vector<double> values;
  for (const RunResults& run : results.runs) {
    if (std::optional<double> v = value(run); v && *v > 0) values.push_back(*v);
  }
  return Median(values);
}

std::optional<double> SyncAll0(const RunResults& run) {
  if (!run.floor.sync_all) return std::nullopt;
  return run.floor.sync_all->PerSecond();
}

std::optional<double> BareAtL(const RunResults& run) {
  if (!run.latency.bare) return std::nullopt;
  return run.latency.bare->PerSecond();
}

std::optional<double> BareAt2L(const RunResults& run) {
  if (!run.latency.bare_double) return std::nullopt;
  return run.latency.bare_double->PerSecond();
}

std::optional<double> SyncAllWithLatency(const RunResults& run) {
  if (!run.latency.sync_all) return std::nullopt;
  return run.latency.sync_all->PerSecond();
}

std::optional<double> FloorRatio(const RunResults& run) {
  const double floor = Floor(run.floor);
  if (floor <= 0 || !run.floor.sync_all) return std::nullopt;
  return run.floor.sync_all->PerSecond() / floor;
}

std::optional<double> LatencyRatio(const RunResults& run, double ceiling) {
  if (!run.latency.sync_all || !run.floor.sync_all) return std::nullopt;
  const double bound = std::min(ceiling, run.floor.sync_all->PerSecond());
  return run.latency.sync_all->PerSecond() / bound;
}

// SyncAll's throughput under the readers' load over its throughput alone.
std::optional<double> LoadedRatio(const RunResults& run) {
  if (!run.loaded.alone || !run.loaded.loaded || run.loaded.alone->PerSecond() <= 0) return std::nullopt;
  return run.loaded.loaded->PerSecond() / run.loaded.alone->PerSecond();
}

std::optional<double> LoadedReadRate(const RunResults& run) {
  if (!run.loaded.reads) return std::nullopt;
  return run.loaded.reads->PerSecond();
}

std::optional<double> WatchersRatio(const RunResults& run) {
  if (!run.watchers.sync_all || !run.watchers.without) return std::nullopt;
  return run.watchers.sync_all->PerSecond() / run.watchers.without->PerSecond();
}

double MedianPeakKib(const MemorySize& size) {
  std::vector<double> peaks;
  for (const MemoryRun& run : size.runs) peaks.push_back(static_cast<double>(run.at_end.peak_resident_kib));
  return Median(peaks);
}

const MemorySize* Measured(const BenchResults& results, bool largest) {
  const MemorySize* found = nullptr;
  for (const MemorySize& size : results.memory) {
    if (size.runs.empty()) continue;
    if (found == nullptr || (largest ? size.licenses > found->licenses : size.licenses < found->licenses)) {
      found = &size;
    }
  }
  return found;
}

std::string Summary(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## Summary\n\n";
  absl::StrAppend(&out, "Measured ", absl::FormatTime("%Y-%m-%d %H:%M UTC", results.started, absl::UTCTimeZone()),
                  " in ", Minutes(results.duration), ", with ", Thousands(static_cast<double>(config.licenses)),
                  " licenses (memory: its own sizes), ", config.runs, config.runs == 1 ? " run" : " runs",
                  " per figure (the median is shown).\n\n");
  out += Header({"target (DESIGN.md §5)", "measured", "wanted", "verdict"});
  if (config.Runs(kScenarioK) && config.Runs(kScenarioD) && config.Runs(kScenarioSyncAll)) {
    const double ratio = MedianOverRuns(results, FloorRatio);
    out += Row({"SyncAll vs its floor 1/(1/K + 1/D)",
                absl::StrCat(Percent(ratio), " (SyncAll ", PerSecond(MedianOverRuns(results, SyncAll0)), ", floor ",
                             PerSecond(MedianOverRuns(
                                 results, [](const RunResults& r) -> std::optional<double> { return Floor(r.floor); })),
                             ")"),
                ">= 70%", ratio > 0 ? Verdict(ratio >= kFloorTarget) : "not measured"});
  }
  if (config.Runs(kScenarioLatency)) {
    const double ceiling = LatencyCeiling(config);
    const double at_l = MedianOverRuns(results, BareAtL);
    const double at_2l = MedianOverRuns(results, BareAt2L);
    out += Row({absl::StrCat("ka-mock alone sustains L / ", absl::FormatDuration(config.ka_latency), " = ",
                             PerSecond(ceiling), " (L = ", config.latency_in_flight, ")"),
                absl::StrCat(PerSecond(at_2l), " at 2 L in flight; ", PerSecond(at_l), " (", Percent(at_l / ceiling),
                             ") at L"),
                "more than L / latency at 2 L", at_2l > 0 ? Verdict(at_2l >= ceiling) : "not measured"});
    const double ratio = MedianOverRuns(results, [ceiling](const RunResults& r) { return LatencyRatio(r, ceiling); });
    out += Row({absl::StrCat("SyncAll with KA at ", absl::FormatDuration(config.ka_latency),
                             " vs min(L / latency, the 0 ms SyncAll)"),
                Percent(ratio), ">= 80%", ratio > 0 ? Verdict(ratio >= kLatencyTarget) : "not measured"});
  }
  if (config.Runs(kScenarioMemory)) {
    const MemorySize* small = Measured(results, false);
    const MemorySize* large = Measured(results, true);
    if (small != nullptr && large != nullptr && small != large) {
      const double growth = MedianPeakKib(*large) / MedianPeakKib(*small) - 1;
      out +=
          Row({absl::StrCat("license-server peak memory (VmHWM), ", Thousands(static_cast<double>(large->licenses)),
                            " vs ", Thousands(static_cast<double>(small->licenses)), " licenses"),
               absl::StrCat(Signed(growth), " (", MiB(MedianPeakKib(*large)), " vs ", MiB(MedianPeakKib(*small)), ")"),
               "<= +20%", Verdict(growth <= kMemoryGrowthLimit)});
    } else {
      out += Row({"license-server peak memory (VmHWM)", "fewer than two sizes measured", "<= +20%", "not measured"});
    }
  }
  if (config.Runs(kScenarioWatchers)) {
    const double ratio = MedianOverRuns(results, WatchersRatio);
    out += Row({absl::StrCat("SyncAll with ", Thousands(config.watchers), " watchers vs none"),
                ratio > 0 ? Signed(ratio - 1) : "—", "within 10%",
                ratio > 0 ? Verdict(ratio >= 1 - kWatchersLossLimit) : "not measured"});
  }
  if (config.Runs(kScenarioUnary)) {
    out += Row({"GetLicense, SyncLicense: throughput and latency beside a bare echo service", "see section 5",
                "reported", "—"});
  }
  if (config.Runs(kScenarioLoaded)) {
    const double ratio = MedianOverRuns(results, LoadedRatio);
    out += Row({absl::StrCat("SyncAll while ", config.loaded_clients, " clients call GetLicense, vs alone"),
                ratio > 0 ? absl::StrCat(Signed(ratio - 1), " (readers: ",
                                         PerSecond(MedianOverRuns(results, LoadedReadRate)), ")")
                          : "—",
                "reported (issue 8)", "—"});
  }
  return out;
}

std::string MachineSection(const BenchResults& results) {
  const MachineInfo& m = results.machine;
  std::string out = "## Machine\n\n";
  out += Header({"", ""});
  out += Row({"CPU", absl::StrCat(m.cpu_model, ", ", m.cores, " cores")});
  out += Row({"RAM", absl::StrFormat("%.1f GiB", static_cast<double>(m.memory_kib) / (1024 * 1024))});
  out += Row({"OS, kernel", absl::StrCat(m.os, ", Linux ", m.kernel)});
  out += Row({"MariaDB", m.mariadb_version});
  out += Row({"build", absl::StrCat(m.build_type, ", ", m.compiler, ", gRPC ", m.grpc_version)});
  out += Row({"load average (1 min) at start, at end",
              absl::StrFormat("%.2f, %.2f (%d cores)", results.load_at_start, results.load_at_end, m.cores)});
  out += Row(
      {"free disk at start", absl::StrFormat("%.1f GiB", static_cast<double>(results.free_disk_bytes) / (1 << 30))});
  out +=
      "\nEverything runs on this one machine: the benchmark's clients, license-server, ka-mock and MariaDB "
      "share its cores, over loopback. The machine was shared with another engineer's builds and tests "
      "while these figures were taken, so they are noisy; the ratios compare figures of one run, which "
      "noise disturbs less.\n";
  return out;
}

std::string CommandsSection(const BenchResults& results) {
  std::string out = "## Commands\n\n```sh\n";
  out += "tools/bench/run-benchmarks.sh   # builds build-bench/ (RelWithDebInfo, Ninja), then runs:\n";
  absl::StrAppend(&out, results.config.command_line, "\n```\n\nThe processes it started:\n\n```sh\n");
  for (const std::string& command : results.process_commands) absl::StrAppend(&out, command, "\n");
  out += "```\n";
  return out;
}

// One row per batch size, one column per run, then the median, of `figure`.
std::string BatchTable(const BenchResults& results, const std::string& title,
                       double (ChunkWriteResult::*figure)() const) {
  std::vector<std::string> header = {title};
  for (const std::string& c : RunColumns(results)) header.push_back(c);
  header.push_back("median");
  std::string out = Header(header);
  for (int64_t batch : results.config.batches) {
    std::vector<std::string> row = {absl::StrCat(batch)};
    std::vector<double> values;
    for (const RunResults& run : results.runs) {
      const ChunkWriteResult* found = nullptr;
      for (const ChunkWriteResult& d : run.floor.d) found = d.batch == batch ? &d : found;
      row.push_back(found ? PerSecond((found->*figure)()) : "—");
      if (found) values.push_back((found->*figure)());
    }
    row.push_back(PerSecond(Median(values)));
    out += Row(row);
  }
  return out;
}

std::string FloorSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## 1. SyncAll vs its floor\n\n";
  if (config.sync_bulk) {
    absl::StrAppend(&out, "SyncAll reads KA's account through `ListKeys` pages of ", config.ka_page_size,
                    " keys (license-server `--sync_bulk=true`), so K is `ListKeys` from the first page to the last, "
                    "one page in flight (each needs the previous page's token), through "
                    "`lss::KeyAdministratorClient` against ka-mock with nothing else running, in licenses (main "
                    "keys) per second.");
  } else {
    out +=
        "SyncAll asks KA about each license (license-server `--sync_bulk=false`), so K is `GetKeyInfo` for every "
        "license (by key base, as SyncAll asks), through `lss::KeyAdministratorClient` against ka-mock with "
        "nothing else running, 2 x the client's in-flight limit outstanding.";
  }
  absl::StrAppend(
      &out,
      " D: the chunk writes of the same licenses through `SyncJobRepository` on MariaDB (`StartOrAttach` of a "
      "job cut in chunks of the batch size, then `ClaimChunk` + `CompleteChunk` per chunk with outcomes prepared "
      "beforehand; cutting the chunks is not timed; license-server is frozen meanwhile so that its runner takes "
      "no chunk). SyncAll: the `SyncAll` RPC on license-server (`",
      absl::StrJoin(config.ServerFlags(), " "),
      "`, otherwise its defaults), from the call to the final progress "
      "event.\n\n");
  if (config.Runs(kScenarioK)) {
    std::vector<std::string> header = {config.sync_bulk ? "K: licenses/s" : "K: licenses/s at in-flight"};
    for (const std::string& c : RunColumns(results)) header.push_back(c);
    header.push_back("median");
    out += Header(header);
    // One row per in-flight limit; a single one for ListKeys.
    const std::vector<int> limits = config.sync_bulk ? std::vector<int>{1} : config.ka_in_flight;
    for (int limit : limits) {
      std::vector<std::string> row = {config.sync_bulk ? absl::StrCat("ListKeys, ", config.ka_page_size, " a page")
                                                       : absl::StrCat(limit)};
      std::vector<double> values;
      for (const RunResults& run : results.runs) {
        const KaLoadResult* found = nullptr;
        for (const KaLoadResult& k : run.floor.k) found = k.max_in_flight == limit ? &k : found;
        row.push_back(found ? PerSecond(found->PerSecond()) : "—");
        if (found) values.push_back(found->PerSecond());
      }
      row.push_back(PerSecond(Median(values)));
      out += Row(row);
    }
    out += "\n";
  }
  if (config.Runs(kScenarioD)) {
    out += BatchTable(results, "D: rows/s at batch", &ChunkWriteResult::PerSecond);
    out += "\n";
    out += BatchTable(results, "not in D, for comparison: reading each chunk's licenses (LicensesOf), rows/s",
                      &ChunkWriteResult::ReadPerSecond);
    out += "\n";
  }
  out += Header({"run", "best K", "best D", "floor 1/(1/K+1/D)", "SyncAll", "job time (server)", "SyncAll / floor"});
  for (size_t r = 0; r < results.runs.size(); ++r) {
    const FloorRun& run = results.runs[r].floor;
    const std::optional<double> ratio = FloorRatio(results.runs[r]);
    out +=
        Row({absl::StrCat(r + 1), PerSecond(BestK(run)), PerSecond(BestD(run)), PerSecond(Floor(run)),
             run.sync_all ? absl::StrCat(PerSecond(run.sync_all->PerSecond()), " (", Seconds(run.sync_all->wall), ")")
                          : "—",
             run.sync_all ? Seconds(run.sync_all->job_time) : "—", ratio ? Percent(*ratio) : "—"});
  }
  const double ratio = MedianOverRuns(results, FloorRatio);
  out += Row(
      {"**median**",
       PerSecond(MedianOverRuns(results, [](const RunResults& r) -> std::optional<double> { return BestK(r.floor); })),
       PerSecond(MedianOverRuns(results, [](const RunResults& r) -> std::optional<double> { return BestD(r.floor); })),
       PerSecond(MedianOverRuns(results, [](const RunResults& r) -> std::optional<double> { return Floor(r.floor); })),
       PerSecond(MedianOverRuns(results, SyncAll0)), "", ratio > 0 ? absl::StrCat("**", Percent(ratio), "**") : "—"});
  return out;
}

std::string LatencySection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  const double ceiling = LatencyCeiling(config);
  std::string out = "## 2. Latency-bound KA\n\n";
  absl::StrAppend(&out, "ka-mock answers every KA call after ", absl::FormatDuration(config.ka_latency),
                  " (admin `SetFaults latency_ms`). First ka-mock alone, `GetKeyInfo` for every license through the "
                  "bare client, at L = ",
                  config.latency_in_flight,
                  " calls in flight (license-server's `--ka_max_in_flight`, passed "
                  "explicitly) and at 2 L; then SyncAll through license-server. L / latency = ",
                  PerSecond(ceiling),
                  ": what a client with L calls in flight gets at most, with no time at all spent outside KA's "
                  "delay. At L the round trip comes on top of the latency, so the bare client gets a little less; "
                  "at 2 L ka-mock shows it sustains more than L / latency, so it is not what limits a client at L.");
  if (config.sync_bulk) {
    absl::StrAppend(&out, " SyncAll reads KA through `ListKeys` pages of ", config.ka_page_size,
                    " keys (`--sync_bulk=true`): the latency costs it one delay per page, not per license, so "
                    "L / latency does not bound it and the ratio can exceed 100%.");
  }
  out += "\n\n";
  out += Header({"run", "ka-mock alone at L", "share of L / latency", "at 2 L", "SyncAll at 0 ms",
                 "SyncAll with latency", "min(L / latency, 0 ms)", "ratio"});
  for (size_t r = 0; r < results.runs.size(); ++r) {
    const RunResults& run = results.runs[r];
    const std::optional<double> ratio = LatencyRatio(run, ceiling);
    const double at_l = BareAtL(run).value_or(0);
    const double zero = SyncAll0(run).value_or(0);
    out += Row({absl::StrCat(r + 1), PerSecond(at_l), at_l > 0 ? Percent(at_l / ceiling) : "—",
                PerSecond(BareAt2L(run).value_or(0)), PerSecond(zero), PerSecond(SyncAllWithLatency(run).value_or(0)),
                zero > 0 ? PerSecond(std::min(ceiling, zero)) : "—", ratio ? Percent(*ratio) : "—"});
  }
  const double ratio = MedianOverRuns(results, [ceiling](const RunResults& r) { return LatencyRatio(r, ceiling); });
  const double at_l = MedianOverRuns(results, BareAtL);
  out += Row({"**median**", PerSecond(at_l), at_l > 0 ? Percent(at_l / ceiling) : "—",
              PerSecond(MedianOverRuns(results, BareAt2L)), PerSecond(MedianOverRuns(results, SyncAll0)),
              PerSecond(MedianOverRuns(results, SyncAllWithLatency)), "",
              ratio > 0 ? absl::StrCat("**", Percent(ratio), "**") : "—"});
  return out;
}

std::string MemorySection(const BenchResults& results) {
  std::string out = "## 3. Memory\n\n";
  out +=
      "Peak resident memory (VmHWM of `/proc/PID/status`) of license-server alone, read after the final "
      "event of a SyncAll over every license, a fresh process per run (its own ka-mock and database per "
      "size; the licenses were imported by another server process, which is not measured).\n\n";
  out += Header({"licenses", "VmHWM per run", "median VmHWM", "VmRSS when serving, before SyncAll", "SyncAll",
                 "seeding + import"});
  for (const MemorySize& size : results.memory) {
    if (!size.skipped.empty()) {
      out +=
          Row({Thousands(static_cast<double>(size.licenses)), absl::StrCat("skipped: ", size.skipped), "", "", "", ""});
      continue;
    }
    std::vector<std::string> peaks;
    std::vector<double> starts;
    std::vector<double> rates;
    for (const MemoryRun& run : size.runs) {
      peaks.push_back(MiB(static_cast<double>(run.at_end.peak_resident_kib)));
      starts.push_back(static_cast<double>(run.at_start.resident_kib));
      rates.push_back(run.sync_all.PerSecond());
    }
    out += Row({Thousands(static_cast<double>(size.licenses)), peaks.empty() ? "failed" : absl::StrJoin(peaks, ", "),
                size.runs.empty() ? "—" : MiB(MedianPeakKib(size)), size.runs.empty() ? "—" : MiB(Median(starts)),
                PerSecond(Median(rates)), Seconds(size.seeding)});
  }
  return out;
}

std::string WatchersSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## 4. Watchers\n\n";
  absl::StrAppend(&out, Thousands(config.watchers),
                  " `WatchSyncJob` streams on the job, from a separate process "
                  "(`lss-bench --mode=watchers`, over ",
                  config.watcher_connections,
                  " connections). The process starts and connects before SyncAll is called and opens its streams "
                  "as soon as the job id is known (SyncAll's first progress event); \"all attached after\" counts "
                  "from then until every stream had its first event. SyncAll throughput is set against a SyncAll "
                  "without watchers measured right before it.\n\n");
  out += Header({"run", "SyncAll, no watchers", "with watchers", "change", "streams ended OK / saw the final event",
                 "events received", "all attached after"});
  for (size_t r = 0; r < results.runs.size(); ++r) {
    const RunResults& run = results.runs[r];
    const std::optional<double> ratio = WatchersRatio(run);
    const std::optional<WatchFleetReport>& fleet = run.watchers.fleet;
    out += Row({absl::StrCat(r + 1), run.watchers.without ? PerSecond(run.watchers.without->PerSecond()) : "—",
                run.watchers.sync_all ? PerSecond(run.watchers.sync_all->PerSecond()) : "—",
                ratio ? Signed(*ratio - 1) : "—",
                fleet ? absl::StrCat(fleet->ended_ok, " / ", fleet->saw_final, " of ", fleet->watchers) : "—",
                fleet ? Thousands(static_cast<double>(fleet->events)) : "—",
                fleet && fleet->attached != absl::InfiniteDuration() ? Ms(fleet->attached) : "—"});
  }
  const double ratio = MedianOverRuns(results, WatchersRatio);
  out += Row({"**median**", "", "", ratio > 0 ? absl::StrCat("**", Signed(ratio - 1), "**") : "—", "", "", ""});
  return out;
}

std::string UnarySection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## 5. Unary calls\n\n";
  absl::StrAppend(&out, "Closed loop: N clients each making one call after another over min(N, ",
                  config.unary_connections, ") connections, ", absl::FormatDuration(config.unary_warm_up),
                  " of warm-up then ", absl::FormatDuration(config.unary_window),
                  " measured per point. "
                  "\"echo\" is the bare service: `licensing.v1.LicenseService` on the same gRPC callback API and "
                  "default unary reactor as license-server, in its own process, answering GetLicense at once with "
                  "the bytes license-server answers for a license (no worker pool, no database). GetLicense reads "
                  "one license by id; SyncLicense asks KA and writes the result and a history row. Latencies are "
                  "of successful calls; each figure is the median of the runs.\n\n");
  out += Header({"clients", "service", "calls/s", "p50", "p90", "p99", "share of echo's calls/s"});
  for (int concurrency : config.unary_concurrency) {
    double echo_rate = 0;
    for (const char* service : {kEchoService, kGetLicenseService, kSyncLicenseService}) {
      std::vector<double> rate, p50, p90, p99;
      int64_t errors = 0;
      for (const RunResults& run : results.runs) {
        for (const UnaryPoint& point : run.unary) {
          if (point.service != service || point.result.concurrency != concurrency) continue;
          rate.push_back(point.result.PerSecond());
          p50.push_back(absl::ToDoubleMilliseconds(point.result.latency.p50));
          p90.push_back(absl::ToDoubleMilliseconds(point.result.latency.p90));
          p99.push_back(absl::ToDoubleMilliseconds(point.result.latency.p99));
          errors += point.result.errors;
        }
      }
      if (rate.empty()) continue;
      const double median_rate = Median(rate);
      if (std::string(service) == kEchoService) echo_rate = median_rate;
      out +=
          Row({absl::StrCat(concurrency), errors > 0 ? absl::StrCat(service, " (", errors, " errors)") : service,
               PerSecond(median_rate), absl::StrFormat("%.2f ms", Median(p50)), absl::StrFormat("%.2f ms", Median(p90)),
               absl::StrFormat("%.2f ms", Median(p99)), echo_rate > 0 ? Percent(median_rate / echo_rate) : "—"});
    }
  }
  return out;
}

std::string LoadedSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## 6. SyncAll under unary load\n\n";
  absl::StrAppend(&out, "SyncAll alone, then the same SyncAll while ", config.loaded_clients,
                  " clients (closed loop, over min(clients, ", config.unary_connections,
                  ") connections) call GetLicense on the licenses in turn, from ",
                  absl::FormatDuration(config.unary_warm_up),
                  " before the SyncAll is called until its final event: what readers cost the job, and what the job "
                  "costs the readers (their calls per second and latency are measured during the SyncAll only).\n\n");
  out += Header({"run", "SyncAll alone", "under load", "change", "GetLicense calls/s during", "p50", "p99"});
  for (size_t r = 0; r < results.runs.size(); ++r) {
    const LoadedRun& run = results.runs[r].loaded;
    const std::optional<double> ratio = LoadedRatio(results.runs[r]);
    out += Row({absl::StrCat(r + 1), run.alone ? PerSecond(run.alone->PerSecond()) : "—",
                run.loaded ? PerSecond(run.loaded->PerSecond()) : "—", ratio ? Signed(*ratio - 1) : "—",
                run.reads ? PerSecond(run.reads->PerSecond()) : "—", run.reads ? Ms(run.reads->latency.p50) : "—",
                run.reads ? Ms(run.reads->latency.p99) : "—"});
  }
  const double ratio = MedianOverRuns(results, LoadedRatio);
  out += Row({"**median**", "", "", ratio > 0 ? absl::StrCat("**", Signed(ratio - 1), "**") : "—",
              PerSecond(MedianOverRuns(results, LoadedReadRate)), "", ""});
  return out;
}

std::string NotesSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "## How it was measured\n\n";
  absl::StrAppend(
      &out, "- One private MariaDB (InnoDB defaults, every commit flushed; flags added: `",
      absl::StrJoin(config.mariadb_args, " "), "`), one ka-mock seeded with `SeedKeys` (",
      Thousands(static_cast<double>(config.licenses)),
      " main keys), one license-server; the licenses were created by "
      "`ImportLicenses` of the whole account (",
      Seconds(results.seeding), " for seeding and import).\n",
      "- Before every D pass, every SyncAll and every memory run, the sync history is emptied (`TRUNCATE`) and "
      "InnoDB is left to flush its dirty pages and purge its undo history, as after each import: each "
      "measurement starts from the same state, not in the wake of the one before.\n",
      "- KA agrees with billing for every license (nothing was changed at ka-mock), so every SyncAll writes "
      "In Sync results: each license's `last_synced_at` and one history row, no version change.\n",
      "- SyncAll's wall time ends with the final progress event, which license-server sends on its next progress "
      "tick (`--progress_interval`, 1 s by default) after the job ended; the job time column is the server's own "
      "create-to-end time.\n",
      "- Each run measures, in order: K, D, SyncAll, SyncAll without then with watchers, the latency-bound trio, "
      "unary, SyncAll alone then under GetLicense load; then "
      "memory, with the main servers stopped. The test harness starts license-server with its daily run off, so "
      "no other SyncAll ever runs.\n");
  if (config.sync_bulk) {
    out +=
        "- With `--sync_bulk=true` SyncAll commits each ListKeys page with `CompletePage` after finding its "
        "licenses by key (`LicensesForKeys`), where D commits range chunks with `CompleteChunk`: the same rows "
        "(each license's sync columns and one history row) through the same multi-row statements, in "
        "transactions of a page (about 830 licenses of 1,000 keys, since ka-mock's pages also hold additional "
        "keys) instead of a chunk.\n";
  }
  return out;
}

std::string ErrorsSection(const BenchResults& results) {
  if (results.errors.empty()) return "";
  std::string out = "## Errors\n\nThese measurements failed or were incomplete; their figures are left out:\n\n";
  for (const std::string& error : results.errors) absl::StrAppend(&out, "- ", error, "\n");
  return out;
}

}  // namespace

std::string RenderReport(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::vector<std::string> sections = {Summary(results), MachineSection(results), CommandsSection(results)};
  if (config.Runs(kScenarioK) || config.Runs(kScenarioD) || config.Runs(kScenarioSyncAll)) {
    sections.push_back(FloorSection(results));
  }
  if (config.Runs(kScenarioLatency)) sections.push_back(LatencySection(results));
  if (config.Runs(kScenarioMemory)) sections.push_back(MemorySection(results));
  if (config.Runs(kScenarioWatchers)) sections.push_back(WatchersSection(results));
  if (config.Runs(kScenarioUnary)) sections.push_back(UnarySection(results));
  if (config.Runs(kScenarioLoaded)) sections.push_back(LoadedSection(results));
  sections.push_back(NotesSection(results));
  if (std::string errors = ErrorsSection(results); !errors.empty()) sections.push_back(errors);
  return absl::StrJoin(sections, "\n");
}

}  // namespace lss::bench
