#include "server/rpc/call_log.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

namespace lss {
namespace {

FinishedCall Call(grpc::StatusCode code, absl::string_view reason) {
  return {.method = "SyncLicense",
          .code = code,
          .reason = reason,
          .elapsed = absl::Microseconds(2500),
          .request_id = "req-1",
          .peer = "ipv4:127.0.0.1:5000"};
}

std::string Logged(CallLogging which, const FinishedCall& call) {
  CallLog log(which);
  testing::internal::CaptureStderr();
  log.OnCallFinished(call);
  return testing::internal::GetCapturedStderr();
}

TEST(CallLogTest, ALineHoldsMethodCodeReasonDurationRequestIdAndPeer) {
  const std::string line = Logged(CallLogging::kAll, Call(grpc::StatusCode::NOT_FOUND, "LICENSE_NOT_FOUND"));
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  const auto& f = parsed.fields();
  EXPECT_EQ(f.at("event").string_value(), "rpc");
  EXPECT_EQ(f.at("level").string_value(), "info") << "a caller's mistake is not our error";
  EXPECT_EQ(f.at("method").string_value(), "SyncLicense");
  EXPECT_EQ(f.at("code").string_value(), "NOT_FOUND");
  EXPECT_EQ(f.at("reason").string_value(), "LICENSE_NOT_FOUND");
  EXPECT_DOUBLE_EQ(f.at("duration_ms").number_value(), 2.5);
  EXPECT_EQ(f.at("request_id").string_value(), "req-1");
  EXPECT_EQ(f.at("peer").string_value(), "ipv4:127.0.0.1:5000");
}

TEST(CallLogTest, ServerFaultsAreErrorsAndOkCallsHaveNoReason) {
  const std::string internal = Logged(CallLogging::kAll, Call(grpc::StatusCode::INTERNAL, "INTERNAL"));
  EXPECT_NE(internal.find(R"("level":"error")"), std::string::npos) << internal;
  const std::string ok = Logged(CallLogging::kAll, Call(grpc::StatusCode::OK, ""));
  EXPECT_NE(ok.find(R"("code":"OK")"), std::string::npos) << ok;
  EXPECT_EQ(ok.find("reason"), std::string::npos) << ok;
}

TEST(CallLogTest, TheSettingChoosesWhichCallsAreLogged) {
  EXPECT_TRUE(Logged(CallLogging::kErrors, Call(grpc::StatusCode::OK, "")).empty());
  EXPECT_FALSE(Logged(CallLogging::kErrors, Call(grpc::StatusCode::ABORTED, "UPGRADE_CHANGED")).empty());
  EXPECT_TRUE(Logged(CallLogging::kNone, Call(grpc::StatusCode::INTERNAL, "INTERNAL")).empty());
}

TEST(CallLogTest, ParsesItsSetting) {
  EXPECT_EQ(ParseCallLogging("all"), CallLogging::kAll);
  EXPECT_EQ(ParseCallLogging("errors"), CallLogging::kErrors);
  EXPECT_EQ(ParseCallLogging("none"), CallLogging::kNone);
  EXPECT_EQ(ParseCallLogging("ALL"), absl::nullopt);
  EXPECT_EQ(ParseCallLogging(""), absl::nullopt);
}

}  // namespace
}  // namespace lss
