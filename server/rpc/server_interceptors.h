// The interceptors every LicenseService call passes through, in order.
// They see what no handler sees: a request that gRPC could not parse never
// reaches a handler, yet still gets an answer through them.
//
// One interceptor, on licensing.v1.LicenseService methods only (health and
// reflection are gRPC's own and left alone).
//
// When the call's metadata arrives, it settles the call's request id
// (server/rpc/call_request_id.h): a caller's acceptable x-request-id stays,
// anything else is replaced by a new id in the metadata the handler reads,
// so that the handler's audit event and the call log name the same id.
//
// At the last moment before a call's status is sent:
//  - A request whose bytes do not parse as the method's request message
//    (no message at all, another message, truncated or corrupt bytes, a
//    string field that is not UTF-8, groups nested past protobuf's
//    recursion limit) would end UNIMPLEMENTED with an empty message: that is what
//    gRPC's callback API answers when deserialization fails, before any
//    handler runs. It ends INVALID_ARGUMENT instead, with ErrorInfo reason
//    MALFORMED_REQUEST and a BadRequest violation on the field "request",
//    which names the request message as a whole (AIP-193 wants a field, and
//    no single field of an unparsable message can be blamed).
//  - Any other non-OK status that carries no details (one a reactor ends
//    with directly, such as gRPC's default UNIMPLEMENTED for a method not
//    implemented yet) gets the ErrorInfo reason derived from its code, as
//    server/rpc/grpc_status.h gives errors built without a reason. Statuses
//    with details pass unchanged.
//  - A database failure (reason DATABASE_ERROR or DATABASE_UNAVAILABLE)
//    keeps its code and details, but its message, which quotes the
//    driver's error text (table and column names, server versions,
//    constraint names), goes to the log as a "database_error" line with
//    the call's method and request id; the caller gets a message that
//    names the request id instead.
// Statuses that gRPC itself produces without the call's reactor (deadline
// exceeded, a cancelled call, a request over the maximum message size) are
// sent by gRPC's core and never pass here.
// Then the request id goes into the trailing metadata (x-request-id), and
// each observer hears of the finished call (server/rpc/call_observer.h).
//
// Thread-safe: the factory is shared; each call gets its own interceptor.
#pragma once

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/rpc/call_observer.h"

namespace lss {

// The ErrorInfo reason and BadRequest field of a request gRPC could not
// parse.
inline constexpr absl::string_view kReasonMalformedRequest = "MALFORMED_REQUEST";
inline constexpr absl::string_view kMalformedRequestField = "request";

// `observers` must outlive the server.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> ServerInterceptors(
    std::vector<CallObserver*> observers);

// The pure part of the interceptor, exposed for unit tests.
//
// INVALID_ARGUMENT (MALFORMED_REQUEST, field "request") for a request of
// `method` ("/licensing.v1.LicenseService/GetLicense") that did not parse.
grpc::Status MalformedRequestStatus(absl::string_view method);

// The status a LicenseService call of `method` is to end with, given the
// status its reactor finished with and whether its request failed to parse
// (see above).
grpc::Status StatusToSend(const grpc::Status& finished, bool request_unparsed, absl::string_view method);

// `sent` without the database's error text when it is a database failure
// (see above), the text logged with `method` and `request_id`; any other
// status unchanged.
grpc::Status WithoutDatabaseText(const grpc::Status& sent, absl::string_view method, absl::string_view request_id);

}  // namespace lss
