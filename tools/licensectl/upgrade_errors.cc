#include "licensectl/upgrade_errors.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "licensectl/rpc_errors.h"

namespace licensectl {
namespace {

std::string Hint(absl::string_view text) { return absl::StrCat("  hint: ", text, "\n"); }

std::string OfferedCapacities(const licensing::v1::Upgrade& session) {
  const auto& steps = session.options().capacity_steps();
  if (steps.empty()) return "no capacity steps are offered for this license";
  return absl::StrCat("the capacities offered are ", absl::StrJoin(steps, ", "),
                      session.options().capacity_unit().empty() ? "" : " ", session.options().capacity_unit());
}

std::string OfferedFeatures(const licensing::v1::Upgrade& session) {
  std::vector<std::string> names;
  for (const auto& feature : session.options().features()) names.push_back(feature.api_name());
  if (names.empty()) return "no features are offered for this license";
  return absl::StrCat("the features offered are ", absl::StrJoin(names, ", "));
}

}  // namespace

std::string UpgradeErrorHint(const grpc::Status& status, const licensing::v1::Upgrade* session) {
  const std::string reason = DecodeErrorDetails(status).reason;
  const std::string resume =
      session != nullptr ? absl::StrCat("licensectl upgrade --resume ", session->upgrade_id()) : "";
  if (reason == "DOWNGRADE_REFUSED") {
    return Hint("an upgrade only goes up; to go lower, terminate the license and order a smaller one");
  }
  if (reason == "CAPACITY_NOT_OFFERED" && session != nullptr) return Hint(OfferedCapacities(*session));
  if (reason == "FEATURE_NOT_OFFERED" && session != nullptr) {
    return Hint(absl::StrCat(OfferedFeatures(*session), " (a feature the license has is not offered again)"));
  }
  if (reason == "UPGRADE_NO_CHANGE") {
    return Hint("billing and KA already agree on this configuration: ask for a larger capacity or a feature");
  }
  if (reason == "KEY_NOT_UPGRADABLE") {
    return Hint("KA cannot upgrade this key (terminated, unknown or marked as a problem there); "
                "'licensectl sync' shows what KA holds");
  }
  if (reason == "LICENSE_NOT_ACTIVE") {
    return Hint("only an ACTIVE license can be upgraded; 'licensectl get' shows its state");
  }
  if (reason == "UPGRADE_ORDER_PLACING") {
    return Hint("an order for this license is being placed; 'licensectl upgrades --state placing' finds it, "
                "and 'licensectl upgrade --resume UPGRADE_ID --yes' completes it");
  }
  if (reason == "UPGRADE_LICENSE_CHANGED") {
    return Hint("the license changed since the session started; start a new upgrade");
  }
  if (reason == "UPGRADE_EXPIRED" || reason == "UPGRADE_ENDED") {
    return Hint("this session is over; start a new one with 'licensectl upgrade LICENSE'");
  }
  if (reason == "UPGRADE_STEP_OUT_OF_ORDER" && !resume.empty()) {
    return Hint(absl::StrCat("'", resume, "' continues the session from where it is"));
  }
  if (reason == "UPGRADE_NOT_FOUND") return Hint("'licensectl upgrades' lists the sessions");
  if (reason == "PRICE_CATALOGUE_NOT_CONFIGURED" || reason == "PRICE_NOT_CONFIGURED") {
    return Hint("the server cannot price this upgrade: its price catalogue (--price-catalogue) lacks it");
  }
  if (reason == "KA_UPGRADE_NOT_ACCEPTABLE" || reason == "KA_NO_PRICE_LIST_ENTRY") {
    return Hint("KA refused the order; the license is unchanged");
  }
  if ((reason == "KEY_ADMINISTRATOR_UNAVAILABLE" || reason == "KEY_ADMINISTRATOR_OPERATION_FAILED") &&
      !resume.empty()) {
    return Hint(absl::StrCat("KA did not answer; the session is kept: '", resume,
                             " --yes' tries again and never upgrades the key twice"));
  }
  return "";
}

}  // namespace licensectl
