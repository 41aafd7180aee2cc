#include "storage/sql/sql_script.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lss::storage {
namespace {

using ::testing::ElementsAre;

TEST(SqlScriptTest, SplitsOnSemicolonsAndDropsComments) {
  EXPECT_THAT(SplitSqlStatements("-- a table\nCREATE TABLE t (a INT); -- trailing\n"
                                 "CREATE INDEX i ON t (a);\n\n-- the end\n"),
              ElementsAre("CREATE TABLE t (a INT)", "CREATE INDEX i ON t (a)"));
}

TEST(SqlScriptTest, KeepsSemicolonsAndDashesInsideQuotes) {
  EXPECT_THAT(SplitSqlStatements("INSERT INTO t VALUES ('a;b', \"c;--d\", `e;f`, 'it''s;');"
                                 "SELECT 1"),
              ElementsAre("INSERT INTO t VALUES ('a;b', \"c;--d\", `e;f`, 'it''s;')", "SELECT 1"));
}

TEST(SqlScriptTest, SkipsEmptyStatements) {
  EXPECT_THAT(SplitSqlStatements(" ;; \n-- only a comment"), ElementsAre());
  EXPECT_THAT(SplitSqlStatements("SELECT 1 -- no newline at the end"), ElementsAre("SELECT 1"));
}

}  // namespace
}  // namespace lss::storage
