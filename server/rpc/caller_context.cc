#include "server/rpc/caller_context.h"

#include <string>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/types/optional.h"

namespace lss {
namespace {

absl::optional<absl::string_view> Metadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return absl::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

// A caller's id is echoed into logs and audit rows: accept only short,
// printable ids so that nobody can forge log lines through it.
bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxCallerRequestIdLength) return false;
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

absl::StatusOr<CallerIdentity> AdmitCaller(const grpc::ServerContextBase& context, const Authenticator& auth,
                                           absl::string_view method, CallerIdentity* refused) {
  const absl::optional<absl::string_view> sent_id = Metadata(context, kRequestIdMetadata);
  const std::string request_id =
      sent_id && IsAcceptableRequestId(*sent_id) ? std::string(*sent_id) : NewRequestId();
  absl::StatusOr<CallerIdentity> caller = auth.Identify(Metadata(context, kAuthorizationMetadata));
  if (!caller.ok()) {
    if (refused != nullptr) *refused = CallerIdentity{"", Role::kNone, request_id, context.peer()};
    return caller.status();
  }
  caller->request_id = request_id;
  caller->peer = context.peer();
  if (absl::Status allowed = Authorize(*caller, method); !allowed.ok()) {
    if (refused != nullptr) *refused = *caller;
    return allowed;
  }
  return caller;
}

}  // namespace lss
