// How an operator names one license on the command line: `--id N`,
// `--key KEY_NUMBER`, or one argument that is a License ID when it is all
// digits and a Key Number otherwise. Every command about one license (get,
// sync; later history, terminate, upgrade) takes it the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "licensectl/command_line.h"

namespace licensectl {

// The options behind the selector, for a command's option table.
inline constexpr OptionSpec kLicenseIdOption = {"id", "N", "the license's License ID"};
inline constexpr OptionSpec kKeyNumberOption = {
    "key", "KEY_NUMBER", "the license's Key Number, with or without revision"};

// One license, by License ID or by Key Number.
struct LicenseSelector {
  enum class By { kLicenseId, kKeyNumber };
  By by = By::kLicenseId;
  int64_t license_id = 0;
  std::string key_number;

  // Names the license in any request with the `license` oneof of
  // license_id and key_number (GetLicenseRequest, SyncLicenseRequest, ...).
  template <typename Request>
  void ApplyTo(Request& request) const {
    if (by == By::kLicenseId) {
      request.set_license_id(license_id);
    } else {
      request.set_key_number(key_number);
    }
  }
};

// One positional word: all digits is a License ID, anything else a Key
// Number (a key number always has its letter prefix; --key forces a key
// number). INVALID_ARGUMENT for an empty word or an ID out of range.
absl::StatusOr<LicenseSelector> ClassifyLicenseArgument(absl::string_view word);

// The selector from a command's options (--id, --key) and arguments:
// exactly one of the three must name the license. INVALID_ARGUMENT, with a
// message for the operator, otherwise.
absl::StatusOr<LicenseSelector> SelectLicense(const OptionValues& options,
                                              const std::vector<std::string>& arguments);

}  // namespace licensectl
