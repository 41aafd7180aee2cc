#include "server/upgrade/order_placement.h"

#include <csignal>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/structured_log.h"
#include "common/status/error_details.h"
#include "server/licenses/request_id.h"
#include "server/sync/mismatch_detector.h"
#include "server/upgrade/upgrade_target.h"

namespace lss {
namespace {

// Attempts to begin a placement while other callers keep moving the session.
constexpr int kBeginAttempts = 3;
constexpr absl::Duration kJoinPoll = absl::Milliseconds(20);
// Joiners wait on threads of their own, so that many of them never hold up
// the shared pool that the placement they wait for completes on.
constexpr int kJoinThreads = 4;
constexpr int kRecoverBatch = 100;

// KA refusing the upgrade ends the session; anything else (KA unreachable,
// too slow, failing internally) may succeed when placed again.
bool IsRefusal(const absl::Status& error) {
  return error.code() == absl::StatusCode::kFailedPrecondition ||
         error.code() == absl::StatusCode::kInvalidArgument || error.code() == absl::StatusCode::kNotFound;
}

void Log(absl::string_view upgrade_id, absl::string_view what) {
  LogEvent(LogLevel::kWarning, "upgrade_placement").Field("upgrade_id", upgrade_id).Field("what", what);
}

// What a second caller gets when the placement it waited for did not
// complete.
absl::Status NotCompleted(const UpgradeRecord& upgrade) {
  const std::string error = upgrade.order ? upgrade.order->error : "";
  if (upgrade.state == UpgradeState::kPriced) {
    return WithReason(absl::UnavailableError(absl::StrCat("placing the order of ", upgrade.upgrade_id,
                                                          " failed: ", error,
                                                          "; PlaceUpgradeOrder places it again")),
                      kReasonKaUnavailable);
  }
  if (upgrade.state == UpgradeState::kFailed) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat("KA refused the order of ", upgrade.upgrade_id,
                                                                 ": ", error)),
                      kReasonUpgradeEnded);
  }
  return CheckStep(upgrade.state, UpgradeStep::kPlace);
}

}  // namespace

OrderPlacement::OrderPlacement(UpgradeSessions& sessions, KeyAdministrator& ka, WorkerPool& pool,
                               OrderPlacementOptions options)
    : sessions_(sessions),
      ka_(ka),
      pool_(pool),
      options_(std::move(options)),
      joins_(std::make_unique<WorkerPool>(kJoinThreads)) {}

OrderPlacement::~OrderPlacement() {
  stopping_.store(true);
  joins_.reset();
}

void OrderPlacement::Place(absl::string_view upgrade_id, std::string request_id, PlacedCallback done) {
  pool_.Run([this, upgrade_id = std::string(upgrade_id), request_id = std::move(request_id),
             done = std::move(done)]() mutable { PlaceOnPool(upgrade_id, request_id, std::move(done)); });
}

void OrderPlacement::PlaceOnPool(const std::string& upgrade_id, const std::string& request_id,
                                 PlacedCallback done) {
  if (absl::Status valid = ValidateRequestId(request_id); !valid.ok()) return std::move(done)(valid);
  for (int attempt = 0; attempt < kBeginAttempts; ++attempt) {
    absl::StatusOr<UpgradeRecord> upgrade = sessions_.LoadForStep(upgrade_id, UpgradeStep::kPlace);
    if (!upgrade.ok()) return std::move(done)(upgrade.status());
    if (upgrade->state == UpgradeState::kCompleted) return std::move(done)(ResultOf(*std::move(upgrade)));
    if (upgrade->state == UpgradeState::kPlacing) return Join(upgrade_id, std::move(done));

    const absl::Time now = sessions_.clock().Now();
    UpgradeRecord next = sessions_.Touched(*upgrade);
    next.state = UpgradeState::kPlacing;
    UpgradeOrder order;
    order.request_id = request_id;
    order.old_key_number = upgrade->billing.key_number;
    order.ka_called = NeedsKaUpgrade(*upgrade);
    order.place_time = now;
    next.order = std::move(order);
    next.placing_owner = options_.replica_id;
    next.placing_until = now + options_.lease;
    absl::StatusOr<UpgradeRecord> placing = sessions_.upgrades().BeginPlacing(next);
    if (placing.ok()) return Carry(*std::move(placing), std::move(done));
    // Another caller moved the session first: look at it again.
    if (ReasonOf(placing.status()) != kReasonUpgradeChanged) return std::move(done)(placing.status());
  }
  std::move(done)(WithReason(absl::AbortedError(absl::StrCat("upgrade ", upgrade_id,
                                                             " kept changing while its order was placed; try again")),
                             kReasonUpgradeChanged));
}

void OrderPlacement::Join(std::string upgrade_id, PlacedCallback done) {
  joins_->Run([this, upgrade_id = std::move(upgrade_id), done = std::move(done)]() mutable {
    const absl::Time give_up = absl::Now() + options_.join_timeout;
    while (!stopping_.load()) {
      absl::StatusOr<UpgradeRecord> upgrade = sessions_.upgrades().Get(upgrade_id);
      if (!upgrade.ok()) return std::move(done)(upgrade.status());
      if (upgrade->state == UpgradeState::kCompleted) return std::move(done)(ResultOf(*std::move(upgrade)));
      if (upgrade->state != UpgradeState::kPlacing) return std::move(done)(NotCompleted(*upgrade));
      const absl::Time now = sessions_.clock().Now();
      if (upgrade->placing_until < now) {
        absl::StatusOr<absl::optional<UpgradeRecord>> claimed =
            sessions_.upgrades().ClaimPlacing(upgrade_id, options_.replica_id, now, options_.lease);
        if (!claimed.ok()) return std::move(done)(claimed.status());
        if (claimed->has_value()) {
          Log(upgrade_id, "took over a placement whose replica stopped");
          return Carry(**std::move(claimed), std::move(done));
        }
      }
      if (absl::Now() >= give_up) {
        return std::move(done)(
            WithReason(absl::FailedPreconditionError(absl::StrCat(
                           "the order of ", upgrade_id, " is still being placed; GetUpgrade shows when it completes")),
                       kReasonOrderPlacing));
      }
      absl::SleepFor(kJoinPoll);
    }
    std::move(done)(absl::UnavailableError("license-server is shutting down"));
  });
}

void OrderPlacement::Carry(UpgradeRecord placing, PlacedCallback done) {
  if (!NeedsKaUpgrade(placing)) {
    // Adoption: billing takes KA's configuration as the session read it,
    // and KA has nothing to do.
    const LicenseConfig adopted = TargetConfig(placing);
    return std::move(done)(Complete(std::move(placing), adopted, SyncResult{SyncStatus::kInSync, {}, "In Sync"}));
  }
  const KaUpgradeKeyRequest request = KaUpgradeFor(placing);
  ka_.UpgradeKey(request, [this, placing = std::move(placing),
                           done = std::move(done)](absl::StatusOr<KaUpgradeResult> answer) mutable {
    if (options_.crash_after_ka_upgrade && answer.ok()) {
      Log(placing.upgrade_id, "test fault point: killed after KA's answer, before the database write");
      std::raise(SIGKILL);
    }
    pool_.Run([this, placing = std::move(placing), answer = std::move(answer), done = std::move(done)]() mutable {
      Finish(std::move(placing), std::move(answer), std::move(done));
    });
  });
}

void OrderPlacement::Finish(UpgradeRecord placing, absl::StatusOr<KaUpgradeResult> answer, PlacedCallback done) {
  if (!answer.ok()) return Abandon(std::move(placing), answer.status(), std::move(done));
  // Billing gets what was ordered under KA's new key number and term; what
  // KA did differently is a mismatch of the license and of the order.
  LicenseConfig ordered = TargetConfig(placing);
  ordered.key_number = answer->key.key_number;
  ordered.renewal_due_time = answer->key.update_due_time;
  ordered.expire_time = answer->key.expire_time;
  const SyncResult against_ka = CompareWithKa(ordered, LicenseState::kActive, answer->key);
  std::move(done)(Complete(std::move(placing), ordered, against_ka));
}

absl::StatusOr<CompletedUpgrade> OrderPlacement::Complete(UpgradeRecord placing, const LicenseConfig& config,
                                                          const SyncResult& against_ka) {
  const absl::Time now = sessions_.clock().Now();
  UpgradeRecord next = std::move(placing);
  next.state = UpgradeState::kCompleted;
  next.update_time = now;
  next.order->new_key_number = config.key_number;
  next.order->mismatches = against_ka.mismatches;
  next.order->complete_time = now;
  next.order->error.clear();
  absl::StatusOr<CompletedUpgrade> completed = sessions_.upgrades().CompleteOrder(next, config, against_ka, now);
  if (completed.ok() || ReasonOf(completed.status()) != kReasonUpgradeChanged) return completed;
  // Another replica took the order over meanwhile; KA gave it the same
  // answer, and what it wrote is the result.
  absl::StatusOr<UpgradeRecord> current = sessions_.upgrades().Get(next.upgrade_id);
  if (current.ok() && current->state == UpgradeState::kCompleted) return ResultOf(*std::move(current));
  return completed;
}

void OrderPlacement::Abandon(UpgradeRecord placing, const absl::Status& error, PlacedCallback done) {
  UpgradeRecord next = sessions_.Touched(std::move(placing));
  next.state = IsRefusal(error) ? UpgradeState::kFailed : UpgradeState::kPriced;
  next.order->error = std::string(error.message());
  absl::StatusOr<UpgradeRecord> written = sessions_.upgrades().AbandonPlacing(next);
  if (!written.ok()) {
    absl::StatusOr<UpgradeRecord> current = sessions_.upgrades().Get(next.upgrade_id);
    if (current.ok() && current->state == UpgradeState::kCompleted) {
      return std::move(done)(ResultOf(*std::move(current)));
    }
    Log(next.upgrade_id, absl::StrCat("could not record the failed placement: ", written.status().ToString()));
  }
  std::move(done)(error);
}

absl::StatusOr<CompletedUpgrade> OrderPlacement::ResultOf(UpgradeRecord completed) {
  absl::StatusOr<LicenseRecord> license = sessions_.licenses().Get(completed.license_id);
  if (!license.ok()) return license.status();
  return CompletedUpgrade{std::move(completed), *std::move(license)};
}

absl::StatusOr<int> OrderPlacement::RecoverAbandoned() {
  const absl::Time now = sessions_.clock().Now();
  absl::StatusOr<std::vector<UpgradeRecord>> abandoned =
      sessions_.upgrades().ListAbandonedPlacements(now, kRecoverBatch);
  if (!abandoned.ok()) return abandoned.status();
  int taken = 0;
  for (const UpgradeRecord& upgrade : *abandoned) {
    absl::StatusOr<absl::optional<UpgradeRecord>> claimed =
        sessions_.upgrades().ClaimPlacing(upgrade.upgrade_id, options_.replica_id, now, options_.lease);
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) continue;  // another replica took it
    ++taken;
    const std::string upgrade_id = upgrade.upgrade_id;
    Log(upgrade_id, "completing an order left placing");
    Carry(**std::move(claimed), [upgrade_id](absl::StatusOr<CompletedUpgrade> result) {
      Log(upgrade_id, result.ok() ? absl::StrCat("order completed with key ", result->upgrade.order->new_key_number)
                                  : absl::StrCat("order not completed: ", result.status().ToString()));
    });
  }
  return taken;
}

}  // namespace lss
