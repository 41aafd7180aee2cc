#include "server/jobs/progress_ticker.h"

#include <vector>

namespace lss {
namespace {

// Weight of the newest tick in the smoothed rate: steady enough for an
// ETA, quick enough to follow a pause.
constexpr double kRateSmoothing = 0.3;

}  // namespace

ProgressTicker::ProgressTicker(SyncJobRepository& jobs, const SyncJobRunner& runner, ProgressHub& hub,
                               const Clock& clock, absl::Duration interval)
    : jobs_(jobs), runner_(runner), hub_(hub), clock_(clock), interval_(interval) {}

ProgressTicker::~ProgressTicker() { Stop(); }

void ProgressTicker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ProgressTicker::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ProgressTicker::PublishNow(const std::string& job_id) {
  absl::StatusOr<SyncJobRecord> job = jobs_.Get(job_id);
  if (job.ok()) Publish(*job);
}

void ProgressTicker::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    std::vector<std::string> job_ids = hub_.JobsAwaitingProgress();
    absl::StatusOr<absl::optional<SyncJobRecord>> running = jobs_.Running();
    if (running.ok() && running->has_value()) {
      Publish(**running);
      std::erase(job_ids, (*running)->job_id);
    }
    for (const std::string& job_id : job_ids) PublishNow(job_id);
  }
}

void ProgressTicker::Publish(const SyncJobRecord& job) {
  const absl::Time now = clock_.Now();
  SyncProgressSnapshot snapshot;
  snapshot.job_id = job.job_id;
  snapshot.state = job.state;
  snapshot.counts = job.counts;
  snapshot.update_time = now;
  snapshot.waiting_for_key_administrator = job.state == SyncJobState::kRunning && runner_.WaitingForKa();
  {
    absl::MutexLock lock(&mu_);
    auto [it, first] = rates_.try_emplace(job.job_id, RateState{job.counts.processed, now, 0});
    RateState& rate = it->second;
    const double elapsed = absl::ToDoubleSeconds(now - rate.at);
    if (!first && elapsed > 0) {
      const double recent = static_cast<double>(job.counts.processed - rate.processed) / elapsed;
      rate.rate = rate.rate == 0 ? recent : kRateSmoothing * recent + (1 - kRateSmoothing) * rate.rate;
      rate.processed = job.counts.processed;
      rate.at = now;
    }
    snapshot.rate_per_second = rate.rate;
    if (rate.rate > 0 && job.state == SyncJobState::kRunning) {
      snapshot.eta = absl::Seconds(static_cast<double>(job.counts.total - job.counts.processed) / rate.rate);
    }
    if (snapshot.final()) rates_.erase(job.job_id);
  }
  hub_.Publish(snapshot);
}

}  // namespace lss
