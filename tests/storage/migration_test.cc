// The embedded migrations as every backend will run them.
#include "storage/sql/migration.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "storage/sql/dialect.h"
#include "storage/sql/sql_script.h"

namespace lss::storage {
namespace {

TEST(MigrationTest, VersionsCountUpFromOne) {
  const std::vector<Migration>& migrations = EmbeddedMigrations();
  ASSERT_GE(migrations.size(), 3u);
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].name.empty());
  }
  EXPECT_EQ(migrations[0].name, "licenses");
  EXPECT_EQ(migrations[1].name, "sync_history");
  EXPECT_EQ(migrations[2].name, "sync_jobs");
}

TEST(MigrationTest, EveryPlaceholderExpandsOnEveryBackend) {
  for (DatabaseBackend backend : {DatabaseBackend::kSqlite, DatabaseBackend::kMysql}) {
    const Dialect dialect(backend);
    for (const Migration& migration : EmbeddedMigrations()) {
      absl::StatusOr<std::string> script = dialect.ExpandPlaceholders(migration.script);
      ASSERT_TRUE(script.ok()) << dialect.name() << " " << migration.name << ": "
                               << script.status();
      EXPECT_FALSE(absl::StrContains(*script, "{{"));
      EXPECT_FALSE(SplitSqlStatements(*script).empty());
    }
  }
}

TEST(MigrationTest, DialectsDifferWhereTheyMust) {
  const Dialect sqlite(DatabaseBackend::kSqlite);
  const Dialect mysql(DatabaseBackend::kMysql);
  EXPECT_EQ(sqlite.ExpandPlaceholders("id {{ID}}){{ENGINE}}").value(),
            "id INTEGER PRIMARY KEY AUTOINCREMENT)");
  EXPECT_EQ(mysql.ExpandPlaceholders("id {{ID}}){{ENGINE}}").value(),
            "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
            "COLLATE=utf8mb4_bin");
  EXPECT_EQ(sqlite.ExpandPlaceholders("{{TYPO}}").status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(sqlite.BeginWriteTransaction(), "BEGIN IMMEDIATE");
  EXPECT_EQ(mysql.ForUpdate(), " FOR UPDATE");
  EXPECT_EQ(sqlite.ForUpdate(), "");
}

}  // namespace
}  // namespace lss::storage
