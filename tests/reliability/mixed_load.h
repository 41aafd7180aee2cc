// Scenario (e)'s load: client threads, each looping until the deadline over
// random GetLicense, ListLicenses, SyncLicense and whole upgrade-wizard runs
// on random licenses, half of them from a small "hot" window that moves
// every second, so that callers meet on one license: a sync under a placing
// order, two sessions racing to place, a step after another's order changed
// the license. Every call is counted by method, code and reason; every
// completed order is recorded in the ground truth. Answers that contradict
// the ground truth without any race to explain them are counted as
// surprises. Start() returns at once; Wait() joins. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/reliability/call_tally.h"
#include "tests/reliability/ground_truth.h"

namespace lss::reliability {

struct MixedLoadOptions {
  int clients = 100;
  absl::Duration duration = absl::Seconds(60);
  uint64_t seed = 1;
};

class MixedLoad {
 public:
  // `stubs`: the channels the clients share, client i on stubs[i % size].
  // `licenses`: every license, as imported.
  MixedLoad(std::vector<std::shared_ptr<licensing::v1::LicenseService::Stub>> stubs,
            const std::vector<licensing::v1::License>& licenses, GroundTruth& truth, MixedLoadOptions options);
  ~MixedLoad();

  void Start();
  void Wait();

  const CallTally& tally() const { return tally_; }
  int64_t wizard_runs() const { return wizard_runs_.load(); }
  int64_t orders_completed() const { return orders_completed_.load(); }
  int64_t adoptions() const { return adoptions_.load(); }
  int64_t sessions_cancelled() const { return sessions_cancelled_.load(); }
  absl::Duration elapsed() const { return elapsed_; }
  // Answers the ground truth contradicts, with the first few described.
  int64_t surprises() const { return surprises_.load(); }
  std::vector<std::string> surprise_examples() const;

 private:
  void Client(int index);
  size_t Pick(std::mt19937_64& rng) const;
  void GetOne(licensing::v1::LicenseService::Stub& stub, size_t i);
  void ListSome(licensing::v1::LicenseService::Stub& stub, std::mt19937_64& rng);
  void SyncOne(licensing::v1::LicenseService::Stub& stub, size_t i);
  void UpgradeOne(const std::shared_ptr<licensing::v1::LicenseService::Stub>& stub, size_t i, std::mt19937_64& rng,
                  const std::string& request_id);
  void Surprise(const std::string& what);

  const std::vector<std::shared_ptr<licensing::v1::LicenseService::Stub>> stubs_;
  const std::vector<licensing::v1::License> licenses_;
  GroundTruth& truth_;
  const MixedLoadOptions options_;
  // Set before a license's first StartUpgrade: until then its billing
  // configuration is as imported, so a sync's answer is exactly known.
  std::unique_ptr<std::atomic<bool>[]> touched_;
  CallTally tally_;
  absl::Time start_;
  absl::Time end_;
  absl::Duration elapsed_;
  std::atomic<int64_t> wizard_runs_{0};
  std::atomic<int64_t> orders_completed_{0};
  std::atomic<int64_t> adoptions_{0};
  std::atomic<int64_t> sessions_cancelled_{0};
  std::atomic<int64_t> surprises_{0};
  mutable absl::Mutex mu_;
  std::vector<std::string> surprise_examples_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

}  // namespace lss::reliability
