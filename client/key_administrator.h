// The Key Administrator (KA) as the domain calls it.
//
// An interface so that the sync engine, the upgrade flow and the daily run
// depend on what KA does, not on gRPC: their unit tests substitute a fake,
// production uses KeyAdministratorClient (client/key_administrator_client.h).
//
// Every method is asynchronous: it returns at once and later runs `done`
// exactly once with KA's answer or an error. Implementations are safe for
// concurrent use from any number of threads. Callbacks may run on the
// implementation's own threads (gRPC's, for the real client), so they must
// not block: hand long work to a worker pool.
//
// Errors: KA's own errors never pass through as they are (DESIGN.md §3,
// "How KA's answers reach our callers"). Each carries one of the reasons
// below (read it with lss::ReasonOf) and, when KA answered with a result
// code, ErrorInfo metadata "ka_code" (lss::MetadataOf(status, "ka_code")):
//   UNAVAILABLE          KEY_ADMINISTRATOR_UNAVAILABLE      KA down, too slow, code 300, or
//                                                           an answer we cannot use
//   UNAVAILABLE          KEY_ADMINISTRATOR_AUTH_FAILED      code 200: our KA login is refused
//   UNAVAILABLE          KEY_ADMINISTRATOR_OPERATION_FAILED code 287
//   NOT_FOUND            KA_KEY_NOT_FOUND                   code 220
//   FAILED_PRECONDITION  KA_KEY_PROBLEM                     code 221
//   FAILED_PRECONDITION  KA_KEY_TERMINATED                  code 222
//   FAILED_PRECONDITION  KA_NO_PRICE_LIST_ENTRY             code 260
//   FAILED_PRECONDITION  KA_UPGRADE_NOT_ACCEPTABLE          code 266
//   FAILED_PRECONDITION  KA_ALREADY_IN_STATE                code 110
//   INVALID_ARGUMENT     MALFORMED_KEY_NUMBER               code 410 (BadRequest on key_number)
// A sync reads 220, 221 and 222 as results about the key, not as failures.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/key_info.h"

namespace lss {

// The ErrorInfo reasons of KeyAdministrator errors (see the table above).
inline constexpr absl::string_view kReasonKaUnavailable = "KEY_ADMINISTRATOR_UNAVAILABLE";
inline constexpr absl::string_view kReasonKaAuthFailed = "KEY_ADMINISTRATOR_AUTH_FAILED";
inline constexpr absl::string_view kReasonKaOperationFailed = "KEY_ADMINISTRATOR_OPERATION_FAILED";
inline constexpr absl::string_view kReasonKaKeyNotFound = "KA_KEY_NOT_FOUND";
inline constexpr absl::string_view kReasonKaKeyProblem = "KA_KEY_PROBLEM";
inline constexpr absl::string_view kReasonKaKeyTerminated = "KA_KEY_TERMINATED";
inline constexpr absl::string_view kReasonKaNoPriceListEntry = "KA_NO_PRICE_LIST_ENTRY";
inline constexpr absl::string_view kReasonKaUpgradeNotAcceptable = "KA_UPGRADE_NOT_ACCEPTABLE";
inline constexpr absl::string_view kReasonKaAlreadyInState = "KA_ALREADY_IN_STATE";
inline constexpr absl::string_view kReasonMalformedKeyNumber = "MALFORMED_KEY_NUMBER";

// The ErrorInfo metadata key holding KA's numeric result code, e.g. "220".
inline constexpr absl::string_view kKaCodeMetadataKey = "ka_code";

// Completion of an asynchronous KA call; runs exactly once.
template <typename T>
using KaCallback = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

class KeyAdministrator {
 public:
  virtual ~KeyAdministrator() = default;

  // One key, by key number with or without its revision; the answer carries
  // the current key number.
  virtual void GetKeyInfo(absl::string_view key_number, KaCallback<KaKey> done) = 0;

  // One page of the account's keys in key-number order. An empty token asks
  // for the first page; page_size <= 0 lets KA choose.
  virtual void ListKeys(absl::string_view page_token, int page_size,
                        KaCallback<KaKeyPage> done) = 0;

  // KA's whole catalogue of key types.
  virtual void ListKeyTypes(KaCallback<std::vector<KaKeyType>> done) = 0;

  // The capacity steps and features that one key may still be upgraded to.
  virtual void GetAvailableUpgrades(absl::string_view key_number,
                                    KaCallback<KaUpgradeOptions> done) = 0;

  // Issues a new key; idempotent by request.idempotency_key.
  virtual void CreateKey(const KaCreateKeyRequest& request, KaCallback<KaKey> done) = 0;

  // Upgrades a key; KA answers with a new revision of its key number.
  // Idempotent by request.idempotency_key.
  virtual void UpgradeKey(const KaUpgradeKeyRequest& request, KaCallback<KaUpgradeResult> done) = 0;

  // Renews a key for another term: new update-due and expiration dates. Not
  // idempotent: each renewal adds a term.
  virtual void RenewKey(absl::string_view key_number, KaCallback<KaKey> done) = 0;

  // Terminates a key and its additional keys. KA_ALREADY_IN_STATE means it
  // was terminated already, possibly by an earlier attempt of this call
  // whose answer was lost.
  virtual void TerminateKey(absl::string_view key_number, KaCallback<KaKey> done) = 0;
};

}  // namespace lss
