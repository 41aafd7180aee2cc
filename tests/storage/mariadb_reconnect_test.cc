// What only a server can do to a client: drop its connections. The pool
// must report the loss as UNAVAILABLE once per dropped connection it lends
// out, then reconnect it on its next lease.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/error_details.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/license_repository.h"
#include "tests/storage/test_database.h"

namespace lss::storage_test {
namespace {

TEST(MariaDbReconnectTest, ALostConnectionIsUnavailableOnceThenReopened) {
  absl::StatusOr<std::unique_ptr<TestDatabase>> test_database = CreateMariaDbTestDatabase();
  ASSERT_TRUE(test_database.ok()) << test_database.status();
  DatabaseOptions options = (*test_database)->options();
  options.pool_size = 1;  // so that the next call gets the dropped connection
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(options);
  ASSERT_TRUE(database.ok()) << database.status();
  ASSERT_TRUE((*database)->Ping().ok());

  // Every connection to the test database but the test's own raw one.
  const std::string others =
      "FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND db = DATABASE()";
  absl::StatusOr<int64_t> pooled = (*test_database)->QueryInt("SELECT MIN(id) " + others);
  ASSERT_TRUE(pooled.ok()) << pooled.status();
  ASSERT_TRUE((*test_database)->Execute(absl::StrCat("KILL CONNECTION ", *pooled)).ok());
  // KILL returns before the server has closed the connection.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while ((*test_database)->QueryInt("SELECT COUNT(*) " + others).value_or(-1) != 0) {
    ASSERT_LT(absl::Now(), deadline) << "the killed connection stayed in the process list";
    absl::SleepFor(absl::Milliseconds(5));  // a poll interval, not a wait for time to pass
  }

  absl::Status lost = (*database)->Ping();
  EXPECT_EQ(lost.code(), absl::StatusCode::kUnavailable) << lost;
  EXPECT_EQ(ReasonOf(lost), kReasonDatabaseUnavailable);
  EXPECT_EQ(lost.message().find(options.password), absl::string_view::npos) << lost;

  EXPECT_TRUE((*database)->Ping().ok());
  absl::StatusOr<std::vector<LicenseRecord>> listed = (*database)->licenses().List({}, 0, 10);
  EXPECT_TRUE(listed.ok()) << listed.status();
}

}  // namespace
}  // namespace lss::storage_test
