#include "server/rpc/caller_context.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"

namespace lss {
namespace {

// A real gRPC server whose only method answers with the identity that
// CallerFromContext derived for the call: "name|role|request_id".
class WhoAmIService : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(const CallerIdentity& caller) {
        grpc::Slice slice(absl::StrCat(caller.name, "|", RoleName(caller.role), "|", caller.request_id));
        answer_ = grpc::ByteBuffer(&slice, 1);
        StartWriteAndFinish(&answer_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer answer_;
    };
    return new Reactor(CallerFromContext(*context));
  }
};

class CallerContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  }
  void TearDown() override { server_->Shutdown(); }

  // Calls the server with the given request id (none when empty) and
  // returns the identity it saw, split into its three parts.
  std::vector<std::string> Call(const std::string& request_id) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!request_id.empty()) context.AddMetadata(std::string(kRequestIdMetadata), request_id);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&context, "/test.WhoAmI/Get", grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(response.Dump(&slices).ok());
    std::string text;
    for (const grpc::Slice& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return absl::StrSplit(text, '|');
  }

  WhoAmIService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(CallerContextTest, UnauthenticatedCallerIsAnonymousWithEveryRole) {
  std::vector<std::string> who = Call("req-123");
  ASSERT_EQ(who.size(), 3u);
  EXPECT_EQ(who[0], kAnonymousCaller);
  EXPECT_EQ(who[1], "admin");
  EXPECT_EQ(who[2], "req-123");
}

TEST_F(CallerContextTest, MissingRequestIdIsGeneratedPerCall) {
  std::vector<std::string> first = Call("");
  std::vector<std::string> second = Call("");
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(first[2].size(), 16u);
  EXPECT_NE(first[2], second[2]);
}

TEST_F(CallerContextTest, UnprintableOrOversizedRequestIdIsReplaced) {
  std::vector<std::string> spaced = Call("two words");
  ASSERT_EQ(spaced.size(), 3u);
  EXPECT_NE(spaced[2], "two words");
  std::vector<std::string> oversized = Call(std::string(kMaxRequestIdLength + 1, 'x'));
  ASSERT_EQ(oversized.size(), 3u);
  EXPECT_EQ(oversized[2].size(), 16u);
}

TEST(ParseRoleTest, KnownNamesAndEverythingElse) {
  EXPECT_EQ(ParseRole("viewer"), Role::kViewer);
  EXPECT_EQ(ParseRole("operator"), Role::kOperator);
  EXPECT_EQ(ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(ParseRole("root"), Role::kNone);
  EXPECT_EQ(ParseRole(""), Role::kNone);
  CallerIdentity viewer{"dash", Role::kViewer, "", ""};
  EXPECT_TRUE(viewer.MayActAs(Role::kViewer));
  EXPECT_FALSE(viewer.MayActAs(Role::kOperator));
}

}  // namespace
}  // namespace lss
