#include "ka-mock/seeder.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/key_table.h"
#include "ka-mock/lease_term.h"
#include "ka-mock/split_mix64.h"

namespace ka_mock {
namespace {

constexpr int64_t kDay = 24 * 60 * 60;
constexpr int64_t kYear = 365 * kDay;

std::vector<KeyTypeId> TypesOfKind(const Catalogue& catalogue, KeyKind kind) {
  std::vector<KeyTypeId> types;
  for (size_t i = 0; i < catalogue.key_types().size(); ++i) {
    if (catalogue.key_types()[i].kind == kind) {
      types.push_back(static_cast<KeyTypeId>(i));
    }
  }
  return types;
}

// Draws one key. Every draw is made in a fixed order, so the sequence of
// keys depends on the seed alone.
KeyRecord RandomKey(SplitMix64& rng, const Catalogue& catalogue,
                    const std::vector<KeyTypeId>& types, int64_t today) {
  KeyRecord key;
  key.type = types[rng.Below(types.size())];
  const KeyTypeSpec& type = catalogue.key_type(key.type);
  key.prefix = type.prefix_id;
  key.capacity = type.capacity_steps[rng.Below(type.capacity_steps.size())];
  for (size_t id = 0; id < catalogue.features().size(); ++id) {
    const auto feature = static_cast<FeatureId>(id);
    if (type.offered_features.Contains(feature) && rng.Below(3) == 0) {
      key.features.Add(feature);
    }
  }
  key.billing =
      rng.Below(10) == 0 ? BillingType::kPurchase : BillingType::kLease;
  key.revision = static_cast<uint16_t>(1 + rng.Below(3));
  SetExpiry(key, today + kDay * static_cast<int64_t>(1 + rng.Below(365)));
  key.create_time =
      key.expire_time - kYear * static_cast<int64_t>(1 + rng.Below(3));
  return key;
}

int64_t StartOfUtcDay(absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  return absl::ToUnixSeconds(absl::FromCivil(absl::ToCivilDay(now, utc), utc));
}

}  // namespace

absl::StatusOr<SeedOutcome> SeedKeys(KeyStore& store, const Clock& clock,
                                     const SeedParams& params) {
  if (params.count < 0) {
    return absl::InvalidArgumentError("count must not be negative");
  }
  const int64_t today = StartOfUtcDay(clock.Now());
  absl::Status status;
  SeedOutcome outcome;
  store.Write([&](KeyTable& table) {
    if (params.reset) table.Clear();
    // Room for the worst case, every main key with an additional one, so
    // that a seed never stops halfway for want of numbers.
    if (static_cast<uint64_t>(params.count) * 2 > table.numbers_left()) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "cannot seed ", params.count, " keys: ", table.numbers_left(),
          " key numbers are left"));
      return;
    }
    const Catalogue& catalogue = table.catalogue();
    const std::vector<KeyTypeId> main_types =
        TypesOfKind(catalogue, KeyKind::kMain);
    const std::vector<KeyTypeId> additional_types =
        TypesOfKind(catalogue, KeyKind::kAdditional);
    SplitMix64 rng(params.seed);
    for (int64_t i = 0; i < params.count; ++i) {
      const KeyRecord main_key = RandomKey(rng, catalogue, main_types, today);
      const absl::StatusOr<uint32_t> parent = table.Issue(main_key);
      if (!parent.ok()) {
        status = parent.status();
        return;
      }
      ++outcome.main_keys_created;
      if (rng.Below(5) != 0 || additional_types.empty()) continue;
      KeyRecord additional = RandomKey(rng, catalogue, additional_types, today);
      // Sold together with its main key: one bill, one term.
      additional.billing = main_key.billing;
      additional.create_time = main_key.create_time;
      SetExpiry(additional, main_key.expire_time);
      additional.parent = *parent;
      if (const absl::StatusOr<uint32_t> issued = table.Issue(additional);
          !issued.ok()) {
        status = issued.status();
        return;
      }
      ++outcome.additional_keys_created;
    }
    outcome.total_keys = static_cast<int64_t>(table.size());
  });
  if (!status.ok()) return status;
  return outcome;
}

}  // namespace ka_mock
