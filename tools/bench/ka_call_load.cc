#include "bench/ka_call_load.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/types/optional.h"
#include "bench/stats.h"
#include "client/key_administrator_client.h"

namespace lss::bench {
namespace {

// Calls made before the clock starts: the connection and gRPC's threads are
// up by then.
constexpr size_t kWarmUpCalls = 200;
// Longer than a call with all its retries may take (4 attempts of 5 s, and
// backoff), so a stall means lost calls, not slow ones.
constexpr absl::Duration kStall = absl::Seconds(60);

// Keeps a window of GetKeyInfo calls outstanding until every key was asked
// once. Each answer issues the next call from the callback (on gRPC's
// threads), which only queues it: KA callbacks must not block. Shared with
// the callbacks, so that the last one may still be returning when Run()
// does.
class KeyInfoLoad : public std::enable_shared_from_this<KeyInfoLoad> {
 public:
  KeyInfoLoad(KeyAdministrator& ka, const std::vector<std::string>& keys, size_t count)
      : ka_(ka), keys_(keys), count_(count) {}

  // Runs the load to its end. DEADLINE_EXCEEDED, saying how far it got,
  // when no answer came for `stall` (every attempt has a deadline, so that
  // means calls were lost).
  absl::Status Run(size_t window, absl::Duration stall, const KeyAdministratorClient& client) {
    // Answers to the first calls may issue more while this loop runs: the
    // count is checked under the lock each time.
    for (size_t i = 0; i < window; ++i) {
      size_t index = 0;
      {
        absl::MutexLock lock(&mu_);
        if (issued_ == count_) break;
        index = issued_++;
      }
      Issue(index);
    }
    absl::MutexLock lock(&mu_);
    auto finished = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return answered_ == count_; };
    while (!mu_.AwaitWithTimeout(absl::Condition(&finished), stall)) {
      if (answered_ == last_seen_answered_) {
        return absl::DeadlineExceededError(absl::StrCat(
            "no KA answer for ", absl::FormatDuration(stall), ": ", answered_, " of ", count_, " answered, ", issued_,
            " issued; the client reports ", client.InFlight(), " in flight and ", client.Queued(), " queued"));
      }
      last_seen_answered_ = answered_;
    }
    return absl::OkStatus();
  }

  int64_t errors() {
    absl::MutexLock lock(&mu_);
    return errors_;
  }
  std::string first_error() {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }

 private:
  void Issue(size_t index) {
    ka_.GetKeyInfo(keys_[index % keys_.size()],
                   [self = shared_from_this()](absl::StatusOr<KaKey> key) { self->OnAnswer(key.status()); });
  }

  void OnAnswer(const absl::Status& status) {
    absl::optional<size_t> next;
    {
      absl::MutexLock lock(&mu_);
      if (!status.ok() && errors_++ == 0) first_error_ = status.ToString();
      ++answered_;
      if (issued_ < count_) next = issued_++;
    }
    if (next) Issue(*next);
  }

  KeyAdministrator& ka_;
  const std::vector<std::string>& keys_;
  const size_t count_;

  absl::Mutex mu_;
  size_t issued_ ABSL_GUARDED_BY(mu_) = 0;
  size_t answered_ ABSL_GUARDED_BY(mu_) = 0;
  size_t last_seen_answered_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// One ListKeys page, waited for: pages chain by token, so there is nothing
// to overlap.
absl::StatusOr<KaKeyPage> FetchPage(KeyAdministrator& ka, const std::string& token, int page_size) {
  struct Answer {
    absl::Mutex mu;
    std::optional<absl::StatusOr<KaKeyPage>> page ABSL_GUARDED_BY(mu);
  };
  auto answer = std::make_shared<Answer>();
  ka.ListKeys(token, page_size, [answer](absl::StatusOr<KaKeyPage> page) {
    absl::MutexLock lock(&answer->mu);
    answer->page = std::move(page);
  });
  absl::MutexLock lock(&answer->mu);
  auto arrived = [&answer]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(answer->mu) { return answer->page.has_value(); };
  if (!answer->mu.AwaitWithTimeout(absl::Condition(&arrived), kStall)) {
    return absl::DeadlineExceededError(absl::StrCat("no ListKeys answer for ", absl::FormatDuration(kStall)));
  }
  return *std::move(answer->page);
}

absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> NewClient(const std::string& target,
                                                                  const KaCredentials& credentials, int max_in_flight) {
  KeyAdministratorClient::Options options;
  options.target = target;
  options.credentials = credentials;
  options.max_in_flight = max_in_flight;
  return KeyAdministratorClient::Create(options);
}

}  // namespace

double KaLoadResult::PerSecond() const { return Rate(licenses, elapsed); }

absl::StatusOr<KaLoadResult> MeasureGetKeyInfo(const std::string& target, const KaCredentials& credentials,
                                               const std::vector<std::string>& key_numbers, int max_in_flight) {
  if (key_numbers.empty()) return absl::InvalidArgumentError("no key numbers to ask KA about");
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> ka = NewClient(target, credentials, max_in_flight);
  if (!ka.ok()) return ka.status();

  const size_t window = 2 * static_cast<size_t>(max_in_flight);
  absl::Status warm = std::make_shared<KeyInfoLoad>(**ka, key_numbers, std::min(kWarmUpCalls, key_numbers.size()))
                          ->Run(window, kStall, **ka);
  if (!warm.ok()) return warm;

  auto load = std::make_shared<KeyInfoLoad>(**ka, key_numbers, key_numbers.size());
  const absl::Time start = absl::Now();
  if (absl::Status done = load->Run(window, kStall, **ka); !done.ok()) return done;
  KaLoadResult result;
  result.elapsed = absl::Now() - start;
  result.max_in_flight = max_in_flight;
  result.calls = static_cast<int64_t>(key_numbers.size());
  result.licenses = result.calls;
  result.errors = load->errors();
  result.first_error = load->first_error();
  return result;
}

absl::StatusOr<KaLoadResult> MeasureListKeys(const std::string& target, const KaCredentials& credentials,
                                             int page_size) {
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> ka = NewClient(target, credentials, 1);
  if (!ka.ok()) return ka.status();
  if (absl::StatusOr<KaKeyPage> warm = FetchPage(**ka, "", page_size); !warm.ok()) return warm.status();

  KaLoadResult result;
  result.max_in_flight = 1;
  std::string token;
  const absl::Time start = absl::Now();
  do {
    absl::StatusOr<KaKeyPage> page = FetchPage(**ka, token, page_size);
    if (!page.ok()) return page.status();
    ++result.calls;
    for (const KaKey& key : page->keys) result.licenses += key.additional ? 0 : 1;
    token = page->next_page_token;
  } while (!token.empty());
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace lss::bench
