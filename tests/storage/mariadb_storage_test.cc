// The storage test suites (licenses, SyncAll jobs, audit log, daily runs,
// upgrade sessions) on MariaDB: a fresh database on the server named by
// LSS_TEST_MYSQL_* (tools/dev/mariadb.sh start DIR; source DIR/env).
// Labelled "integration;mariadb"; fails, never skips, without a server.
#include "tests/storage/query_plan_test_suite.h"
#include "tests/storage/audit_test_suite.h"
#include "tests/storage/daily_run_test_suite.h"
#include "tests/storage/storage_test_suite.h"
#include "tests/storage/sync_job_test_suite.h"
#include "tests/storage/upgrade_test_suite.h"

namespace lss::storage_test {

INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, StorageTest, MariaDbBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, SyncJobTest, MariaDbBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, AuditTest, MariaDbBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, DailyRunTest, MariaDbBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, UpgradeTest, MariaDbBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, QueryPlanTest, MariaDbBackend);

}  // namespace lss::storage_test
