#include "server/rpc/caller_context.h"

#include <grpcpp/security/auth_context.h>

#include <string>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace lss {
namespace {

std::string FirstProperty(const grpc::AuthContext& auth, absl::string_view name) {
  std::vector<grpc::string_ref> values = auth.FindPropertyValues(std::string(name));
  if (values.empty()) return {};
  return std::string(values.front().data(), values.front().size());
}

// A caller's id is echoed into logs and audit rows: accept only short,
// printable ids so that nobody can forge log lines through it.
bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace

Role ParseRole(absl::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return Role::kNone;
}

CallerIdentity CallerFromContext(const grpc::ServerContextBase& context) {
  CallerIdentity caller;
  caller.peer = context.peer();

  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  std::string name = auth ? FirstProperty(*auth, kCallerNameProperty) : std::string();
  if (name.empty()) {
    caller.name = std::string(kAnonymousCaller);
    caller.role = Role::kAdmin;
  } else {
    caller.name = std::move(name);
    caller.role = ParseRole(FirstProperty(*auth, kCallerRoleProperty));
  }

  const auto& metadata = context.client_metadata();
  auto it = metadata.find(std::string(kRequestIdMetadata));
  absl::string_view sent = it == metadata.end()
                               ? absl::string_view()
                               : absl::string_view(it->second.data(), it->second.size());
  caller.request_id = IsAcceptableRequestId(sent) ? std::string(sent) : NewRequestId();
  return caller;
}

}  // namespace lss
