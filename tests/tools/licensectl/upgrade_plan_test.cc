// The upgrade command's flags: which combinations make a plan, what each
// refusal says, and when the wizard asks.
#include "licensectl/upgrade_plan.h"

#include <initializer_list>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

OptionValues Options(std::initializer_list<std::pair<const char*, const char*>> given) {
  OptionValues options;
  for (const auto& [name, value] : given) options.Add(name, value);
  return options;
}

// The plan, for a non-terminal stdin without --json unless said otherwise.
absl::StatusOr<UpgradePlan> Plan(std::initializer_list<std::pair<const char*, const char*>> given,
                                 std::vector<std::string> arguments = {"7"}, bool json = false,
                                 bool terminal = false) {
  return ParseUpgradePlan(Options(given), arguments, json, terminal);
}

std::string RefusalOf(const absl::StatusOr<UpgradePlan>& plan) {
  EXPECT_FALSE(plan.ok());
  return plan.ok() ? "" : std::string(plan.status().message());
}

TEST(UpgradePlanTest, FlagsGiveTheConfiguration) {
  absl::StatusOr<UpgradePlan> plan =
      Plan({{"capacity", "300"}, {"add-feature", "BACKUP_CLOUD"}, {"features", "DEVELOPER_PACK, BACKUP_CLOUD"},
            {"add-feature", "POWER_PACK"}, {"yes", ""}});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_TRUE(plan->license.has_value());
  EXPECT_EQ(plan->license->license_id, 7);
  EXPECT_THAT(plan->resume_id, IsEmpty());
  EXPECT_TRUE(plan->configure);
  EXPECT_EQ(plan->capacity, 300);
  EXPECT_THAT(plan->add_features, ElementsAre("BACKUP_CLOUD", "POWER_PACK", "DEVELOPER_PACK"))
      << "--add-feature first, then --features, each once";
  EXPECT_TRUE(plan->yes);
  EXPECT_FALSE(plan->interactive);
}

TEST(UpgradePlanTest, AdoptConfiguresNothing) {
  absl::StatusOr<UpgradePlan> plan = Plan({{"adopt", ""}}, {"PLSK.00000008"});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->license->key_number, "PLSK.00000008");
  EXPECT_TRUE(plan->configure);
  EXPECT_EQ(plan->capacity, 0);
  EXPECT_THAT(plan->add_features, IsEmpty());
  EXPECT_FALSE(plan->yes) << "stops once priced";

  EXPECT_THAT(RefusalOf(Plan({{"adopt", ""}, {"capacity", "300"}})), HasSubstr("--adopt takes KA's configuration"));
  EXPECT_THAT(RefusalOf(Plan({{"adopt", ""}, {"add-feature", "X"}})), HasSubstr("--adopt"));
}

TEST(UpgradePlanTest, AskingDependsOnTheTerminalAndJson) {
  absl::StatusOr<UpgradePlan> at_terminal = Plan({}, {"7"}, /*json=*/false, /*terminal=*/true);
  ASSERT_TRUE(at_terminal.ok()) << at_terminal.status();
  EXPECT_TRUE(at_terminal->interactive);
  EXPECT_FALSE(at_terminal->configure) << "the questions give the configuration";

  absl::StatusOr<UpgradePlan> forced = Plan({{"interactive", ""}});
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_TRUE(forced->interactive);

  absl::StatusOr<UpgradePlan> flags_at_terminal = Plan({{"capacity", "300"}}, {"7"}, false, true);
  ASSERT_TRUE(flags_at_terminal.ok());
  EXPECT_TRUE(flags_at_terminal->interactive) << "still asks before placing";

  EXPECT_THAT(RefusalOf(Plan({})), HasSubstr("stdin is not a terminal, so licensectl cannot ask"));
  EXPECT_THAT(RefusalOf(Plan({}, {"7"}, /*json=*/true, /*terminal=*/true)), HasSubstr("--json asks nothing"));
  EXPECT_THAT(RefusalOf(Plan({{"interactive", ""}, {"capacity", "300"}}, {"7"}, /*json=*/true)),
              HasSubstr("--json asks nothing"));
  absl::StatusOr<UpgradePlan> json = Plan({{"capacity", "300"}}, {"7"}, /*json=*/true, /*terminal=*/true);
  ASSERT_TRUE(json.ok());
  EXPECT_FALSE(json->interactive);
}

TEST(UpgradePlanTest, ResumeNamesTheSessionNotTheLicense) {
  absl::StatusOr<UpgradePlan> plan = Plan({{"resume", "upg-1"}, {"yes", ""}}, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_FALSE(plan->license.has_value());
  EXPECT_EQ(plan->resume_id, "upg-1");
  EXPECT_FALSE(plan->configure) << "a resumed session may be configured already";
  EXPECT_TRUE(plan->yes);

  EXPECT_THAT(RefusalOf(Plan({{"resume", "upg-1"}}, {"7"})), HasSubstr("name no license"));
  EXPECT_THAT(RefusalOf(Plan({{"resume", "upg-1"}, {"id", "7"}}, {})), HasSubstr("name no license"));
  EXPECT_THAT(RefusalOf(Plan({{"resume", ""}}, {})), HasSubstr("--resume needs an UPGRADE_ID"));
}

TEST(UpgradePlanTest, CancelGoesAloneWithResume) {
  absl::StatusOr<UpgradePlan> plan = Plan({{"resume", "upg-1"}, {"cancel", ""}}, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->cancel);
  EXPECT_THAT(RefusalOf(Plan({{"cancel", ""}})), HasSubstr("give it with --resume"));
  EXPECT_THAT(RefusalOf(Plan({{"resume", "upg-1"}, {"cancel", ""}, {"yes", ""}}, {})), HasSubstr("goes alone"));
  EXPECT_THAT(RefusalOf(Plan({{"resume", "upg-1"}, {"cancel", ""}, {"capacity", "300"}}, {})),
              HasSubstr("goes alone"));
}

TEST(UpgradePlanTest, MalformedValuesAreRefused) {
  for (const char* capacity : {"abc", "0", "-100", "3e2", ""}) {
    EXPECT_THAT(RefusalOf(Plan({{"capacity", capacity}})), HasSubstr("--capacity is a whole number")) << capacity;
  }
  EXPECT_THAT(RefusalOf(Plan({{"features", " , "}})), HasSubstr("--features names no feature"));
  EXPECT_THAT(RefusalOf(Plan({{"add-feature", ""}})), HasSubstr("--add-feature names no feature"));
  EXPECT_THAT(RefusalOf(Plan({{"adopt", ""}}, {})), HasSubstr("which license?"));
  EXPECT_THAT(RefusalOf(Plan({{"adopt", ""}}, {"7", "8"})), HasSubstr("name one license"));
}

}  // namespace
}  // namespace licensectl
