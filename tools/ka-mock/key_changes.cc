#include "ka-mock/key_changes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/lease_term.h"

namespace ka_mock {
namespace {

absl::Status ApplyFeatureChanges(const Catalogue& catalogue,
                                 const KeyChange& change, KeyRecord& key) {
  const KeyTypeSpec& type = catalogue.key_type(key.type);
  for (const std::string& api_name : change.add_features) {
    const std::optional<FeatureId> id = catalogue.FindFeature(api_name);
    if (!id || !type.offered_features.Contains(*id)) {
      return KaError(KaCode::kNoPriceListEntry,
                     absl::StrCat("feature \"", api_name,
                                  "\" is not offered for ", type.name));
    }
    if (key.features.Contains(*id)) {
      return KaError(KaCode::kAlreadyInState,
                     absl::StrCat("the key already has ", api_name));
    }
    key.features.Add(*id);
  }
  for (const std::string& api_name : change.remove_features) {
    const std::optional<FeatureId> id = catalogue.FindFeature(api_name);
    if (!id) {
      return KaError(KaCode::kNoPriceListEntry,
                     absl::StrCat("unknown feature \"", api_name, "\""));
    }
    if (!key.features.Contains(*id)) {
      return KaError(KaCode::kAlreadyInState,
                     absl::StrCat("the key has no ", api_name));
    }
    key.features.Remove(*id);
  }
  return absl::OkStatus();
}

absl::Status ApplyKeyTypeChange(const Catalogue& catalogue,
                                absl::string_view name, KeyRecord& key) {
  const std::optional<KeyTypeId> id = catalogue.FindKeyType(name);
  if (!id) {
    return KaError(KaCode::kNoPriceListEntry,
                   absl::StrCat("unknown key type \"", name, "\""));
  }
  // A main key turned additional would have no parent, and the other way
  // round a parent it cannot have.
  if (catalogue.key_type(*id).kind != catalogue.key_type(key.type).kind) {
    return KaError(
        KaCode::kNoPriceListEntry,
        absl::StrCat(name, " is not of the key's kind (main or additional)"));
  }
  key.type = *id;
  return absl::OkStatus();
}

// The additional key that attach_additional_key_type issues: the type's
// first step, no features, the main key's billing, a fresh term.
absl::StatusOr<KeyRecord> AdditionalKeyFor(const KeyTable& table,
                                           absl::string_view type_name,
                                           uint32_t parent,
                                           const KeyRecord& parent_key,
                                           int64_t now) {
  const Catalogue& catalogue = table.catalogue();
  const std::optional<KeyTypeId> id = catalogue.FindKeyType(type_name);
  if (!id || catalogue.key_type(*id).kind != KeyKind::kAdditional) {
    return KaError(KaCode::kNoPriceListEntry,
                   absl::StrCat("no additional key type \"", type_name, "\""));
  }
  if (catalogue.key_type(parent_key.type).kind != KeyKind::kMain) {
    return absl::FailedPreconditionError(
        "additional keys attach to main keys only");
  }
  if (table.numbers_left() == 0) {
    return KaError(KaCode::kInternal, "no key numbers left to issue");
  }
  const KeyTypeSpec& type = catalogue.key_type(*id);
  KeyRecord key;
  key.type = *id;
  key.prefix = type.prefix_id;
  key.capacity = type.capacity_steps.front();
  key.billing = parent_key.billing;
  key.parent = parent;
  key.create_time = now;
  StartTerm(key, now);
  return key;
}

absl::StatusOr<KeyChangeOutcome> ApplyLocked(KeyTable& table,
                                             const KeyChange& change,
                                             int64_t now) {
  const absl::StatusOr<uint32_t> number = table.Resolve(change.key_number);
  if (!number.ok()) return number.status();

  // Check and change a copy; the table is touched only once all is valid.
  KeyRecord key = *table.Find(*number);
  if (absl::Status status = ApplyFeatureChanges(table.catalogue(), change, key);
      !status.ok()) {
    return status;
  }
  if (change.capacity < 0) {
    return absl::InvalidArgumentError("capacity must not be negative");
  }
  if (change.capacity > 0) key.capacity = change.capacity;
  if (!change.key_type.empty()) {
    absl::Status status =
        ApplyKeyTypeChange(table.catalogue(), change.key_type, key);
    if (!status.ok()) return status;
  }
  if (change.expire_time) SetExpiry(key, *change.expire_time);
  if (change.regenerate) {
    if (absl::Status status = BumpRevision(key); !status.ok()) return status;
  }
  if (change.terminate) {
    if (key.terminated) {
      return KaError(KaCode::kAlreadyInState, "the key is already terminated");
    }
    key.terminated = true;
  }
  if (change.mark_problem) {
    if (key.problem) {
      return KaError(KaCode::kAlreadyInState,
                     "the key is already marked as a problem");
    }
    key.problem = true;
  }
  std::optional<KeyRecord> attached;
  if (!change.attach_additional_key_type.empty()) {
    absl::StatusOr<KeyRecord> record = AdditionalKeyFor(
        table, change.attach_additional_key_type, *number, key, now);
    if (!record.ok()) return record.status();
    attached = *std::move(record);
  }
  uint32_t detached = 0;
  if (!change.detach_additional_key.empty()) {
    const absl::StatusOr<uint32_t> additional =
        table.Resolve(change.detach_additional_key);
    if (!additional.ok()) return additional.status();
    if (table.Find(*additional)->parent != *number) {
      return KaError(KaCode::kKeyNotFound,
                     absl::StrCat("key ", change.detach_additional_key,
                                  " is not attached to ", change.key_number));
    }
    detached = *additional;
  }

  // Commit. Nothing below can fail: numbers_left was checked above.
  *table.Find(*number) = key;
  if (change.terminate) {
    for (uint32_t additional : table.AdditionalKeysOf(*number)) {
      table.Find(additional)->terminated = true;
    }
  }
  KeyChangeOutcome outcome;
  if (attached) {
    const absl::StatusOr<uint32_t> issued = table.Issue(*attached);
    if (!issued.ok()) return issued.status();
    outcome.attached_key = table.View(*issued);
  }
  if (detached != 0) table.Erase(detached);
  if (change.erase) {
    table.Erase(*number);
  } else {
    outcome.key = table.View(*number);
  }
  return outcome;
}

}  // namespace

absl::StatusOr<KeyChangeOutcome> ApplyKeyChange(KeyStore& store,
                                                const Clock& clock,
                                                const KeyChange& change) {
  const int64_t now = absl::ToUnixSeconds(clock.Now());
  absl::StatusOr<KeyChangeOutcome> result;
  store.Write(
      [&](KeyTable& table) { result = ApplyLocked(table, change, now); });
  return result;
}

}  // namespace ka_mock
