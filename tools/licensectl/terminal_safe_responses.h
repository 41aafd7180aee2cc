// What the server says, made printable as it arrives. Every command builds
// its text from the server's strings (key numbers, messages, KA's values,
// feature names, job ids, errors) inside lines of its own, and once a
// string is in a line, a newline or a carriage return in it can no longer
// be told from licensectl's: "...KA 300\nIn Sync" would print a forged
// verdict line. So, before any command sees a response, each of its
// strings is made one safe line (TerminalSafeField: controls, newlines
// included, and invalid UTF-8 replaced by U+FFFD), for every call on the
// channel, present commands and future ones alike.
//
// Only for text output: --json prints the strings as the server sent them,
// escaped by the JSON writer, since a script may need the exact value.
// The status of a failed call is printed as text either way, so its message
// and details are made safe always.
//
// A hostile value is shown, not used: a command that sends a received
// string back (an upgrade's id, a page token) sends the safe form, which
// the server then does not know. Values a server really sends hold no
// controls.
#pragma once

#include <memory>

#include "google/protobuf/message.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/status.h"

namespace licensectl {

// Each string field of `message`, at any depth (repeated fields and maps
// included), made TerminalSafeField. Bytes fields are left alone: they are
// not text, and no command prints one.
void MakeStringsTerminalSafe(google::protobuf::Message& message);

// `status` with its message made TerminalSafeField, and the strings of its
// details (a google.rpc.Status: ErrorInfo, BadRequest and any other detail
// type this build knows) made safe as MakeStringsTerminalSafe makes them.
grpc::Status TerminalSafeStatus(const grpc::Status& status);

// The interceptor that does the above on a channel: every call's status,
// and with `responses_too` every response message. Thread-safe (gRPC may
// create interceptors on any thread; each serves one call).
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MakeTerminalSafeInterceptorFactory(
    bool responses_too);

}  // namespace licensectl
