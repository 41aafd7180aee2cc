#include "server/rpc/server_interceptors.h"

namespace lss {

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> ServerInterceptors() {
  return {};
}

}  // namespace lss
