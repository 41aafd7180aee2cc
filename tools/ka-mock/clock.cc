#include "ka-mock/clock.h"

#include "absl/time/clock.h"

namespace ka_mock {
namespace {

class WallClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace ka_mock
