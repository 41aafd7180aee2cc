#pragma once

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace ka_mock {

// The KeyAdministratorService methods: what the mock counts calls of and
// aims faults at.
enum class KaMethod : uint8_t {
  kGetKeyInfo,
  kListKeys,
  kListKeyTypes,
  kGetAvailableUpgrades,
  kCreateKey,
  kUpgradeKey,
  kRenewKey,
  kTerminateKey,
};
inline constexpr int kKaMethodCount = 8;

// The method's name in the proto, e.g. "UpgradeKey".
absl::string_view KaMethodName(KaMethod method);
std::optional<KaMethod> KaMethodFromName(absl::string_view name);

}  // namespace ka_mock
