#include "server/rpc/time_conversion.h"

#include "common/status/error_details.h"

namespace lss {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {  // before 1970: nanos must stay in [0, 1e9)
    rest += 1'000'000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::StatusOr<absl::Time> TimeFromRequest(const google::protobuf::Timestamp& t, absl::string_view field) {
  // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, as google.protobuf.Timestamp defines its range.
  constexpr int64_t kMinSeconds = -62'135'596'800;
  constexpr int64_t kMaxSeconds = 253'402'300'799;
  if (t.nanos() < 0 || t.nanos() >= 1'000'000'000) return InvalidArgumentError(field, "nanos must be in [0, 1e9)");
  if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds) {
    return InvalidArgumentError(field, "must lie between the years 1 and 9999");
  }
  return FromTimestamp(t);
}

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t millis = absl::ToInt64Milliseconds(d);
  out->set_seconds(millis / 1000);
  out->set_nanos(static_cast<int32_t>((millis % 1000) * 1'000'000));
}

}  // namespace lss
