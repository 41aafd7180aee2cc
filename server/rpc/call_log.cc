#include "server/rpc/call_log.h"

#include "absl/status/status.h"
#include "common/log/structured_log.h"

namespace lss {

absl::optional<CallLogging> ParseCallLogging(absl::string_view text) {
  if (text == "all") return CallLogging::kAll;
  if (text == "errors") return CallLogging::kErrors;
  if (text == "none") return CallLogging::kNone;
  return absl::nullopt;
}

void CallLog::OnCallFinished(const FinishedCall& call) {
  const bool ok = call.code == grpc::StatusCode::OK;
  if (which_ == CallLogging::kNone || (which_ == CallLogging::kErrors && ok)) return;
  // Server-side faults are errors; a caller's bad request or a refusal is
  // routine and stays at info, so that alerts on "error" mean our problem.
  const bool ours = call.code == grpc::StatusCode::INTERNAL || call.code == grpc::StatusCode::UNKNOWN ||
                    call.code == grpc::StatusCode::DATA_LOSS;
  LogEvent line(ours ? LogLevel::kError : LogLevel::kInfo, "rpc");
  line.Field("method", call.method).Field("code", absl::StatusCodeToString(static_cast<absl::StatusCode>(call.code)));
  if (!call.reason.empty()) line.Field("reason", call.reason);
  line.Milliseconds("duration_ms", call.elapsed).Field("request_id", call.request_id).Field("peer", call.peer);
}

}  // namespace lss
