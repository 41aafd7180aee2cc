#include "server/jobs/sync_job_runner.h"

#include <algorithm>
#include <future>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/request_context.h"
#include "absl/container/flat_hash_map.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "server/sync/ka_answer.h"

namespace lss {
namespace {

// The answers of one round of KA calls, filled by KA's callbacks (on gRPC's
// threads) while the runner waits. Shared, so that a callback arriving after
// the runner gave up still has somewhere to write.
struct AnswerCollector {
  absl::Mutex mu;
  std::vector<std::pair<int64_t, absl::StatusOr<KaKey>>> answers ABSL_GUARDED_BY(mu);
  size_t expected = 0;

  bool Complete() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return answers.size() == expected; }
};

// KA itself is unreachable (down, frozen, answering "retry later"): the
// license is retried once KA is back, never counted as an error.
bool KaUnreachable(const absl::Status& status) { return ReasonOf(status) == kReasonKaUnavailable; }

// How long to wait at a time while KA answers, so that leases are renewed,
// and stop and cancellation are noticed within a second.
absl::Duration WaitSlice(absl::Duration lease) { return std::min(lease / 3, absl::Seconds(1)); }

}  // namespace

SyncJobRunner::SyncJobRunner(SyncJobRepository& jobs, KeyAdministrator& ka, const Clock& clock,
                             SyncJobRunnerOptions options)
    : jobs_(jobs), ka_(ka), clock_(clock), options_(std::move(options)) {}

SyncJobRunner::~SyncJobRunner() { Stop(); }

void SyncJobRunner::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void SyncJobRunner::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void SyncJobRunner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  // Whatever this replica held goes back at once, not at lease expiry.
  (void)jobs_.ReleaseLeases(options_.replica_id);
}

bool SyncJobRunner::WaitingForKa() const {
  absl::MutexLock lock(&mu_);
  return waiting_for_ka_;
}

bool SyncJobRunner::Idle(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(this, &SyncJobRunner::WokenOrStopping), d);
  woken_ = false;
  return stopping_;
}

bool SyncJobRunner::WokenOrStopping() const { return woken_ || stopping_; }

void SyncJobRunner::Loop() {
  while (true) {
    absl::StatusOr<absl::optional<SyncJobRecord>> running = jobs_.Running();
    if (!running.ok() || !running->has_value()) {
      if (Idle(options_.poll_interval)) return;
      continue;
    }
    const SyncJobRecord& job = **running;
    absl::StatusOr<absl::optional<SyncChunk>> chunk =
        jobs_.ClaimChunk(job.job_id, options_.replica_id, clock_.Now(), options_.lease);
    if (!chunk.ok() || !chunk->has_value()) {
      // Nothing to claim: other replicas hold the last chunks, or the
      // database is away. Look again shortly. A page read ahead is
      // nobody's now (resetting waits for its bounded work).
      ahead_.reset();
      if (Idle(options_.poll_interval)) return;
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      lease_renewed_at_ = clock_.Now();
      if (stopping_) return;
    }
    // What was read ahead is this chunk's, or for nobody.
    absl::optional<ComparedPage> ahead = TakeAhead(**chunk);
    // KA's logs name the job its calls are for (common/request_context.h).
    RequestContext::Scope request_scope(absl::StrCat("job:", (*chunk)->job_id));
    if ((*chunk)->is_page()) {
      ProcessPage(job, **chunk, std::move(ahead));
    } else {
      ProcessChunk(job, **chunk);
    }
  }
}

bool SyncJobRunner::Committed(const absl::StatusOr<SyncJobRecord>& job) {
  if (!job.ok()) return false;
  if (job->state != SyncJobState::kRunning && options_.on_job_ended) options_.on_job_ended(*job);
  return true;
}

bool SyncJobRunner::StillRunning(const std::string& job_id) {
  absl::StatusOr<SyncJobRecord> job = jobs_.Get(job_id);
  // A database hiccup is not a reason to drop the chunk: the lease decides.
  if (!job.ok()) return true;
  return job->state == SyncJobState::kRunning && !job->cancel_requested;
}

bool SyncJobRunner::KeepLease(SyncChunk& chunk) {
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    if (now - lease_renewed_at_ < options_.lease / 3) return true;
  }
  if (!jobs_.RenewLease(chunk, now, options_.lease).ok()) return false;
  chunk.lease_expires = now + options_.lease;
  absl::MutexLock lock(&mu_);
  lease_renewed_at_ = now;
  return true;
}

bool SyncJobRunner::AskKa(const std::vector<LicenseRecord>& licenses, SyncChunk& chunk,
                          std::vector<Answer>& answers) {
  auto collector = std::make_shared<AnswerCollector>();
  collector->expected = licenses.size();
  for (const LicenseRecord& license : licenses) {
    ka_.GetKeyInfo(KaLookupKey(license), [collector, id = license.license_id](absl::StatusOr<KaKey> key) {
      absl::MutexLock lock(&collector->mu);
      collector->answers.emplace_back(id, std::move(key));
    });
  }
  while (true) {
    {
      absl::MutexLock lock(&collector->mu);
      if (collector->mu.AwaitWithTimeout(absl::Condition(collector.get(), &AnswerCollector::Complete),
                                         WaitSlice(options_.lease))) {
        for (auto& [id, key] : collector->answers) answers.push_back(Answer{id, std::move(key)});
        return true;
      }
    }
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return false;
    }
    if (!KeepLease(chunk) || !StillRunning(chunk.job_id)) return false;
  }
}

bool SyncJobRunner::WaitForKa(const SyncJobRecord& job, SyncChunk& chunk) {
  {
    absl::MutexLock lock(&mu_);
    waiting_for_ka_ = true;
  }
  bool back = false;
  while (!back) {
    if (Idle(options_.ka_probe_interval) || !KeepLease(chunk) || !StillRunning(job.job_id)) break;
    auto probe = std::make_shared<AnswerCollector>();
    probe->expected = 1;
    ka_.ListKeyTypes([probe](absl::StatusOr<std::vector<KaKeyType>> types) {
      absl::MutexLock lock(&probe->mu);
      probe->answers.emplace_back(0, types.ok() ? absl::StatusOr<KaKey>(KaKey{}) : types.status());
    });
    absl::MutexLock lock(&probe->mu);
    probe->mu.Await(absl::Condition(probe.get(), &AnswerCollector::Complete));
    back = probe->answers.front().second.ok();
  }
  absl::MutexLock lock(&mu_);
  waiting_for_ka_ = false;
  return back;
}

bool SyncJobRunner::ProcessChunk(const SyncJobRecord& job, const SyncChunk& claimed) {
  SyncChunk chunk = claimed;
  absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs_.LicensesOf(job, chunk);
  if (!licenses.ok()) return false;

  std::vector<LicenseSyncOutcome> outcomes;
  absl::flat_hash_map<int64_t, const LicenseRecord*> to_ask;
  for (const LicenseRecord& license : *licenses) {
    if (license.order_placing) {
      // Under a placing upgrade order a license is neither synced nor renewed.
      LicenseSyncOutcome skipped;
      skipped.license_id = license.license_id;
      skipped.skipped = true;
      skipped.sync_time = clock_.Now();
      outcomes.push_back(std::move(skipped));
    } else {
      to_ask[license.license_id] = &license;
    }
  }

  while (!to_ask.empty()) {
    std::vector<LicenseRecord> round;
    round.reserve(to_ask.size());
    for (const auto& [id, license] : to_ask) round.push_back(*license);
    std::vector<Answer> answers;
    if (!AskKa(round, chunk, answers)) return false;

    bool ka_unreachable = false;
    // One time for the round: the storage writes the round's unchanged
    // licenses with one statement per time (license_sync_batch.h).
    const absl::Time compared = clock_.Now();
    for (Answer& answer : answers) {
      const LicenseRecord& license = *to_ask.at(answer.license_id);
      if (!answer.key.ok() && KaUnreachable(answer.key.status())) {
        ka_unreachable = true;
        continue;  // asked again once KA is back
      }
      LicenseSyncOutcome outcome;
      outcome.license_id = license.license_id;
      outcome.sync_time = compared;
      outcome.compared_version = license.version;
      if (answer.key.ok()) outcome.ka_key_number = answer.key->key_number;
      absl::StatusOr<SyncResult> result = ResultOfKaAnswer(license, answer.key);
      if (result.ok()) {
        outcome.result = *std::move(result);
      } else {
        outcome.error = std::string(result.status().message());
      }
      outcomes.push_back(std::move(outcome));
      to_ask.erase(answer.license_id);
    }
    if (ka_unreachable && !WaitForKa(job, chunk)) return false;
  }

  return Committed(jobs_.CompleteChunk(chunk, outcomes, clock_.Now()));
}

// KA's answer to one ListKeys, filled on a KA thread.
struct SyncJobRunner::PendingPage {
  explicit PendingPage(absl::Time asked_at) : asked(asked_at) {}
  // KA's page describes the keys as they were when it was asked for.
  const absl::Time asked;
  absl::Mutex mu;
  absl::optional<absl::StatusOr<KaKeyPage>> keys ABSL_GUARDED_BY(mu);
  bool Arrived() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return keys.has_value(); }
};

std::shared_ptr<SyncJobRunner::PendingPage> SyncJobRunner::AskForPage(const std::string& token) {
  auto answer = std::make_shared<PendingPage>(clock_.Now());
  ka_.ListKeys(token, options_.ka_page_size, [answer](absl::StatusOr<KaKeyPage> keys) {
    absl::MutexLock lock(&answer->mu);
    answer->keys = std::move(keys);
  });
  return answer;
}

void SyncJobRunner::Prefetch(const std::string& job_id, const std::string& token) {
  prefetched_ = Prefetched{job_id, token, AskForPage(token)};
}

bool SyncJobRunner::FetchPage(const SyncJobRecord& job, SyncChunk& page,
                              absl::StatusOr<KaKeyPage>& keys, absl::Time& asked) {
  for (;;) {
    std::shared_ptr<PendingPage> answer;
    if (prefetched_ && prefetched_->job_id == page.job_id && prefetched_->token == *page.page_token) {
      answer = std::move(prefetched_->answer);
    } else {
      answer = AskForPage(*page.page_token);
    }
    // Used or of another page (another replica took that one): gone either way.
    prefetched_.reset();
    asked = answer->asked;
    for (;;) {
      {
        absl::MutexLock lock(&answer->mu);
        if (answer->mu.AwaitWithTimeout(absl::Condition(answer.get(), &PendingPage::Arrived),
                                        WaitSlice(options_.lease))) {
          keys = *std::move(answer->keys);
          break;
        }
      }
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) return false;
      }
      if (!KeepLease(page) || !StillRunning(page.job_id)) return false;
    }
    if (keys.ok() || !KaUnreachable(keys.status())) return true;
    if (!WaitForKa(job, page)) return false;
  }
}

absl::StatusOr<SyncJobRunner::ComparedPage> SyncJobRunner::ComparePage(const SyncJobRecord& job,
                                                                        const KaKeyPage& keys,
                                                                        absl::Time asked) {
  // Billing knows a key by its PREFIX.NNNNNNNN whatever its revision; an
  // additional key is billed with its main key, not as a license.
  absl::flat_hash_map<std::string, const KaKey*> by_base;
  std::vector<std::string> bases;
  for (const KaKey& key : keys.keys) {
    if (key.additional) continue;
    absl::StatusOr<KeyNumber> number = ParseKeyNumber(key.key_number);
    if (!number.ok()) continue;  // not a key billing could hold; the sweep decides
    std::string base = number->Base();
    if (by_base.emplace(base, &key).second) bases.push_back(std::move(base));
  }
  absl::StatusOr<std::vector<LicenseRecord>> licenses = jobs_.LicensesForKeys(job, bases);
  if (!licenses.ok()) return licenses.status();

  ComparedPage page;
  page.next_page_token = keys.next_page_token;
  page.outcomes.reserve(licenses->size());
  // One time for the page: its unchanged licenses are one statement.
  const absl::Time compared = clock_.Now();
  for (const LicenseRecord& license : *licenses) {
    LicenseSyncOutcome outcome;
    outcome.license_id = license.license_id;
    outcome.sync_time = compared;
    absl::StatusOr<KeyNumber> billing_key = ParseKeyNumber(license.config.key_number);
    auto key = billing_key.ok() ? by_base.find(billing_key->Base()) : by_base.end();
    if (key == by_base.end()) continue;  // not this page's: the sweep asks KA
    if (license.order_placing || license.update_time >= asked) {
      // Under a placing upgrade order a license is neither synced nor
      // renewed. One that changed since KA's page was asked for (an order
      // completed meanwhile) may hold a key the page does not know yet:
      // left uncovered, the sweep asks KA about it afresh.
      outcome.skipped = true;
    } else {
      outcome.compared_version = license.version;
      outcome.ka_key_number = key->second->key_number;
      absl::StatusOr<SyncResult> result = ResultOfKaAnswer(license, *key->second);
      if (result.ok()) {
        outcome.result = *std::move(result);
      } else {
        outcome.error = std::string(result.status().message());
      }
    }
    page.outcomes.push_back(std::move(outcome));
  }
  return page;
}

void SyncJobRunner::CompareAhead(const SyncJobRecord& job, const std::string& token) {
  if (!prefetched_ || prefetched_->job_id != job.job_id || prefetched_->token != token) return;
  std::shared_ptr<PendingPage> answer = std::move(prefetched_->answer);
  prefetched_.reset();
  // No longer than a slice for KA's answer: an outage or a slow KA is
  // FetchPage's to wait out, under the page's lease.
  const absl::Duration wait = WaitSlice(options_.lease);
  auto read_ahead = [this, job, answer, wait]() -> AheadResult {
    AheadResult result;
    result.answer = answer;
    KaKeyPage keys;
    {
      absl::MutexLock lock(&answer->mu);
      if (!answer->mu.AwaitWithTimeout(absl::Condition(answer.get(), &PendingPage::Arrived), wait) ||
          !answer->keys->ok()) {
        return result;
      }
      keys = **std::move(answer->keys);
    }
    // Moved out: if the read below fails, FetchPage asks KA again.
    result.answer = nullptr;
    if (!keys.next_page_token.empty()) result.next_answer = AskForPage(keys.next_page_token);
    absl::StatusOr<ComparedPage> compared = ComparePage(job, keys, answer->asked);
    if (compared.ok()) result.compared = *std::move(compared);
    return result;
  };
  ahead_ = Ahead{job.job_id, token, std::async(std::launch::async, std::move(read_ahead))};
}

absl::optional<SyncJobRunner::ComparedPage> SyncJobRunner::TakeAhead(const SyncChunk& chunk) {
  if (!ahead_) return absl::nullopt;
  Ahead ahead = std::move(*ahead_);
  ahead_.reset();
  // Bounded: a slice for KA's answer and one read of the database.
  AheadResult result = ahead.result.get();
  if (!chunk.is_page() || chunk.job_id != ahead.job_id || *chunk.page_token != ahead.token) {
    return absl::nullopt;  // another replica took that page: what was read is dropped
  }
  if (result.compared) {
    if (result.next_answer != nullptr) {
      prefetched_ = Prefetched{ahead.job_id, result.compared->next_page_token, std::move(result.next_answer)};
    }
    return std::move(result.compared);
  }
  if (result.answer != nullptr) prefetched_ = Prefetched{ahead.job_id, ahead.token, std::move(result.answer)};
  return absl::nullopt;
}

bool SyncJobRunner::ProcessPage(const SyncJobRecord& job, const SyncChunk& claimed,
                                absl::optional<ComparedPage> compared) {
  SyncChunk page = claimed;
  if (!compared) {
    absl::StatusOr<KaKeyPage> keys = absl::UnknownError("not read");
    absl::Time asked;
    if (!FetchPage(job, page, keys, asked)) return false;
    if (!keys.ok()) {
      // KA refuses this page (a token it no longer knows, say): the pages end
      // here, and the range chunks ask KA about each license no page covered.
      return Committed(jobs_.CompletePage(page, {}, /*next_page_token=*/"", clock_.Now()));
    }
    // KA reads the next page while this one is compared.
    if (!keys->next_page_token.empty()) Prefetch(page.job_id, keys->next_page_token);
    absl::StatusOr<ComparedPage> fresh = ComparePage(job, *keys, asked);
    if (!fresh.ok()) return false;
    compared = *std::move(fresh);
  }
  // The next page is read and compared while this one is written; this
  // commit makes it claimable.
  if (!compared->next_page_token.empty()) CompareAhead(job, compared->next_page_token);
  return Committed(jobs_.CompletePage(page, compared->outcomes, compared->next_page_token, clock_.Now()));
}

}  // namespace lss
