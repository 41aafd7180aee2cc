#include "server/rpc/caller_context.h"

#include <string>

#include "absl/types/optional.h"
#include "server/rpc/call_request_id.h"

namespace lss {
namespace {

absl::optional<absl::string_view> Metadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return absl::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<CallerIdentity> AdmitCaller(const grpc::ServerContextBase& context, const Authenticator& auth,
                                           absl::string_view method, CallerIdentity* refused) {
  const absl::optional<absl::string_view> sent_id = Metadata(context, kRequestIdMetadata);
  const std::string request_id = CallRequestId(sent_id);
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
