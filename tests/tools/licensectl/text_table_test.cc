// TextTable: columns as wide as their widest cell, numbers right-aligned,
// no trailing blanks; cells from the server made one safe line each, and
// measured as they show.
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

// U+FFFD, which replaces each control and each invalid UTF-8 sequence.
constexpr char kReplaced[] = "\xEF\xBF\xBD";

TEST(TextTableTest, ControlsInACellAreReplacedAndTheColumnsStayAligned) {
  TextTable table({{"KEY NUMBER"}, {"STATUS"}});
  // What a hostile server could send: a screen clear, a C1 CSI (U+009B)
  // that starts a sequence of its own, a newline and a carriage return
  // that would start a fake row, and bytes that are not UTF-8.
  table.AddRow({"PLSK\x1b[2J.1", "In Sync"});
  table.AddRow({"PLSK\xc2\x9b" "31m.2", "Not In Sync"});
  table.AddRow({"PLSK.3\nfake\rrow", "-"});
  table.AddRow({"PLSK\xff\xc0\xaf.4", "-"});
  const std::string r = kReplaced;
  EXPECT_EQ(table.Render(),
            "KEY NUMBER" "       " "STATUS\n"
            "PLSK" + r + "[2J.1" "       " "In Sync\n"
            "PLSK" + r + "31m.2" "       " "Not In Sync\n"
            "PLSK.3" + r + "fake" + r + "row" "  " "-\n"
            "PLSK" + r + r + r + ".4" "        " "-\n")
      << "one row per line; each replacement takes one column";
}

TEST(TextTableTest, NonAsciiLettersTakeOneColumnEach) {
  TextTable table({{"NAME"}, {"N", TextTable::Align::kRight}});
  table.AddRow({"Übersicht", "1"});
  table.AddRow({"abc", "22"});
  EXPECT_EQ(table.Render(),
            "NAME        N\n"
            "Übersicht   1\n"
            "abc        22\n");
}

}  // namespace
}  // namespace licensectl
