#include "server/sync/license_syncer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/structured_log.h"
#include "common/status/error_details.h"
#include "server/sync/ka_answer.h"

namespace lss {
namespace {

absl::Status OrderPlacingError(const LicenseRecord& license) {
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        "license ", license.license_id,
                        " is being upgraded (an order is being placed at KA); sync it when the order completes")),
                    kReasonOrderPlacing);
}

}  // namespace

void LicenseSyncer::Sync(const LicenseRef& ref, Done done) { Attempt(ref, 1, std::move(done)); }

void LicenseSyncer::Attempt(const LicenseRef& ref, int attempt, Done done) {
  pool_.Run([this, ref, attempt, done = std::move(done)]() mutable {
    absl::StatusOr<LicenseRecord> license = ResolveLicense(licenses_, ref);
    if (!license.ok()) return std::move(done)(license.status());
    if (license->order_placing) return std::move(done)(OrderPlacingError(*license));

    // Named before the call: the callback below takes the license by move.
    const std::string lookup_key = KaLookupKey(*license);
    ka_.GetKeyInfo(lookup_key, [this, ref, attempt, license = *std::move(license),
                             done = std::move(done)](absl::StatusOr<KaKey> ka_key) mutable {
      // KA's callback runs on a gRPC thread: the database work goes back to
      // the pool.
      pool_.Run([this, ref, attempt, license = std::move(license), ka_key = std::move(ka_key),
                 done = std::move(done)]() mutable {
        absl::StatusOr<SyncReport> report = Compare(std::move(license), std::move(ka_key));
        // The license changed while KA was asked (an upgrade order
        // completed): KA's answer may predate it, so ask again.
        if (!report.ok() && ReasonOf(report.status()) == kReasonLicenseChangedDuringSync &&
            attempt < kMaxAttempts) {
          return Attempt(ref, attempt + 1, std::move(done));
        }
        std::move(done)(std::move(report));
      });
    });
  });
}

absl::StatusOr<SyncReport> LicenseSyncer::Compare(LicenseRecord license, absl::StatusOr<KaKey> ka_key) {
  const absl::Time now = clock_.Now();
  SyncReport report;
  report.entry.license_id = license.license_id;
  report.entry.key_number = license.config.key_number;
  report.entry.sync_time = now;

  if (ka_key.ok()) report.entry.ka_key_number = ka_key->key_number;
  absl::StatusOr<SyncResult> result = ResultOfKaAnswer(license, ka_key);
  if (!result.ok()) {
    report.entry.error = std::string(result.status().message());
    absl::StatusOr<LicenseRecord> recorded =
        licenses_.RecordSyncFailure(license.license_id, SyncFailure{report.entry.error, now, ""});
    // The caller learns why KA could not answer even if recording failed
    // too: KA's error is what to act on; the database's goes to the log.
    if (!recorded.ok()) {
      LogEvent(LogLevel::kWarning, "sync_failure_not_recorded")
          .Field("license_id", license.license_id)
          .Field("ka_error", result.status().ToString())
          .Field("error", recorded.status().ToString());
    }
    return result.status();
  }

  report.entry.result = *result;
  absl::StatusOr<LicenseRecord> recorded = licenses_.RecordSync(
      license.license_id, SyncOutcome{*std::move(result), report.entry.ka_key_number, now, "", license.version});
  if (!recorded.ok()) return recorded.status();
  report.license = *std::move(recorded);
  return report;
}

}  // namespace lss
