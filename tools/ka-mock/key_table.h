#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ka-mock/catalogue.h"

namespace ka_mock {

enum class BillingType : uint8_t { kLease, kPurchase };

// A key as the mock stores it. Small and flat (no strings, no heap) because
// a benchmark holds a million of them: names are catalogue indexes, dates
// Unix seconds. Its 8-digit number is the KeyTable's map key.
struct KeyRecord {
  int64_t capacity = 0;
  int64_t create_time = 0;
  int64_t update_due_time = 0;
  int64_t expire_time = 0;
  FeatureSet features;
  // The main key's number, for an additional key; 0 (never issued) otherwise.
  uint32_t parent = 0;
  uint16_t revision = 1;
  KeyTypeId type = 0;
  // Apart from `type` because KA keeps a key's number, prefix included, when
  // it changes the key's type.
  PrefixId prefix = 0;
  BillingType billing = BillingType::kLease;
  bool terminated = false;
  bool problem = false;
};

// Bumps the revision of `key`, as KA does when it upgrades or regenerates a
// key. KA code 287 once the four digits are used up; `key` is then unchanged.
absl::Status BumpRevision(KeyRecord& key);

struct AdditionalKeyView {
  std::string key_number;
  const KeyTypeSpec* type = nullptr;
};

// A key as answers show it: a self-contained snapshot, so that an answer
// built after the lock is released, or replayed for an idempotency key, shows
// the key exactly as it was.
struct KeyView {
  std::string key_number;
  const KeyTypeSpec* type = nullptr;  // its kind is the key's kind
  std::string parent_key_number;      // empty for a main key
  int64_t capacity = 0;
  FeatureSet features;
  BillingType billing = BillingType::kLease;
  int64_t create_time = 0;
  int64_t update_due_time = 0;
  int64_t expire_time = 0;
  bool terminated = false;
  bool problem = false;
  std::vector<AdditionalKeyView> additional_keys;  // ordered by key_number
};

// The answer of an UpgradeKey, kept for idempotent replays.
struct UpgradeOutcome {
  KeyView key;
  std::string previous_key_number;
};

// The mock's whole state: every key by number, which additional keys hang on
// which main key, the next number to issue, and the answers remembered per
// idempotency key. Every operation is O(log n) or better: nothing here scans
// all keys. The invariant it keeps: an additional key's parent exists.
//
// Not thread-safe: KeyStore serialises access. KeyRecord pointers returned
// by Find stay valid until the next Issue, Erase or Clear.
class KeyTable {
 public:
  explicit KeyTable(const Catalogue& catalogue);

  const Catalogue& catalogue() const { return catalogue_; }

  // The number of the key that `key_number` names: same prefix and number,
  // and a revision no newer than the key's (an older one finds it, as at
  // KA). Codes 410 (malformed) and 220 (no such key).
  absl::StatusOr<uint32_t> Resolve(absl::string_view key_number) const;

  KeyRecord* Find(uint32_t number);
  const KeyRecord* Find(uint32_t number) const;

  // Stores `record` under the next number (one counter for every prefix)
  // and attaches it to record.parent when that is set. KA code 300 once the
  // eight digits are used up.
  absl::StatusOr<uint32_t> Issue(const KeyRecord& record);
  size_t numbers_left() const;

  // Removes a key together with its additional keys, and detaches it from
  // its parent. No-op for an unknown number.
  void Erase(uint32_t number);

  // Numbers of the additional keys attached to `parent`, ascending.
  std::vector<uint32_t> AdditionalKeysOf(uint32_t parent) const;

  // Requires that `number` exists.
  std::string KeyNumberOf(uint32_t number) const;
  KeyView View(uint32_t number) const;

  // Up to `limit` key numbers above `after`, ascending: ListKeys's paging.
  std::vector<uint32_t> NumbersAfter(uint32_t after, size_t limit) const;
  bool HasNumbersAfter(uint32_t after) const;
  size_t size() const { return keys_.size(); }

  // Idempotency records, one namespace per method. Pointers stay valid until
  // the next Remember* or Clear.
  const KeyView* FindCreateAnswer(absl::string_view idempotency_key) const;
  void RememberCreateAnswer(std::string idempotency_key, KeyView answer);
  const UpgradeOutcome* FindUpgradeAnswer(
      absl::string_view idempotency_key) const;
  void RememberUpgradeAnswer(std::string idempotency_key,
                             UpgradeOutcome answer);

  // Forgets every key and idempotency record; numbering starts over, so
  // that a seed after a reset gives the same key numbers again.
  void Clear();

 private:
  const Catalogue& catalogue_;
  // B-trees rather than std::map: no node per key, which matters at a
  // million keys, and keys are issued in ascending order, which B-trees
  // append cheaply.
  absl::btree_map<uint32_t, KeyRecord> keys_;
  // (main key, additional key) pairs: the few attachments are kept apart
  // rather than as a list in every record.
  absl::btree_set<std::pair<uint32_t, uint32_t>> attachments_;
  uint32_t next_number_;
  absl::flat_hash_map<std::string, KeyView> create_answers_;
  absl::flat_hash_map<std::string, UpgradeOutcome> upgrade_answers_;
};

}  // namespace ka_mock
