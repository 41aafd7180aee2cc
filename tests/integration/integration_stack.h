// What every end-to-end suite starts from: a scratch directory, ka-mock
// seeded with some keys, and a database of the backend this executable was
// built for (LSS_TEST_MARIADB: a fresh database on the CI's MariaDB;
// otherwise an SQLite file in the directory), with license-server options
// that point at both. Header-only, so that each suite's LSS_TEST_MARIADB
// decides. Not thread-safe; one per test.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/harness/harness.h"

namespace lss {

class IntegrationStack {
 public:
  static absl::StatusOr<std::unique_ptr<IntegrationStack>> Start(const std::string& name, int seed_keys) {
    auto stack = std::unique_ptr<IntegrationStack>(new IntegrationStack);
    absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create(name);
    if (!dir.ok()) return dir.status();
    stack->dir_ = std::make_unique<harness::TempDir>(*std::move(dir));
    absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
        harness::KaMockProcess::Start({.seed_keys = seed_keys, .work_dir = stack->dir_->path()});
    if (!ka.ok()) return ka.status();
    stack->ka_ = *std::move(ka);
#if LSS_TEST_MARIADB
    // A database name allows no dash.
    absl::StatusOr<harness::TestDatabase> db = harness::CreateSharedTestDatabase(absl::StrReplaceAll(name, {{"-", ""}}));
    if (!db.ok()) return db.status();
    stack->db_ = std::make_unique<harness::TestDatabase>(*std::move(db));
    stack->server_options_.db = stack->db_->Dsn();
    stack->server_options_.db_password = stack->db_->password();
#else
    stack->server_options_.db = absl::StrCat("sqlite:", stack->dir_->path(), "/licenses.db");
#endif
    stack->server_options_.ka_address = stack->ka_->address();
    stack->server_options_.work_dir = stack->dir_->path();
    return stack;
  }

  const std::string& path() const { return dir_->path(); }
  harness::KaMockProcess& ka() { return *ka_; }
  // The MariaDB database; null on SQLite.
  harness::TestDatabase* db() { return db_.get(); }
  // --db (with its password) and --ka-address of this stack.
  const harness::LicenseServerOptions& server_options() const { return server_options_; }

 private:
  IntegrationStack() = default;

  // Declared so that the servers' directory outlives them.
  std::unique_ptr<harness::TempDir> dir_;
  std::unique_ptr<harness::TestDatabase> db_;
  std::unique_ptr<harness::KaMockProcess> ka_;
  harness::LicenseServerOptions server_options_;
};

}  // namespace lss
