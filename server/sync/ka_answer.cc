#include "server/sync/ka_answer.h"

#include "client/key_administrator.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "server/sync/mismatch_detector.h"

namespace lss {

absl::StatusOr<SyncResult> ResultOfKaAnswer(const LicenseRecord& license, const absl::StatusOr<KaKey>& answer) {
  if (answer.ok()) return CompareWithKa(license.config, license.state, *answer);
  const std::string reason = ReasonOf(answer.status());
  if (reason == kReasonKaKeyNotFound) return KeyNotFoundAtKa(license.config);
  if (reason == kReasonKaKeyProblem) return KeyProblemAtKa(license.config);
  if (reason == kReasonKaKeyTerminated) return KeyTerminatedAtKa(license.config, license.state);
  return answer.status();
}

std::string KaLookupKey(const LicenseRecord& license) {
  absl::StatusOr<KeyNumber> key = ParseKeyNumber(license.config.key_number);
  return key.ok() ? key->Base() : license.config.key_number;
}

}  // namespace lss
