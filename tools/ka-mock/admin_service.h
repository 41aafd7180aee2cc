#pragma once

#include "ka-mock/call_counter.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/clock.h"
#include "ka-mock/faults.h"
#include "ka-mock/key_store.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"

namespace ka_mock {

// keyadmin.v1.KeyAdministratorAdminService: seeds keys, changes them behind
// billing's back, sets the faults and reads the call counts. For tests and
// demos: it needs no credentials, and faults never touch it.
//
// Thread-safe; handlers run on gRPC's threads and answer at once (SeedKeys
// of a million keys holds its thread for under a second). Everything it
// refers to must outlive the server.
class AdminServiceImpl final
    : public keyadmin::v1::KeyAdministratorAdminService::CallbackService {
 public:
  AdminServiceImpl(KeyStore& store, const Catalogue& catalogue,
                   const Clock& clock, FaultInjector& faults,
                   CallCounter& calls)
      : store_(store),
        catalogue_(catalogue),
        clock_(clock),
        faults_(faults),
        calls_(calls) {}

  grpc::ServerUnaryReactor* SeedKeys(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::SeedKeysRequest* request,
      keyadmin::v1::SeedKeysResponse* response) override;
  grpc::ServerUnaryReactor* ChangeKey(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::ChangeKeyRequest* request,
      keyadmin::v1::ChangeKeyResponse* response) override;
  grpc::ServerUnaryReactor* SetFaults(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::SetFaultsRequest* request,
      keyadmin::v1::SetFaultsResponse* response) override;
  grpc::ServerUnaryReactor* GetCallCounts(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::GetCallCountsRequest* request,
      keyadmin::v1::GetCallCountsResponse* response) override;

 private:
  KeyStore& store_;
  const Catalogue& catalogue_;
  const Clock& clock_;
  FaultInjector& faults_;
  CallCounter& calls_;
};

}  // namespace ka_mock
