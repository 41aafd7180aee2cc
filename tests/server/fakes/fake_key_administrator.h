// A KeyAdministrator for domain unit tests: answers from a map of keys, at
// once, on the caller's thread, or with the error a test sets. Only the
// calls the domain's unit tests need are answered; the others fail
// UNIMPLEMENTED. The real KA behaviour is tested against ka-mock in
// tests/integration. Thread-safe.
#pragma once

#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "client/key_administrator.h"
#include "common/key_number.h"
#include "common/status/error_details.h"

namespace lss::testing {

class FakeKeyAdministrator final : public KeyAdministrator {
 public:
  // Stores `key` under its key base (PREFIX.NNNNNNNN).
  void Put(const KaKey& key) {
    absl::MutexLock lock(&mu_);
    keys_[ParseKeyNumber(key.key_number)->Base()] = key;
  }
  // Every call fails with `error` until it is OK again.
  void FailWith(absl::Status error) {
    absl::MutexLock lock(&mu_);
    error_ = std::move(error);
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  void GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) override {
    absl::StatusOr<KaKey> answer = Find(key_number);
    std::move(done)(std::move(answer));
  }
  void ListKeys(absl::string_view, int, KaCallback<KaKeyPage> done) override { Unimplemented(std::move(done)); }
  void ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) override { Unimplemented(std::move(done)); }
  void GetAvailableUpgrades(absl::string_view, KaCallback<KaUpgradeOptions> done) override {
    Unimplemented(std::move(done));
  }
  void CreateKey(const KaCreateKeyRequest&, KaCallback<KaKey> done) override { Unimplemented(std::move(done)); }
  void UpgradeKey(const KaUpgradeKeyRequest&, KaCallback<KaUpgradeResult> done) override {
    Unimplemented(std::move(done));
  }
  void RenewKey(absl::string_view, KaCallback<KaKey> done) override { Unimplemented(std::move(done)); }
  void TerminateKey(absl::string_view, KaCallback<KaKey> done) override { Unimplemented(std::move(done)); }

 private:
  absl::StatusOr<KaKey> Find(absl::string_view key_number) {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (!error_.ok()) return error_;
    absl::StatusOr<KeyNumber> parsed = ParseKeyNumber(key_number);
    if (!parsed.ok()) return parsed.status();
    auto it = keys_.find(parsed->Base());
    if (it == keys_.end()) {
      return WithReason(absl::NotFoundError(absl::StrCat("KA: key ", key_number, " not found (KA code 220)")),
                        kReasonKaKeyNotFound);
    }
    return it->second;
  }
  template <typename T>
  void Unimplemented(KaCallback<T> done) {
    std::move(done)(absl::UnimplementedError("not answered by FakeKeyAdministrator"));
  }

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, KaKey> keys_ ABSL_GUARDED_BY(mu_);
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lss::testing
