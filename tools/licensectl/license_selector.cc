#include "licensectl/license_selector.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace licensectl {
namespace {

bool AllDigits(absl::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// License IDs are positive int64s.
absl::StatusOr<LicenseSelector> ById(absl::string_view text) {
  LicenseSelector selector;
  selector.by = LicenseSelector::By::kLicenseId;
  if (!AllDigits(text) || !absl::SimpleAtoi(text, &selector.license_id) ||
      selector.license_id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("a License ID is a whole number from 1 up, got '", text, "'"));
  }
  return selector;
}

absl::StatusOr<LicenseSelector> ByKey(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("the Key Number is empty");
  LicenseSelector selector;
  selector.by = LicenseSelector::By::kKeyNumber;
  selector.key_number = std::string(text);
  return selector;
}

}  // namespace

absl::StatusOr<LicenseSelector> ClassifyLicenseArgument(absl::string_view word) {
  return AllDigits(word) ? ById(word) : ByKey(word);
}

absl::StatusOr<LicenseSelector> SelectLicense(const OptionValues& options,
                                              const std::vector<std::string>& arguments) {
  const absl::optional<std::string> id = options.Get(kLicenseIdOption.name);
  const absl::optional<std::string> key = options.Get(kKeyNumberOption.name);
  const size_t ways = (id.has_value() ? 1 : 0) + (key.has_value() ? 1 : 0) + arguments.size();
  if (ways == 0) {
    return absl::InvalidArgumentError("which license? Give an ID or a KEY_NUMBER");
  }
  if (ways > 1) {
    return absl::InvalidArgumentError(
        "name one license, once: an ID, a KEY_NUMBER, --id or --key");
  }
  if (id.has_value()) {
    absl::StatusOr<LicenseSelector> selector = ById(*id);
    if (!selector.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--id: ", selector.status().message()));
    }
    return selector;
  }
  if (key.has_value()) return ByKey(*key);
  return ClassifyLicenseArgument(arguments.front());
}

}  // namespace licensectl
