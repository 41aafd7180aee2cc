#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/ka_method.h"

namespace ka_mock {

struct FaultSettings {
  absl::Duration latency = absl::ZeroDuration();  // added before every answer
  double error_rate = 0;                          // 0 to 1
  KaCode error_code = KaCode::kInternal;
  bool outage = false;                 // every call fails with UNAVAILABLE
  std::vector<KaMethod> methods = {};  // empty: every method
};

// What to do to one call.
struct FaultPlan {
  absl::Status error;  // OK: answer normally
  absl::Duration latency = absl::ZeroDuration();
};

// The faults injected into KeyAdministratorService calls, as the admin
// service last set them. An outage fails a call with a bare UNAVAILABLE, as
// a load balancer in front of a dead KA would; an injected error is a KA
// error with `error_code`; latency delays every answer, errors included.
// An injected failure happens instead of the call: it changes nothing.
//
// Thread-safe: settings are read under a shared lock per call; the error
// draws come from a lock-free counter, a fixed sequence from the start.
class FaultInjector {
 public:
  void Set(const FaultSettings& settings) ABSL_LOCKS_EXCLUDED(mu_);
  FaultPlan PlanFor(KaMethod method) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Uniform in [0, 1).
  double Draw();

  absl::Mutex mu_;
  FaultSettings settings_ ABSL_GUARDED_BY(mu_);
  uint32_t method_mask_ ABSL_GUARDED_BY(mu_) = 0;  // bit per KaMethod; 0: all
  std::atomic<uint64_t> draws_{0};
};

}  // namespace ka_mock
