#include "common/caller_identity.h"

#include "absl/strings/str_cat.h"

namespace lss {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kOperator: return "operator";
    case Role::kAdmin: return "admin";
    case Role::kNone: break;
  }
  return "none";
}

Role ParseRole(absl::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return Role::kNone;
}

CallerIdentity SystemCaller(absl::string_view what) {
  return CallerIdentity{absl::StrCat("system:", what), Role::kAdmin, "", "local"};
}

}  // namespace lss
