#include "server/jobs/progress_hub.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status/error_details.h"

namespace lss {

namespace {

// Nobody watches the job and nobody will need its channel again: a late
// watcher's snapshot is published anew from the database before it
// subscribes (SyncJobs::PublishProgress).
bool Disposable(bool has_sinks, int pokes_under_way, bool final) {
  return !has_sinks && pokes_under_way == 0 && final;
}

}  // namespace

void ProgressHub::Publish(const SyncProgressSnapshot& snapshot) {
  std::vector<ProgressSink*> to_poke;
  {
    absl::MutexLock lock(&mu_);
    // Channels of ended jobs that nobody watches go, so that the hub holds
    // only what is watched however long the server runs.
    absl::erase_if(jobs_, [&](const auto& entry) {
      const JobChannel& other = entry.second;
      return entry.first != snapshot.job_id &&
             Disposable(!other.sinks.empty(), other.pokes_under_way, other.latest && other.latest->final());
    });
    JobChannel& channel = jobs_[snapshot.job_id];
    // A final snapshot is never replaced by a late intermediate one.
    if (channel.latest && channel.latest->final() && !snapshot.final()) return;
    channel.latest = snapshot;
    to_poke.reserve(channel.sinks.size());
    for (const auto& [id, watcher] : channel.sinks) to_poke.push_back(watcher.sink);
    ++channel.pokes_under_way;
  }
  // Poked outside the lock: a sink calls Latest() from OnProgress.
  for (ProgressSink* sink : to_poke) sink->OnProgress();
  absl::MutexLock lock(&mu_);
  --jobs_[snapshot.job_id].pokes_under_way;
  pokes_done_.SignalAll();
}

absl::optional<SyncProgressSnapshot> ProgressHub::Latest(const std::string& job_id) const {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return absl::nullopt;
  return it->second.latest;
}

absl::StatusOr<ProgressHub::SubscriptionId> ProgressHub::Subscribe(const std::string& job_id,
                                                                  const std::string& caller, ProgressSink* sink) {
  bool has_snapshot = false;
  SubscriptionId id = 0;
  {
    absl::MutexLock lock(&mu_);
    JobChannel& channel = jobs_[job_id];
    int& by_caller = watchers_by_caller_[caller];
    absl::Status refused;
    if (static_cast<int>(channel.sinks.size()) >= limits_.per_job) {
      refused = absl::ResourceExhaustedError(absl::StrCat("job ", job_id, " has ", limits_.per_job,
                                                          " watchers, the most it takes; watch it later"));
    } else if (by_caller >= limits_.per_caller) {
      refused = absl::ResourceExhaustedError(absl::StrCat(caller, " watches ", limits_.per_caller,
                                                          " streams, the most one caller may; end one first"));
    }
    if (!refused.ok()) {
      if (by_caller == 0) watchers_by_caller_.erase(caller);
      if (channel.sinks.empty() && !channel.latest) jobs_.erase(job_id);
      return WithReason(refused, kReasonTooManyWatchers);
    }
    ++by_caller;
    id = next_id_++;
    channel.sinks[id] = Watcher{sink, caller};
    has_snapshot = channel.latest.has_value();
  }
  if (has_snapshot) sink->OnProgress();
  return id;
}

void ProgressHub::Unsubscribe(const std::string& job_id, SubscriptionId id) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return;
  auto watcher = it->second.sinks.find(id);
  if (watcher == it->second.sinks.end()) return;
  auto by_caller = watchers_by_caller_.find(watcher->second.caller);
  if (by_caller != watchers_by_caller_.end() && --by_caller->second == 0) watchers_by_caller_.erase(by_caller);
  it->second.sinks.erase(watcher);
  // A Publish() that copied this sink before the erase may still poke it.
  while (jobs_[job_id].pokes_under_way > 0) pokes_done_.Wait(&mu_);
  it = jobs_.find(job_id);
  if (it != jobs_.end() && Disposable(!it->second.sinks.empty(), it->second.pokes_under_way,
                                      it->second.latest && it->second.latest->final())) {
    jobs_.erase(it);
  }
}

size_t ProgressHub::WatcherCount(const std::string& job_id) const {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  return it == jobs_.end() ? 0 : it->second.sinks.size();
}

}  // namespace lss

namespace lss {

std::vector<std::string> ProgressHub::JobsAwaitingProgress() const {
  std::vector<std::string> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [job_id, channel] : jobs_) {
    if (!channel.sinks.empty() && !(channel.latest && channel.latest->final())) out.push_back(job_id);
  }
  return out;
}

}  // namespace lss
