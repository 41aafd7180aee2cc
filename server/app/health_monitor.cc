#include "server/app/health_monitor.h"

#include <cstdio>

namespace lss {

HealthMonitor::HealthMonitor(grpc::HealthCheckServiceInterface* health,
                             std::function<absl::Status()> probe_database,
                             std::function<absl::Status()> probe_key_administrator, absl::Duration interval)
    : health_(health),
      probe_database_(std::move(probe_database)),
      probe_key_administrator_(std::move(probe_key_administrator)),
      interval_(interval) {
  // Start with the truth, not gRPC's default SERVING. The database answers
  // fast; KA's reachability is unknown until the first probe on the thread.
  const bool database_ok = probe_database_().ok();
  health_->SetServingStatus("", database_ok);
  health_->SetServingStatus(kLicenseServiceHealthName, database_ok);
  health_->SetServingStatus(kKeyAdministratorHealthName, false);
  thread_ = std::thread([this] { Loop(); });
}

HealthMonitor::~HealthMonitor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void HealthMonitor::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.Unlock();
    ProbeOnce();
    mu_.Lock();
    // Wait for the interval or for shutdown, whichever comes first.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
  }
}

void HealthMonitor::ProbeOnce() {
  const bool database_ok = probe_database_().ok();
  const bool ka_ok = probe_key_administrator_().ok();
  health_->SetServingStatus("", database_ok);
  health_->SetServingStatus(kLicenseServiceHealthName, database_ok);
  health_->SetServingStatus(kKeyAdministratorHealthName, ka_ok);
}

}  // namespace lss
