#include "server/licenses/license_terminator.h"

#include <utility>

#include "absl/strings/str_cat.h"
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
    if (license->order_placing) {
      return std::move(done)(WithReason(
          absl::FailedPreconditionError(absl::StrCat("an upgrade order is being placed for license ",
                                                     license->license_id, "; terminate it after the order ends")),
          kReasonOrderPlacing));
    }
    const int64_t license_id = license->license_id;
    ka_.TerminateKey(KaLookupKey(*license), [this, license_id,
                                             done = std::move(done)](absl::StatusOr<KaKey> answer) mutable {
      pool_.Run([this, license_id, answer = std::move(answer), done = std::move(done)]() mutable {
        if (!TerminatedAtKa(answer.status())) return std::move(done)(answer.status());
        std::move(done)(licenses_.MarkTerminated(license_id, clock_.Now()));
      });
    });
  });
}

}  // namespace lss
