// Calls of any LicenseService method with any bytes as the request body, and
// the error details of their answers, for the suites that check what the
// server answers to bad input (fuzz_test.cc, input_limits_test.cc).
//
// RawCall goes through grpc::GenericStub, so the body reaches the server as
// given: bytes no client stub would send (truncated, corrupt, not UTF-8,
// larger than the server accepts) included. Header-only; thread-safe (one
// call per CompletionQueue).
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace lss::raw_call {

struct RawResult {
  grpc::Status status;
  int messages = 0;        // responses read (streaming: until the end or the cancel)
  bool cancelled = false;  // we cancelled the call ourselves after read_limit messages
};

struct RawOptions {
  absl::Duration deadline = absl::Seconds(10);
  bool server_streaming = false;
  // Server streaming: cancel after this many responses (0: read to the end).
  int read_limit = 0;
  // false: the call half-closes without sending any request message (no
  // client stub does that; the body is then ignored).
  bool send_message = true;
};

namespace internal {

// Waits for the one operation in flight on `cq`; returns its `ok`.
inline bool Await(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  if (!cq.Next(&tag, &ok)) return false;
  return ok;
}

inline void Drain(grpc::CompletionQueue& cq) {
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
}

}  // namespace internal

// `method` is the full name, e.g. "/licensing.v1.LicenseService/GetLicense".
inline RawResult Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& body, const RawOptions& options = {}) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.deadline));
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::CompletionQueue cq;
  RawResult result;
  void* const tag = reinterpret_cast<void*>(1);
  if (!options.server_streaming && options.send_message) {
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        stub.PrepareUnaryCall(&context, method, request, &cq);
    call->StartCall();
    grpc::ByteBuffer response;
    call->Finish(&response, &result.status, tag);
    internal::Await(cq);
    if (result.status.ok()) result.messages = 1;
    internal::Drain(cq);
    return result;
  }
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call = stub.PrepareCall(&context, method, &cq);
  call->StartCall(tag);
  if (internal::Await(cq)) {
    if (options.send_message) {
      call->WriteLast(request, grpc::WriteOptions(), tag);
    } else {
      call->WritesDone(tag);
    }
    if (internal::Await(cq)) {
      grpc::ByteBuffer response;
      while (true) {
        call->Read(&response, tag);
        if (!internal::Await(cq)) break;
        ++result.messages;
        if (options.read_limit > 0 && result.messages >= options.read_limit) {
          context.TryCancel();
          result.cancelled = true;
          break;
        }
      }
    }
  }
  call->Finish(&result.status, tag);
  internal::Await(cq);
  internal::Drain(cq);
  return result;
}

// What a non-OK status carries in google.rpc.Status (grpc-status-details-bin).
struct ErrorDetails {
  bool parsed = false;   // error_details held a google.rpc.Status
  int code = 0;          // its code
  int error_infos = 0;   // how many ErrorInfo details
  std::string reason;    // the (last) ErrorInfo's
  std::string domain;
  std::vector<std::string> fields;  // every BadRequest field violation's field
};

inline ErrorDetails DetailsOf(const grpc::Status& status) {
  ErrorDetails out;
  google::rpc::Status proto;
  if (status.error_details().empty() || !proto.ParseFromString(status.error_details())) return out;
  out.parsed = true;
  out.code = proto.code();
  for (const auto& detail : proto.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (detail.Is<google::rpc::ErrorInfo>() && detail.UnpackTo(&info)) {
      ++out.error_infos;
      out.reason = info.reason();
      out.domain = info.domain();
    }
    if (detail.Is<google::rpc::BadRequest>() && detail.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) out.fields.push_back(v.field());
    }
  }
  return out;
}

}  // namespace lss::raw_call
