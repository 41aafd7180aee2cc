// What the upgrade suites (upgrade_wizard_test.cc, upgrade_placement_test.cc)
// share: the wizard's steps as one-line calls, the AIP-193 details of a
// refusal, ka-mock seen from both of its sides (the admin surface that makes
// a key drift or fail, and the KA service itself, to read what KA holds
// without going through license-server), and licenses handed out one per
// test so that tests sharing a server never touch each other's.
//
// Header-only, like integration_stack.h. The clients wrap gRPC stubs and
// may be used from any thread; LicensePool is not thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <type_traits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"

namespace lss::upgrade_test {

using licensing::v1::License;
using licensing::v1::LicenseService;
using licensing::v1::Upgrade;

inline std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(60)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  return context;
}

// The tools/dev catalogue: tests assert prices against the very file an
// operator would start from.
inline std::string PriceCataloguePath() { return absl::StrCat(LSS_SOURCE_DIR, "/tools/dev/price-catalogue.txt"); }

// What a failed call says about itself (AIP-193).
struct ErrorDetails {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string reason;
  std::map<std::string, std::string> metadata;
  std::vector<std::string> fields;  // BadRequest field violations, in order

  std::string Metadata(const std::string& key) const {
    auto it = metadata.find(key);
    return it == metadata.end() ? "" : it->second;
  }
};

inline ErrorDetails DetailsOf(const grpc::Status& status) {
  ErrorDetails details;
  details.code = status.error_code();
  details.message = status.error_message();
  google::rpc::Status proto;
  if (!proto.ParseFromString(status.error_details())) return details;
  for (const google::protobuf::Any& any : proto.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&info)) {
      details.reason = info.reason();
      details.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) details.fields.push_back(violation.field());
    }
  }
  return details;
}

// EXPECT_TRUE(FailedWith(status, code, reason)) names what came instead.
inline ::testing::AssertionResult FailedWith(const grpc::Status& status, grpc::StatusCode code,
                                             absl::string_view reason) {
  const ErrorDetails details = DetailsOf(status);
  if (details.code == code && details.reason == reason) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "wanted code " << code << " reason " << reason << "; got code "
                                       << details.code << " reason \"" << details.reason << "\": "
                                       << details.message;
}

// PREFIX.NNNNNNNN.RRRR split into the key's identity and its revision.
struct KeyNumber {
  std::string key;  // PREFIX.NNNNNNNN
  int revision = -1;
};

inline KeyNumber ParseKeyNumber(absl::string_view key_number) {
  KeyNumber parsed;
  const size_t dot = key_number.rfind('.');
  if (dot == absl::string_view::npos || dot + 5 != key_number.size()) return parsed;
  parsed.key = std::string(key_number.substr(0, dot));
  if (!absl::SimpleAtoi(key_number.substr(dot + 1), &parsed.revision)) parsed.revision = -1;
  return parsed;
}

inline std::vector<std::string> FeatureNames(const keyadmin::v1::Key& key) {
  std::vector<std::string> names;
  for (const auto& feature : key.features()) names.push_back(feature.api_name());
  std::sort(names.begin(), names.end());
  return names;
}

// The wizard's steps and the license calls around them, over one channel.
class UpgradeClient {
 public:
  explicit UpgradeClient(std::shared_ptr<grpc::Channel> channel) : stub_(LicenseService::NewStub(channel)) {}

  LicenseService::Stub& stub() { return *stub_; }

  grpc::Status Start(int64_t license_id, Upgrade* out = nullptr) {
    licensing::v1::StartUpgradeRequest request;
    request.set_license_id(license_id);
    return Start(request, out);
  }
  grpc::Status StartByKey(const std::string& key_number, Upgrade* out = nullptr) {
    licensing::v1::StartUpgradeRequest request;
    request.set_key_number(key_number);
    return Start(request, out);
  }
  grpc::Status Configure(const std::string& upgrade_id, int64_t capacity, const std::vector<std::string>& features,
                         Upgrade* out = nullptr) {
    licensing::v1::ConfigureUpgradeRequest request;
    request.set_upgrade_id(upgrade_id);
    request.set_capacity(capacity);
    for (const std::string& feature : features) request.add_add_features(feature);
    licensing::v1::ConfigureUpgradeResponse response;
    grpc::Status status = stub_->ConfigureUpgrade(Context().get(), request, &response);
    if (out != nullptr) *out = response.upgrade();
    return status;
  }
  grpc::Status Price(const std::string& upgrade_id, Upgrade* out = nullptr) {
    licensing::v1::PriceUpgradeRequest request;
    request.set_upgrade_id(upgrade_id);
    licensing::v1::PriceUpgradeResponse response;
    grpc::Status status = stub_->PriceUpgrade(Context().get(), request, &response);
    if (out != nullptr) *out = response.upgrade();
    return status;
  }
  grpc::Status Place(const std::string& upgrade_id, const std::string& request_id,
                     licensing::v1::PlaceUpgradeOrderResponse* out = nullptr) {
    licensing::v1::PlaceUpgradeOrderRequest request;
    request.set_upgrade_id(upgrade_id);
    request.set_request_id(request_id);
    licensing::v1::PlaceUpgradeOrderResponse response;
    grpc::Status status = stub_->PlaceUpgradeOrder(Context().get(), request, &response);
    if (out != nullptr) *out = response;
    return status;
  }
  grpc::Status Cancel(const std::string& upgrade_id, Upgrade* out = nullptr) {
    licensing::v1::CancelUpgradeRequest request;
    request.set_upgrade_id(upgrade_id);
    licensing::v1::CancelUpgradeResponse response;
    grpc::Status status = stub_->CancelUpgrade(Context().get(), request, &response);
    if (out != nullptr) *out = response.upgrade();
    return status;
  }
  grpc::Status Get(const std::string& upgrade_id, Upgrade* out) {
    licensing::v1::GetUpgradeRequest request;
    request.set_upgrade_id(upgrade_id);
    licensing::v1::GetUpgradeResponse response;
    grpc::Status status = stub_->GetUpgrade(Context().get(), request, &response);
    *out = response.upgrade();
    return status;
  }
  // The session, or an empty one (after a failed expectation).
  Upgrade Get(const std::string& upgrade_id) {
    Upgrade upgrade;
    grpc::Status status = Get(upgrade_id, &upgrade);
    EXPECT_TRUE(status.ok()) << "GetUpgrade " << upgrade_id << ": " << status.error_message();
    return upgrade;
  }
  grpc::Status List(const licensing::v1::ListUpgradesRequest& request, licensing::v1::ListUpgradesResponse* out) {
    return stub_->ListUpgrades(Context().get(), request, out);
  }

  License GetLicense(int64_t license_id) {
    licensing::v1::GetLicenseRequest request;
    request.set_license_id(license_id);
    licensing::v1::GetLicenseResponse response;
    grpc::Status status = stub_->GetLicense(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << "GetLicense " << license_id << ": " << status.error_message();
    return response.license();
  }
  grpc::Status Sync(int64_t license_id, License* out = nullptr) {
    licensing::v1::SyncLicenseRequest request;
    request.set_license_id(license_id);
    licensing::v1::SyncLicenseResponse response;
    grpc::Status status = stub_->SyncLicense(Context().get(), request, &response);
    if (out != nullptr) *out = response.license();
    return status;
  }
  grpc::Status Terminate(const licensing::v1::TerminateLicenseRequest& request, License* out = nullptr) {
    licensing::v1::TerminateLicenseResponse response;
    grpc::Status status = stub_->TerminateLicense(Context().get(), request, &response);
    if (out != nullptr) *out = response.license();
    return status;
  }

  std::vector<License> ListAllLicenses() {
    std::vector<License> all;
    licensing::v1::ListLicensesRequest request;
    request.set_page_size(1000);
    for (;;) {
      licensing::v1::ListLicensesResponse response;
      grpc::Status status = stub_->ListLicenses(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return all;
      all.insert(all.end(), response.licenses().begin(), response.licenses().end());
      if (response.next_page_token().empty()) return all;
      request.set_page_token(response.next_page_token());
    }
  }

  // Start, Configure, Price: a session ready to be placed. Fails the test
  // (and returns "") if a step fails.
  std::string PricedSession(int64_t license_id, int64_t capacity, const std::vector<std::string>& features) {
    Upgrade upgrade;
    grpc::Status status = Start(license_id, &upgrade);
    EXPECT_TRUE(status.ok()) << "StartUpgrade " << license_id << ": " << status.error_message();
    if (!status.ok()) return "";
    status = Configure(upgrade.upgrade_id(), capacity, features);
    EXPECT_TRUE(status.ok()) << "ConfigureUpgrade: " << status.error_message();
    if (!status.ok()) return "";
    status = Price(upgrade.upgrade_id());
    EXPECT_TRUE(status.ok()) << "PriceUpgrade: " << status.error_message();
    return status.ok() ? upgrade.upgrade_id() : "";
  }

 private:
  grpc::Status Start(const licensing::v1::StartUpgradeRequest& request, Upgrade* out) {
    licensing::v1::StartUpgradeResponse response;
    grpc::Status status = stub_->StartUpgrade(Context().get(), request, &response);
    if (out != nullptr) *out = response.upgrade();
    return status;
  }

  std::unique_ptr<LicenseService::Stub> stub_;
};

// ka-mock from both sides: its admin surface, and the KA service that
// license-server calls (with the partner credentials in the metadata).
class KaMockClient {
 public:
  explicit KaMockClient(const harness::KaMockProcess& ka)
      : admin_(keyadmin::v1::KeyAdministratorAdminService::NewStub(ka.NewChannel())),
        ka_(keyadmin::v1::KeyAdministratorService::NewStub(ka.NewChannel())),
        login_(ka.login()),
        password_(ka.password()) {}

  grpc::Status ChangeKey(const keyadmin::v1::ChangeKeyRequest& request,
                         keyadmin::v1::ChangeKeyResponse* out = nullptr) {
    keyadmin::v1::ChangeKeyResponse response;
    grpc::Status status = admin_->ChangeKey(Context().get(), request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  grpc::Status SetFaults(const keyadmin::v1::SetFaultsRequest& request) {
    keyadmin::v1::SetFaultsResponse ignored;
    return admin_->SetFaults(Context().get(), request, &ignored);
  }
  grpc::Status ClearFaults() { return SetFaults({}); }

  // Calls of `method` received so far, failed ones included.
  int64_t CallCount(const std::string& method) {
    keyadmin::v1::GetCallCountsResponse counts;
    grpc::Status status = admin_->GetCallCounts(Context().get(), {}, &counts);
    EXPECT_TRUE(status.ok()) << status.error_message();
    auto it = counts.counts().find(method);
    return it == counts.counts().end() ? 0 : it->second;
  }

  // The key as KA holds it now (with or without revision in the request).
  grpc::Status GetKey(const std::string& key_number, keyadmin::v1::Key* out) {
    keyadmin::v1::GetKeyInfoRequest request;
    request.set_key_number(key_number);
    keyadmin::v1::GetKeyInfoResponse response;
    std::unique_ptr<grpc::ClientContext> context = KaContext();
    grpc::Status status = ka_->GetKeyInfo(context.get(), request, &response);
    *out = response.key();
    return status;
  }
  keyadmin::v1::Key GetKey(const std::string& key_number) {
    keyadmin::v1::Key key;
    grpc::Status status = GetKey(key_number, &key);
    EXPECT_TRUE(status.ok()) << "KA GetKeyInfo " << key_number << ": " << status.error_message();
    return key;
  }

  // Every key KA holds (main and additional), in issue order.
  std::vector<keyadmin::v1::Key> ListKeys() {
    std::vector<keyadmin::v1::Key> keys;
    keyadmin::v1::ListKeysRequest request;
    request.set_page_size(1000);
    for (;;) {
      keyadmin::v1::ListKeysResponse response;
      std::unique_ptr<grpc::ClientContext> context = KaContext();
      grpc::Status status = ka_->ListKeys(context.get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return keys;
      keys.insert(keys.end(), response.keys().begin(), response.keys().end());
      if (response.next_page_token().empty()) return keys;
      request.set_page_token(response.next_page_token());
    }
  }

  std::map<std::string, keyadmin::v1::KeyType> KeyTypes() {
    keyadmin::v1::ListKeyTypesResponse response;
    std::unique_ptr<grpc::ClientContext> context = KaContext();
    grpc::Status status = ka_->ListKeyTypes(context.get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, keyadmin::v1::KeyType> types;
    for (const keyadmin::v1::KeyType& type : response.key_types()) types[type.name()] = type;
    return types;
  }

 private:
  std::unique_ptr<grpc::ClientContext> KaContext() {
    std::unique_ptr<grpc::ClientContext> context = Context();
    context->AddMetadata("ka-login", login_);
    context->AddMetadata("ka-password", password_);
    return context;
  }

  std::unique_ptr<keyadmin::v1::KeyAdministratorAdminService::Stub> admin_;
  std::unique_ptr<keyadmin::v1::KeyAdministratorService::Stub> ka_;
  std::string login_;
  std::string password_;
};

// Hands each test licenses no other test has had, so that tests sharing one
// server and one ka-mock never see each other's changes.
class LicensePool {
 public:
  LicensePool() = default;
  LicensePool(std::vector<License> licenses, std::map<std::string, keyadmin::v1::KeyType> types)
      : licenses_(std::move(licenses)), types_(std::move(types)) {}

  const keyadmin::v1::KeyType& TypeOf(const License& license) const {
    static const keyadmin::v1::KeyType kNone;
    auto it = types_.find(license.license_class());
    return it == types_.end() ? kNone : it->second;
  }

  // The first unused license `wanted` accepts, or nullopt after a failed
  // expectation naming `what`.
  std::optional<License> Take(absl::string_view what, const std::function<bool(const License&)>& wanted) {
    for (const License& license : licenses_) {
      if (taken_.count(license.license_id()) || !wanted(license)) continue;
      taken_.insert(license.license_id());
      return license;
    }
    ADD_FAILURE() << "no license left that is " << what << " (seed more keys)";
    return std::nullopt;
  }

  // Capacity steps of the license's class above its capacity.
  std::vector<int64_t> StepsAbove(const License& license) const {
    std::vector<int64_t> steps;
    for (int64_t step : TypeOf(license).capacity_steps()) {
      if (step > license.capacity()) steps.push_back(step);
    }
    return steps;
  }
  std::vector<int64_t> StepsBelow(const License& license) const {
    std::vector<int64_t> steps;
    for (int64_t step : TypeOf(license).capacity_steps()) {
      if (step < license.capacity()) steps.push_back(step);
    }
    return steps;
  }
  // Features offered for the license's class that it lacks, by API name.
  std::vector<std::string> FeaturesOffered(const License& license) const {
    std::vector<std::string> offered;
    for (const auto& feature : TypeOf(license).features()) {
      if (std::find(license.features().begin(), license.features().end(), feature.api_name()) ==
          license.features().end()) {
        offered.push_back(feature.api_name());
      }
    }
    return offered;
  }

 private:
  std::vector<License> licenses_;
  std::map<std::string, keyadmin::v1::KeyType> types_;
  std::set<int64_t> taken_;
};

// license-server as the upgrade suites run it: with the tools/dev price
// catalogue and KA calls that fail fast enough for a test to see them fail.
inline absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> StartUpgradeServer(
    const IntegrationStack& stack, const std::string& name, std::vector<std::string> more_args = {}) {
  harness::LicenseServerOptions options = stack.server_options();
  options.extra_args = {absl::StrCat("--replica-id=", name), absl::StrCat("--price_catalogue=", PriceCataloguePath()),
                        "--ka-deadline=2s"};
  options.extra_args.insert(options.extra_args.end(), more_args.begin(), more_args.end());
  return harness::LicenseServerProcess::Start(options);
}

// ka-mock seeded with `seed_keys` keys, a database, one license-server
// (StartUpgradeServer) that has imported every key, and the pool of those
// licenses. Not thread-safe (the processes); the clients are.
struct UpgradeStack {
  static absl::StatusOr<std::unique_ptr<UpgradeStack>> Start(const std::string& name, int seed_keys,
                                                            std::vector<std::string> server_args = {}) {
    auto up = std::make_unique<UpgradeStack>();
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start(name, seed_keys);
    if (!stack.ok()) return stack.status();
    up->stack = *std::move(stack);
    absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server =
        StartUpgradeServer(*up->stack, name, std::move(server_args));
    if (!server.ok()) return server.status();
    up->server = *std::move(server);
    up->client = std::make_unique<UpgradeClient>(up->server->NewChannel());
    up->ka = std::make_unique<KaMockClient>(up->stack->ka());
    licensing::v1::ImportLicensesResponse imported;
    grpc::Status status = up->client->stub().ImportLicenses(Context().get(), {}, &imported);
    if (!status.ok()) return absl::InternalError(absl::StrCat("ImportLicenses: ", status.error_message()));
    if (imported.imported() != seed_keys) {
      return absl::InternalError(absl::StrCat("imported ", imported.imported(), " of ", seed_keys, " keys"));
    }
    up->pool = LicensePool(up->client->ListAllLicenses(), up->ka->KeyTypes());
    return up;
  }

  std::unique_ptr<IntegrationStack> stack;
  std::unique_ptr<harness::LicenseServerProcess> server;
  std::unique_ptr<UpgradeClient> client;
  std::unique_ptr<KaMockClient> ka;
  LicensePool pool;
};

}  // namespace lss::upgrade_test
