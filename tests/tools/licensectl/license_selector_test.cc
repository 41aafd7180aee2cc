// Naming one license: a positional of digits is a License ID, anything else
// a Key Number; --id and --key say it explicitly; exactly one is allowed.
#include "licensectl/license_selector.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "licensing/v1/license_service.pb.h"

namespace licensectl {
namespace {

using ::testing::HasSubstr;

TEST(LicenseSelectorTest, DigitsAreALicenseId) {
  absl::StatusOr<LicenseSelector> selector = ClassifyLicenseArgument("42");
  ASSERT_TRUE(selector.ok()) << selector.status();
  EXPECT_EQ(selector->by, LicenseSelector::By::kLicenseId);
  EXPECT_EQ(selector->license_id, 42);
}

TEST(LicenseSelectorTest, AnythingElseIsAKeyNumber) {
  for (const char* word : {"PLSK.00000002", "PLSK.00000002.0001", "42a", "-42", "4 2"}) {
    absl::StatusOr<LicenseSelector> selector = ClassifyLicenseArgument(word);
    ASSERT_TRUE(selector.ok()) << word << ": " << selector.status();
    EXPECT_EQ(selector->by, LicenseSelector::By::kKeyNumber) << word;
    EXPECT_EQ(selector->key_number, word);
  }
}

TEST(LicenseSelectorTest, IdsOutOfRangeAreRejected) {
  EXPECT_FALSE(ClassifyLicenseArgument("0").ok());
  EXPECT_FALSE(ClassifyLicenseArgument("99999999999999999999").ok());
  EXPECT_FALSE(ClassifyLicenseArgument("").ok());
}

TEST(LicenseSelectorTest, OptionsNameTheLicenseExplicitly) {
  OptionValues by_key;
  by_key.Add("key", "12345");  // digits, but --key says it is a key number
  absl::StatusOr<LicenseSelector> selector = SelectLicense(by_key, {});
  ASSERT_TRUE(selector.ok()) << selector.status();
  EXPECT_EQ(selector->by, LicenseSelector::By::kKeyNumber);
  EXPECT_EQ(selector->key_number, "12345");

  OptionValues by_id;
  by_id.Add("id", "7");
  selector = SelectLicense(by_id, {});
  ASSERT_TRUE(selector.ok()) << selector.status();
  EXPECT_EQ(selector->license_id, 7);

  OptionValues bad_id;
  bad_id.Add("id", "PLSK.1");
  EXPECT_THAT(SelectLicense(bad_id, {}).status().message(), HasSubstr("--id: a License ID is a whole number from 1 up, got 'PLSK.1'"));
}

TEST(LicenseSelectorTest, ExactlyOneWayToNameTheLicense) {
  EXPECT_THAT(SelectLicense({}, {}).status().message(), HasSubstr("which license?"));
  EXPECT_FALSE(SelectLicense({}, {"1", "2"}).ok());
  OptionValues with_id;
  with_id.Add("id", "1");
  EXPECT_FALSE(SelectLicense(with_id, {"PLSK.00000001"}).ok());
}

TEST(LicenseSelectorTest, AppliesToAnyRequestWithTheLicenseOneof) {
  licensing::v1::SyncLicenseRequest by_id;
  ClassifyLicenseArgument("9")->ApplyTo(by_id);
  EXPECT_EQ(by_id.license_id(), 9);

  licensing::v1::GetLicenseRequest by_key;
  ClassifyLicenseArgument("PLSK.00000009")->ApplyTo(by_key);
  EXPECT_EQ(by_key.key_number(), "PLSK.00000009");
}

}  // namespace
}  // namespace licensectl
