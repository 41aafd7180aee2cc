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
inline constexpr absl::string_view kScenarioMemory = "memory";
inline constexpr absl::string_view kScenarioWatchers = "watchers";
inline constexpr absl::string_view kScenarioUnary = "unary";
inline constexpr absl::string_view kScenarioLoaded = "loaded";

struct BenchConfig {
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
  std::vector<int64_t> memory_sizes = {10'000, 100'000, 1'000'000};
  int watchers = 1000;
  int watcher_connections = 10;
  std::vector<int> unary_concurrency = {1, 4, 16, 64, 256};
  absl::Duration unary_warm_up = absl::Seconds(1);
  absl::Duration unary_window = absl::Seconds(4);
  int unary_connections = 4;
  int loaded_clients = 64;  // GetLicense clients while SyncAll runs
  absl::Duration sync_all_timeout = absl::Hours(1);

  std::vector<std::string> server_args;   // more license-server flags
  std::vector<std::string> mariadb_args;  // more mariadbd flags
  std::string output;                     // the Markdown report
  std::string self_path;                  // this binary, to start its child modes
  std::string command_line;               // as invoked, for the report

  bool Runs(absl::string_view scenario) const { return scenarios.contains(scenario); }
  // license-server's flags for every server the benchmark starts: the KA
  // limit L, how SyncAll asks KA, then server_args.
  std::vector<std::string> ServerFlags() const;
  // Whether the licenses of --licenses are needed (every scenario but memory).
  bool NeedsMainStack() const;
};

// Parses --only ("k,d,syncall" or "all"); INVALID_ARGUMENT naming an
// unknown scenario.
absl::StatusOr<std::set<std::string, std::less<>>> ParseScenarios(absl::string_view only);

// Checks the values that would make the measurement meaningless.
absl::Status ValidateConfig(const BenchConfig& config);

}  // namespace lss::bench
