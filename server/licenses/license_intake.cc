#include "server/licenses/license_intake.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/key_number.h"
#include "common/status/error_details.h"
#include "common/text/sha256.h"
#include "server/licenses/feature_limits.h"
#include "server/licenses/ka_config.h"
#include "server/licenses/request_id.h"

namespace lss {
namespace {

constexpr int kKaListPageSize = 1000;

bool IsApiName(absl::string_view s) {
  if (s.empty() || s.size() > kMaxApiNameLength) return false;
  for (char c : s) {
    if (!(absl::ascii_isupper(static_cast<unsigned char>(c)) || absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

absl::Status Validate(const CreateLicenseCommand& command) {
  if (!IsApiName(command.license_class)) {
    return InvalidArgumentError("license_class", "must be a KA key type such as PLESK_WEB_PRO");
  }
  if (command.capacity < 0) return InvalidArgumentError("capacity", "must not be negative");
  if (command.features.size() > kMaxFeaturesPerRequest) {
    return InvalidArgumentError("features", absl::StrCat("at most ", kMaxFeaturesPerRequest, " features"));
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < command.features.size(); ++i) {
    const std::string field = absl::StrCat("features[", i, "]");
    if (!IsApiName(command.features[i])) return InvalidArgumentError(field, "must be a feature API name");
    if (!seen.insert(command.features[i]).second) return InvalidArgumentError(field, "is listed twice");
  }
  return ValidateRequestId(command.request_id);
}

// What a request asks for, as a fingerprint that tells a retry of it from
// another request under the same request_id: length-prefixed fields, the
// features in order of name (their order asks for nothing).
std::string RequestFingerprint(const CreateLicenseCommand& command) {
  std::vector<std::string> features = command.features;
  std::sort(features.begin(), features.end());
  std::string text = absl::StrCat(command.license_class.size(), ":", command.license_class, ";", command.capacity);
  for (const std::string& feature : features) absl::StrAppend(&text, ";", feature.size(), ":", feature);
  return Sha256Hex(text);
}

void AddFailure(ImportReport& report, std::string key_number, std::string error) {
  ++report.failed;
  if (report.failures.size() < kMaxReportedFailures) {
    report.failures.push_back({std::move(key_number), std::move(error)});
  }
}

}  // namespace

void LicenseIntake::Create(CreateLicenseCommand command,
                           absl::AnyInvocable<void(absl::StatusOr<LicenseRecord>) &&> done) {
  pool_.Run([this, command = std::move(command), done = std::move(done)]() mutable {
    if (absl::Status valid = Validate(command); !valid.ok()) return std::move(done)(valid);
    const std::string request_key =
        command.request_id.empty() ? std::string() : ScopedRequestKey(command.caller, command.request_id);
    std::string fingerprint = RequestFingerprint(command);
    if (!request_key.empty()) {
      absl::StatusOr<absl::optional<LicenseRecord>> earlier = licenses_.FindCreatedBy(request_key, fingerprint);
      if (!earlier.ok()) return std::move(done)(earlier.status());
      if (earlier->has_value()) return std::move(done)(**std::move(earlier));
    }
    KaCreateKeyRequest order;
    order.key_type = command.license_class;
    order.capacity = command.capacity;
    order.features = command.features;
    // The same caller's same request_id gives KA the same idempotency key,
    // so whatever happened to an earlier attempt, KA issues one key.
    if (!request_key.empty()) order.idempotency_key = absl::StrCat("create-license:", request_key);
    ka_.CreateKey(order, [this, request_key, fingerprint = std::move(fingerprint),
                          done = std::move(done)](absl::StatusOr<KaKey> key) mutable {
      pool_.Run([this, request_key = std::move(request_key), fingerprint = std::move(fingerprint),
                 key = std::move(key), done = std::move(done)]() mutable {
        if (!key.ok()) return std::move(done)(key.status());
        const absl::Time now = clock_.Now();
        NewLicense license{ConfigFromKa(*key), std::move(request_key), std::move(fingerprint), SyncStatus::kInSync,
                           now};
        std::move(done)(licenses_.Create(license, now));
      });
    });
  });
}

// Imports every main key of the account, one KA page at a time, each page
// stored with one multi-row write: memory stays flat however large the
// account is.
class LicenseIntake::AccountImport : public std::enable_shared_from_this<AccountImport> {
 public:
  AccountImport(LicenseIntake& intake, absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done)
      : intake_(intake), done_(std::move(done)) {}

  void FetchPage(std::string token) {
    intake_.ka_.ListKeys(token, kKaListPageSize, [self = shared_from_this()](absl::StatusOr<KaKeyPage> page) mutable {
      self->intake_.pool_.Run([self, page = std::move(page)]() mutable { self->StorePage(std::move(page)); });
    });
  }

 private:
  void StorePage(absl::StatusOr<KaKeyPage> page) {
    if (!page.ok()) {
      return std::move(done_)(WithMessage(
          page.status(), absl::StrCat(page.status().message(), " (", report_.imported,
                                      " licenses were imported before; importing again skips them)")));
    }
    std::vector<NewLicense> licenses;
    const absl::Time now = intake_.clock_.Now();
    for (const KaKey& key : page->keys) {
      if (key.additional) continue;  // billed with its main key
      ++report_.keys_seen;
      licenses.push_back(NewLicense{ConfigFromKa(key), "", "", SyncStatus::kInSync, now});
    }
    absl::StatusOr<CreateManyResult> stored = intake_.licenses_.CreateMany(licenses, now);
    if (!stored.ok()) return std::move(done_)(stored.status());
    report_.imported += stored->created;
    report_.already_present += stored->already_present;
    if (page->next_page_token.empty()) return std::move(done_)(std::move(report_));
    FetchPage(page->next_page_token);
  }

  LicenseIntake& intake_;
  absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done_;
  ImportReport report_;  // touched by one step at a time
};

// Imports the named keys: asks KA for each (the client bounds the calls in
// flight), then stores the answers in one multi-row write.
class LicenseIntake::ListedImport : public std::enable_shared_from_this<ListedImport> {
 public:
  ListedImport(LicenseIntake& intake, std::vector<std::string> bases,
               absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done)
      : intake_(intake), bases_(std::move(bases)), done_(std::move(done)) {
    report_.keys_seen = static_cast<int64_t>(bases_.size());
    pending_ = bases_.size();
  }

  void Start() {
    if (bases_.empty()) return Finish();
    for (const std::string& base : bases_) {
      intake_.ka_.GetKeyInfo(base, [self = shared_from_this(), base](absl::StatusOr<KaKey> key) {
        self->Collect(base, std::move(key));
      });
    }
  }

 private:
  void Collect(const std::string& base, absl::StatusOr<KaKey> key) {
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      if (!key.ok()) {
        AddFailure(report_, base, std::string(key.status().message()));
      } else if (key->additional) {
        AddFailure(report_, base,
                   absl::StrCat("is an additional key of ", key->parent_key_number, "; import its main key"));
      } else {
        keys_.push_back(*std::move(key));
      }
      last = --pending_ == 0;
    }
    if (last) intake_.pool_.Run([self = shared_from_this()] { self->Finish(); });
  }

  void Finish() {
    const absl::Time now = intake_.clock_.Now();
    std::vector<NewLicense> licenses;
    {
      absl::MutexLock lock(&mu_);
      for (const KaKey& key : keys_) licenses.push_back(NewLicense{ConfigFromKa(key), "", "", SyncStatus::kInSync, now});
    }
    absl::StatusOr<CreateManyResult> stored = intake_.licenses_.CreateMany(licenses, now);
    if (!stored.ok()) return std::move(done_)(stored.status());
    absl::MutexLock lock(&mu_);
    report_.imported = stored->created;
    report_.already_present = stored->already_present;
    std::move(done_)(std::move(report_));
  }

  LicenseIntake& intake_;
  const std::vector<std::string> bases_;
  absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done_;
  absl::Mutex mu_;
  size_t pending_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<KaKey> keys_ ABSL_GUARDED_BY(mu_);
  ImportReport report_ ABSL_GUARDED_BY(mu_);
};

void LicenseIntake::Import(std::vector<std::string> key_numbers,
                           absl::AnyInvocable<void(absl::StatusOr<ImportReport>) &&> done) {
  if (key_numbers.empty()) {
    auto import = std::make_shared<AccountImport>(*this, std::move(done));
    import->FetchPage("");
    return;
  }
  // Bad input changes nothing: every number is checked before KA is asked.
  if (key_numbers.size() > kMaxImportKeyNumbers) {
    return pool_.Run([done = std::move(done)]() mutable {
      std::move(done)(InvalidArgumentError(
          "key_numbers", absl::StrCat("at most ", kMaxImportKeyNumbers, " per call; send none to import the whole account")));
    });
  }
  std::vector<std::string> bases;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < key_numbers.size(); ++i) {
    absl::StatusOr<KeyNumber> key = ParseKeyNumber(key_numbers[i], absl::StrCat("key_numbers[", i, "]"));
    if (!key.ok()) {
      return pool_.Run([done = std::move(done), status = key.status()]() mutable { std::move(done)(status); });
    }
    if (seen.insert(key->Base()).second) bases.push_back(key->Base());
  }
  auto import = std::make_shared<ListedImport>(*this, std::move(bases), std::move(done));
  import->Start();
}

}  // namespace lss
