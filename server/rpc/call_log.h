// The call log: one structured line per finished LicenseService call
// (common/log/structured_log.h), event "rpc", with the method, the status
// code and ErrorInfo reason, the duration, the request id and the peer.
// The request id is the one in the audit event and in the call's trailing
// metadata, so an operator goes from a caller's complaint to our line.
//
// Thread-safe.
#pragma once

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "server/rpc/call_observer.h"

namespace lss {

enum class CallLogging {
  kAll,     // every call (the default)
  kErrors,  // calls that did not end OK
  kNone,
};

// "all", "errors" or "none"; nullopt for anything else.
absl::optional<CallLogging> ParseCallLogging(absl::string_view text);

class CallLog final : public CallObserver {
 public:
  explicit CallLog(CallLogging which) : which_(which) {}
  void OnCallFinished(const FinishedCall& call) override;

 private:
  const CallLogging which_;
};

}  // namespace lss
