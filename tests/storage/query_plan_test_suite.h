// The plans of the queries whose plan decides whether SyncAll stays linear
// in the number of licenses (Dialect::TableUsingIndex): a SyncAll page's
// key lookups must use the unique key_base index and the primary key, not
// walk the (state, license_id) index once per page. Each test EXPLAINs the
// exact SQL the repository runs, with the conditions of a real bulk job,
// on the backend of the suite.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "soci/soci.h"
#include "storage/database.h"
#include "storage/sql/connection_pool.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sync_job_sql.h"
#include "tests/storage/test_database.h"

namespace lss::storage_test {

template <typename Backend>
class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestDatabase>> raw = Backend::Create();
    ASSERT_TRUE(raw.ok()) << raw.status();
    raw_ = *std::move(raw);
    // Migrations, as the server runs them.
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(raw_->options());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    absl::StatusOr<DataSource> source = ParseDsn(raw_->options().dsn);
    ASSERT_TRUE(source.ok()) << source.status();
    dialect_ = std::make_unique<storage::Dialect>(source->backend);
    absl::StatusOr<std::unique_ptr<storage::ConnectionPool>> pool =
        storage::ConnectionPool::Open(*source, raw_->options().tls, raw_->options().password, 1);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    // Licenses enough that a planner has something to choose between, most
    // of them ACTIVE, as in production.
    for (int batch = 0; batch < 4; ++batch) {
      std::string values;
      for (int i = 0; i < 500; ++i) {
        const int n = batch * 500 + i + 1;
        absl::StrAppend(&values, values.empty() ? "" : ",",
                        absl::StrCat("('PLSK.", 10000000 + n, "', 'PLSK.", 10000000 + n,
                                     ".0001', 'PLESK_WEB_PRO', 1, '', '', ", n % 10 == 0 ? 2 : 1,
                                     ", 0, 0, 0, 0, 0, '', '', NULL, '', 1, 0, NULL, '')"));
      }
      ASSERT_TRUE(raw_->Execute(absl::StrCat("INSERT INTO licenses (key_base, key_number, license_class, capacity, "
                                             "features, additional_keys, state, renewal_due_at, expire_at, "
                                             "created_at, updated_at, sync_status, mismatches, sync_message, "
                                             "last_synced_at, last_sync_error, version, order_placing, "
                                             "create_request_id, create_fingerprint) VALUES ",
                                             values))
                      .ok());
    }
  }

  // A bulk job over every ACTIVE license (SyncAll's default scope).
  static SyncJobRecord BulkJob() {
    SyncJobRecord job;
    job.job_id = "job-plan";
    job.scope.state = LicenseState::kActive;
    job.bulk = true;
    return job;
  }

  // Each line of the plan of `sql` with `params`: SQLite's EXPLAIN QUERY
  // PLAN details, MariaDB's EXPLAIN "table key" per row.
  std::vector<std::string> PlanOf(const std::string& sql, const storage::SqlParams& params) {
    absl::StatusOr<storage::ConnectionPool::Lease> lease = pool_->Acquire();
    EXPECT_TRUE(lease.ok()) << lease.status();
    if (!lease.ok()) return {};
    const bool sqlite = dialect_->backend() == DatabaseBackend::kSqlite;
    std::vector<std::string> lines;
    soci::row row;
    soci::statement statement(lease->session());
    params.BindTo(statement);
    statement.exchange(soci::into(row));
    statement.alloc();
    statement.prepare(absl::StrCat(sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ", sql));
    statement.define_and_bind();
    for (bool got = statement.execute(true); got; got = statement.fetch()) {
      if (sqlite) {
        lines.push_back(row.get<std::string>("detail"));
      } else {
        const std::string key = row.get_indicator("key") == soci::i_ok ? row.get<std::string>("key") : "(none)";
        lines.push_back(absl::StrCat(row.get<std::string>("table"), " ", key));
      }
    }
    return lines;
  }

  // The values of a query over `count` keys or ids, then the conditions'.
  static storage::SqlParams Params(size_t count, bool texts, const storage::LicenseConditions& conditions) {
    storage::SqlParams params;
    for (size_t i = 0; i < count; ++i) {
      if (texts) {
        params.Text(absl::StrCat("PLSK.", 10000001 + i));
      } else {
        params.Int(static_cast<int64_t>(i + 1));
      }
    }
    params.Append(conditions.params);
    return params;
  }

  std::unique_ptr<TestDatabase> raw_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<storage::Dialect> dialect_;
  std::unique_ptr<storage::ConnectionPool> pool_;
};

TYPED_TEST_SUITE_P(QueryPlanTest);

TYPED_TEST_P(QueryPlanTest, APagesLicensesAreFoundByTheirKeyBase) {
  const storage::LicenseConditions uncovered = storage::UncoveredLicensesOf(*this->dialect_, this->BulkJob(), 2000);
  for (size_t count : {3, 833}) {
    const std::vector<std::string> plan =
        this->PlanOf(storage::LicensesForKeysSql(*this->dialect_, count, uncovered.sql),
                     this->Params(count, /*texts=*/true, uncovered));
    const std::string text = absl::StrJoin(plan, " | ");
    ASSERT_FALSE(plan.empty());
    EXPECT_EQ(text.find("licenses_state"), std::string::npos) << text;
    if (this->dialect_->backend() == DatabaseBackend::kSqlite) {
      EXPECT_NE(text.find("(key_base=?)"), std::string::npos) << text;
    } else {
      EXPECT_EQ(text, "licenses licenses_key_base") << text;
    }
  }
}

TYPED_TEST_P(QueryPlanTest, APagesLockingReadFindsItsLicensesByPrimaryKey) {
  const storage::LicenseConditions uncovered = storage::UncoveredLicensesOf(*this->dialect_, this->BulkJob(), 2000);
  for (size_t count : {3, 833}) {
    const std::vector<std::string> plan =
        this->PlanOf(storage::LockSyncFieldsSql(*this->dialect_, count, uncovered.sql),
                     this->Params(count, /*texts=*/false, uncovered));
    const std::string text = absl::StrJoin(plan, " | ");
    ASSERT_FALSE(plan.empty());
    EXPECT_EQ(text.find("licenses_state"), std::string::npos) << text;
    if (this->dialect_->backend() == DatabaseBackend::kSqlite) {
      EXPECT_NE(text.find("INTEGER PRIMARY KEY"), std::string::npos) << text;
    } else {
      EXPECT_EQ(text, "licenses PRIMARY") << text;
    }
  }
}

REGISTER_TYPED_TEST_SUITE_P(QueryPlanTest, APagesLicensesAreFoundByTheirKeyBase,
                            APagesLockingReadFindsItsLicensesByPrimaryKey);

}  // namespace lss::storage_test
