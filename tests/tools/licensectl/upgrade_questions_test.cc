// The wizard's questions: answers checked against the session's offers,
// asked again until valid, skipped when there is nothing to choose.
#include "licensectl/upgrade_questions.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using licensing::v1::Upgrade;

// KA has capacity 100; steps 100 and 300 offered; two features offered.
Upgrade Session() {
  Upgrade upgrade;
  upgrade.set_upgrade_id("upg-1");
  upgrade.mutable_ka_configuration()->set_capacity(100);
  upgrade.mutable_options()->set_capacity_unit("domains");
  upgrade.mutable_options()->add_capacity_steps(100);
  upgrade.mutable_options()->add_capacity_steps(300);
  upgrade.mutable_options()->set_max_capacity(300);
  auto* backup = upgrade.mutable_options()->add_features();
  backup->set_api_name("BACKUP_CLOUD");
  backup->set_display_name("Cloud Backup");
  auto* developer = upgrade.mutable_options()->add_features();
  developer->set_api_name("DEVELOPER_PACK");
  developer->set_display_name("Developer Pack");
  return upgrade;
}

TEST(UpgradeQuestionsTest, CapacityIsAnOfferedStepOrEnter) {
  EXPECT_EQ(*ParseCapacityAnswer("", Session()), 0) << "Enter keeps KA's capacity";
  EXPECT_EQ(*ParseCapacityAnswer("300", Session()), 300);
  EXPECT_EQ(*ParseCapacityAnswer("100", Session()), 100);
  EXPECT_THAT(ParseCapacityAnswer("250", Session()).status().message(),
              HasSubstr("250 is not offered; choose one of 100, 300"));
  EXPECT_THAT(ParseCapacityAnswer("30", Session()).status().message(),
              HasSubstr("30 is below the current 100 domains: an upgrade only goes up"));
  EXPECT_THAT(ParseCapacityAnswer("lots", Session()).status().message(), HasSubstr("'lots' is not a capacity"));
  EXPECT_FALSE(ParseCapacityAnswer("-300", Session()).ok());

  Upgrade no_steps = Session();
  no_steps.mutable_options()->clear_capacity_steps();
  EXPECT_EQ(*ParseCapacityAnswer("250", no_steps), 250) << "nothing to check against: the server judges";
}

TEST(UpgradeQuestionsTest, FeaturesAreOfferedApiNamesInAnyCase) {
  const auto options = Session().options();
  EXPECT_THAT(*ParseFeaturesAnswer("", options), IsEmpty());
  EXPECT_THAT(*ParseFeaturesAnswer("backup_cloud, DEVELOPER_PACK backup_cloud", options),
              ElementsAre("BACKUP_CLOUD", "DEVELOPER_PACK"));
  EXPECT_EQ(ParseFeaturesAnswer("POWER_PACK, NOPE, BACKUP_CLOUD", options).status().message(),
            "POWER_PACK, NOPE are not offered for this license; offered: BACKUP_CLOUD, DEVELOPER_PACK");
  EXPECT_EQ(ParseFeaturesAnswer("NOPE", options).status().message(),
            "NOPE is not offered for this license; offered: BACKUP_CLOUD, DEVELOPER_PACK");
}

TEST(UpgradeQuestionsTest, AsksEachQuestionUntilTheAnswerIsValid) {
  std::istringstream answers("250\n300\nNOPE\nbackup_cloud\n");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, /*echo_answers=*/true);
  absl::optional<UpgradeChoice> choice = AskUpgradeChoice(prompter, Session());
  ASSERT_TRUE(choice.has_value()) << questions.str();
  EXPECT_EQ(choice->capacity, 300);
  EXPECT_THAT(choice->add_features, ElementsAre("BACKUP_CLOUD"));
  EXPECT_EQ(questions.str(),
            "Capacity in domains (offered: 100, 300), Enter keeps 100: 250\n"
            "250 is not offered; choose one of 100, 300\n"
            "Capacity in domains (offered: 100, 300), Enter keeps 100: 300\n"
            "Features to add, comma-separated (offered: BACKUP_CLOUD, DEVELOPER_PACK), Enter adds none: NOPE\n"
            "NOPE is not offered for this license; offered: BACKUP_CLOUD, DEVELOPER_PACK\n"
            "Features to add, comma-separated (offered: BACKUP_CLOUD, DEVELOPER_PACK), Enter adds none: "
            "backup_cloud\n");
}

TEST(UpgradeQuestionsTest, NothingToChooseIsNotAsked) {
  Upgrade top = Session();
  top.mutable_ka_configuration()->set_capacity(300);
  top.mutable_options()->clear_capacity_steps();
  top.mutable_options()->add_capacity_steps(300);
  top.mutable_options()->clear_features();
  std::istringstream answers("");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, true);
  absl::optional<UpgradeChoice> choice = AskUpgradeChoice(prompter, top);
  ASSERT_TRUE(choice.has_value());
  EXPECT_EQ(choice->capacity, 0);
  EXPECT_THAT(choice->add_features, IsEmpty());
  EXPECT_EQ(questions.str(),
            "Capacity stays 300 domains: no larger step is offered.\n"
            "No features to add: none is offered for this license.\n");
}

TEST(UpgradeQuestionsTest, TheInputEndingIsNoChoice) {
  std::istringstream answers("300\n");
  std::ostringstream questions, output;
  Prompter prompter(answers, questions, output, true);
  EXPECT_FALSE(AskUpgradeChoice(prompter, Session()).has_value());
}

}  // namespace
}  // namespace licensectl
