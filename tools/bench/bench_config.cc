#include "bench/bench_config.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace lss::bench {
namespace {

constexpr std::array<absl::string_view, 10> kAllScenarios = {
    kScenarioK,     kScenarioD,        kScenarioSyncAll, kScenarioLatency, kScenarioScale,
    kScenarioMemory, kScenarioWatchers, kScenarioUnary,   kScenarioLoaded,  kScenarioDaily};

}  // namespace

absl::string_view BackendFlagName(Backend backend) { return backend == Backend::kSqlite ? "sqlite" : "mariadb"; }

absl::string_view BackendName(Backend backend) { return backend == Backend::kSqlite ? "SQLite" : "MariaDB"; }

absl::StatusOr<Backend> ParseBackend(absl::string_view name) {
  for (Backend backend : {Backend::kMariaDb, Backend::kSqlite}) {
    if (name == BackendFlagName(backend)) return backend;
  }
  return absl::InvalidArgumentError(absl::StrCat("--backend: '", name, "' is neither mariadb nor sqlite"));
}

bool BenchConfig::NeedsMainStack() const {
  for (absl::string_view scenario : kAllScenarios) {
    if (scenario != kScenarioMemory && scenario != kScenarioScale && scenario != kScenarioDaily && Runs(scenario)) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> BenchConfig::ServerFlags() const {
  std::vector<std::string> flags = {absl::StrCat("--ka-max-in-flight=", latency_in_flight),
                                    absl::StrCat("--sync-bulk=", sync_bulk ? "true" : "false"),
                                    absl::StrCat("--ka-page-size=", ka_page_size)};
  flags.insert(flags.end(), server_args.begin(), server_args.end());
  return flags;
}

absl::StatusOr<std::set<std::string, std::less<>>> ParseScenarios(absl::string_view only) {
  std::set<std::string, std::less<>> scenarios;
  for (absl::string_view name : absl::StrSplit(only, ',', absl::SkipWhitespace())) {
    if (name == "all") {
      scenarios.insert(kAllScenarios.begin(), kAllScenarios.end());
      continue;
    }
    bool known = false;
    for (absl::string_view scenario : kAllScenarios) known = known || scenario == name;
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("--only: unknown scenario '", name, "'; known: all, ", absl::StrJoin(kAllScenarios, ", ")));
    }
    scenarios.emplace(name);
  }
  if (scenarios.empty()) return absl::InvalidArgumentError("--only names no scenario");
  return scenarios;
}

absl::Status ValidateConfig(const BenchConfig& config) {
  if (config.licenses < 1) return absl::InvalidArgumentError("--licenses must be at least 1");
  if (config.runs < 1) return absl::InvalidArgumentError("--runs must be at least 1");
  if (config.ka_page_size < 1) return absl::InvalidArgumentError("--ka_page_size must be at least 1");
  for (int limit : config.ka_in_flight) {
    if (limit < 1) return absl::InvalidArgumentError("--ka_in_flight values must be at least 1");
  }
  for (int64_t batch : config.batches) {
    if (batch < 1) return absl::InvalidArgumentError("--batches values must be at least 1");
  }
  if (config.latency_in_flight < 1) return absl::InvalidArgumentError("--latency_in_flight must be at least 1");
  if (config.ka_latency <= absl::ZeroDuration()) return absl::InvalidArgumentError("--ka_latency must be positive");
  for (int64_t size : config.sizes) {
    if (size < 1) return absl::InvalidArgumentError("--scale_sizes values must be at least 1");
  }
  for (int clients : config.unary_concurrency) {
    if (clients < 1) return absl::InvalidArgumentError("--unary_concurrency values must be at least 1");
  }
  // A floor judges the calls measured beside it, at the same client count.
  for (int clients : config.unary_floor_clients) {
    if (std::find(config.unary_concurrency.begin(), config.unary_concurrency.end(), clients) ==
        config.unary_concurrency.end()) {
      return absl::InvalidArgumentError(absl::StrCat("--unary_floor_clients: ", clients,
                                                     " is not one of --unary_concurrency (",
                                                     absl::StrJoin(config.unary_concurrency, ","), ")"));
    }
  }
  if (config.watchers < 1 || config.watcher_connections < 1 || config.unary_connections < 1) {
    return absl::InvalidArgumentError("--watchers, --watcher_connections and --unary_connections must be at least 1");
  }
  if (config.unary_window <= absl::ZeroDuration()) return absl::InvalidArgumentError("--unary_window must be positive");
  if (config.loaded_clients < 1) return absl::InvalidArgumentError("--loaded_clients must be at least 1");
  return absl::OkStatus();
}

}  // namespace lss::bench
