#include "client/ka_error_mapping.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/key_administrator.h"
#include "common/status/error_details.h"
#include "google/rpc/status.pb.h"
#include "keyadmin/v1/key_administrator.pb.h"

namespace lss {
namespace {

namespace ka = keyadmin::v1;

// KA's texts and gRPC's transport messages come from outside; scrub them so
// that no configuration mistake or KA bug can leak our password into logs.
std::string Redact(absl::string_view text, absl::string_view secret) {
  if (secret.empty()) return std::string(text);
  return absl::StrReplaceAll(text, {{secret, "<redacted>"}});
}

// "key PLSK.00000001"; just "key" when the call named none, in which case
// the messages quote KA's own text, which does.
std::string KeySubject(const KaCallDescription& call) {
  return call.key_number.empty() ? std::string("key") : absl::StrCat("key ", call.key_number);
}

std::string AttemptsSuffix(const KaCallDescription& call) {
  return call.attempts > 1 ? absl::StrCat(" after ", call.attempts, " attempts") : std::string();
}

// "(KA code 260)" or, when KA's text adds something, "(KA code 260: text)".
std::string CodeNote(const KaResult& result, bool with_text, absl::string_view secret) {
  if (!with_text || result.message.empty()) return absl::StrCat("(KA code ", result.code, ")");
  return absl::StrCat("(KA code ", result.code, ": ", Redact(result.message, secret), ")");
}

absl::Status Tagged(absl::Status status, absl::string_view reason,
                    const absl::optional<KaResult>& result) {
  status = WithReason(std::move(status), reason);
  if (result) {
    status = WithMetadata(std::move(status), kKaCodeMetadataKey, absl::StrCat(result->code));
  }
  return status;
}

// KA answered with a result code: the code decides, whatever the gRPC code.
absl::Status FromKaCode(const KaResult& result, const KaCallDescription& call) {
  const std::string key = KeySubject(call);
  // Where our words name the key, KA's text would only repeat them.
  const std::string terse = CodeNote(result, call.key_number.empty(), call.secret);
  const std::string full = CodeNote(result, true, call.secret);
  absl::StatusCode code = absl::StatusCode::kFailedPrecondition;
  absl::string_view reason;
  std::string what;
  switch (result.code) {
    case ka::RESULT_CODE_KEY_NOT_FOUND:
      code = absl::StatusCode::kNotFound;
      reason = kReasonKaKeyNotFound;
      what = absl::StrCat(key, " not found ", terse);
      break;
    case ka::RESULT_CODE_KEY_PROBLEM:
      reason = kReasonKaKeyProblem;
      what = absl::StrCat(key, " is marked as a problem ", terse);
      break;
    case ka::RESULT_CODE_KEY_TERMINATED:
      reason = kReasonKaKeyTerminated;
      what = absl::StrCat(key, " is terminated ", terse);
      break;
    case ka::RESULT_CODE_ALREADY_IN_STATE:
      reason = kReasonKaAlreadyInState;
      what = absl::StrCat(key, " is already in the requested state ", terse);
      break;
    case ka::RESULT_CODE_NO_PRICE_LIST_ENTRY:
      reason = kReasonKaNoPriceListEntry;
      what = absl::StrCat("no price-list entry for what ", call.method, " asked for ", full);
      break;
    case ka::RESULT_CODE_UPGRADE_NOT_ACCEPTABLE:
      reason = kReasonKaUpgradeNotAcceptable;
      what = absl::StrCat(call.method, " of ", key,
                          " is not acceptable (a downgrade, or a capacity not offered) ", full);
      break;
    case ka::RESULT_CODE_MALFORMED_KEY_NUMBER:
      // The key number came from our caller: say which field was bad.
      return Tagged(InvalidArgumentError("key_number",
                                         absl::StrCat("Key Administrator: \"", call.key_number,
                                                      "\" is not a key number of the form "
                                                      "PREFIX.NNNNNNNN[.RRRR] ",
                                                      terse),
                                         kReasonMalformedKeyNumber),
                    kReasonMalformedKeyNumber, result);
    case ka::RESULT_CODE_AUTHENTICATION_FAILED:
      // Our caller did nothing wrong: this service's own KA login is refused.
      code = absl::StatusCode::kUnavailable;
      reason = kReasonKaAuthFailed;
      what = absl::StrCat("the KA login and password configured for this service were refused ",
                          CodeNote(result, false, call.secret),
                          "; check the service's KA credentials");
      break;
    case ka::RESULT_CODE_REMOTE_OPERATION_FAILED:
      code = absl::StatusCode::kUnavailable;
      reason = kReasonKaOperationFailed;
      what = absl::StrCat("a remote product operation failed during ", call.method, " ", full,
                          AttemptsSuffix(call));
      break;
    case ka::RESULT_CODE_INTERNAL:
      code = absl::StatusCode::kUnavailable;
      reason = kReasonKaUnavailable;
      what = absl::StrCat("internal error during ", call.method, " ", full, AttemptsSuffix(call),
                          "; retry later");
      break;
    default:  // a code this client does not know: KA is misbehaving
      code = absl::StatusCode::kUnavailable;
      reason = kReasonKaUnavailable;
      what = absl::StrCat("unexpected answer to ", call.method, " ", full);
      break;
  }
  return Tagged(absl::Status(code, absl::StrCat("Key Administrator: ", what)), reason, result);
}

// KA never answered (or answered without a result code): to our callers
// that is KA being unavailable, whatever the transport said.
absl::Status FromTransport(const grpc::Status& status, const KaCallDescription& call) {
  const std::string detail = Redact(status.error_message(), call.secret);
  std::string message;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      message = absl::StrCat("Key Administrator is unavailable", AttemptsSuffix(call), " (",
                             call.method, "): ", detail);
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      message = absl::StrCat("Key Administrator did not answer ", call.method, " within ",
                             absl::FormatDuration(call.attempt_deadline), AttemptsSuffix(call));
      break;
    default:
      message = absl::StrCat("Key Administrator: unexpected answer to ", call.method,
                             ": gRPC code ", static_cast<int>(status.error_code()), ": ", detail);
      break;
  }
  return WithReason(absl::UnavailableError(message), kReasonKaUnavailable);
}

}  // namespace

absl::optional<KaResult> KaResultOf(const grpc::Status& status) {
  if (status.ok() || status.error_details().empty()) return absl::nullopt;
  google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(status.error_details())) return absl::nullopt;
  for (const google::protobuf::Any& detail : rpc_status.details()) {
    ka::ResultDetail result;
    if (detail.Is<ka::ResultDetail>() && detail.UnpackTo(&result)) {
      return KaResult{static_cast<int>(result.code()), result.message()};
    }
  }
  return absl::nullopt;
}

bool IsRetryableKaFailure(const grpc::Status& status, bool idempotent) {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return false;
  if (idempotent) return true;
  absl::optional<KaResult> result = KaResultOf(status);
  return result && result->code == ka::RESULT_CODE_INTERNAL;
}

absl::Status MapKaError(const grpc::Status& status, const KaCallDescription& call) {
  absl::optional<KaResult> result = KaResultOf(status);
  return result ? FromKaCode(*result, call) : FromTransport(status, call);
}

absl::Status KaClientShutdownError(const KaCallDescription& call) {
  return WithReason(
      absl::UnavailableError(absl::StrCat("Key Administrator client is shutting down; ",
                                          call.method, " was abandoned")),
      kReasonKaUnavailable);
}

absl::Status MalformedKaAnswerError(absl::string_view method, absl::string_view what) {
  return WithReason(absl::UnavailableError(
                        absl::StrCat("Key Administrator answered ", method, " without ", what)),
                    kReasonKaUnavailable);
}

}  // namespace lss
