// An in-process LicenseService that runs the upgrade wizard and
// TerminateLicense over a few canned licenses, with the server's rules as
// far as licensectl can see them (step order, the offered capacities and
// features, the reasons of its refusals, placing once per session). For the
// tests of the upgrade, upgrades and terminate commands; separate from
// app_test.cc's fake, which answers the read-only commands.
//
// The licenses (PLESK_WEB_PRO, capacity steps 30, 100, 300 domains; features
// BACKUP_CLOUD, DEVELOPER_PACK, POWER_PACK offered):
//   7  PLSK.00000007.0000  In Sync, capacity 100, POWER_PACK
//   8  PLSK.00000008.0000  Not In Sync: KA has capacity 300 and BACKUP_CLOUD
//   9  PLSK.00000009.0000  TERMINATED
// Prices: 9600 (term) / 7056 (now) per capacity step, 2400 / 1764 per
// feature, the fee 1500 when KA is called; EUR, 735000 ppm.
//
// Thread-safe: gRPC calls it from its threads, the test reads it from its own.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "licensectl/exit_codes.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace licensectl::testing {

class FakeUpgradeService final : public licensing::v1::LicenseService::Service {
 public:
  FakeUpgradeService();

  grpc::Status GetLicense(grpc::ServerContext* context, const licensing::v1::GetLicenseRequest* request,
                          licensing::v1::GetLicenseResponse* response) override;
  grpc::Status StartUpgrade(grpc::ServerContext* context, const licensing::v1::StartUpgradeRequest* request,
                            licensing::v1::StartUpgradeResponse* response) override;
  grpc::Status ConfigureUpgrade(grpc::ServerContext* context, const licensing::v1::ConfigureUpgradeRequest* request,
                                licensing::v1::ConfigureUpgradeResponse* response) override;
  grpc::Status PriceUpgrade(grpc::ServerContext* context, const licensing::v1::PriceUpgradeRequest* request,
                            licensing::v1::PriceUpgradeResponse* response) override;
  grpc::Status PlaceUpgradeOrder(grpc::ServerContext* context, const licensing::v1::PlaceUpgradeOrderRequest* request,
                                 licensing::v1::PlaceUpgradeOrderResponse* response) override;
  grpc::Status GetUpgrade(grpc::ServerContext* context, const licensing::v1::GetUpgradeRequest* request,
                          licensing::v1::GetUpgradeResponse* response) override;
  grpc::Status ListUpgrades(grpc::ServerContext* context, const licensing::v1::ListUpgradesRequest* request,
                            licensing::v1::ListUpgradesResponse* response) override;
  grpc::Status CancelUpgrade(grpc::ServerContext* context, const licensing::v1::CancelUpgradeRequest* request,
                             licensing::v1::CancelUpgradeResponse* response) override;
  grpc::Status TerminateLicense(grpc::ServerContext* context, const licensing::v1::TerminateLicenseRequest* request,
                                licensing::v1::TerminateLicenseResponse* response) override;

  // The next PlaceUpgradeOrder answers UNAVAILABLE (KEY_ADMINISTRATOR_
  // UNAVAILABLE) and leaves the session PLACING, as a KA outage does.
  void FailNextPlacement();
  // Orders placed from now on get a key KA issued without the features
  // asked for: the license ends Not In Sync (FEATURES_REMOVED).
  void KaDropsFeatures();

  // What the test looks at afterwards.
  licensing::v1::License StoredLicense(int64_t license_id);
  licensing::v1::Upgrade StoredUpgrade(const std::string& upgrade_id);
  // Calls received, by method name ("StartUpgrade", "PlaceUpgradeOrder", ...).
  int Calls(const std::string& method);
  // Placements that reached KA (the first placement of a session that
  // needed KA), as ka-mock's UpgradeKey count would show them.
  int KaUpgrades();
  std::vector<licensing::v1::ConfigureUpgradeRequest> configure_requests();
  std::vector<licensing::v1::PlaceUpgradeOrderRequest> place_requests();
  std::vector<licensing::v1::ListUpgradesRequest> list_requests();

 private:
  // The session, or a NOT_FOUND / INVALID_ARGUMENT status.
  grpc::Status Find(const std::string& upgrade_id, licensing::v1::Upgrade** upgrade)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  template <typename Request>
  grpc::Status FindLicense(const Request& request, licensing::v1::License** license)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Count(const std::string& method) ABSL_LOCKS_EXCLUDED(mutex_);

  absl::Mutex mutex_;
  std::map<int64_t, licensing::v1::License> licenses_ ABSL_GUARDED_BY(mutex_);
  // What KA holds for each license.
  std::map<int64_t, licensing::v1::LicenseConfiguration> at_ka_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, licensing::v1::Upgrade> upgrades_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::string> upgrade_order_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mutex_);
  int ka_upgrades_ ABSL_GUARDED_BY(mutex_) = 0;
  bool fail_next_placement_ ABSL_GUARDED_BY(mutex_) = false;
  bool ka_drops_features_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<licensing::v1::ConfigureUpgradeRequest> configure_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<licensing::v1::PlaceUpgradeOrderRequest> place_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<licensing::v1::ListUpgradesRequest> list_requests_ ABSL_GUARDED_BY(mutex_);
};

// What one licensectl run gave.
struct Outcome {
  ExitCode code;
  std::string out;
  std::string err;
};

// The fake served on 127.0.0.1:0 for one test, and licensectl run against
// it in-process.
class FakeUpgradeServer {
 public:
  FakeUpgradeServer();
  ~FakeUpgradeServer();

  FakeUpgradeService& service() { return service_; }

  // licensectl --address (the fake) `args`, reading `answers` as the
  // operator's input, a terminal or not, with an empty environment.
  Outcome Licensectl(std::vector<std::string> args, const std::string& answers = "", bool terminal = false);

 private:
  FakeUpgradeService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// A refusal as license-server makes it (AIP-193): `code`, `message`, an
// ErrorInfo with `reason`, and a BadRequest naming `field` when given.
grpc::Status Refusal(grpc::StatusCode code, const std::string& message, const std::string& reason,
                     const std::string& field = "");

}  // namespace licensectl::testing
