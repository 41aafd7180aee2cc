// What `licensectl upgrade` is asked to do, read from its options and
// arguments before any call: which session (a new one for a license, or one
// to resume), the configuration the flags give, and whether to ask the
// operator or to place without asking. Pure, so that every combination of
// flags is tested without a server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "licensectl/command_line.h"
#include "licensectl/license_selector.h"

namespace licensectl {

struct UpgradePlan {
  // A new session for this license; unset when resuming.
  absl::optional<LicenseSelector> license;
  // The session to continue (--resume); empty for a new one.
  std::string resume_id;

  // The flags give the configuration (--capacity, --add-feature,
  // --features, --adopt): ConfigureUpgrade with `capacity` (0 keeps KA's)
  // and `add_features`; both empty is --adopt, taking KA's configuration as
  // it is.
  bool configure = false;
  int64_t capacity = 0;
  std::vector<std::string> add_features;

  // Place the order without asking (--yes).
  bool yes = false;
  // Cancel the resumed session (--cancel).
  bool cancel = false;
  // Ask the operator: the configuration when the flags give none, and
  // whether to place the order unless --yes.
  bool interactive = false;
};

// The plan from the command line. `json` is the global --json, which never
// asks; `input_is_terminal` makes the wizard interactive without
// --interactive. INVALID_ARGUMENT with a message for the operator when the
// flags contradict each other or leave the wizard with nothing to do.
absl::StatusOr<UpgradePlan> ParseUpgradePlan(const OptionValues& options, const std::vector<std::string>& arguments,
                                             bool json, bool input_is_terminal);

}  // namespace licensectl
