// ka-mock from both of its sides, independently of license-server: the
// admin surface that makes keys drift, injects faults and counts calls, and
// the KA service itself, read with the partner credentials, for what KA
// holds now (the ground truth's "KA side"). Thread-safe; every call has a
// deadline, so a frozen ka-mock fails a call instead of hanging the test.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "tests/harness/ka_mock_process.h"

namespace lss::reliability {

class KaMockClient {
 public:
  explicit KaMockClient(const harness::KaMockProcess& ka);

  absl::StatusOr<keyadmin::v1::ChangeKeyResponse> ChangeKey(const keyadmin::v1::ChangeKeyRequest& request);
  // Replaces the faults; a default request clears them.
  absl::Status SetFaults(const keyadmin::v1::SetFaultsRequest& request);
  absl::Status SetLatency(int latency_ms);
  absl::Status ClearFaults() { return SetFaults({}); }

  // Calls received per KeyAdministratorService method since the last reset.
  absl::StatusOr<std::map<std::string, int64_t>> CallCounts(bool reset = false);
  absl::StatusOr<int64_t> CallCount(const std::string& method);

  // Every key KA holds, main and additional.
  absl::StatusOr<std::vector<keyadmin::v1::Key>> ListKeys();
  // The catalogue, by key type name.
  absl::StatusOr<std::map<std::string, keyadmin::v1::KeyType>> KeyTypes();

 private:
  std::unique_ptr<grpc::ClientContext> KaContext() const;

  std::unique_ptr<keyadmin::v1::KeyAdministratorAdminService::Stub> admin_;
  std::unique_ptr<keyadmin::v1::KeyAdministratorService::Stub> ka_;
  const std::string login_;
  const std::string password_;
};

}  // namespace lss::reliability
