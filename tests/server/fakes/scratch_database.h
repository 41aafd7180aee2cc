// A real SQLite database in a folder of its own, removed afterwards: what
// the domain's tests run against instead of a fake repository, so that
// they exercise the SQL the server runs. Header-only. Not thread-safe to
// open; the Database it holds is (storage/database.h).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "storage/database.h"
#include "tests/harness/temp_dir.h"

namespace lss::testing {

// Declared so that the folder outlives the database in it.
struct ScratchDatabase {
  std::unique_ptr<harness::TempDir> dir;
  std::unique_ptr<Database> db;

  static absl::StatusOr<ScratchDatabase> Open(const std::string& name) {
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create(name);
    if (!dir.ok()) return dir.status();
    ScratchDatabase scratch;
    scratch.dir = std::make_unique<harness::TempDir>(*std::move(dir));
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(
        {.dsn = absl::StrCat("sqlite:", scratch.dir->path(), "/db"), .password = "", .pool_size = 2});
    if (!db.ok()) return db.status();
    scratch.db = *std::move(db);
    return scratch;
  }
};

}  // namespace lss::testing
