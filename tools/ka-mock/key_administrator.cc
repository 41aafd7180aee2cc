#include "ka-mock/key_administrator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/lease_term.h"

namespace ka_mock {
namespace {

constexpr int kDefaultPageSize = 1000;
constexpr int kMaxPageSize = 10000;

// The page token is the last key number of the page, eight digits: paging on
// it rather than on an offset stays exact while keys come and go.
std::string EncodePageToken(uint32_t last_number) {
  return absl::StrCat(absl::Dec(last_number, absl::kZeroPad8));
}

absl::StatusOr<uint32_t> DecodePageToken(absl::string_view token) {
  uint32_t number = 0;
  if (token.size() != 8 || !absl::SimpleAtoi(token, &number)) {
    return KaError(KaCode::kMalformedKeyNumber,
                   "page token was not issued by ListKeys");
  }
  return number;
}

// KA refuses to act on a key it has closed.
absl::Status CheckActive(const KeyRecord& key, absl::string_view key_number) {
  if (key.terminated) {
    return KaError(KaCode::kKeyTerminated,
                   absl::StrCat("key ", key_number, " is terminated"));
  }
  if (key.problem) {
    return KaError(KaCode::kKeyProblem,
                   absl::StrCat("key ", key_number, " is marked as a problem"));
  }
  return absl::OkStatus();
}

std::optional<FeatureId> OfferedFeature(const Catalogue& catalogue,
                                        const KeyTypeSpec& type,
                                        absl::string_view api_name) {
  const std::optional<FeatureId> id = catalogue.FindFeature(api_name);
  if (!id || !type.offered_features.Contains(*id)) return std::nullopt;
  return id;
}

absl::Status NotOffered(const KeyTypeSpec& type, absl::string_view api_name) {
  return KaError(KaCode::kNoPriceListEntry,
                 absl::StrCat("no price-list entry for feature \"", api_name,
                              "\" on ", type.name));
}

absl::Status CapacityNotOffered(const KeyTypeSpec& type, int64_t capacity) {
  return KaError(
      KaCode::kUpgradeNotAcceptable,
      absl::StrCat("capacity ", capacity, " is not offered for ", type.name,
                   " (steps: ", absl::StrJoin(type.capacity_steps, ", "), ")"));
}

absl::StatusOr<KeyView> CreateKeyLocked(KeyTable& table,
                                        const CreateKeyParams& params,
                                        int64_t now) {
  if (!params.idempotency_key.empty()) {
    if (const KeyView* answer =
            table.FindCreateAnswer(params.idempotency_key)) {
      return *answer;
    }
  }
  const Catalogue& catalogue = table.catalogue();
  const std::optional<KeyTypeId> type_id =
      catalogue.FindKeyType(params.key_type);
  if (!type_id) {
    return KaError(KaCode::kNoPriceListEntry,
                   absl::StrCat("no price-list entry for key type \"",
                                params.key_type, "\""));
  }
  const KeyTypeSpec& type = catalogue.key_type(*type_id);

  KeyRecord key;
  key.type = *type_id;
  key.prefix = type.prefix_id;
  key.billing = params.billing;
  key.capacity =
      params.capacity == 0 ? type.capacity_steps.front() : params.capacity;
  if (!type.IsStep(key.capacity)) return CapacityNotOffered(type, key.capacity);
  for (const std::string& api_name : params.features) {
    const std::optional<FeatureId> feature =
        OfferedFeature(catalogue, type, api_name);
    if (!feature) return NotOffered(type, api_name);
    key.features.Add(*feature);
  }
  key.create_time = now;
  StartTerm(key, now);

  if (type.kind == KeyKind::kAdditional) {
    const absl::StatusOr<uint32_t> parent =
        table.Resolve(params.parent_key_number);
    if (!parent.ok()) return parent.status();
    const KeyRecord& parent_key = *table.Find(*parent);
    if (catalogue.key_type(parent_key.type).kind != KeyKind::kMain) {
      return KaError(
          KaCode::kUpgradeNotAcceptable,
          absl::StrCat(
              "key ", params.parent_key_number,
              " is an additional key: additional keys attach to main keys"));
    }
    if (absl::Status active = CheckActive(parent_key, params.parent_key_number);
        !active.ok()) {
      return active;
    }
    key.parent = *parent;
  } else if (!params.parent_key_number.empty()) {
    return KaError(
        KaCode::kUpgradeNotAcceptable,
        absl::StrCat(type.name, " is a main key type: it takes no parent key"));
  }

  const absl::StatusOr<uint32_t> number = table.Issue(key);
  if (!number.ok()) return number.status();
  KeyView answer = table.View(*number);
  if (!params.idempotency_key.empty()) {
    table.RememberCreateAnswer(params.idempotency_key, answer);
  }
  return answer;
}

absl::StatusOr<UpgradeOutcome> UpgradeKeyLocked(KeyTable& table,
                                                const UpgradeKeyParams& params,
                                                int64_t now) {
  // The first answer stands even if the key changed since: the caller is
  // retrying an upgrade that already happened.
  if (!params.idempotency_key.empty()) {
    if (const UpgradeOutcome* answer =
            table.FindUpgradeAnswer(params.idempotency_key)) {
      return *answer;
    }
  }
  const absl::StatusOr<uint32_t> number = table.Resolve(params.key_number);
  if (!number.ok()) return number.status();
  KeyRecord& key = *table.Find(*number);
  if (absl::Status active = CheckActive(key, params.key_number); !active.ok()) {
    return active;
  }

  const Catalogue& catalogue = table.catalogue();
  const KeyTypeSpec& type = catalogue.key_type(key.type);
  int64_t capacity = key.capacity;
  if (params.capacity != 0) {
    if (!type.IsStep(params.capacity)) {
      return CapacityNotOffered(type, params.capacity);
    }
    if (params.capacity <= key.capacity) {
      return KaError(
          KaCode::kUpgradeNotAcceptable,
          absl::StrCat("downgrade refused: capacity ", params.capacity,
                       " is not above the key's ", key.capacity));
    }
    capacity = params.capacity;
  }
  FeatureSet features = key.features;
  for (const std::string& api_name : params.add_features) {
    const std::optional<FeatureId> feature =
        OfferedFeature(catalogue, type, api_name);
    if (!feature) return NotOffered(type, api_name);
    if (key.features.Contains(*feature)) {
      return KaError(
          KaCode::kUpgradeNotAcceptable,
          absl::StrCat("key ", params.key_number, " already has ", api_name));
    }
    features.Add(*feature);
  }
  if (capacity == key.capacity && features == key.features) {
    return KaError(
        KaCode::kUpgradeNotAcceptable,
        "nothing to upgrade: give a higher capacity or features to add");
  }

  UpgradeOutcome outcome;
  outcome.previous_key_number = table.KeyNumberOf(*number);
  if (absl::Status bumped = BumpRevision(key); !bumped.ok()) return bumped;
  key.capacity = capacity;
  key.features = features;
  StartTerm(key, now);
  outcome.key = table.View(*number);
  if (!params.idempotency_key.empty()) {
    table.RememberUpgradeAnswer(params.idempotency_key, outcome);
  }
  return outcome;
}

}  // namespace

int64_t KeyAdministrator::NowSeconds() const {
  return absl::ToUnixSeconds(clock_.Now());
}

absl::StatusOr<KeyView> KeyAdministrator::GetKey(
    absl::string_view key_number) const {
  absl::StatusOr<KeyView> result;
  store_.Read([&](const KeyTable& table) {
    const absl::StatusOr<uint32_t> number = table.Resolve(key_number);
    if (!number.ok()) {
      result = number.status();
      return;
    }
    result = table.View(*number);
  });
  return result;
}

absl::StatusOr<KeyPage> KeyAdministrator::ListKeys(
    int page_size, absl::string_view page_token) const {
  if (page_size < 0) {
    return KaError(KaCode::kMalformedKeyNumber,
                   "page size must not be negative");
  }
  const size_t limit = static_cast<size_t>(
      page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize));
  uint32_t after = 0;
  if (!page_token.empty()) {
    const absl::StatusOr<uint32_t> decoded = DecodePageToken(page_token);
    if (!decoded.ok()) return decoded.status();
    after = *decoded;
  }
  KeyPage page;
  store_.Read([&](const KeyTable& table) {
    const std::vector<uint32_t> numbers = table.NumbersAfter(after, limit);
    page.keys.reserve(numbers.size());
    for (uint32_t number : numbers) page.keys.push_back(table.View(number));
    if (!numbers.empty() && table.HasNumbersAfter(numbers.back())) {
      page.next_page_token = EncodePageToken(numbers.back());
    }
    page.total_size = static_cast<int64_t>(table.size());
  });
  return page;
}

absl::StatusOr<UpgradeOptions> KeyAdministrator::GetAvailableUpgrades(
    absl::string_view key_number) const {
  absl::StatusOr<UpgradeOptions> result;
  store_.Read([&](const KeyTable& table) {
    const absl::StatusOr<uint32_t> number = table.Resolve(key_number);
    if (!number.ok()) {
      result = number.status();
      return;
    }
    const KeyRecord& key = *table.Find(*number);
    if (key.terminated) {
      result = KaError(KaCode::kKeyTerminated,
                       absl::StrCat("key ", key_number, " is terminated"));
      return;
    }
    UpgradeOptions options;
    options.key_number = table.KeyNumberOf(*number);
    options.type = &table.catalogue().key_type(key.type);
    options.current_capacity = key.capacity;
    const std::vector<int64_t>& steps = options.type->capacity_steps;
    options.capacity_steps.assign(
        std::upper_bound(steps.begin(), steps.end(), key.capacity),
        steps.end());
    options.features = options.type->offered_features.Minus(key.features);
    result = std::move(options);
  });
  return result;
}

absl::StatusOr<KeyView> KeyAdministrator::CreateKey(
    const CreateKeyParams& params) {
  const int64_t now = NowSeconds();
  absl::StatusOr<KeyView> result;
  store_.Write(
      [&](KeyTable& table) { result = CreateKeyLocked(table, params, now); });
  return result;
}

absl::StatusOr<UpgradeOutcome> KeyAdministrator::UpgradeKey(
    const UpgradeKeyParams& params) {
  const int64_t now = NowSeconds();
  absl::StatusOr<UpgradeOutcome> result;
  store_.Write(
      [&](KeyTable& table) { result = UpgradeKeyLocked(table, params, now); });
  return result;
}

absl::StatusOr<KeyView> KeyAdministrator::RenewKey(
    absl::string_view key_number) {
  absl::StatusOr<KeyView> result;
  store_.Write([&](KeyTable& table) {
    const absl::StatusOr<uint32_t> number = table.Resolve(key_number);
    if (!number.ok()) {
      result = number.status();
      return;
    }
    KeyRecord& key = *table.Find(*number);
    if (absl::Status active = CheckActive(key, key_number); !active.ok()) {
      result = std::move(active);
      return;
    }
    RenewTerm(key);
    result = table.View(*number);
  });
  return result;
}

absl::StatusOr<KeyView> KeyAdministrator::TerminateKey(
    absl::string_view key_number) {
  absl::StatusOr<KeyView> result;
  store_.Write([&](KeyTable& table) {
    const absl::StatusOr<uint32_t> number = table.Resolve(key_number);
    if (!number.ok()) {
      result = number.status();
      return;
    }
    KeyRecord& key = *table.Find(*number);
    if (key.terminated) {
      result =
          KaError(KaCode::kAlreadyInState,
                  absl::StrCat("key ", key_number, " is already terminated"));
      return;
    }
    key.terminated = true;
    for (uint32_t additional : table.AdditionalKeysOf(*number)) {
      table.Find(additional)->terminated = true;
    }
    result = table.View(*number);
  });
  return result;
}

}  // namespace ka_mock
