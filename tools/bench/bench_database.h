// The database side of a benchmark, MariaDB or SQLite (--backend): where
// license-server's --db points, how the bare programs reach the same data,
// and the chores between measurements. Every difference between the two
// backends that the scenarios meet is here, so that each scenario is
// written once.
//
// A DatabaseHost is the engine: a private MariaDB server, or a folder of
// SQLite files (license-server's embedded default). It hands out
// BenchDatabases, each one database of its own (the main stack's, one per
// size of the scale scenario).
//
// Not thread-safe: use from the benchmark's main thread; a BenchDatabase
// must not outlive its host.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/bare_sql_session.h"
#include "bench/bench_config.h"

namespace lss::bench {

class BenchDatabase {
 public:
  virtual ~BenchDatabase() = default;

  // license-server's --db, and the password it gets (LSS_DB_PASSWORD; empty
  // for SQLite).
  virtual std::string ServerDsn() const = 0;
  virtual std::string ServerPassword() const = 0;
  // The same data, for the bare programs (bare_sql_session.h).
  virtual SqlTarget BareTarget() const = 0;

  // Empties the sync history, so that every measurement writes into the
  // same table state however many ran before it.
  virtual absl::Status ResetSyncHistory() = 0;
  // Lets the engine finish what a bulk write leaves behind before anything
  // is timed (InnoDB: dirty pages and undo history; SQLite: the WAL, copied
  // back and truncated). Returns how long it took.
  virtual absl::StatusOr<absl::Duration> Settle(absl::Duration timeout) = 0;
  // Removes the database and its data; nothing may use it afterwards.
  virtual absl::Status Drop() = 0;
};

class DatabaseHost {
 public:
  // MariaDB: starts a private server in `work_dir`/mariadb/ with
  // config.mariadb_args. SQLite: `work_dir`/sqlite/.
  static absl::StatusOr<std::unique_ptr<DatabaseHost>> Start(const BenchConfig& config, const std::string& work_dir);

  virtual ~DatabaseHost() = default;

  // A new, empty database named after `name` (letters, digits, '_'), which
  // license-server's migrations fill on its first start. One of that name
  // left behind is dropped first.
  virtual absl::StatusOr<std::unique_ptr<BenchDatabase>> Create(absl::string_view name) = 0;

  // "MariaDB 10.11.6-MariaDB-0+deb12u1" or "SQLite 3.40.1", for the report.
  virtual std::string Version() = 0;
  // How the engine was started, for the report's commands.
  virtual std::string Command() const = 0;
  // Where the data lives, for the free-disk check.
  virtual std::string DataDir() const = 0;
  // A generous guess of the disk a database of `licenses` licenses takes
  // there with one SyncAll of history, the engine's logs included.
  virtual int64_t EstimatedDiskBytes(int64_t licenses) const = 0;
};

}  // namespace lss::bench
