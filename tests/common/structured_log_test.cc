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

// Text from outside may hold what a terminal acts on (DEL, C1 controls such
// as CSI, U+0085) and bytes that are not UTF-8 at all: every line stays
// valid UTF-8 JSON, with the controls escaped and the bad bytes replaced.
TEST(StructuredLogTest, LinesAreValidUtf8WithControlCharactersEscaped) {
  EXPECT_EQ(JsonQuoted("a\x7f" "b"), R"("a\u007fb")");
  EXPECT_EQ(JsonQuoted("\xC2\x9B" "2J"), R"("\u009b2J")");              // C1 CSI
  EXPECT_EQ(JsonQuoted("\xC2\x85"), R"("\u0085")");                      // NEL
  EXPECT_EQ(JsonQuoted("x\xE2\x80\xA8y"), R"("x\u2028y")");              // LINE SEPARATOR
  EXPECT_EQ(JsonQuoted("caf\xC3\xA9 \xE2\x82\xAC"), "\"caf\xC3\xA9 \xE2\x82\xAC\"");  // kept as they are
  EXPECT_EQ(JsonQuoted("bad\xFF\xC3"), R"("bad\ufffd\ufffd")");
  const std::string hostile = "k\xFF\x1b[2J\xC2\x9B\x7f\xE2\x82";
  const std::string log = CapturedLog([&] { LogEvent(LogLevel::kInfo, "rpc").Field("key_number", hostile); });
  const google::protobuf::Struct line = Parsed(log);  // protobuf's parser refuses invalid UTF-8
  EXPECT_EQ(line.fields().at("key_number").string_value(),
            "k\xEF\xBF\xBD\x1b[2J\xC2\x9B\x7f\xEF\xBF\xBD\xEF\xBF\xBD");
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
