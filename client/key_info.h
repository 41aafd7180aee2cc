// The Key Administrator's data as the domain sees it.
//
// Plain value types translated from keyadmin.v1 messages by
// client/key_info_conversion.h, so that the sync engine, the upgrade flow and
// their tests never see KA's wire types: KA's API has changed shape before
// (XML-RPC, then REST), and only the client should care when it does again.
// Copy them freely between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace lss {

// A feature that a key has or that may be added to it.
struct KaFeature {
  std::string api_name;      // stable, e.g. "UNLIMITED_DOMAINS"; what sync compares
  std::string display_name;  // for people, e.g. "Unlimited domains"

  bool operator==(const KaFeature&) const = default;
};

// An additional key attached to a main key.
struct KaAdditionalKey {
  std::string key_number;  // e.g. "KAV.00005821.0001"
  std::string key_type;    // e.g. "KASPERSKY_ANTIVIRUS"

  bool operator==(const KaAdditionalKey&) const = default;
};

// How a key is paid for. KA's "unspecified" reads as a lease, as KA treats it.
enum class KaBillingType { kLease, kPurchase };

// A license key as KA holds it.
struct KaKey {
  // PREFIX.NNNNNNNN.RRRR; the revision changes when KA upgrades or regenerates.
  std::string key_number;
  std::string key_type;  // the license class
  bool additional = false;
  std::string parent_key_number;    // set only for an additional key
  int64_t capacity = 0;             // in the unit of the key type
  std::vector<KaFeature> features;  // sorted by api_name
  KaBillingType billing_type = KaBillingType::kLease;
  // An unset KA timestamp reads as the Unix epoch (proto3's zero value).
  absl::Time create_time;
  absl::Time update_due_time;  // about ten days before expire_time
  absl::Time expire_time;
  bool terminated = false;
  bool problem = false;
  std::vector<KaAdditionalKey> additional_keys;  // sorted by key_number

  bool operator==(const KaKey&) const = default;
};

// One entry of KA's catalogue of key types (license classes).
struct KaKeyType {
  std::string name;                     // e.g. "PLESK_WEB_PRO"
  std::string display_name;             // e.g. "Plesk Web Pro Edition"
  std::string key_prefix;               // e.g. "PLSK"
  bool additional = false;              // an add-on type, attached to a main key
  std::string capacity_unit;            // "domains", "containers" or "cpus"
  std::vector<int64_t> capacity_steps;  // orderable capacities, ascending
  int64_t max_capacity = 0;
  std::vector<KaFeature> features;  // may be added; sorted by api_name

  bool operator==(const KaKeyType&) const = default;
};

// One page of ListKeys.
struct KaKeyPage {
  std::vector<KaKey> keys;      // in key-number order
  std::string next_page_token;  // empty on the last page
  int64_t total_size = 0;       // keys in the whole account

  bool operator==(const KaKeyPage&) const = default;
};

// The upgrade plans open to one key.
struct KaUpgradeOptions {
  std::string key_number;  // the current key number
  std::string key_type;
  int64_t current_capacity = 0;
  std::vector<int64_t> capacity_steps;  // above the current one, ascending
  int64_t max_capacity = 0;
  std::vector<KaFeature> features;  // offered and not yet on the key; sorted

  bool operator==(const KaUpgradeOptions&) const = default;
};

// What CreateKey asks KA for.
struct KaCreateKeyRequest {
  std::string key_type;
  int64_t capacity = 0;               // one of the type's capacity steps
  std::vector<std::string> features;  // API names
  KaBillingType billing_type = KaBillingType::kLease;
  std::string parent_key_number;  // for an additional key type only
  // Repeating it returns KA's first answer, so a retry never issues a second
  // key. Without one the client retries only KA's explicit "retry later".
  std::string idempotency_key;
};

// What UpgradeKey asks KA for.
struct KaUpgradeKeyRequest {
  std::string key_number;                 // with or without revision
  int64_t capacity = 0;                   // a step above the current; 0 keeps it
  std::vector<std::string> add_features;  // API names
  // As for KaCreateKeyRequest.
  std::string idempotency_key;
};

// KA's answer to UpgradeKey.
struct KaUpgradeResult {
  KaKey key;                        // under its new key number
  std::string previous_key_number;  // the key number before the upgrade

  bool operator==(const KaUpgradeResult&) const = default;
};

}  // namespace lss
