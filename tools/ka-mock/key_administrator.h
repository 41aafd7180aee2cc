#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/clock.h"
#include "ka-mock/key_store.h"
#include "ka-mock/key_table.h"

namespace ka_mock {

struct CreateKeyParams {
  std::string key_type;
  int64_t capacity = 0;  // 0: the type's first step
  std::vector<std::string> features;
  BillingType billing = BillingType::kLease;
  std::string parent_key_number;  // required for an additional key type
  std::string idempotency_key;    // empty: not idempotent
};

struct UpgradeKeyParams {
  std::string key_number;
  int64_t capacity = 0;  // 0: keep
  std::vector<std::string> add_features;
  std::string idempotency_key;  // empty: not idempotent
};

// What GetAvailableUpgrades offers one key.
struct UpgradeOptions {
  std::string key_number;
  const KeyTypeSpec* type = nullptr;
  int64_t current_capacity = 0;
  std::vector<int64_t>
      capacity_steps;   // the type's steps above the current capacity
  FeatureSet features;  // offered for the type, lacking on the key
};

struct KeyPage {
  std::vector<KeyView> keys;
  std::string next_page_token;  // empty on the last page
  int64_t total_size = 0;
};

// KA's partner API as rules over the key store: what each call checks, in
// which order, with which KA code it refuses, and what it changes. Knows
// nothing of gRPC; errors are KaError statuses.
//
// Thread-safe: all state is in the KeyStore, and each call is one critical
// section there.
class KeyAdministrator {
 public:
  KeyAdministrator(KeyStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  // Codes 410, 220.
  absl::StatusOr<KeyView> GetKey(absl::string_view key_number) const;

  // Keys in number order. `page_size` 0 means 1000 and is capped at 10000;
  // the page token is opaque to callers. A bad page token or a negative page
  // size is code 410, KA's code for a malformed request.
  absl::StatusOr<KeyPage> ListKeys(int page_size,
                                   absl::string_view page_token) const;

  // Codes 410, 220, 222.
  absl::StatusOr<UpgradeOptions> GetAvailableUpgrades(
      absl::string_view key_number) const;

  // Codes 260 (unknown type or feature not offered), 266 (capacity not a
  // step, or a parent given for a main type or naming an additional key),
  // and for the parent of an additional key 410, 220, 222, 221.
  absl::StatusOr<KeyView> CreateKey(const CreateKeyParams& params);

  // Codes 410, 220, 222, 221, 260 (feature not offered), 266 (downgrade,
  // capacity not a step, feature already present, nothing to change).
  absl::StatusOr<UpgradeOutcome> UpgradeKey(const UpgradeKeyParams& params);

  // Codes 410, 220, 222, 221.
  absl::StatusOr<KeyView> RenewKey(absl::string_view key_number);

  // Terminates the key and its additional keys. Codes 410, 220, 110.
  absl::StatusOr<KeyView> TerminateKey(absl::string_view key_number);

 private:
  int64_t NowSeconds() const;

  KeyStore& store_;
  const Clock& clock_;
};

}  // namespace ka_mock
