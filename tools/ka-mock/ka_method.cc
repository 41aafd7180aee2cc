#include "ka-mock/ka_method.h"

#include <array>

namespace ka_mock {
namespace {

// Indexed by KaMethod.
constexpr std::array<absl::string_view, kKaMethodCount> kNames = {
    "GetKeyInfo", "ListKeys",   "ListKeyTypes", "GetAvailableUpgrades",
    "CreateKey",  "UpgradeKey", "RenewKey",     "TerminateKey",
};

}  // namespace

absl::string_view KaMethodName(KaMethod method) {
  return kNames[static_cast<size_t>(method)];
}

std::optional<KaMethod> KaMethodFromName(absl::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<KaMethod>(i);
  }
  return std::nullopt;
}

}  // namespace ka_mock
