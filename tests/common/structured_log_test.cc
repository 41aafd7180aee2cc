#include "common/log/structured_log.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace lss {
namespace {

// What LogEvent wrote to stderr while `write` ran, one line per event.
template <typename F>
std::string CapturedLog(F write) {
  testing::internal::CaptureStderr();
  write();
  return testing::internal::GetCapturedStderr();
}

google::protobuf::Struct Parsed(const std::string& line) {
  google::protobuf::Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  return parsed;
}

TEST(StructuredLogTest, OneJsonObjectPerLineWithTimeLevelEventAndFieldsInOrder) {
  const std::string log = CapturedLog([] {
    LogEvent(LogLevel::kWarning, "upgrade_placement")
        .Field("upgrade_id", "u-1")
        .Field("attempt", 3)
        .Field("claimed", true)
        .Milliseconds("duration_ms", absl::Microseconds(1234));
  });
  ASSERT_EQ(log.back(), '\n');
  ASSERT_EQ(log.find('\n'), log.size() - 1) << "one line: " << log;
  EXPECT_NE(log.find(R"("level":"warning","event":"upgrade_placement","upgrade_id":"u-1","attempt":3,)"
                     R"("claimed":true,"duration_ms":1.234})"),
            std::string::npos)
      << log;
  const google::protobuf::Struct line = Parsed(log);
  EXPECT_EQ(line.fields().at("event").string_value(), "upgrade_placement");
  EXPECT_EQ(line.fields().at("attempt").number_value(), 3);
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, line.fields().at("time").string_value(), &time, &error)) << error;
}

// A caller's text (a request id, an error message) cannot break the line
// or forge another one.
TEST(StructuredLogTest, ValuesAreEscapedSoThatNoTextForgesALine) {
  const std::string hostile = "x\"}\n{\"level\":\"error\"\\\t\x01";
  const std::string log = CapturedLog([&] { LogEvent(LogLevel::kInfo, "rpc").Field("request_id", hostile); });
  ASSERT_EQ(log.find('\n'), log.size() - 1) << log;
  EXPECT_EQ(Parsed(log).fields().at("request_id").string_value(), hostile);
  EXPECT_EQ(JsonQuoted("a\"b\\c\n\x1f"), R"("a\"b\\c\n\u001f")");
}

TEST(StructuredLogTest, LevelsAreNamed) {
  const std::string log = CapturedLog([] {
    LogEvent(LogLevel::kInfo, "a");
    LogEvent(LogLevel::kWarning, "b");
    LogEvent(LogLevel::kError, "c");
  });
  std::vector<std::string> levels;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    levels.push_back(Parsed(std::string(line)).fields().at("level").string_value());
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"info", "warning", "error"}));
}

}  // namespace
}  // namespace lss
