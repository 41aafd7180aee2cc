// What one benchmark invocation measures and how, from its flags
// (main.cc). Plain values; copy freely.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lss::bench {

// The scenarios of DESIGN.md §5, as --only names them.
inline constexpr absl::string_view kScenarioK = "k";
inline constexpr absl::string_view kScenarioD = "d";
inline constexpr absl::string_view kScenarioSyncAll = "syncall";
inline constexpr absl::string_view kScenarioLatency = "latency";
inline constexpr absl::string_view kScenarioMemory = "memory";  // the sizes' VmHWM; see kScenarioScale
inline constexpr absl::string_view kScenarioScale = "scale";    // the sizes' throughput; see RunsSizes()
inline constexpr absl::string_view kScenarioWatchers = "watchers";
inline constexpr absl::string_view kScenarioUnary = "unary";
inline constexpr absl::string_view kScenarioLoaded = "loaded";
inline constexpr absl::string_view kScenarioDaily = "daily";  // one daily run per size, after its SyncAlls

// The database license-server runs on, and every floor with it: MariaDB
// (production's) or SQLite (the embedded default).
enum class Backend { kMariaDb, kSqlite };

// "mariadb" or "sqlite", as --backend spells it.
absl::string_view BackendFlagName(Backend backend);
// "MariaDB" or "SQLite", for the report.
absl::string_view BackendName(Backend backend);
// Parses --backend; INVALID_ARGUMENT for anything else.
absl::StatusOr<Backend> ParseBackend(absl::string_view name);

struct BenchConfig {
  Backend backend = Backend::kMariaDb;
  int64_t licenses = 100'000;
  int runs = 3;
  std::set<std::string, std::less<>> scenarios;

  // How SyncAll asks KA, passed to license-server as --sync_bulk: ListKeys
  // pages of ka_page_size keys (true), or GetKeyInfo per license. K
  // measures the same calls.
  bool sync_bulk = true;
  int ka_page_size = 1000;
  std::vector<int> ka_in_flight = {16, 32, 64, 128, 256};  // K's sweep (GetKeyInfo)
  std::vector<int64_t> batches = {100, 250, 500, 1000};    // D's sweep
  absl::Duration ka_latency = absl::Milliseconds(20);
  int latency_in_flight = 64;  // L: license-server's --ka_max_in_flight default
  // The sizes of scale and memory (one measurement: each size's SyncAll
  // gives both its throughput and license-server's peak memory).
  std::vector<int64_t> sizes = {10'000, 100'000, 1'000'000};
  int watchers = 1000;
  int watcher_connections = 10;
  std::vector<int> unary_concurrency = {1, 4, 16, 64, 256};
  // Where GetLicense and SyncLicense are set against their floors (the bare
  // P and W beside the echo); each must be one of unary_concurrency.
  std::vector<int> unary_floor_clients = {1, 16, 64};
  absl::Duration unary_warm_up = absl::Seconds(1);
  absl::Duration unary_window = absl::Seconds(4);
  int unary_connections = 4;
  int loaded_clients = 64;  // GetLicense clients while SyncAll runs
  absl::Duration sync_all_timeout = absl::Hours(1);

  std::vector<std::string> server_args;   // more license-server flags
  std::vector<std::string> mariadb_args;  // more mariadbd flags (MariaDB only)
  std::string output;                     // the Markdown report
  std::string self_path;                  // this binary, to start its child modes
  std::string command_line;               // as invoked, for the report

  bool Runs(absl::string_view scenario) const { return scenarios.contains(scenario); }
  // Whether the sizes are measured: scale and memory are two readings of
  // the same SyncAll per size, so either selects both; the daily run is
  // timed on each size's database.
  bool RunsSizes() const { return Runs(kScenarioScale) || Runs(kScenarioMemory) || Runs(kScenarioDaily); }
  // Whether the sizes' SyncAll runs are measured (not only the daily run).
  bool RunsSizeSyncAlls() const { return Runs(kScenarioScale) || Runs(kScenarioMemory); }
  // license-server's flags for every server the benchmark starts: the KA
  // limit L, how SyncAll asks KA, then server_args.
  std::vector<std::string> ServerFlags() const;
  // Whether the licenses of --licenses are needed (every scenario but the
  // sizes).
  bool NeedsMainStack() const;
};

// Parses --only ("k,d,syncall" or "all"); INVALID_ARGUMENT naming an
// unknown scenario.
absl::StatusOr<std::set<std::string, std::less<>>> ParseScenarios(absl::string_view only);

// Checks the values that would make the measurement meaningless.
absl::Status ValidateConfig(const BenchConfig& config);

}  // namespace lss::bench
