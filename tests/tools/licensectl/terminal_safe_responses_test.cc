// The server's answers made printable as they arrive: every string of a
// response at any depth, and a failed call's message and details. (That
// the channel applies it to every call is app_test's.)
#include "licensectl/terminal_safe_responses.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "licensectl/terminal_safe_text.h"
#include "licensing/v1/license_service.pb.h"
#include "licensing/v1/upgrade.pb.h"

namespace licensectl {
namespace {

const std::string kR(kReplacementCharacter);

TEST(TerminalSafeResponsesTest, EveryStringOfAResponseAtAnyDepth) {
  licensing::v1::ListLicensesResponse response;
  licensing::v1::License& license = *response.add_licenses();
  license.set_license_id(7);
  license.set_key_number("PLSK.7\x1b[2J");
  license.add_features("POWER\nPACK");
  license.add_features("BACKUP");
  auto* mismatch = license.add_mismatches();
  mismatch->set_ka_value("300\xc2\x9b" "2J");
  auto* key = license.add_additional_keys();
  key->set_key_number("KAV\r.1");
  response.set_next_page_token("2");

  MakeStringsTerminalSafe(response);
  EXPECT_EQ(license.license_id(), 7);
  EXPECT_EQ(license.key_number(), "PLSK.7" + kR + "[2J");
  EXPECT_THAT(license.features(), ::testing::ElementsAre("POWER" + kR + "PACK", "BACKUP"));
  EXPECT_EQ(license.mismatches(0).ka_value(), "300" + kR + "2J");
  EXPECT_EQ(license.additional_keys(0).key_number(), "KAV" + kR + ".1");
  EXPECT_EQ(response.next_page_token(), "2") << "a plain string is left as it is";
}

TEST(TerminalSafeResponsesTest, AFailedCallsMessageAndDetails) {
  google::rpc::ErrorInfo info;
  info.set_reason("LICENSE_NOT_FOUND\x1b[2J");
  (*info.mutable_metadata())["job_id"] = "job-1\x1b]0;owned\x07";
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("page_size");
  violation->set_description("must be\nat most 1000");
  google::rpc::Status rich;
  rich.set_code(grpc::StatusCode::NOT_FOUND);
  rich.add_details()->PackFrom(info);
  rich.add_details()->PackFrom(bad_request);

  const grpc::Status safe = TerminalSafeStatus(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "no license\x1b[2J \xff", rich.SerializeAsString()));
  EXPECT_EQ(safe.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(safe.error_message(), "no license" + kR + "[2J " + kR);
  google::rpc::Status decoded;
  ASSERT_TRUE(decoded.ParseFromString(safe.error_details()));
  ASSERT_EQ(decoded.details_size(), 2);
  google::rpc::ErrorInfo safe_info;
  ASSERT_TRUE(decoded.details(0).UnpackTo(&safe_info));
  EXPECT_EQ(safe_info.reason(), "LICENSE_NOT_FOUND" + kR + "[2J");
  EXPECT_EQ(safe_info.metadata().at("job_id"), "job-1" + kR + "]0;owned" + kR);
  google::rpc::BadRequest safe_bad_request;
  ASSERT_TRUE(decoded.details(1).UnpackTo(&safe_bad_request));
  EXPECT_EQ(safe_bad_request.field_violations(0).description(), "must be" + kR + "at most 1000");

  EXPECT_TRUE(TerminalSafeStatus(grpc::Status::OK).ok());
}

}  // namespace
}  // namespace licensectl
