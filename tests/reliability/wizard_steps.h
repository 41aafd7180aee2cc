// The upgrade wizard's steps as one-line calls over one stub, each counted
// in a CallTally when one is given, and the choice of what to ask of a
// session so that no step is refused for the client's own sake (a valid
// target, steps in order): a refusal then can only come from another
// caller's change. Thread-safe (the stub and the tally are).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/reliability/call_tally.h"

namespace lss::reliability {

struct UpgradeTarget {
  int64_t capacity = 0;  // 0: keep KA's capacity
  std::vector<std::string> features;
  // KA lacks something of the target: placing the order must call
  // UpgradeKey once and get a new key. Otherwise the order only adopts KA's
  // configuration, without calling KA.
  bool calls_ka = false;
};

// The next capacity step above KA's capacity, else the first feature
// offered; for a session that found the license Not In Sync with KA,
// `adopt_only` (or nothing else left to add) asks for KA's configuration as
// it is. Nullopt when the session offers nothing to do (an In Sync license
// at its class's top with every feature).
std::optional<UpgradeTarget> ChooseTarget(const licensing::v1::Upgrade& started, bool adopt_only);

class WizardSteps {
 public:
  WizardSteps(std::shared_ptr<licensing::v1::LicenseService::Stub> stub, CallTally* tally)
      : stub_(std::move(stub)), tally_(tally) {}

  grpc::Status Start(int64_t license_id, licensing::v1::Upgrade* out);
  grpc::Status Configure(const std::string& upgrade_id, const UpgradeTarget& target, licensing::v1::Upgrade* out);
  grpc::Status Price(const std::string& upgrade_id, licensing::v1::Upgrade* out);
  grpc::Status Place(const std::string& upgrade_id, const std::string& request_id,
                     licensing::v1::PlaceUpgradeOrderResponse* out);
  grpc::Status Cancel(const std::string& upgrade_id);
  grpc::Status Get(const std::string& upgrade_id, licensing::v1::Upgrade* out);
  grpc::Status GetLicense(int64_t license_id, licensing::v1::License* out);

 private:
  grpc::Status Counted(const char* method, grpc::Status status);

  std::shared_ptr<licensing::v1::LicenseService::Stub> stub_;
  CallTally* const tally_;
};

}  // namespace lss::reliability
