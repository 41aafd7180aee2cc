#include "common/caller_identity.h"

#include "absl/strings/ascii.h"
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

std::string PeerHost(absl::string_view peer) {
  const size_t colon = peer.rfind(':');
  if (colon == absl::string_view::npos || colon + 1 == peer.size()) return std::string(peer);
  for (const char c : peer.substr(colon + 1)) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::string(peer);  // no port: unix:/path
  }
  return std::string(peer.substr(0, colon));
}

std::string CallerKey(const CallerIdentity& caller) {
  if (caller.name.empty() || caller.name == kAnonymousCaller) return PeerHost(caller.peer);
  return caller.name;
}

CallerIdentity SystemCaller(absl::string_view what) {
  return CallerIdentity{absl::StrCat("system:", what), Role::kAdmin, "", "local"};
}

}  // namespace lss
