#include "client/key_administrator_client.h"

#include <algorithm>
#include <random>
#include <utility>

#include "client/ka_error_mapping.h"
#include "client/key_info_conversion.h"
#include "common/request_context.h"
#include "common/status/error_details.h"
#include "grpcpp/alarm.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace lss {

namespace ka = keyadmin::v1;

// Type-erased so that one retry and admission path serves every method.
class KaCall {
 public:
  using Stub = ka::KeyAdministratorService::Stub;

  KaCall(absl::string_view method, absl::string_view key_number, bool idempotent)
      : method_(method), key_number_(key_number), idempotent_(idempotent) {}
  virtual ~KaCall() = default;

  absl::string_view method() const { return method_; }
  // The key the call names, for error messages; empty when none.
  absl::string_view key_number() const { return key_number_; }
  // Whether doing the call twice does no more than doing it once.
  bool idempotent() const { return idempotent_; }

  // Starts one attempt on `context`; `done` runs on a gRPC thread.
  virtual void Start(Stub& stub, grpc::ClientContext* context,
                     std::function<void(grpc::Status)> done) = 0;

  // Runs the caller's callback: with the last attempt's answer when
  // `outcome` is OK, else with `outcome`.
  virtual void Deliver(absl::Status outcome) = 0;

  // The request the call is made for (common/request_context.h): sent as
  // x-request-id, current again when the caller's callback runs.
  const std::string& request_id() const { return request_id_; }
  void set_request_id(std::string id) { request_id_ = std::move(id); }

 private:
  std::string request_id_;
  const std::string method_;
  const std::string key_number_;
  const bool idempotent_;
};

namespace {

using Stub = ka::KeyAdministratorService::Stub;

constexpr bool kIdempotent = true;
// RenewKey: a second renewal adds a second term.
constexpr bool kNotIdempotent = false;

template <typename Request, typename Response, typename Result>
class UnaryKaCall final : public KaCall {
 public:
  using Rpc = void (Stub::async::*)(grpc::ClientContext*, const Request*, Response*,
                                    std::function<void(grpc::Status)>);
  using Convert = absl::StatusOr<Result> (*)(const Response&);

  UnaryKaCall(absl::string_view method, absl::string_view key_number, bool idempotent,
              Request request, Rpc rpc, Convert convert, KaCallback<Result> done)
      : KaCall(method, key_number, idempotent),
        request_(std::move(request)),
        rpc_(rpc),
        convert_(convert),
        done_(std::move(done)) {}

  void Start(Stub& stub, grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override {
    response_.Clear();  // a failed attempt may have left part of an answer
    (stub.async()->*rpc_)(context, &request_, &response_, std::move(done));
  }

  void Deliver(absl::Status outcome) override {
    if (outcome.ok()) {
      std::move(done_)(convert_(response_));
    } else {
      std::move(done_)(std::move(outcome));
    }
  }

 private:
  const Request request_;
  Response response_;
  const Rpc rpc_;
  const Convert convert_;
  KaCallback<Result> done_;
};

template <typename Request, typename Response, typename Result>
std::unique_ptr<KaCall> MakeCall(absl::string_view method, absl::string_view key_number,
                                 bool idempotent, Request request,
                                 typename UnaryKaCall<Request, Response, Result>::Rpc rpc,
                                 absl::StatusOr<Result> (*convert)(const Response&),
                                 KaCallback<Result> done) {
  return std::make_unique<UnaryKaCall<Request, Response, Result>>(
      method, key_number, idempotent, std::move(request), rpc, convert, std::move(done));
}

// Answers whose key KA left out are unusable; the rest always convert.
template <typename Response>
absl::StatusOr<KaKey> KeyOf(const Response& response, absl::string_view method) {
  if (!response.has_key()) return MalformedKaAnswerError(method, "a key");
  return KaKeyFromProto(response.key());
}

absl::StatusOr<KaKey> FromGetKeyInfo(const ka::GetKeyInfoResponse& r) {
  return KeyOf(r, "GetKeyInfo");
}
absl::StatusOr<KaKey> FromCreateKey(const ka::CreateKeyResponse& r) {
  return KeyOf(r, "CreateKey");
}
absl::StatusOr<KaKey> FromRenewKey(const ka::RenewKeyResponse& r) { return KeyOf(r, "RenewKey"); }
absl::StatusOr<KaKey> FromTerminateKey(const ka::TerminateKeyResponse& r) {
  return KeyOf(r, "TerminateKey");
}
absl::StatusOr<KaUpgradeResult> FromUpgradeKey(const ka::UpgradeKeyResponse& r) {
  absl::StatusOr<KaKey> key = KeyOf(r, "UpgradeKey");
  if (!key.ok()) return key.status();
  return KaUpgradeResult{*std::move(key), r.previous_key_number()};
}
absl::StatusOr<KaKeyPage> FromListKeys(const ka::ListKeysResponse& r) {
  return KaKeyPageFromProto(r);
}
absl::StatusOr<std::vector<KaKeyType>> FromListKeyTypes(const ka::ListKeyTypesResponse& r) {
  std::vector<KaKeyType> out;
  out.reserve(static_cast<size_t>(r.key_types_size()));
  for (const ka::KeyType& key_type : r.key_types()) out.push_back(KaKeyTypeFromProto(key_type));
  return out;
}
absl::StatusOr<KaUpgradeOptions> FromGetAvailableUpgrades(
    const ka::GetAvailableUpgradesResponse& r) {
  return KaUpgradeOptionsFromProto(r);
}

absl::Status ValidateOptions(const KeyAdministratorClient::Options& options) {
  if (options.target.empty()) return InvalidArgumentError("target", "must not be empty");
  if (options.credentials.login.empty() || options.credentials.password.empty()) {
    return InvalidArgumentError("credentials", "the KA login and password must not be empty");
  }
  if (options.attempt_deadline <= absl::ZeroDuration()) {
    return InvalidArgumentError("attempt_deadline", "must be positive");
  }
  if (options.max_in_flight < 1) {
    return InvalidArgumentError("max_in_flight", "must be at least 1");
  }
  if (options.max_reconnect_backoff <= absl::ZeroDuration()) {
    return InvalidArgumentError("max_reconnect_backoff", "must be positive");
  }
  return ValidateRetryPolicy(options.retry);
}

KaCallDescription Describe(const KaCall& call, int attempts,
                           const KeyAdministratorClient::Options& options) {
  return {.method = call.method(),
          .key_number = call.key_number(),
          .attempts = attempts,
          .attempt_deadline = options.attempt_deadline,
          .secret = options.credentials.password};
}

std::function<double()> DefaultJitterSource() {
  return [engine = std::mt19937_64(std::random_device{}()),
          uniform = std::uniform_real_distribution<double>(0.0, 1.0)]() mutable {
    return uniform(engine);
  };
}

}  // namespace

absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> KeyAdministratorClient::Create(
    Options options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  grpc::ChannelArguments args;
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      MakeKaChannelCredentials(options.tls, args);
  if (!credentials.ok()) return credentials.status();
  const int max_reconnect_ms = static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(options.max_reconnect_backoff), 1 << 30));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_reconnect_ms);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::min(max_reconnect_ms, 1000));
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.target, *std::move(credentials), args);
  return std::unique_ptr<KeyAdministratorClient>(
      new KeyAdministratorClient(std::move(options), std::move(channel)));
}

KeyAdministratorClient::KeyAdministratorClient(Options options,
                                               std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      stub_(ka::KeyAdministratorService::NewStub(channel_)),
      limiter_(options_.max_in_flight),
      jitter_(options_.jitter_source ? options_.jitter_source : DefaultJitterSource()) {}

KeyAdministratorClient::~KeyAdministratorClient() {
  // The limiter first: once its queue is gone, a call finishing below can
  // no longer hand its slot to a queued call that would fail at once and
  // hand it on again, recursing once per queued call.
  limiter_.Shutdown();
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    // Neither runs our callbacks inline (gRPC runs client callbacks and
    // alarms on its own threads), so holding mu_ cannot deadlock.
    for (auto& [call, outstanding] : calls_) {
      if (outstanding.context) outstanding.context->TryCancel();
      if (outstanding.backoff) outstanding.backoff->Cancel();
    }
  }
  mu_.LockWhen(absl::Condition(this, &KeyAdministratorClient::Idle));
  mu_.Unlock();
}

bool KeyAdministratorClient::Idle() const { return calls_.empty() && starting_ == 0; }

int KeyAdministratorClient::InFlight() const { return limiter_.InFlight(); }
int KeyAdministratorClient::Queued() const { return limiter_.Queued(); }

void KeyAdministratorClient::GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) {
  ka::GetKeyInfoRequest request;
  request.set_key_number(std::string(key_number));
  Issue(MakeCall("GetKeyInfo", key_number, kIdempotent, std::move(request),
                 &Stub::async::GetKeyInfo, &FromGetKeyInfo, std::move(done)));
}

void KeyAdministratorClient::ListKeys(absl::string_view page_token, int page_size,
                                      KaCallback<KaKeyPage> done) {
  ka::ListKeysRequest request;
  request.set_page_token(std::string(page_token));
  request.set_page_size(std::max(page_size, 0));  // KA reads 0 as "you choose"
  Issue(MakeCall("ListKeys", "", kIdempotent, std::move(request), &Stub::async::ListKeys,
                 &FromListKeys, std::move(done)));
}

void KeyAdministratorClient::ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) {
  Issue(MakeCall("ListKeyTypes", "", kIdempotent, ka::ListKeyTypesRequest(),
                 &Stub::async::ListKeyTypes, &FromListKeyTypes, std::move(done)));
}

void KeyAdministratorClient::GetAvailableUpgrades(absl::string_view key_number,
                                                  KaCallback<KaUpgradeOptions> done) {
  ka::GetAvailableUpgradesRequest request;
  request.set_key_number(std::string(key_number));
  Issue(MakeCall("GetAvailableUpgrades", key_number, kIdempotent, std::move(request),
                 &Stub::async::GetAvailableUpgrades, &FromGetAvailableUpgrades, std::move(done)));
}

void KeyAdministratorClient::CreateKey(const KaCreateKeyRequest& request, KaCallback<KaKey> done) {
  Issue(MakeCall("CreateKey", request.parent_key_number, !request.idempotency_key.empty(),
                 CreateKeyRequestToProto(request), &Stub::async::CreateKey, &FromCreateKey,
                 std::move(done)));
}

void KeyAdministratorClient::UpgradeKey(const KaUpgradeKeyRequest& request,
                                        KaCallback<KaUpgradeResult> done) {
  Issue(MakeCall("UpgradeKey", request.key_number, !request.idempotency_key.empty(),
                 UpgradeKeyRequestToProto(request), &Stub::async::UpgradeKey, &FromUpgradeKey,
                 std::move(done)));
}

void KeyAdministratorClient::RenewKey(absl::string_view key_number, KaCallback<KaKey> done) {
  ka::RenewKeyRequest request;
  request.set_key_number(std::string(key_number));
  Issue(MakeCall("RenewKey", key_number, kNotIdempotent, std::move(request), &Stub::async::RenewKey,
                 &FromRenewKey, std::move(done)));
}

void KeyAdministratorClient::TerminateKey(absl::string_view key_number, KaCallback<KaKey> done) {
  ka::TerminateKeyRequest request;
  request.set_key_number(std::string(key_number));
  Issue(MakeCall("TerminateKey", key_number, kIdempotent, std::move(request),
                 &Stub::async::TerminateKey, &FromTerminateKey, std::move(done)));
}

void KeyAdministratorClient::Issue(std::unique_ptr<KaCall> call) {
  call->set_request_id(RequestContext::Current());
  KaCall* raw = call.get();
  {
    absl::MutexLock lock(&mu_);
    calls_[raw].call = std::move(call);
  }
  limiter_.Submit([this, raw](bool admitted) { OnAdmitted(raw, admitted); });
}

void KeyAdministratorClient::OnAdmitted(KaCall* call, bool admitted) {
  // A fresh context per attempt (gRPC never reuses one), prepared before
  // taking the lock; the per-attempt deadline starts now, not at Issue, so
  // time spent queued for a slot is not charged to KA.
  auto fresh = std::make_unique<grpc::ClientContext>();
  fresh->set_deadline(absl::ToChronoTime(absl::Now() + options_.attempt_deadline));
  fresh->AddMetadata("ka-login", options_.credentials.login);
  fresh->AddMetadata("ka-password", options_.credentials.password);
  if (!call->request_id().empty()) fresh->AddMetadata("x-request-id", call->request_id());

  grpc::ClientContext* context = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (admitted && !shutting_down_) {
      ++starting_;
      Outstanding& outstanding = calls_.at(call);
      ++outstanding.attempts;
      // Visible to the destructor from here on, so it can cancel the attempt.
      outstanding.context = std::move(fresh);
      context = outstanding.context.get();
    }
  }
  if (context == nullptr) {
    if (admitted) limiter_.Release();
    Complete(call, KaClientShutdownError(Describe(*call, 0, options_)));
    return;
  }
  call->Start(*stub_, context, [this, call](grpc::Status status) { OnAttemptDone(call, status); });
  // The attempt may already have completed the call on a gRPC thread; the
  // destructor waits for starting_ too, so stub_ outlives Start().
  absl::MutexLock lock(&mu_);
  --starting_;
}

void KeyAdministratorClient::OnAttemptDone(KaCall* call, const grpc::Status& status) {
  // The slot goes first, while the call still pins the client: once a retry
  // is scheduled, its alarm may complete the call on another thread and let
  // the destructor finish. A retry queues up for a slot again.
  limiter_.Release();
  bool retrying = false;
  bool shutting_down = false;
  int attempts = 0;
  {
    absl::MutexLock lock(&mu_);
    retrying = !status.ok() && ScheduleRetry(call, status);
    shutting_down = shutting_down_;
    attempts = calls_.at(call).attempts;
  }
  if (retrying) return;

  const KaCallDescription description = Describe(*call, attempts, options_);
  if (status.ok()) {
    Complete(call, absl::OkStatus());
  } else if (shutting_down && status.error_code() == grpc::StatusCode::CANCELLED) {
    Complete(call, KaClientShutdownError(description));  // we cancelled it
  } else {
    Complete(call, MapKaError(status, description));
  }
}

bool KeyAdministratorClient::ScheduleRetry(KaCall* call, const grpc::Status& status) {
  if (shutting_down_ || !IsRetryableKaFailure(status, call->idempotent())) return false;
  Outstanding& outstanding = calls_.at(call);
  if (outstanding.attempts >= options_.retry.max_attempts) return false;
  const absl::Duration delay = JitteredBackoff(options_.retry, outstanding.attempts, jitter_());
  // Replacing an earlier alarm is safe even while its callback still runs:
  // gRPC keeps the alarm's state alive until the callback returns.
  outstanding.backoff = std::make_unique<grpc::Alarm>();
  outstanding.backoff->Set(absl::ToChronoTime(absl::Now() + delay),
                           [this, call](bool fired) { OnBackoffDone(call, fired); });
  return true;
}

void KeyAdministratorClient::OnBackoffDone(KaCall* call, bool fired) {
  if (!fired) {  // only the destructor cancels alarms
    Complete(call, KaClientShutdownError(Describe(*call, 0, options_)));
    return;
  }
  limiter_.Submit([this, call](bool admitted) { OnAdmitted(call, admitted); });
}

void KeyAdministratorClient::Complete(KaCall* call, absl::Status outcome) {
  {
    RequestContext::Scope scope(call->request_id());
    call->Deliver(std::move(outcome));
  }
  // Forgetting the call is the last thing we do with `this`: the destructor
  // may return as soon as calls_ is empty.
  absl::MutexLock lock(&mu_);
  calls_.erase(call);
}

}  // namespace lss
