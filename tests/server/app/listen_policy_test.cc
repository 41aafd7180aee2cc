#include "server/app/listen_policy.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"

namespace lss {
namespace {

TEST(ListenPolicyTest, LoopbackAddresses) {
  for (const char* listen : {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "LOCALHOST:1", "[::1]:50051",
                             "::1"}) {
    EXPECT_TRUE(IsLoopbackListen(listen)) << listen;
  }
  for (const char* listen : {"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.5:50051", "127.0.0.1.nip.io:1",
                             "example.com:443", "[::2]:1", "128.0.0.1:1"}) {
    EXPECT_FALSE(IsLoopbackListen(listen)) << listen;
  }
}

TEST(ListenPolicyTest, OffLoopbackNeedsTlsAndTokensOrAnExplicitRisk) {
  EXPECT_TRUE(CheckListenPolicy("127.0.0.1:0", false, false, false).ok());
  EXPECT_TRUE(CheckListenPolicy("0.0.0.0:0", true, true, false).ok());
  EXPECT_TRUE(CheckListenPolicy("0.0.0.0:0", false, false, true).ok());
  const absl::Status no_tokens = CheckListenPolicy("0.0.0.0:50051", true, false, false);
  EXPECT_EQ(no_tokens.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(no_tokens), "INSECURE_LISTEN");
  EXPECT_NE(no_tokens.message().find("--auth_tokens_file"), absl::string_view::npos);
  EXPECT_EQ(no_tokens.message().find("--tls_cert_file"), absl::string_view::npos);
  const absl::Status neither = CheckListenPolicy("[::]:50051", false, false, false);
  EXPECT_NE(neither.message().find("--tls_cert_file"), absl::string_view::npos);
  EXPECT_NE(neither.message().find("--allow_insecure_listen"), absl::string_view::npos);
}

}  // namespace
}  // namespace lss
