// Builds a request and a stub from the installed package; exits 0 when the
// generated code is usable. No server is needed.
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "google/rpc/error_details.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"

int main() {
  licensing::v1::SyncLicenseRequest request;
  request.set_key_number("PLSK.00012345");
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  auto stub = licensing::v1::LicenseService::NewStub(channel);
  google::rpc::ErrorInfo info;
  info.set_reason("LICENSE_NOT_FOUND");
  const bool ok = stub != nullptr && request.key_number() == "PLSK.00012345" &&
                  licensing::v1::LicenseService::service_full_name() ==
                      std::string("licensing.v1.LicenseService");
  std::cout << (ok ? "consumer OK" : "consumer FAILED") << "\n";
  return ok ? 0 : 1;
}
