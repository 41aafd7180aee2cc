// --json with the server's strings as they come: the JSON writer escapes
// every control (C0, DEL, C1), so that a document or a JSON line holds no
// raw control byte and reads back to the same strings.
#include "licensectl/json_output.h"

#include <string>

#include "gtest/gtest.h"
#include "google/protobuf/util/json_util.h"
#include "licensectl/json_lines.h"
#include "licensing/v1/license_service.pb.h"
#include "terminal_safety.h"

namespace licensectl {
namespace {

using testing::IsTerminalSafe;

licensing::v1::GetLicenseResponse HostileResponse() {
  licensing::v1::GetLicenseResponse response;
  licensing::v1::License& license = *response.mutable_license();
  license.set_key_number("PLSK.2\x1b[2J\r\n");
  license.set_sync_message("Not In Sync: \x1b]0;owned\x07 \x7f");
  license.add_features("POWER\xc2\x9b" "1mPACK \xc3\x9c" "bersicht");
  return response;
}

TEST(JsonOutputTest, ControlsAreEscapedAndTheStringsReadBack) {
  for (const auto& print : {ToJson, ToJsonLine}) {
    absl::StatusOr<std::string> json = print(HostileResponse());
    ASSERT_TRUE(json.ok()) << json.status();
    // The document's own newlines aside (ToJson indents), no control.
    EXPECT_TRUE(IsTerminalSafe(*json));
    EXPECT_NE(json->find(R"(\u001b[2J\r\n)"), std::string::npos) << *json;
    EXPECT_NE(json->find(R"(\u009b)"), std::string::npos) << *json;
    licensing::v1::GetLicenseResponse parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &parsed).ok()) << *json;
    EXPECT_EQ(parsed.SerializeAsString(), HostileResponse().SerializeAsString());
  }
  absl::StatusOr<std::string> line = ToJsonLine(HostileResponse());
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->find('\n'), line->size() - 1) << "one line";
}

}  // namespace
}  // namespace licensectl
