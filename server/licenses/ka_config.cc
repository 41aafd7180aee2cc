#include "server/licenses/ka_config.h"

#include <algorithm>

namespace lss {

LicenseConfig ConfigFromKa(const KaKey& key) {
  LicenseConfig config;
  config.key_number = key.key_number;
  config.license_class = key.key_type;
  config.capacity = key.capacity;
  for (const KaFeature& f : key.features) config.features.push_back(f.api_name);
  std::sort(config.features.begin(), config.features.end());
  config.features.erase(std::unique(config.features.begin(), config.features.end()), config.features.end());
  for (const KaAdditionalKey& k : key.additional_keys) {
    config.additional_keys.push_back(AdditionalKey{k.key_number, k.key_type});
  }
  std::sort(config.additional_keys.begin(), config.additional_keys.end(),
            [](const AdditionalKey& a, const AdditionalKey& b) { return a.key_number < b.key_number; });
  config.renewal_due_time = key.update_due_time;
  config.expire_time = key.expire_time;
  return config;
}

}  // namespace lss
