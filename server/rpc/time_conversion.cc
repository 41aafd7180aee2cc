#include "server/rpc/time_conversion.h"

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

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t millis = absl::ToInt64Milliseconds(d);
  out->set_seconds(millis / 1000);
  out->set_nanos(static_cast<int32_t>((millis % 1000) * 1'000'000));
}

}  // namespace lss
