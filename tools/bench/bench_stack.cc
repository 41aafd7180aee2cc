#include "bench/bench_stack.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_log.h"
#include "bench/bench_processes.h"
#include "common/key_number.h"

namespace lss::bench {
namespace {

constexpr int kListPage = 1000;
// Long enough for InnoDB after a million-row import on a slow disk; a
// measurement's wake settles in seconds.
constexpr absl::Duration kSettleTimeout = absl::Minutes(5);

// Every license, in id order, through the repository's keyset paging.
absl::StatusOr<std::vector<LicenseRecord>> ReadAllLicenses(LicenseRepository& repository) {
  std::vector<LicenseRecord> all;
  int64_t after = 0;
  while (true) {
    absl::StatusOr<std::vector<LicenseRecord>> page = repository.List(LicenseFilter{}, after, kListPage);
    if (!page.ok()) return page.status();
    if (page->empty()) return all;
    after = page->back().license_id;
    for (LicenseRecord& license : *page) all.push_back(std::move(license));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<BenchStack>> BenchStack::Start(const BenchConfig& config, DatabaseHost& host,
                                                              const std::string& work_dir) {
  absl::StatusOr<std::unique_ptr<BenchDatabase>> database = host.Create("main");
  if (!database.ok()) return database.status();
  std::unique_ptr<BenchStack> stack(new BenchStack(*std::move(database), work_dir));
  stack->commands_.push_back(host.Command());

  absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka = StartKaMock(stack->work_dir(), "ka-mock");
  if (!ka.ok()) return ka.status();
  stack->ka_ = *std::move(ka);
  stack->commands_.push_back(stack->ka_->process().CommandLine());

  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
      StartLicenseServer(stack->database(), stack->ka(), stack->work_dir(), "license-server", config.ServerFlags());
  if (!server.ok()) return server.status();
  stack->server_ = *std::move(server);
  stack->commands_.push_back(stack->server_->process().CommandLine());

  const absl::Time seeding_start = absl::Now();
  std::fprintf(stderr, "bench: seeding %lld keys at ka-mock and importing them\n",
               static_cast<long long>(config.licenses));
  if (absl::Status seeded = SeedKeys(stack->ka(), config.licenses); !seeded.ok()) return seeded;
  absl::StatusOr<int64_t> imported = ImportAllLicenses(stack->server());
  if (!imported.ok()) return imported.status();
  if (*imported != config.licenses) {
    return absl::InternalError(absl::StrCat("imported ", *imported, " licenses, expected ", config.licenses));
  }
  stack->seeding_ = absl::Now() - seeding_start;
  absl::StatusOr<absl::Duration> settled = stack->database().Settle(kSettleTimeout);
  if (!settled.ok()) return settled.status();
  Log(absl::StrCat("database settled after the import in ", absl::FormatDuration(*settled)));

  DatabaseOptions options;
  options.dsn = stack->database().ServerDsn();
  options.password = stack->database().ServerPassword();
  options.pool_size = 2;
  absl::StatusOr<std::unique_ptr<Database>> storage = Database::Open(options);
  if (!storage.ok()) return storage.status();
  stack->storage_ = *std::move(storage);
  absl::StatusOr<std::vector<LicenseRecord>> licenses = ReadAllLicenses(stack->storage_->licenses());
  if (!licenses.ok()) return licenses.status();
  stack->licenses_ = *std::move(licenses);
  return stack;
}

BenchStack::~BenchStack() {
  // Our connections and the server's go before the database they use.
  storage_.reset();
  StopServices();
  if (absl::Status dropped = database_->Drop(); !dropped.ok()) {
    Log(absl::StrCat("dropping the main database: ", dropped.ToString()));
  }
}

std::vector<int64_t> BenchStack::LicenseIds() const {
  std::vector<int64_t> ids;
  ids.reserve(licenses_.size());
  for (const LicenseRecord& license : licenses_) ids.push_back(license.license_id);
  return ids;
}

std::vector<std::string> BenchStack::KeyBases() const {
  std::vector<std::string> bases;
  bases.reserve(licenses_.size());
  for (const LicenseRecord& license : licenses_) {
    absl::StatusOr<KeyNumber> key = ParseKeyNumber(license.config.key_number);
    bases.push_back(key.ok() ? key->Base() : license.config.key_number);
  }
  return bases;
}

absl::Status BenchStack::PrepareMeasurement() {
  if (absl::Status reset = database_->ResetSyncHistory(); !reset.ok()) return reset;
  return Settle();
}

absl::Status BenchStack::Settle() { return database_->Settle(kSettleTimeout).status(); }

std::vector<std::string> BenchStack::Commands() const { return commands_; }

void BenchStack::StopServices() {
  if (server_ != nullptr) server_->Stop();
  server_.reset();
  if (ka_ != nullptr) ka_->Stop();
  ka_.reset();
}

std::optional<SyncAllResult> MeasureSyncAll(BenchStack& stack, const BenchConfig& config, const std::string& label,
                                            std::vector<std::string>& errors) {
  absl::StatusOr<SyncAllResult> sync_all = absl::UnknownError("not run");
  if (absl::Status reset = stack.PrepareMeasurement(); !reset.ok()) {
    sync_all = reset;
  } else {
    sync_all = RunSyncAll(stack.server().NewChannel(), config.sync_all_timeout);
  }
  if (!sync_all.ok()) {
    errors.push_back(absl::StrCat(label, ": ", sync_all.status().ToString()));
    return std::nullopt;
  }
  Log(absl::StrCat(label, ": ", sync_all->Describe()));
  if (std::string wrong = CheckAllInSync(*sync_all, config.licenses); !wrong.empty()) {
    errors.push_back(absl::StrCat(label, ": ", wrong));
  }
  return *sync_all;
}

}  // namespace lss::bench
