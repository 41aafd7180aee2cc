#include "ka-mock/lease_term.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace ka_mock {
namespace {

constexpr int64_t kUpdateDueBeforeExpiry = 10 * 24 * 60 * 60;

}  // namespace

int64_t OneTermAfter(int64_t unix_seconds) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond start =
      absl::ToCivilSecond(absl::FromUnixSeconds(unix_seconds), utc);
  // CivilSecond normalises a 29 February that does not exist to 1 March.
  const absl::CivilSecond end(start.year() + 1, start.month(), start.day(),
                              start.hour(), start.minute(), start.second());
  return absl::ToUnixSeconds(absl::FromCivil(end, utc));
}

void StartTerm(KeyRecord& key, int64_t now) {
  SetExpiry(key, OneTermAfter(now));
}

void RenewTerm(KeyRecord& key) {
  SetExpiry(key, OneTermAfter(key.expire_time));
}

void SetExpiry(KeyRecord& key, int64_t expire_time) {
  key.expire_time = expire_time;
  key.update_due_time = expire_time - kUpdateDueBeforeExpiry;
}

}  // namespace ka_mock
