// The storage test suites (licenses, SyncAll jobs, audit log, daily runs,
// upgrade sessions) on SQLite: a database file in a temporary directory.
// Runs everywhere, labelled "unit".
#include "tests/storage/query_plan_test_suite.h"
#include "tests/storage/audit_test_suite.h"
#include "tests/storage/daily_run_test_suite.h"
#include "tests/storage/storage_test_suite.h"
#include "tests/storage/sync_job_test_suite.h"
#include "tests/storage/upgrade_test_suite.h"

namespace lss::storage_test {

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StorageTest, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, SyncJobTest, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, AuditTest, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, DailyRunTest, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, UpgradeTest, SqliteBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, QueryPlanTest, SqliteBackend);

}  // namespace lss::storage_test
