// What every reliability scenario starts from: ka-mock seeded with N keys,
// a MariaDB database (a fresh one on the shared CI server, or a private
// MariaDbProcess for a scenario that restarts it), license-server replicas
// on it with the short leases and intervals that let faults heal within a
// test, and every key imported into billing. Not thread-safe (the process
// controls); the stubs and the KA client it hands out are.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/reliability/ka_mock_client.h"

namespace lss::reliability {

struct StackOptions {
  std::string name;          // labels the folder, the database and the logs
  int licenses = 0;          // keys seeded at ka-mock, all imported
  bool private_mariadb = false;
  // license-server flags on top of the common ones (every replica).
  std::vector<std::string> server_args = {};
};

class ReliabilityStack {
 public:
  static absl::StatusOr<std::unique_ptr<ReliabilityStack>> Start(StackOptions options);

  // Another replica on the same database and ka-mock; `name` must be unique
  // in the stack. `more_args` go after every other flag.
  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> StartReplica(
      const std::string& name, const std::vector<std::string>& more_args = {}) const;

  // The first replica ("replica-a"), started with the stack.
  harness::LicenseServerProcess& server() { return *server_; }
  // A stub on server(): its address survives Restart().
  std::shared_ptr<licensing::v1::LicenseService::Stub> stub() { return stub_; }
  harness::KaMockProcess& ka_process() { return *ka_; }
  KaMockClient& ka() { return *ka_client_; }
  // The private MariaDB; null on the shared one.
  harness::MariaDbProcess* private_db() { return private_db_.get(); }

  // One value by SQL on the stack's database, as the application account:
  // for assertions about state no API shows (who holds a chunk's lease).
  absl::StatusOr<std::string> QueryScalar(const std::string& sql) const;

  // Every license as imported (In Sync, in License ID order).
  const std::vector<licensing::v1::License>& imported() const { return imported_; }
  absl::Duration import_time() const { return import_time_; }
  const std::string& path() const { return dir_->path(); }

 private:
  ReliabilityStack() = default;

  StackOptions options_;
  harness::MariaDbEndpoint db_endpoint_;
  std::string db_dsn_;
  std::string db_password_;
  // Declared first so that it outlives every process writing into it.
  std::unique_ptr<harness::TempDir> dir_;
  std::unique_ptr<harness::MariaDbProcess> private_db_;
  std::unique_ptr<harness::TestDatabase> shared_db_;
  std::unique_ptr<harness::KaMockProcess> ka_;
  std::unique_ptr<KaMockClient> ka_client_;
  std::unique_ptr<harness::LicenseServerProcess> server_;
  std::shared_ptr<licensing::v1::LicenseService::Stub> stub_;
  std::vector<licensing::v1::License> imported_;
  absl::Duration import_time_;
};

}  // namespace lss::reliability
