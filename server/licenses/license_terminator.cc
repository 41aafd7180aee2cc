#include "server/licenses/license_terminator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/structured_log.h"
#include "common/status/error_details.h"
#include "server/sync/ka_answer.h"

namespace lss {
namespace {

// KA's answers that leave the key terminated there, whoever did it.
bool TerminatedAtKa(const absl::Status& answer) {
  if (answer.ok()) return true;
  const std::string reason = ReasonOf(answer);
  return reason == kReasonKaAlreadyInState || reason == kReasonKaKeyTerminated || reason == kReasonKaKeyNotFound;
}

}  // namespace

void LicenseTerminator::Terminate(const LicenseRef& ref,
                                  absl::AnyInvocable<void(absl::StatusOr<LicenseRecord>) &&> done) {
  pool_.Run([this, ref, done = std::move(done)]() mutable {
    absl::StatusOr<LicenseRecord> license = ResolveLicense(licenses_, ref);
    if (!license.ok()) return std::move(done)(license.status());
    if (license->state == LicenseState::kTerminated) return std::move(done)(*std::move(license));
    const absl::Time now = clock_.Now();
    // Marked first, conditionally on no order being placed: of a
    // termination and an upgrade racing on two replicas, exactly one goes on.
    license = licenses_.BeginTermination(license->license_id, now + claim_, now);
    if (!license.ok()) return std::move(done)(license.status());
    if (license->state == LicenseState::kTerminated) return std::move(done)(*std::move(license));
    const int64_t license_id = license->license_id;
    ka_.TerminateKey(KaLookupKey(*license), [this, license_id,
                                             done = std::move(done)](absl::StatusOr<KaKey> answer) mutable {
      pool_.Run([this, license_id, answer = std::move(answer), done = std::move(done)]() mutable {
        if (!TerminatedAtKa(answer.status())) {
          // KA kept the key: so does billing, open to upgrades again.
          if (absl::Status cleared = licenses_.EndTermination(license_id); !cleared.ok()) {
            LogEvent(LogLevel::kWarning, "termination_mark_not_cleared")
                .Field("license_id", license_id)
                .Field("error", cleared.ToString());
          }
          return std::move(done)(answer.status());
        }
        std::move(done)(licenses_.MarkTerminated(license_id, clock_.Now()));
      });
    });
  });
}

}  // namespace lss
