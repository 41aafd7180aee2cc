// KeyAdministratorClient: the KeyAdministrator interface over KA's gRPC API
// (keyadmin.v1.KeyAdministratorService), with the manners an outbound
// client needs (CONVENTIONS.md, "gRPC"):
//   - every attempt has a deadline;
//   - only UNAVAILABLE (KA down, or KA code 300 "retry later") is retried,
//     with exponential backoff and full jitter, scheduled on a gRPC alarm,
//     never by sleeping a thread. Calls that are not idempotent (RenewKey,
//     and CreateKey/UpgradeKey without an idempotency key) are retried only
//     on code 300, which says KA did nothing: after a bare UNAVAILABLE the
//     answer to a renewal or a new key may have been lost, and repeating
//     it would renew twice or issue a second key;
//   - at most `max_in_flight` calls are in flight; the rest wait in a FIFO
//     queue without blocking the caller; a call waiting for its retry holds
//     no slot;
//   - KA's answers become domain structs and its errors our reasons
//     (client/ka_error_mapping.h).
//
// Thread-safe. Callbacks run on gRPC's threads (on the destroying thread for
// calls abandoned by the destructor) and must not block.
//
// Destruction fails every outstanding call with UNAVAILABLE (queued ones at
// once, in-flight ones by cancelling them, retries by cancelling their alarm)
// and returns only after every callback has returned, so no callback ever
// touches a destroyed client. Do not destroy the client from one of its own
// callbacks.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/call_limiter.h"
#include "client/ka_credentials.h"
#include "client/ka_tls.h"
#include "client/key_administrator.h"
#include "client/retry_policy.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"

namespace grpc {
class Alarm;
class ClientContext;
}  // namespace grpc

namespace lss {

// One logical call of any KA method, its request, answer and callback;
// defined in key_administrator_client.cc.
class KaCall;

class KeyAdministratorClient final : public KeyAdministrator {
 public:
  struct Options {
    // KA's address, any gRPC target, e.g. "127.0.0.1:7443" or "dns:///ka:443".
    std::string target;
    // Transport security; disabled means plaintext (loopback, tests).
    KaTlsOptions tls;
    // Sent as `ka-login` / `ka-password` metadata on every call.
    KaCredentials credentials;
    // Deadline of each attempt, not of the call with its retries.
    absl::Duration attempt_deadline = absl::Seconds(5);
    RetryPolicy retry;
    int max_in_flight = 64;
    // gRPC's default (120 s) would keep failing calls fast for up to two
    // minutes after KA came back from an outage.
    absl::Duration max_reconnect_backoff = absl::Seconds(5);
    // A uniform random number in [0, 1) for the backoff jitter; called under
    // the client's lock, so it need not be thread-safe. Empty: a generator
    // seeded from std::random_device. Tests inject their own.
    std::function<double()> jitter_source;
  };

  // INVALID_ARGUMENT naming the bad option, e.g. an empty target;
  // FAILED_PRECONDITION naming a TLS file that cannot be read.
  static absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> Create(Options options);

  ~KeyAdministratorClient() override;

  KeyAdministratorClient(const KeyAdministratorClient&) = delete;
  KeyAdministratorClient& operator=(const KeyAdministratorClient&) = delete;

  void GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) override;
  void ListKeys(absl::string_view page_token, int page_size, KaCallback<KaKeyPage> done) override;
  void ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) override;
  void GetAvailableUpgrades(absl::string_view key_number,
                            KaCallback<KaUpgradeOptions> done) override;
  void CreateKey(const KaCreateKeyRequest& request, KaCallback<KaKey> done) override;
  void UpgradeKey(const KaUpgradeKeyRequest& request, KaCallback<KaUpgradeResult> done) override;
  void RenewKey(absl::string_view key_number, KaCallback<KaKey> done) override;
  void TerminateKey(absl::string_view key_number, KaCallback<KaKey> done) override;

  // Calls holding an in-flight slot / waiting for one; for metrics and tests.
  int InFlight() const;
  int Queued() const;

 private:
  using Stub = keyadmin::v1::KeyAdministratorService::Stub;

  // The mutable state of one outstanding call.
  struct Outstanding {
    std::unique_ptr<KaCall> call;
    std::unique_ptr<grpc::ClientContext> context;  // of the attempt in flight
    std::unique_ptr<grpc::Alarm> backoff;          // while waiting to retry
    int attempts = 0;
  };

  KeyAdministratorClient(Options options, std::shared_ptr<grpc::Channel> channel);

  // Registers `call` and queues its first attempt.
  void Issue(std::unique_ptr<KaCall> call) ABSL_LOCKS_EXCLUDED(mu_);
  // Runs when the limiter admits (or refuses) `call`.
  void OnAdmitted(KaCall* call, bool admitted) ABSL_LOCKS_EXCLUDED(mu_);
  void OnAttemptDone(KaCall* call, const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_);
  void OnBackoffDone(KaCall* call, bool fired) ABSL_LOCKS_EXCLUDED(mu_);
  // Hands `call` its outcome (OK: the stored answer), then forgets it.
  void Complete(KaCall* call, absl::Status outcome) ABSL_LOCKS_EXCLUDED(mu_);
  // Schedules the next attempt if `status` allows one; false otherwise.
  bool ScheduleRetry(KaCall* call, const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // No call outstanding and none being started: the destructor may return.
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<Stub> stub_;
  CallLimiter limiter_;

  mutable absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<KaCall*, Outstanding> calls_ ABSL_GUARDED_BY(mu_);
  int starting_ ABSL_GUARDED_BY(mu_) = 0;  // threads inside KaCall::Start
  std::function<double()> jitter_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lss
