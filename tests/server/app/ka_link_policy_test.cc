#include "server/app/ka_link_policy.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"

namespace lss {
namespace {

TEST(KaLinkPolicyTest, ALoopbackKaMayBePlaintext) {
  for (const char* address : {"127.0.0.1:50052", "localhost:50052", "[::1]:50052", "dns:///localhost:50052",
                              "ipv4:127.0.0.2:443", "unix:/run/ka.sock"}) {
    EXPECT_TRUE(CheckKaLinkPolicy(address, /*tls=*/false, /*allow_insecure=*/false).ok()) << address;
  }
}

TEST(KaLinkPolicyTest, ARemoteKaNeedsTlsOrAnExplicitRisk) {
  for (const char* address : {"ka.example.com:443", "10.0.0.7:50052", "dns:///ka.example.com:443",
                              "0.0.0.0:50052", "[2001:db8::1]:443", "ipv6:[2001:db8::1]:443"}) {
    const absl::Status refused = CheckKaLinkPolicy(address, false, false);
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << address;
    EXPECT_EQ(ReasonOf(refused), "INSECURE_KEY_ADMINISTRATOR") << address;
    EXPECT_NE(refused.message().find("--allow_insecure_ka"), absl::string_view::npos);
    EXPECT_TRUE(CheckKaLinkPolicy(address, /*tls=*/true, false).ok()) << address;
    EXPECT_TRUE(CheckKaLinkPolicy(address, false, /*allow_insecure=*/true).ok()) << address;
  }
}

}  // namespace
}  // namespace lss
