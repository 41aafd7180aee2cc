// TextTable: columns as wide as their widest cell, numbers right-aligned,
// no trailing blanks.
#include "licensectl/text_table.h"

#include "gtest/gtest.h"

namespace licensectl {
namespace {

TEST(TextTableTest, ColumnsFitTheirContent) {
  TextTable table({{"NAME"}, {"N", TextTable::Align::kRight}, {"NOTE"}});
  table.AddRow({"a", "1000", ""});
  table.AddRow({"longer name", "7", "x"});
  EXPECT_EQ(table.Render(),
            "NAME            N  NOTE\n"
            "a            1000\n"
            "longer name     7  x\n");
}

TEST(TextTableTest, HeaderOnlyWhenEmpty) {
  TextTable table({{"ID", TextTable::Align::kRight}, {"KEY"}});
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.Render(), "ID  KEY\n");
}

TEST(TextTableTest, ShortRowsArePadded) {
  TextTable table({{"A"}, {"B"}, {"C"}});
  table.AddRow({"1"});
  EXPECT_EQ(table.Render(), "A  B  C\n1\n");
}

}  // namespace
}  // namespace licensectl
