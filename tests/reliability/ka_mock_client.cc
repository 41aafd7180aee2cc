#include "tests/reliability/ka_mock_client.h"

#include "tests/reliability/rpc_calls.h"

namespace lss::reliability {

KaMockClient::KaMockClient(const harness::KaMockProcess& ka)
    : admin_(keyadmin::v1::KeyAdministratorAdminService::NewStub(ka.NewChannel())),
      ka_(keyadmin::v1::KeyAdministratorService::NewStub(ka.NewChannel())),
      login_(ka.login()),
      password_(ka.password()) {}

absl::StatusOr<keyadmin::v1::ChangeKeyResponse> KaMockClient::ChangeKey(
    const keyadmin::v1::ChangeKeyRequest& request) {
  keyadmin::v1::ChangeKeyResponse response;
  grpc::Status status = admin_->ChangeKey(Deadline(absl::Seconds(30)).get(), request, &response);
  if (!status.ok()) return ToAbsl(status, "ChangeKey " + request.key_number());
  return response;
}

absl::Status KaMockClient::SetFaults(const keyadmin::v1::SetFaultsRequest& request) {
  keyadmin::v1::SetFaultsResponse ignored;
  return ToAbsl(admin_->SetFaults(Deadline(absl::Seconds(30)).get(), request, &ignored), "SetFaults");
}

absl::Status KaMockClient::SetLatency(int latency_ms) {
  keyadmin::v1::SetFaultsRequest request;
  request.set_latency_ms(latency_ms);
  return SetFaults(request);
}

absl::StatusOr<std::map<std::string, int64_t>> KaMockClient::CallCounts(bool reset) {
  keyadmin::v1::GetCallCountsRequest request;
  request.set_reset(reset);
  keyadmin::v1::GetCallCountsResponse response;
  grpc::Status status = admin_->GetCallCounts(Deadline(absl::Seconds(30)).get(), request, &response);
  if (!status.ok()) return ToAbsl(status, "GetCallCounts");
  return std::map<std::string, int64_t>(response.counts().begin(), response.counts().end());
}

absl::StatusOr<int64_t> KaMockClient::CallCount(const std::string& method) {
  absl::StatusOr<std::map<std::string, int64_t>> counts = CallCounts();
  if (!counts.ok()) return counts.status();
  auto it = counts->find(method);
  return it == counts->end() ? 0 : it->second;
}

std::unique_ptr<grpc::ClientContext> KaMockClient::KaContext() const {
  std::unique_ptr<grpc::ClientContext> context = Deadline(absl::Seconds(60));
  context->AddMetadata("ka-login", login_);
  context->AddMetadata("ka-password", password_);
  return context;
}

absl::StatusOr<std::vector<keyadmin::v1::Key>> KaMockClient::ListKeys() {
  std::vector<keyadmin::v1::Key> keys;
  keyadmin::v1::ListKeysRequest request;
  request.set_page_size(1000);
  // A bound on the pages, so that a token that never ends cannot hang the test.
  for (int page = 0; page < 100000; ++page) {
    keyadmin::v1::ListKeysResponse response;
    grpc::Status status = ka_->ListKeys(KaContext().get(), request, &response);
    if (!status.ok()) return ToAbsl(status, "KA ListKeys");
    keys.insert(keys.end(), response.keys().begin(), response.keys().end());
    if (response.next_page_token().empty()) return keys;
    request.set_page_token(response.next_page_token());
  }
  return absl::InternalError("KA ListKeys never reached its last page");
}

absl::StatusOr<std::map<std::string, keyadmin::v1::KeyType>> KaMockClient::KeyTypes() {
  keyadmin::v1::ListKeyTypesResponse response;
  grpc::Status status = ka_->ListKeyTypes(KaContext().get(), {}, &response);
  if (!status.ok()) return ToAbsl(status, "KA ListKeyTypes");
  std::map<std::string, keyadmin::v1::KeyType> types;
  for (const keyadmin::v1::KeyType& type : response.key_types()) types[type.name()] = type;
  return types;
}

}  // namespace lss::reliability
