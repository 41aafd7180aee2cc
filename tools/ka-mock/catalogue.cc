#include "ka-mock/catalogue.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace ka_mock {
namespace {

struct KeyTypeDefinition {
  const char* name;
  const char* display_name;
  const char* key_prefix;
  KeyKind kind;
  const char* capacity_unit;
  std::vector<int64_t> capacity_steps;
  std::vector<const char*> features;  // api names
};

// Ordered by api_name, as FeatureSet requires.
std::vector<FeatureSpec> FeatureDefinitions() {
  return {
      {"BACKUP_CLOUD", "Cloud Backup"},
      {"BACKUP_STORAGE", "Backup Storage"},
      {"CAGEFS", "CageFS"},
      {"DEVELOPER_PACK", "Developer Pack"},
      {"HA_CLUSTER", "High-Availability Cluster"},
      {"KERNELCARE", "KernelCare Live Patching"},
      {"LANGUAGE_PACK", "Language Pack"},
      {"LIVE_MIGRATION", "Live Migration"},
      {"MAIL_SCAN", "Mail Scanning"},
      {"MYSQL_GOVERNOR", "MySQL Governor"},
      {"POWER_PACK", "Power Pack"},
      {"PROACTIVE_DEFENSE", "Proactive Defense"},
      {"UNLIMITED_DOMAINS", "Unlimited Domains"},
      {"UNLIMITED_MAIL", "Unlimited Mail Accounts"},
      {"WORDPRESS_TOOLKIT", "WordPress Toolkit"},
  };
}

std::vector<KeyTypeDefinition> KeyTypeDefinitions() {
  return {
      {"PLESK_WEB_ADMIN",
       "Plesk Web Admin Edition",
       "PLSK",
       KeyKind::kMain,
       "domains",
       {10, 30},
       {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK"}},
      {"PLESK_WEB_PRO",
       "Plesk Web Pro Edition",
       "PLSK",
       KeyKind::kMain,
       "domains",
       {30, 100, 300},
       {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK",
        "DEVELOPER_PACK", "UNLIMITED_MAIL"}},
      {"PLESK_WEB_HOST",
       "Plesk Web Host Edition",
       "PLSK",
       KeyKind::kMain,
       "domains",
       {100, 300, 1000, 10000},
       {"LANGUAGE_PACK", "WORDPRESS_TOOLKIT", "BACKUP_CLOUD", "POWER_PACK",
        "DEVELOPER_PACK", "UNLIMITED_MAIL", "UNLIMITED_DOMAINS"}},
      {"VIRTUOZZO",
       "Virtuozzo Hybrid Server",
       "VZ",
       KeyKind::kMain,
       "containers",
       {5, 10, 25, 50, 100},
       {"HA_CLUSTER", "BACKUP_STORAGE", "LIVE_MIGRATION"}},
      {"CLOUDLINUX",
       "CloudLinux OS",
       "CLN",
       KeyKind::kMain,
       "cpus",
       {1, 2, 4, 8, 16, 32},
       {"KERNELCARE", "CAGEFS", "MYSQL_GOVERNOR"}},
      {"KASPERSKY_ANTIVIRUS",
       "Kaspersky Anti-Virus",
       "KAV",
       KeyKind::kAdditional,
       "domains",
       {10, 100, 1000},
       {"MAIL_SCAN"}},
      {"IMUNIFY360",
       "Imunify360",
       "EXT",
       KeyKind::kAdditional,
       "domains",
       {30, 250, 1000},
       {"PROACTIVE_DEFENSE"}},
  };
}

// The tables above are code, so a mistake in them is a bug: stop at once
// rather than serve a broken price list.
void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "ka-mock: broken catalogue: %s\n", what);
  std::abort();
}

}  // namespace

bool KeyTypeSpec::IsStep(int64_t capacity) const {
  return std::binary_search(capacity_steps.begin(), capacity_steps.end(),
                            capacity);
}

Catalogue::Catalogue() : features_(FeatureDefinitions()) {
  Require(features_.size() <= FeatureSet::kMaxFeatures,
          "more features than a FeatureSet holds");
  Require(std::is_sorted(features_.begin(), features_.end(),
                         [](const FeatureSpec& a, const FeatureSpec& b) {
                           return a.api_name < b.api_name;
                         }),
          "features not ordered by api_name");
  for (const KeyTypeDefinition& definition : KeyTypeDefinitions()) {
    KeyTypeSpec& type = key_types_.emplace_back();
    type.name = definition.name;
    type.display_name = definition.display_name;
    type.key_prefix = definition.key_prefix;
    type.kind = definition.kind;
    type.capacity_unit = definition.capacity_unit;
    type.capacity_steps = definition.capacity_steps;
    Require(!type.capacity_steps.empty() && type.capacity_steps.front() > 0 &&
                std::is_sorted(type.capacity_steps.begin(),
                               type.capacity_steps.end()),
            "capacity steps must be positive and ascending");
    for (const char* api_name : definition.features) {
      const std::optional<FeatureId> id = FindFeature(api_name);
      Require(id.has_value(), "a key type offers an undefined feature");
      type.offered_features.Add(*id);
    }
    auto prefix =
        std::find(prefixes_.begin(), prefixes_.end(), type.key_prefix);
    if (prefix == prefixes_.end()) {
      prefix = prefixes_.insert(prefixes_.end(), type.key_prefix);
    }
    type.prefix_id = static_cast<PrefixId>(prefix - prefixes_.begin());
  }
}

const Catalogue& Catalogue::Default() {
  static const Catalogue* const catalogue = new Catalogue();
  return *catalogue;
}

std::optional<KeyTypeId> Catalogue::FindKeyType(absl::string_view name) const {
  for (size_t i = 0; i < key_types_.size(); ++i) {
    if (key_types_[i].name == name) return static_cast<KeyTypeId>(i);
  }
  return std::nullopt;
}

std::optional<FeatureId> Catalogue::FindFeature(
    absl::string_view api_name) const {
  for (size_t i = 0; i < features_.size(); ++i) {
    if (features_[i].api_name == api_name) return static_cast<FeatureId>(i);
  }
  return std::nullopt;
}

}  // namespace ka_mock
