// Licenses entering billing: CreateLicense (orders a new key at KA) and
// ImportLicenses (adopts keys KA already has). Both write KA's configuration
// as billing's, so new licenses start In Sync.
//
// CreateLicense is idempotent by request_id, KA included: KA gets the
// request_id as its idempotency key, so a retry after a lost answer, a crash
// between KA's answer and the database write, or two concurrent calls all
// end with one key at KA and one license.
//
// Thread-safe; the methods return at once and run `done` exactly once on a
// WorkerPool thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "client/key_administrator.h"
#include "common/clock.h"
#include "server/runtime/worker_pool.h"
#include "storage/license_repository.h"

namespace lss {

struct CreateLicenseCommand {
  std::string license_class;
  int64_t capacity = 0;
  std::vector<std::string> features;
  std::string request_id;  // empty: not idempotent across calls
  // Who asks (CallerIdentity::name): a request_id is the caller's own, so
  // another caller's equal id is another request.
  std::string caller;
};

struct ImportFailureReport {
  std::string key_number;
  std::string error;
};

struct ImportReport {
  int64_t keys_seen = 0;
  int64_t imported = 0;
  int64_t already_present = 0;
  int64_t failed = 0;
  std::vector<ImportFailureReport> failures;  // the first kMaxReportedFailures
};

inline constexpr size_t kMaxReportedFailures = 100;
// Most key numbers one ImportLicenses call may name; more is bad input
// (an empty list imports the whole account, paged, with no such limit).
inline constexpr size_t kMaxImportKeyNumbers = 10'000;

class LicenseIntake {
 public:
  LicenseIntake(LicenseRepository& licenses, KeyAdministrator& ka, WorkerPool& pool, const Clock& clock)
      : licenses_(licenses), ka_(ka), pool_(pool), clock_(clock) {}

  void Create(CreateLicenseCommand command, absl::AnyInvocable<void(absl::StatusOr<LicenseRecord>) &&> done);

  // Empty `key_numbers`: every main key of the KA account.
  void Import(std::vector<std::string> key_numbers,
              absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done);

 private:
  class AccountImport;
  class ListedImport;

  LicenseRepository& licenses_;
  KeyAdministrator& ka_;
  WorkerPool& pool_;
  const Clock& clock_;
};

}  // namespace lss
