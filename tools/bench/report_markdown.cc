#include "bench/report_markdown.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/floor_scenario.h"
#include "bench/latency_scenario.h"
#include "bench/report_format.h"
#include "bench/stats.h"
#include "bench/unary_scenario.h"

namespace lss::bench {
namespace {

// The targets of DESIGN.md §5.
constexpr double kFloorTarget = 0.70;
constexpr double kLatencyTarget = 0.80;
constexpr double kScaleLossLimit = 0.15;
constexpr double kMemoryGrowthLimit = 0.20;
constexpr double kWatchersLossLimit = 0.10;
constexpr double kUnaryFloorTarget = 0.70;

// A table of figures: a row per entry (its first cell, and what it finds in
// a run; 0 for not measured), a column per run, then the median.
using FigureOfRun = std::function<double(const RunResults&)>;
std::string FigureTable(const BenchResults& results, const std::string& title,
                        const std::vector<std::pair<std::string, FigureOfRun>>& rows) {
  std::vector<std::string> header = {title};
  for (const std::string& c : RunColumns(results)) header.push_back(c);
  header.push_back("median");
  std::string out = Header(header);
  for (const auto& [label, figure] : rows) {
    std::vector<std::string> cells = {label};
    std::vector<double> values;
    for (const RunResults& run : results.runs) {
      const double value = figure(run);
      cells.push_back(PerSecond(value));
      if (value > 0) values.push_back(value);
    }
    cells.push_back(PerSecond(Median(values)));
    out += Row(cells);
  }
  return out;
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

// SyncAll over a floor of the same run.
std::optional<double> RatioTo(const RunResults& run, double floor) {
  if (floor <= 0 || !run.floor.sync_all) return std::nullopt;
  return run.floor.sync_all->PerSecond() / floor;
}

std::optional<double> FloorRatio(const RunResults& run, Backend backend) {
  return RatioTo(run, Floor(run.floor, backend));
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

// --- Scale and memory -------------------------------------------------

// Licenses per second of the job's own time (create to end, as the server
// recorded it). The sizes are judged on it, not on the caller's wall time,
// which also holds the call's set-up and the final event's delivery (the
// final event used to wait for the next progress tick, up to a second).
double JobRate(const SyncAllResult& sync_all) { return Rate(sync_all.processed, sync_all.job_time); }

double MedianOfRuns(const SizeResult& size, const std::function<double(const SizeRun&)>& figure) {
  std::vector<double> values;
  for (const SizeRun& run : size.runs) values.push_back(figure(run));
  return Median(values);
}

double MedianJobRate(const SizeResult& size) {
  return MedianOfRuns(size, [](const SizeRun& run) { return JobRate(run.sync_all); });
}

double MedianPeakKib(const SizeResult& size) {
  return MedianOfRuns(size, [](const SizeRun& run) { return static_cast<double>(run.at_end.peak_resident_kib); });
}

// The sizes with figures, smallest first.
std::vector<const SizeResult*> MeasuredSizes(const BenchResults& results) {
  std::vector<const SizeResult*> sizes;
  for (const SizeResult& size : results.sizes) {
    if (!size.runs.empty()) sizes.push_back(&size);
  }
  std::sort(sizes.begin(), sizes.end(),
            [](const SizeResult* a, const SizeResult* b) { return a->licenses < b->licenses; });
  return sizes;
}

std::string LicensesText(const SizeResult& size) { return Thousands(static_cast<double>(size.licenses)); }

// Linear cost: the largest size's throughput against the next size down
// (1M against 100k with the defaults).
std::string ScaleSummaryRow(const BenchResults& results) {
  const std::vector<const SizeResult*> sizes = MeasuredSizes(results);
  if (sizes.size() < 2) {
    return Row({"SyncAll throughput at the largest size vs the next", "fewer than two sizes measured", ">= -15%",
                "not measured"});
  }
  const SizeResult& large = *sizes[sizes.size() - 1];
  const SizeResult& below = *sizes[sizes.size() - 2];
  const double change = MedianJobRate(large) / MedianJobRate(below) - 1;
  return Row(
      {absl::StrCat("SyncAll throughput (job time), ", LicensesText(large), " vs ", LicensesText(below), " licenses"),
       absl::StrCat(Signed(change), " (", PerSecond(MedianJobRate(large)), " vs ", PerSecond(MedianJobRate(below)),
                    ")"),
       ">= -15%", Verdict(change >= -kScaleLossLimit)});
}

// Peak memory: the largest size against the smallest (1M against 10k).
std::string MemorySummaryRow(const BenchResults& results) {
  const std::vector<const SizeResult*> sizes = MeasuredSizes(results);
  if (sizes.size() < 2) {
    return Row({"license-server peak memory (VmHWM)", "fewer than two sizes measured", "<= +20%", "not measured"});
  }
  const SizeResult& small = *sizes.front();
  const SizeResult& large = *sizes.back();
  const double growth = MedianPeakKib(large) / MedianPeakKib(small) - 1;
  return Row({absl::StrCat("license-server peak memory (VmHWM), ", LicensesText(large), " vs ", LicensesText(small),
                           " licenses"),
              absl::StrCat(Signed(growth), " (", MiB(MedianPeakKib(large)), " vs ", MiB(MedianPeakKib(small)), ")"),
              "<= +20%", Verdict(growth <= kMemoryGrowthLimit)});
}

// --- Unary calls and their floors -------------------------------------

// The calls per second of `service` at `concurrency` in `run`; 0 if not
// measured.
double PointRate(const RunResults& run, absl::string_view service, int concurrency) {
  for (const UnaryPoint& point : run.unary) {
    if (point.service == service && point.result.concurrency == concurrency) return point.result.PerSecond();
  }
  return 0;
}

// GetLicense's floor 1/(1/echo + 1/P), and SyncLicense's
// 1/(1/echo + 1/P + 1/W), at `concurrency` in `run`.
double GetLicenseFloor(const RunResults& run, int concurrency) {
  return SerialRate({PointRate(run, kEchoService, concurrency), PointRate(run, kBareReadService, concurrency)});
}

double SyncLicenseFloor(const RunResults& run, int concurrency) {
  return SerialRate({PointRate(run, kEchoService, concurrency), PointRate(run, kBareReadService, concurrency),
                     PointRate(run, kBareWriteService, concurrency)});
}

// A call's share of its floor in one run, medianed over runs.
double MedianShare(const BenchResults& results, absl::string_view service, int concurrency,
                   double (*floor)(const RunResults&, int)) {
  return MedianOverRuns(results, [&](const RunResults& run) -> std::optional<double> {
    const double bound = floor(run, concurrency);
    if (bound <= 0) return std::nullopt;
    return PointRate(run, service, concurrency) / bound;
  });
}

// "91% at 1, 80% at 16, 75% at 64", and whether every one is measured and
// meets the target.
std::pair<std::string, bool> SharesAtFloorClients(const BenchResults& results, absl::string_view service,
                                                  double (*floor)(const RunResults&, int)) {
  std::vector<std::string> parts;
  bool met = true;
  for (int clients : results.config.unary_floor_clients) {
    const double share = MedianShare(results, service, clients, floor);
    parts.push_back(absl::StrCat(share > 0 ? Percent(share) : "—", " at ", clients));
    met = met && share >= kUnaryFloorTarget;
  }
  return {absl::StrJoin(parts, ", "), met};
}

// --- Sections -----------------------------------------------------------

std::string Summary(const BenchResults& results) {
  const BenchConfig& config = results.config;
  const Backend backend = config.backend;
  std::string out = "### Summary\n\n";
  absl::StrAppend(&out, "Measured on **", results.machine.database_version, "** (`--backend=", BackendFlagName(backend),
                  "`) ", absl::FormatTime("%Y-%m-%d %H:%M UTC", results.started, absl::UTCTimeZone()), " in ",
                  Minutes(results.duration), ", ",
                  config.NeedsMainStack() ? absl::StrCat("with ", Thousands(static_cast<double>(config.licenses)),
                                                         " licenses (scale and memory: their own sizes)")
                                          : "at the sizes of scale and memory only",
                  ", ", config.runs, config.runs == 1 ? " run" : " runs",
                  " per figure (the median is shown). Every figure in this section is on ", BackendName(backend),
                  " but K (the KA client against ka-mock) and the echo service, which use no database.\n\n");
  out += Header({"target (DESIGN.md §5)", "measured", "wanted", "verdict"});
  if (config.Runs(kScenarioK) && config.Runs(kScenarioD) && config.Runs(kScenarioSyncAll)) {
    const double ratio = MedianOverRuns(results, [backend](const RunResults& r) { return FloorRatio(r, backend); });
    out += Row({absl::StrCat("SyncAll vs its floor 1/(1/K + 1/D), D bare (",
                             BareWriteMethodName(BareWriteMethods(backend).front()), ")"),
                absl::StrCat(Percent(ratio), " (SyncAll ", PerSecond(MedianOverRuns(results, SyncAll0)), ", floor ",
                             PerSecond(MedianOverRuns(results,
                                                      [backend](const RunResults& r) -> std::optional<double> {
                                                        return Floor(r.floor, backend);
                                                      })),
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
  if (config.RunsSizeSyncAlls()) {
    out += ScaleSummaryRow(results);
    out += MemorySummaryRow(results);
  }
  if (config.Runs(kScenarioWatchers)) {
    const double ratio = MedianOverRuns(results, WatchersRatio);
    out += Row({absl::StrCat("SyncAll with ", Thousands(config.watchers), " watchers vs none"),
                ratio > 0 ? Signed(ratio - 1) : "—", "within 10%",
                ratio > 0 ? Verdict(ratio >= 1 - kWatchersLossLimit) : "not measured"});
  }
  if (config.Runs(kScenarioUnary) && !config.unary_floor_clients.empty()) {
    const auto [get_shares, get_met] = SharesAtFloorClients(results, kGetLicenseService, GetLicenseFloor);
    out +=
        Row({"GetLicense vs its floor 1/(1/echo + 1/P), by clients", get_shares, ">= 70% at each", Verdict(get_met)});
    const auto [sync_shares, sync_met] = SharesAtFloorClients(results, kSyncLicenseService, SyncLicenseFloor);
    out += Row({"SyncLicense vs its floor 1/(1/echo + 1/P + 1/W), by clients", sync_shares, ">= 70% at each",
                Verdict(sync_met)});
  }
  if (config.Runs(kScenarioLoaded)) {
    const double ratio = MedianOverRuns(results, LoadedRatio);
    out += Row({absl::StrCat("SyncAll while ", config.loaded_clients, " clients call GetLicense, vs alone"),
                ratio > 0 ? absl::StrCat(Signed(ratio - 1),
                                         " (readers: ", PerSecond(MedianOverRuns(results, LoadedReadRate)), ")")
                          : "—",
                "reported (issue 8)", "—"});
  }
  return out;
}

std::string MachineSection(const BenchResults& results) {
  const MachineInfo& m = results.machine;
  std::string out = "### Machine\n\n";
  out += Header({"", ""});
  out += Row({"CPU", absl::StrCat(m.cpu_model, ", ", m.cores, " cores")});
  out += Row({"RAM", absl::StrFormat("%.1f GiB", static_cast<double>(m.memory_kib) / (1024 * 1024))});
  out += Row({"OS, kernel", absl::StrCat(m.os, ", Linux ", m.kernel)});
  out += Row({"database", m.database_version});
  out += Row({"build", absl::StrCat(m.build_type, ", ", m.compiler, ", gRPC ", m.grpc_version)});
  out += Row({"load average (1 min) at start, at end",
              absl::StrFormat("%.2f, %.2f (%d cores)", results.load_at_start, results.load_at_end, m.cores)});
  out += Row(
      {"free disk at start", absl::StrFormat("%.1f GiB", static_cast<double>(results.free_disk_bytes) / (1 << 30))});
  absl::StrAppend(&out, "\nEverything runs on this one machine: the benchmark's clients, license-server, ka-mock",
                  results.config.backend == Backend::kMariaDb ? " and MariaDB" : " and SQLite (inside license-server)",
                  " share its cores, over loopback. The machine was shared with another engineer's builds and tests "
                  "while these figures were taken, so they are noisy; the ratios compare figures of one run, which "
                  "noise disturbs less.\n");
  return out;
}

std::string CommandsSection(const BenchResults& results) {
  std::string out = "### Commands\n\n```sh\n";
  out += "tools/bench/run-benchmarks.sh   # builds build-bench/ (RelWithDebInfo, Ninja), then runs:\n";
  absl::StrAppend(&out, results.config.command_line, "\n```\n\nThe processes it started:\n\n```sh\n");
  for (const std::string& command : results.process_commands) absl::StrAppend(&out, command, "\n");
  out += "```\n";
  return out;
}

// "146,541/s at 1000": a method's best bare D and the batch that gave it.
std::string BestDText(const FloorRun& run, BareWriteMethod method) {
  const BareWriteResult* best = BestBareWrite(run, method);
  return best != nullptr ? absl::StrCat(PerSecond(best->PerSecond()), " at ", best->batch) : "—";
}

std::string FloorSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  const Backend backend = config.backend;
  const bool mariadb = backend == Backend::kMariaDb;
  std::string out = "### 1. SyncAll vs its floor\n\n";
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
      &out, "\n\nD, the floor's, is bare: plain SQL through SOCI, none of our code, on the same ", BackendName(backend),
      " as license-server, which is frozen meanwhile. A table of its own holds a license row's sync columns "
      "(`id BIGINT PRIMARY KEY, sync_status INT, last_synced_at BIGINT, sync_job_id VARCHAR(64), mismatches TEXT`"
      "), filled with ",
      Thousands(static_cast<double>(config.licenses)),
      " rows; each pass gives every row new values, a batch of rows at a time: ",
      mariadb ? "one multi-row `INSERT ... ON DUPLICATE KEY UPDATE` per batch, each committed on its own as SyncAll "
                "commits each page (the floor's D); and beside it, not in the floor, a temporary table filled by a "
                "multi-row `INSERT` per batch, then one `UPDATE ... JOIN` of every row (one transaction of them all, "
                "not SyncAll's shape)"
              : "one prepared `UPDATE` reused for every row, a transaction per batch as SyncAll commits each page, "
                "with license-server's settings (WAL, `synchronous=NORMAL`); the key is `INTEGER PRIMARY KEY`, the "
                "rowid, as the licenses table's is",
      "; D is the best batch size. Ours, not a floor: the chunk writes of the same licenses through our "
      "`SyncJobRepository` (`StartOrAttach` of a job cut in chunks of the batch size, then `ClaimChunk` + "
      "`CompleteChunk` per chunk with outcomes prepared beforehand; cutting the chunks is not timed). SyncAll: the "
      "`SyncAll` RPC on license-server (`",
      absl::StrJoin(config.ServerFlags(), " "),
      "`, otherwise its defaults), from the call to the final progress event.\n\n");
  if (config.Runs(kScenarioK)) {
    // One row per in-flight limit; a single one for ListKeys.
    const std::vector<int> limits = config.sync_bulk ? std::vector<int>{1} : config.ka_in_flight;
    std::vector<std::pair<std::string, FigureOfRun>> rows;
    for (int limit : limits) {
      rows.push_back(
          {config.sync_bulk ? absl::StrCat("ListKeys, ", config.ka_page_size, " a page") : absl::StrCat(limit),
           [limit](const RunResults& run) {
             for (const KaLoadResult& k : run.floor.k) {
               if (k.max_in_flight == limit) return k.PerSecond();
             }
             return 0.0;
           }});
    }
    out += FigureTable(results, config.sync_bulk ? "K: licenses/s" : "K: licenses/s at in-flight", rows);
    out += "\n";
  }
  if (config.Runs(kScenarioD)) {
    std::vector<std::pair<std::string, FigureOfRun>> bare, ours, reads;
    for (BareWriteMethod method : BareWriteMethods(backend)) {
      for (int64_t batch : config.batches) {
        bare.push_back({absl::StrCat(BareWriteMethodName(method), ", ", batch), [method, batch](const RunResults& run) {
                          for (const BareWriteResult& d : run.floor.d) {
                            if (d.method == method && d.batch == batch) return d.PerSecond();
                          }
                          return 0.0;
                        }});
      }
    }
    for (int64_t batch : config.batches) {
      auto chunk_figure = [batch](double (ChunkWriteResult::*figure)() const) {
        return [batch, figure](const RunResults& run) {
          for (const ChunkWriteResult& d : run.floor.ours_d) {
            if (d.batch == batch) return (d.*figure)();
          }
          return 0.0;
        };
      };
      ours.push_back({absl::StrCat(batch), chunk_figure(&ChunkWriteResult::PerSecond)});
      reads.push_back({absl::StrCat(batch), chunk_figure(&ChunkWriteResult::ReadPerSecond)});
    }
    out += FigureTable(results, "D, bare: rows/s by method, rows a batch", bare);
    out += "\n";
    out += FigureTable(results, "ours, not a floor: ClaimChunk + CompleteChunk, rows/s at batch", ours);
    out += "\n";
    out += FigureTable(results, "ours, not in D: reading each chunk's licenses (LicensesOf), rows/s at batch", reads);
    out += "\n";
  }
  std::vector<std::string> header = {
      "run", "best K", "best D (bare)", "floor 1/(1/K+1/D)", "SyncAll", "job time (server)", "SyncAll / floor"};
  if (mariadb) {
    header.push_back("beside: floor with the JOIN's D");
    header.push_back("SyncAll / that");
  }
  header.push_back("ours: best CompleteChunk (not a floor)");
  out += Header(header);
  auto join_floor = [](const RunResults& r) {
    return SerialRate({BestK(r.floor), BestD(r.floor, BareWriteMethod::kTempTableJoin)});
  };
  for (size_t r = 0; r < results.runs.size(); ++r) {
    const RunResults& run = results.runs[r];
    const std::optional<double> ratio = FloorRatio(run, backend);
    std::vector<std::string> cells = {absl::StrCat(r + 1),
                                      PerSecond(BestK(run.floor)),
                                      BestDText(run.floor, BareWriteMethods(backend).front()),
                                      PerSecond(Floor(run.floor, backend)),
                                      run.floor.sync_all ? absl::StrCat(PerSecond(run.floor.sync_all->PerSecond()),
                                                                        " (", Seconds(run.floor.sync_all->wall), ")")
                                                         : "—",
                                      run.floor.sync_all ? Seconds(run.floor.sync_all->job_time) : "—",
                                      ratio ? Percent(*ratio) : "—"};
    if (mariadb) {
      const std::optional<double> join_ratio = RatioTo(run, join_floor(run));
      cells.push_back(
          absl::StrCat(PerSecond(join_floor(run)), " (D ", BestDText(run.floor, BareWriteMethod::kTempTableJoin), ")"));
      cells.push_back(join_ratio ? Percent(*join_ratio) : "—");
    }
    cells.push_back(PerSecond(BestOursD(run.floor)));
    out += Row(cells);
  }
  auto median = [&](const std::function<double(const RunResults&)>& figure) {
    return MedianOverRuns(results, [&](const RunResults& r) -> std::optional<double> { return figure(r); });
  };
  const double ratio = MedianOverRuns(results, [backend](const RunResults& r) { return FloorRatio(r, backend); });
  std::vector<std::string> cells = {
      "**median**",
      PerSecond(median([](const RunResults& r) { return BestK(r.floor); })),
      PerSecond(median([backend](const RunResults& r) { return BestD(r.floor, backend); })),
      PerSecond(median([backend](const RunResults& r) { return Floor(r.floor, backend); })),
      PerSecond(MedianOverRuns(results, SyncAll0)),
      "",
      ratio > 0 ? absl::StrCat("**", Percent(ratio), "**") : "—"};
  if (mariadb) {
    const double join_ratio = MedianOverRuns(results, [&](const RunResults& r) { return RatioTo(r, join_floor(r)); });
    cells.push_back(PerSecond(median(join_floor)));
    cells.push_back(join_ratio > 0 ? Percent(join_ratio) : "—");
  }
  cells.push_back(PerSecond(median([](const RunResults& r) { return BestOursD(r.floor); })));
  out += Row(cells);
  return out;
}

std::string SizesSection(const BenchResults& results) {
  std::string out = "### 3. Scale and memory\n\n";
  out +=
      "A SyncAll over every license at each size, each size with its own database and ka-mock (seeded, then "
      "imported by a license-server process of its own, which is not measured) and a fresh license-server per "
      "run, all with the same flags. Throughput is licenses over the job's own time (create to end, as the server "
      "recorded it), not the caller's, which also holds the call's set-up and the final event's delivery; "
      "the caller's figure is shown beside it. Linear cost compares each size with "
      "the one before it (the target: 1M within 15% of 100k). Memory is the peak resident memory (VmHWM of "
      "`/proc/PID/status`) of that server alone, read after the final event (the target: 1M within 20% of "
      "10k).\n\n";
  out += Header({"licenses", "licenses/s (job time) per run", "median", "µs per license", "change vs the size before",
                 "caller's licenses/s (wall)", "seeding + import"});
  const SizeResult* before = nullptr;
  for (const SizeResult* size : MeasuredSizes(results)) {
    std::vector<std::string> rates;
    for (const SizeRun& run : size->runs) rates.push_back(PerSecond(JobRate(run.sync_all)));
    const double rate = MedianJobRate(*size);
    out += Row({LicensesText(*size), absl::StrJoin(rates, ", "), PerSecond(rate),
                rate > 0 ? absl::StrFormat("%.1f", 1e6 / rate) : "—",
                before != nullptr && MedianJobRate(*before) > 0 ? Signed(rate / MedianJobRate(*before) - 1) : "—",
                PerSecond(MedianOfRuns(*size, [](const SizeRun& run) { return run.sync_all.PerSecond(); })),
                Seconds(size->seeding)});
    before = size;
  }
  out += "\n";
  out += Header({"licenses", "VmHWM per run", "median VmHWM", "VmRSS when serving, before SyncAll"});
  for (const SizeResult* size : MeasuredSizes(results)) {
    std::vector<std::string> peaks;
    for (const SizeRun& run : size->runs) peaks.push_back(MiB(static_cast<double>(run.at_end.peak_resident_kib)));
    out += Row(
        {LicensesText(*size), absl::StrJoin(peaks, ", "), MiB(MedianPeakKib(*size)),
         MiB(MedianOfRuns(*size, [](const SizeRun& run) { return static_cast<double>(run.at_start.resident_kib); }))});
  }
  for (const SizeResult& size : results.sizes) {
    if (!size.skipped.empty()) {
      absl::StrAppend(&out, "\n", LicensesText(size), " licenses: skipped: ", size.skipped, "\n");
    } else if (size.runs.empty()) {
      absl::StrAppend(&out, "\n", LicensesText(size), " licenses: failed (see Errors)\n");
    }
  }
  return out;
}

// Issue 16 item 6: the daily run on each size's database, phase by phase.
std::string DailySection(const BenchResults& results) {
  std::string out = "### 3b. Daily run\n\n";
  absl::StrAppend(&out,
                  "One daily run per size (a database holds one per UTC day), on the size's database after its "
                  "SyncAll runs, from the same state (no sync result): license-server started with `--daily_at=00:00 "
                  "--daily_check_interval=1s`, so the run is due at once, and `ListDailyRuns` polled until it "
                  "ended. Times are the server's own stamps on the run and its phases; share is of the run's "
                  "time. The sync phase includes up to one `--sync_poll_interval` (1 s) of the daily runner "
                  "looking whether its SyncAll job has ended. What the renew, expire and prune phases find is what ka-mock's seeded keys make due "
                  "today.\n\n");
  out += Header({"licenses", "run", "phase", "state", "processed", "succeeded", "failed", "time", "share"});
  bool any = false;
  for (const SizeResult& size : results.sizes) {
    if (!size.daily.has_value()) continue;
    any = true;
    const DailyRunResult& run = *size.daily;
    out += Row({LicensesText(size), run.state, "(whole run)", "", "", "", "", Seconds(run.time), ""});
    for (const DailyPhaseResult& phase : run.phases) {
      out += Row({"", "", phase.kind, phase.state, absl::StrCat(phase.processed), absl::StrCat(phase.succeeded),
                  absl::StrCat(phase.failed), Seconds(phase.time),
                  run.time > absl::ZeroDuration() ? Percent(absl::FDivDuration(phase.time, run.time)) : "—"});
    }
  }
  if (!any) out += "\nNo daily run was measured (see Errors).\n";
  return out;
}

std::string UnarySection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "### 5. Unary calls\n\n";
  absl::StrAppend(&out, "Closed loop: N clients each making one call after another over min(N, ",
                  config.unary_connections, ") connections, ", absl::FormatDuration(config.unary_warm_up),
                  " of warm-up then ", absl::FormatDuration(config.unary_window),
                  " measured per point. "
                  "\"echo\" is the bare service: `licensing.v1.LicenseService` on the same gRPC callback API and "
                  "default unary reactor as license-server, in its own process, answering GetLicense at once with "
                  "the bytes license-server answers for a license (no worker pool, no database). GetLicense reads "
                  "one license by id; SyncLicense asks KA (ka-mock, answering at once) and writes the result and a "
                  "history row. At ",
                  absl::StrJoin(config.unary_floor_clients, ", "),
                  " clients the bare database calls follow, each alone "
                  "on license-server's own ",
                  BackendName(config.backend),
                  " database (license-server idle), plain SQL through SOCI with one thread and one session per "
                  "client: P, `SELECT * FROM licenses WHERE license_id = ?` (every column of the table the server's "
                  "migrations made, by primary key), and W, an autocommit `UPDATE licenses SET sync_status, "
                  "last_synced_at, sync_job_id, mismatches WHERE license_id = ?`. Latencies are of successful "
                  "calls; each figure is the median of the runs.\n\n");
  out += Header({"clients", "service", "calls/s", "p50", "p90", "p99", "share of echo's calls/s"});
  for (int concurrency : config.unary_concurrency) {
    double echo_rate = 0;
    for (const char* service :
         {kEchoService, kGetLicenseService, kSyncLicenseService, kBareReadService, kBareWriteService}) {
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
      const std::string name = service == std::string(kBareReadService)    ? "P (bare SELECT)"
                               : service == std::string(kBareWriteService) ? "W (bare UPDATE)"
                                                                           : service;
      if (std::string(service) == kEchoService) echo_rate = median_rate;
      const bool database_floor = service == std::string(kBareReadService) || service == std::string(kBareWriteService);
      out += Row({absl::StrCat(concurrency), errors > 0 ? absl::StrCat(name, " (", errors, " errors)") : name,
                  PerSecond(median_rate), Latency(absl::Milliseconds(Median(p50))),
                  Latency(absl::Milliseconds(Median(p90))), Latency(absl::Milliseconds(Median(p99))),
                  echo_rate > 0 && !database_floor ? Percent(median_rate / echo_rate) : "—"});
    }
  }
  if (config.unary_floor_clients.empty()) return out;
  out +=
      "\nThe calls against their floors (DESIGN.md §5: at least 70% at each client count): GetLicense's is "
      "1/(1/echo + 1/P), SyncLicense's 1/(1/echo + 1/P + 1/W), each from the figures of one run; the shares are "
      "medians of the runs' shares. W is one commit per call, as SyncLicense's write is: where flushing a commit "
      "costs more than everything else (one client, a slow disk), both are that flush, and SyncLicense can reach "
      "or pass a floor that counts the flush on top of the echo and P.\n\n";
  out += Header({"clients", "echo", "P", "W", "GetLicense floor", "GetLicense", "share", "SyncLicense floor",
                 "SyncLicense", "share"});
  for (int clients : config.unary_floor_clients) {
    auto median_rate = [&](const char* service) {
      return MedianOverRuns(
          results, [&](const RunResults& run) -> std::optional<double> { return PointRate(run, service, clients); });
    };
    auto median_floor = [&](double (*floor)(const RunResults&, int)) {
      return MedianOverRuns(results,
                            [&](const RunResults& run) -> std::optional<double> { return floor(run, clients); });
    };
    const double get_share = MedianShare(results, kGetLicenseService, clients, GetLicenseFloor);
    const double sync_share = MedianShare(results, kSyncLicenseService, clients, SyncLicenseFloor);
    out += Row({absl::StrCat(clients), PerSecond(median_rate(kEchoService)), PerSecond(median_rate(kBareReadService)),
                PerSecond(median_rate(kBareWriteService)), PerSecond(median_floor(GetLicenseFloor)),
                PerSecond(median_rate(kGetLicenseService)),
                get_share > 0 ? absl::StrCat("**", Percent(get_share), "**") : "—",
                PerSecond(median_floor(SyncLicenseFloor)), PerSecond(median_rate(kSyncLicenseService)),
                sync_share > 0 ? absl::StrCat("**", Percent(sync_share), "**") : "—"});
  }
  return out;
}

std::string LatencySection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  const double ceiling = LatencyCeiling(config);
  std::string out = "### 2. Latency-bound KA\n\n";
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

std::string WatchersSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "### 4. Watchers\n\n";
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

std::string LoadedSection(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::string out = "### 6. SyncAll under unary load\n\n";
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
  std::string out = "### How it was measured\n\n";
  if (config.backend == Backend::kMariaDb) {
    absl::StrAppend(&out, "- One private MariaDB (InnoDB defaults, every commit flushed; flags added: `",
                    absl::StrJoin(config.mariadb_args, " "),
                    "`), a database of its own for the main licenses and "
                    "one per size; ");
  } else {
    out +=
        "- license-server on SQLite, its embedded default: a file of its own in the benchmark's folder for the main "
        "licenses and one per size, in WAL mode with `synchronous=NORMAL` (license-server's settings, which the bare "
        "programs take too); ";
  }
  if (config.NeedsMainStack()) {
    absl::StrAppend(&out, "one ka-mock seeded with `SeedKeys` (", Thousands(static_cast<double>(config.licenses)),
                    " main keys), one license-server; the licenses were created by `ImportLicenses` of the whole "
                    "account (",
                    Seconds(results.seeding), " for seeding and import).\n");
  } else {
    out += "each size with its own ka-mock, seeded and imported the same way (section 3).\n";
  }
  absl::StrAppend(
      &out,
      "- Before every D pass, every SyncAll and every size run, the sync history is emptied (our D) and "
      "the database settles (",
      config.backend == Backend::kMariaDb ? "InnoDB flushes its dirty pages and purges its undo history"
                                          : "the WAL is checkpointed into the database and truncated",
      "), as after each import: each measurement starts from the same state, not in the wake of the one "
      "before.\n",
      "- KA agrees with billing for every license (nothing was changed at ka-mock), so every SyncAll writes "
      "In Sync results: each license's `last_synced_at` and one history row, no version change.\n",
      "- SyncAll's wall time ends with the final progress event, which license-server sends on its next "
      "progress tick (`--progress_interval`, 1 s by default) after the job ended; the job time column is "
      "the server's own create-to-end time.\n",
      "- Each run measures, in order: K, bare D, our CompleteChunk, SyncAll, SyncAll without then with "
      "watchers, the latency-bound trio, unary (with P and W at ",
      absl::StrJoin(config.unary_floor_clients, ", "),
      " clients), SyncAll alone then under GetLicense load; then scale and memory, with the main servers "
      "stopped and their database dropped. The test harness starts license-server with its daily run "
      "off, so no other SyncAll ever runs.\n");
  if (config.sync_bulk) {
    out +=
        "- With `--sync_bulk=true` SyncAll commits each ListKeys page with `CompletePage` after finding its "
        "licenses by key (`LicensesForKeys`), where our CompleteChunk commits range chunks: the same rows (each "
        "license's sync columns and one history row) through the same multi-row statements, in transactions of a "
        "page (about 830 licenses of 1,000 keys, since ka-mock's pages also hold additional keys) instead of a "
        "chunk. The bare D writes the sync columns only: the history row is SyncAll's own cost.\n";
  }
  return out;
}

std::string ErrorsSection(const BenchResults& results) {
  if (results.errors.empty()) return "";
  std::string out = "### Errors\n\nThese measurements failed or were incomplete; their figures are left out:\n\n";
  for (const std::string& error : results.errors) absl::StrAppend(&out, "- ", error, "\n");
  return out;
}

}  // namespace

std::string RenderReport(const BenchResults& results) {
  const BenchConfig& config = results.config;
  std::vector<std::string> sections = {
      absl::StrCat("## On ", BackendName(config.backend), "\n\nlicense-server on ", BackendName(config.backend),
                   config.backend == Backend::kSqlite ? " (its embedded default)" : "",
                   ", and every database floor with it (`lss-bench --backend=", BackendFlagName(config.backend),
                   "`).\n"),
      Summary(results), MachineSection(results), CommandsSection(results)};
  if (config.Runs(kScenarioK) || config.Runs(kScenarioD) || config.Runs(kScenarioSyncAll)) {
    sections.push_back(FloorSection(results));
  }
  if (config.Runs(kScenarioLatency)) sections.push_back(LatencySection(results));
  if (config.RunsSizeSyncAlls()) sections.push_back(SizesSection(results));
  if (config.Runs(kScenarioDaily)) sections.push_back(DailySection(results));
  if (config.Runs(kScenarioWatchers)) sections.push_back(WatchersSection(results));
  if (config.Runs(kScenarioUnary)) sections.push_back(UnarySection(results));
  if (config.Runs(kScenarioLoaded)) sections.push_back(LoadedSection(results));
  sections.push_back(NotesSection(results));
  if (std::string errors = ErrorsSection(results); !errors.empty()) sections.push_back(errors);
  return absl::StrJoin(sections, "\n");
}

}  // namespace lss::bench
