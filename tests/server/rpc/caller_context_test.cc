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
// AdmitCaller derived for the call: "name|role|request_id", or the refusal.
class WhoAmIService : public grpc::CallbackGenericService {
 public:
  explicit WhoAmIService(const Authenticator& auth) : auth_(auth) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(const absl::StatusOr<CallerIdentity>& caller) {
        if (!caller.ok()) {
          Finish(grpc::Status(static_cast<grpc::StatusCode>(caller.status().code()),
                              std::string(caller.status().message())));
          return;
        }
        grpc::Slice slice(absl::StrCat(caller->name, "|", RoleName(caller->role), "|", caller->request_id));
        answer_ = grpc::ByteBuffer(&slice, 1);
        StartWriteAndFinish(&answer_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer answer_;
    };
    // The method name stands in for an RPC: "/test.WhoAmI/<method>".
    const std::string method = context->method().substr(context->method().rfind('/') + 1);
    return new Reactor(AdmitCaller(*context, auth_, method));
  }

 private:
  const Authenticator& auth_;
};

class CallerContextTest : public ::testing::Test {
 protected:
  void Serve(const Authenticator& auth) {
    service_ = std::make_unique<WhoAmIService>(auth);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  }
  void SetUp() override { Serve(open_); }
  void TearDown() override { server_->Shutdown(); }

  // Calls `method` with the given request id and authorization (none when
  // empty) and returns the identity the server saw, split into its three
  // parts, or the refusal's status.
  absl::StatusOr<std::vector<std::string>> Call(const std::string& request_id, const std::string& method = "GetLicense",
                                                const std::string& authorization = "") {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!request_id.empty()) context.AddMetadata(std::string(kRequestIdMetadata), request_id);
    if (!authorization.empty()) context.AddMetadata(std::string(kAuthorizationMetadata), authorization);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&context, absl::StrCat("/test.WhoAmI/", method), grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    if (!status.ok()) return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(response.Dump(&slices).ok());
    std::string text;
    for (const grpc::Slice& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return std::vector<std::string>(absl::StrSplit(text, '|'));
  }

  const Authenticator open_{};
  std::unique_ptr<WhoAmIService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(CallerContextTest, WithoutTokensTheCallerIsAnonymousWithEveryRole) {
  absl::StatusOr<std::vector<std::string>> who = Call("req-123", "ListAuditEvents");
  ASSERT_TRUE(who.ok()) << who.status();
  ASSERT_EQ(who->size(), 3u);
  EXPECT_EQ((*who)[0], kAnonymousCaller);
  EXPECT_EQ((*who)[1], "admin");
  EXPECT_EQ((*who)[2], "req-123");
}

TEST_F(CallerContextTest, MissingRequestIdIsGeneratedPerCall) {
  absl::StatusOr<std::vector<std::string>> first = Call("");
  absl::StatusOr<std::vector<std::string>> second = Call("");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), 3u);
  ASSERT_EQ(second->size(), 3u);
  EXPECT_EQ((*first)[2].size(), 16u);
  EXPECT_NE((*first)[2], (*second)[2]);
}

TEST_F(CallerContextTest, UnprintableOrOversizedRequestIdIsReplaced) {
  absl::StatusOr<std::vector<std::string>> spaced = Call("two words");
  ASSERT_TRUE(spaced.ok());
  EXPECT_NE((*spaced)[2], "two words");
  absl::StatusOr<std::vector<std::string>> oversized = Call(std::string(kMaxCallerRequestIdLength + 1, 'x'));
  ASSERT_TRUE(oversized.ok());
  EXPECT_EQ((*oversized)[2].size(), 16u);
}

TEST_F(CallerContextTest, TheBearerTokenNamesTheCallerAndItsRoleDecides) {
  server_->Shutdown();
  const Authenticator auth({TokenEntry{Sha256Hex("s3cret"), "ops-bot", Role::kOperator}});
  Serve(auth);
  absl::StatusOr<std::vector<std::string>> who = Call("", "SyncLicense", "Bearer s3cret");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ((*who)[0], "ops-bot");
  EXPECT_EQ((*who)[1], "operator");
  EXPECT_EQ(Call("", "SyncLicense").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Call("", "SyncLicense", "Bearer wrong").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Call("", "ListAuditEvents", "Bearer s3cret").status().code(), absl::StatusCode::kPermissionDenied);
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
