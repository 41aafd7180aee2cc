#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ka_mock {

// Indexes into the catalogue's tables. Keys store these instead of strings:
// a benchmark holds a million keys.
using FeatureId = uint8_t;  // into Catalogue::features()
using KeyTypeId = uint8_t;  // into Catalogue::key_types()
using PrefixId = uint8_t;   // into Catalogue::prefixes()

// A set of features as a bit mask over Catalogue::features(): eight bytes per
// key. The catalogue orders its features by api_name, so walking the ids in
// ascending order yields them in the order KA answers with.
class FeatureSet {
 public:
  static constexpr int kMaxFeatures = 64;

  bool Contains(FeatureId id) const { return (bits_ >> id) & 1u; }
  void Add(FeatureId id) { bits_ |= uint64_t{1} << id; }
  void Remove(FeatureId id) { bits_ &= ~(uint64_t{1} << id); }
  bool empty() const { return bits_ == 0; }
  // The members of this set that `other` lacks.
  FeatureSet Minus(FeatureSet other) const {
    return FeatureSet(bits_ & ~other.bits_);
  }

  friend bool operator==(const FeatureSet&, const FeatureSet&) = default;

  FeatureSet() = default;

 private:
  explicit FeatureSet(uint64_t bits) : bits_(bits) {}
  uint64_t bits_ = 0;
};

enum class KeyKind : uint8_t { kMain, kAdditional };

struct FeatureSpec {
  std::string api_name;      // e.g. "WORDPRESS_TOOLKIT"
  std::string display_name;  // e.g. "WordPress Toolkit"
};

// One entry of KA's price list: what may be ordered for keys of one type.
struct KeyTypeSpec {
  std::string name;          // e.g. "PLESK_WEB_PRO"
  std::string display_name;  // e.g. "Plesk Web Pro Edition"
  std::string key_prefix;    // e.g. "PLSK"
  PrefixId prefix_id = 0;
  KeyKind kind = KeyKind::kMain;
  std::string capacity_unit;            // "domains", "containers" or "cpus"
  std::vector<int64_t> capacity_steps;  // ascending, never empty
  FeatureSet offered_features;

  int64_t max_capacity() const { return capacity_steps.back(); }
  bool IsStep(int64_t capacity) const;
};

// KA's catalogue: the key types with their capacity steps and the features
// that may be added to each. Immutable once built, so safe to share between
// threads without locking.
class Catalogue {
 public:
  // The catalogue ka-mock serves: three Plesk editions, Virtuozzo and
  // CloudLinux as main key types; Kaspersky Anti-Virus and Imunify360 as
  // additional ones.
  static const Catalogue& Default();

  absl::Span<const KeyTypeSpec> key_types() const { return key_types_; }
  const KeyTypeSpec& key_type(KeyTypeId id) const { return key_types_[id]; }
  // Ordered by api_name; a FeatureId indexes this.
  absl::Span<const FeatureSpec> features() const { return features_; }
  const FeatureSpec& feature(FeatureId id) const { return features_[id]; }
  absl::Span<const std::string> prefixes() const { return prefixes_; }

  // Linear scans: the catalogue has a handful of entries.
  std::optional<KeyTypeId> FindKeyType(absl::string_view name) const;
  std::optional<FeatureId> FindFeature(absl::string_view api_name) const;

 private:
  Catalogue();

  std::vector<FeatureSpec> features_;
  std::vector<KeyTypeSpec> key_types_;
  std::vector<std::string> prefixes_;
};

}  // namespace ka_mock
