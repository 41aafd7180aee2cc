#include "ka-mock/faults.h"

#include "absl/strings/str_cat.h"
#include "ka-mock/split_mix64.h"

namespace ka_mock {

void FaultInjector::Set(const FaultSettings& settings) {
  uint32_t mask = 0;
  for (KaMethod method : settings.methods) {
    mask |= uint32_t{1} << static_cast<int>(method);
  }
  absl::MutexLock lock(&mu_);
  settings_ = settings;
  method_mask_ = mask;
}

FaultPlan FaultInjector::PlanFor(KaMethod method) {
  absl::ReaderMutexLock lock(&mu_);
  FaultPlan plan;
  if (method_mask_ != 0 &&
      ((method_mask_ >> static_cast<int>(method)) & 1u) == 0)
    return plan;
  plan.latency = settings_.latency;
  if (settings_.outage) {
    plan.error = absl::UnavailableError("KA outage (injected)");
  } else if (settings_.error_rate > 0 && Draw() < settings_.error_rate) {
    plan.error = KaError(settings_.error_code,
                         absl::StrCat("injected fault: KA result code ",
                                      static_cast<int>(settings_.error_code)));
  }
  return plan;
}

double FaultInjector::Draw() {
  // SplitMix64's state is a counter, so threads can share it by fetch_add.
  const uint64_t state =
      draws_.fetch_add(SplitMix64::kGamma, std::memory_order_relaxed) +
      SplitMix64::kGamma;
  return static_cast<double>(SplitMix64::Mix(state) >> 11) * 0x1.0p-53;
}

}  // namespace ka_mock
