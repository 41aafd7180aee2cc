#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "ka-mock/call_counter.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/credentials.h"
#include "ka-mock/delay_queue.h"
#include "ka-mock/faults.h"
#include "ka-mock/ka_method.h"
#include "ka-mock/key_administrator.h"
#include "keyadmin/v1/key_administrator.grpc.pb.h"

namespace ka_mock {

// keyadmin.v1.KeyAdministratorService over the callback API: translates
// protos to KeyAdministrator calls and KA errors to grpc::Status. Around
// each call, in order: count it, apply the injected faults (outage or error
// instead of the call), check the partner credentials, answer. An injected
// latency parks the finished answer on the DelayQueue, so no gRPC thread
// ever sleeps.
//
// Thread-safe; handlers run on gRPC's threads. Everything it refers to must
// outlive the server.
class KeyAdministratorServiceImpl final
    : public keyadmin::v1::KeyAdministratorService::CallbackService {
 public:
  KeyAdministratorServiceImpl(KeyAdministrator& administrator,
                              const Catalogue& catalogue,
                              PartnerCredentials credentials,
                              FaultInjector& faults, CallCounter& calls,
                              DelayQueue& delays);

  grpc::ServerUnaryReactor* GetKeyInfo(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::GetKeyInfoRequest* request,
      keyadmin::v1::GetKeyInfoResponse* response) override;
  grpc::ServerUnaryReactor* ListKeys(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::ListKeysRequest* request,
      keyadmin::v1::ListKeysResponse* response) override;
  grpc::ServerUnaryReactor* ListKeyTypes(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::ListKeyTypesRequest* request,
      keyadmin::v1::ListKeyTypesResponse* response) override;
  grpc::ServerUnaryReactor* GetAvailableUpgrades(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::GetAvailableUpgradesRequest* request,
      keyadmin::v1::GetAvailableUpgradesResponse* response) override;
  grpc::ServerUnaryReactor* CreateKey(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::CreateKeyRequest* request,
      keyadmin::v1::CreateKeyResponse* response) override;
  grpc::ServerUnaryReactor* UpgradeKey(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::UpgradeKeyRequest* request,
      keyadmin::v1::UpgradeKeyResponse* response) override;
  grpc::ServerUnaryReactor* RenewKey(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::RenewKeyRequest* request,
      keyadmin::v1::RenewKeyResponse* response) override;
  grpc::ServerUnaryReactor* TerminateKey(
      grpc::CallbackServerContext* context,
      const keyadmin::v1::TerminateKeyRequest* request,
      keyadmin::v1::TerminateKeyResponse* response) override;

 private:
  // The steps every call shares; `handle` fills the response or fails.
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                   KaMethod method,
                                   absl::FunctionRef<absl::Status()> handle);

  KeyAdministrator& administrator_;
  const Catalogue& catalogue_;
  const PartnerCredentials credentials_;
  FaultInjector& faults_;
  CallCounter& calls_;
  DelayQueue& delays_;
  // The catalogue never changes: build its answer once.
  keyadmin::v1::ListKeyTypesResponse key_types_;
};

}  // namespace ka_mock
