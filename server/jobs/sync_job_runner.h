// Works on the running SyncAll job from this replica: claims chunks of
// licenses under leases, asks KA about each license in parallel (the KA
// client bounds the calls in flight), and commits each chunk's results and
// completion together. A bulk job's pages are read with one ListKeys call
// each: the page's keys are matched to licenses by key number, and the
// page's commit makes the next page claimable. The runner asks KA for that
// next page as soon as it has this page's token, and reads and compares
// that next page's licenses on a thread of its own while this page is
// written: KA's work, the page's read and the previous page's commit
// overlap. (The next page is claimed only after this page's commit records
// it; what was read ahead is checked under lock by that commit, as always,
// and thrown away if another replica claimed the page.) Every replica runs one; they share the job through
// the database, and a dead replica's chunk is taken over once its lease
// expires.
//
// When KA is down entirely, the runner pauses instead of burning through the
// job as errors: it keeps its lease, probes KA every ka_probe_interval, and
// retries the licenses KA did not answer once KA is back. Those licenses are
// never counted as errors.
//
// Thread-safe. Start() starts its thread; Stop() (also on destruction)
// abandons the chunk under way and releases this replica's leases, so other
// replicas continue at once (SIGTERM).
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "client/key_administrator.h"
#include "common/clock.h"
#include "server/jobs/progress_hub.h"
#include "storage/sync_job_repository.h"

namespace lss {

struct SyncJobRunnerOptions {
  std::string replica_id;                       // the owner name of its leases
  absl::Duration lease = absl::Seconds(30);     // a chunk's lease; renewed while working
  absl::Duration poll_interval = absl::Seconds(1);      // how often an idle replica looks for work
  absl::Duration ka_probe_interval = absl::Seconds(1);  // how often a paused job asks KA
  int ka_page_size = 1000;  // keys per ListKeys page of a bulk job
  // Called on the runner's thread with the job that one of its commits
  // just ended, so that the final progress reaches watchers at once
  // instead of at the next progress tick (a whole interval at worst).
  std::function<void(const SyncJobRecord&)> on_job_ended;
};

class SyncJobRunner {
 public:
  SyncJobRunner(SyncJobRepository& jobs, KeyAdministrator& ka, const Clock& clock,
                SyncJobRunnerOptions options);
  ~SyncJobRunner();

  void Start();
  // Look for work now (a job was just started on this replica).
  void Wake();
  void Stop();

  // Whether this replica is paused waiting for KA (for progress events).
  bool WaitingForKa() const;

 private:
  struct Answer {
    int64_t license_id;
    absl::StatusOr<KaKey> key;
  };

  void Loop();
  // Processes one claimed chunk to its commit; false when it was abandoned
  // (stop, cancellation, lost lease).
  bool ProcessChunk(const SyncJobRecord& job, const SyncChunk& chunk);
  // A page's outcomes, compared, and the token of the page after it.
  struct ComparedPage {
    std::vector<LicenseSyncOutcome> outcomes;
    std::string next_page_token;
  };
  // The same for a page of a bulk job; `compared` when it was read ahead.
  bool ProcessPage(const SyncJobRecord& job, const SyncChunk& page, absl::optional<ComparedPage> compared);
  // Matches KA's page (asked for at `asked`) to the job's licenses and
  // compares them. Touches no member state: it also runs ahead, off the
  // runner's thread.
  absl::StatusOr<ComparedPage> ComparePage(const SyncJobRecord& job, const KaKeyPage& keys, absl::Time asked);
  struct PendingPage;
  // What reading ahead left: the next page compared when KA's answer came
  // in time (else its answer, still pending or refused, for FetchPage), and
  // KA's answer to the page after it, asked for at once.
  struct AheadResult {
    absl::optional<ComparedPage> compared;
    std::shared_ptr<PendingPage> answer;       // of the page read ahead
    std::shared_ptr<PendingPage> next_answer;  // of the page after it
  };
  // Starts reading the page of the prefetched `token` ahead (runner's thread).
  void CompareAhead(const SyncJobRecord& job, const std::string& token);
  // The page read ahead when `page` is the one it read: waits for it and
  // files its KA answers back as prefetched. Empty otherwise.
  absl::optional<ComparedPage> TakeAhead(const SyncChunk& chunk);
  // Reads the page from KA, waiting out an outage; false when stopped,
  // cancelled or the lease was lost.
  // `asked` is when KA was asked for it.
  bool FetchPage(const SyncJobRecord& job, SyncChunk& page, absl::StatusOr<KaKeyPage>& keys, absl::Time& asked);
  // Asks KA for the page of `token` now; FetchPage of that page (of job
  // `job_id`) then waits for this answer instead of asking again.
  void Prefetch(const std::string& job_id, const std::string& token);
  // Asks KA for the page of `token`; its answer arrives in the result.
  std::shared_ptr<PendingPage> AskForPage(const std::string& token);
  // Asks KA about `licenses` at once; waits for every answer, renewing the
  // lease meanwhile. False when stopped or the lease was lost.
  bool AskKa(const std::vector<LicenseRecord>& licenses, SyncChunk& chunk, std::vector<Answer>& answers);
  // Waits until KA answers again; false when stopped or the job ended.
  bool WaitForKa(const SyncJobRecord& job, SyncChunk& chunk);
  // Renews the lease when a third of it has passed; false when it was lost.
  bool KeepLease(SyncChunk& chunk);
  // Sleeps up to `d` unless woken or stopped; true when stopping.
  bool Idle(absl::Duration d);
  bool StillRunning(const std::string& job_id);
  // Whether a chunk's or page's commit succeeded; tells on_job_ended when
  // it ended the job.
  bool Committed(const absl::StatusOr<SyncJobRecord>& job);
  bool WokenOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SyncJobRepository& jobs_;
  KeyAdministrator& ka_;
  const Clock& clock_;
  const SyncJobRunnerOptions options_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_for_ka_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time lease_renewed_at_ ABSL_GUARDED_BY(mu_);
  // The page asked for ahead (Prefetch). Only the runner's thread touches
  // it; the answer itself is filled on a KA thread, under its own lock.
  struct Prefetched {
    std::string job_id;
    std::string token;
    std::shared_ptr<PendingPage> answer;
  };
  absl::optional<Prefetched> prefetched_;
  // The page being read ahead (CompareAhead): only the runner's thread
  // touches this; the work runs on the future's own thread.
  struct Ahead {
    std::string job_id;
    std::string token;
    std::future<AheadResult> result;
  };
  absl::optional<Ahead> ahead_;
  std::thread thread_;
};

}  // namespace lss
