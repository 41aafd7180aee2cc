// An internal service's use of the installed API package (LicenseSyncApi),
// as a team would copy it: a channel, a stub, calls with deadlines, and the
// AIP-193 error details read from a failed call.
//
//   consumer                          checks the generated code offline
//   consumer ADDRESS [KEY_NUMBER]     lists every license at ADDRESS (paged),
//                                     then gets KEY_NUMBER (default: the
//                                     first listed) with its mismatches
//
// A token, when the server wants one, comes from LICENSE_SYNC_TOKEN and
// travels as "authorization: Bearer <token>".
//
// Exits 0 on success, 1 when a call fails (the error on stderr), 2 on bad
// arguments.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"

namespace {

using licensing::v1::License;
using licensing::v1::LicenseService;

constexpr auto kCallTimeout = std::chrono::seconds(30);

// Without a server: the generated messages and stubs link and work.
int CheckGeneratedCode() {
  licensing::v1::SyncLicenseRequest request;
  request.set_key_number("PLSK.00012345");
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  auto stub = LicenseService::NewStub(channel);
  google::rpc::ErrorInfo info;
  info.set_reason("LICENSE_NOT_FOUND");
  const bool ok = stub != nullptr && request.key_number() == "PLSK.00012345" && info.reason() == "LICENSE_NOT_FOUND" &&
                  LicenseService::service_full_name() == std::string("licensing.v1.LicenseService");
  std::cout << (ok ? "consumer OK" : "consumer FAILED") << "\n";
  return ok ? 0 : 1;
}

// Every call gets a deadline, and the token if there is one.
std::unique_ptr<grpc::ClientContext> NewCall() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  if (const char* token = std::getenv("LICENSE_SYNC_TOKEN"); token != nullptr && *token != '\0') {
    context->AddMetadata("authorization", std::string("Bearer ") + token);
  }
  return context;
}

// "NOT_FOUND": grpc::StatusCode's values are 0 to 16, in this order.
std::string CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",           "CANCELLED",        "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",      "OUT_OF_RANGE",     "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
      "DATA_LOSS",    "UNAUTHENTICATED"};
  const auto index = static_cast<size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "code " + std::to_string(index);
}

// Prints a failed call: its code and message, then the ErrorInfo reason the
// server states the case in (branch on that, not on the message) and any
// BadRequest fields.
int Failed(const char* method, const grpc::Status& status) {
  std::cerr << "error: " << method << ": " << CodeName(status.error_code()) << ": " << status.error_message() << "\n";
  google::rpc::Status details;
  if (details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : details.details()) {
      if (google::rpc::ErrorInfo info; detail.UnpackTo(&info)) {
        std::cerr << "  reason: " << info.reason() << "\n";
      } else if (google::rpc::BadRequest bad_request; detail.UnpackTo(&bad_request)) {
        for (const auto& violation : bad_request.field_violations()) {
          std::cerr << "  field " << violation.field() << ": " << violation.description() << "\n";
        }
      }
    }
  }
  return 1;
}

std::string StatusName(licensing::v1::SyncStatus status) {
  // "SYNC_STATUS_IN_SYNC" -> "IN_SYNC"
  return licensing::v1::SyncStatus_Name(status).substr(sizeof("SYNC_STATUS_") - 1);
}

int ListAndGet(LicenseService::Stub& stub, std::string key_number) {
  // ListLicenses is paged (AIP-158): follow next_page_token to the end.
  licensing::v1::ListLicensesRequest list;
  list.set_page_size(100);
  int count = 0;
  do {
    licensing::v1::ListLicensesResponse page;
    const grpc::Status status = stub.ListLicenses(NewCall().get(), list, &page);
    if (!status.ok()) return Failed("ListLicenses", status);
    for (const License& license : page.licenses()) {
      std::cout << "license " << license.license_id() << " " << license.key_number() << " "
                << license.license_class() << " " << StatusName(license.sync_status()) << "\n";
      if (key_number.empty()) key_number = license.key_number();
      ++count;
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  std::cout << "licenses: " << count << "\n";
  if (key_number.empty()) return 0;

  licensing::v1::GetLicenseRequest get;
  get.set_key_number(key_number);
  licensing::v1::GetLicenseResponse got;
  const grpc::Status status = stub.GetLicense(NewCall().get(), get, &got);
  if (!status.ok()) return Failed("GetLicense", status);
  const License& license = got.license();
  std::cout << "got " << license.key_number() << ": License ID " << license.license_id() << ", class "
            << license.license_class() << ", capacity " << license.capacity() << ", "
            << StatusName(license.sync_status()) << "\n";
  for (const licensing::v1::Mismatch& mismatch : license.mismatches()) {
    std::cout << "  - " << licensing::v1::MismatchKind_Name(mismatch.kind()) << ": billing "
              << mismatch.billing_value() << ", KA " << mismatch.ka_value() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 1) return CheckGeneratedCode();
  if (argc > 3) {
    std::cerr << "usage: consumer [ADDRESS [KEY_NUMBER]]\n";
    return 2;
  }
  // Plaintext, for the loopback test server; a real service uses
  // grpc::SslCredentials with the server's CA.
  auto stub = LicenseService::NewStub(grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  return ListAndGet(*stub, argc == 3 ? argv[2] : "");
}
