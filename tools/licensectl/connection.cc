#include "licensectl/connection.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace licensectl {

std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials(
    const ConnectionOptions& /*options*/) {
  return grpc::InsecureChannelCredentials();
}

std::unique_ptr<Connection> Connection::Open(const ConnectionOptions& options) {
  grpc::ChannelArguments arguments;
  // Lets the server's logs tell licensectl's calls from other clients'.
  arguments.SetUserAgentPrefix("licensectl");
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.address, MakeChannelCredentials(options), arguments);
  return std::make_unique<Connection>(std::move(channel), options);
}

Connection::Connection(std::shared_ptr<grpc::Channel> channel, ConnectionOptions options)
    : options_(std::move(options)),
      stub_(licensing::v1::LicenseService::NewStub(std::move(channel))) {}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  return context;
}

}  // namespace licensectl
