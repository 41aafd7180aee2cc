// The unary calls the benchmark loads: GetLicense and SyncLicense on
// license-server, and the same GetLicense on the bare service of
// echo_service.h, each spread over a few connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/unary_load.h"
#include "grpcpp/channel.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace lss::bench {

enum class UnaryMethod { kGetLicense, kSyncLicense };

// The licenses a closed loop's clients name in turn: a walk with a stride
// over `license_ids`, client i starting at a different place, so that
// concurrent clients ask about different licenses. Thread-safe.
class LicenseCycle {
 public:
  explicit LicenseCycle(std::vector<int64_t> license_ids) : license_ids_(std::move(license_ids)) {}
  int64_t Next(int client);

 private:
  const std::vector<int64_t> license_ids_;
  std::atomic<uint64_t> next_{0};
};

// Calls `method` on licensing.v1.LicenseService at `target`, each client on
// one of `connections` channels (client i on channel i mod connections),
// naming the licenses of `license_ids` in turn (LicenseCycle). Thread-safe.
std::unique_ptr<UnaryCaller> NewLicenseServiceCaller(const std::string& target, UnaryMethod method,
                                                     std::vector<int64_t> license_ids, int connections);

// A channel of its own to `target` (gRPC would otherwise share one
// connection between channels with equal arguments).
std::shared_ptr<grpc::Channel> NewDedicatedChannel(const std::string& target);

}  // namespace lss::bench
