// The interceptors every LicenseService call passes through, in order.
// They see what no handler sees: a request that gRPC could not parse never
// reaches a handler, yet still gets an answer through them.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

namespace lss {

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> ServerInterceptors();

}  // namespace lss
