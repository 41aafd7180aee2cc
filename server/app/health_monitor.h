// Keeps gRPC health statuses true to what the server depends on:
//   ""                                   (overall) and
//   "licensing.v1.LicenseService"        follow the database;
//   "keyadmin.v1.KeyAdministratorService" follows KA's reachability.
// KA has its own name so that a KA outage does not take readers off the load
// balancer (DESIGN.md §4, "Health").
//
// Probes on its own thread every `interval` until destroyed. Thread-safe.
#pragma once

#include <grpcpp/health_check_service_interface.h>

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lss {

inline constexpr char kLicenseServiceHealthName[] = "licensing.v1.LicenseService";
inline constexpr char kKeyAdministratorHealthName[] = "keyadmin.v1.KeyAdministratorService";

class HealthMonitor {
 public:
  // Each probe blocks until it knows and returns OK when the dependency
  // serves; give it a short deadline of its own, since shutdown waits for a
  // probe under way.
  HealthMonitor(grpc::HealthCheckServiceInterface* health, std::function<absl::Status()> probe_database,
                std::function<absl::Status()> probe_key_administrator, absl::Duration interval);
  ~HealthMonitor();

 private:
  void Loop();
  void ProbeOnce();

  grpc::HealthCheckServiceInterface* const health_;
  const std::function<absl::Status()> probe_database_;
  const std::function<absl::Status()> probe_key_administrator_;
  const absl::Duration interval_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lss
