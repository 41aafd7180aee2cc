// Which gRPC targets stay on this machine, where a token may travel
// without TLS: loopback addresses in every form gRPC accepts them, and
// everything else (names, other schemes, a mix) counted as remote.
#include "licensectl/loopback_target.h"

#include "gtest/gtest.h"

namespace licensectl {
namespace {

TEST(LoopbackTargetTest, LoopbackAddressesInEachForm) {
  for (const char* target :
       {"127.0.0.1:50051", "127.0.0.1", "127.1.2.3:1", "127.255.255.254:9", "localhost:50051", "LOCALHOST:1",
        "localhost", "[::1]:50051", "[::1]", "::1", "[::ffff:127.0.0.1]:50051", "dns:///localhost:50051",
        "dns:///127.0.0.1:50051", "dns:localhost:50051", "dns://8.8.8.8/127.0.0.1:1", "ipv4:127.0.0.1:50051",
        "ipv4:127.0.0.1:1,127.0.0.2:2", "ipv6:[::1]:50051", "unix:/run/lss.sock", "unix:///run/lss.sock",
        "unix:relative.sock", "unix-abstract:lss"}) {
    EXPECT_TRUE(IsLoopbackTarget(target)) << target;
  }
}

TEST(LoopbackTargetTest, EverythingElseIsRemote) {
  for (const char* target :
       {"10.0.0.5:50051", "192.0.2.1:50051", "0.0.0.0:50051", "128.0.0.1:1", "lss.example.com:443",
        "localhost.example.com:1", "my-localhost:1", "[2001:db8::1]:50051", "[::2]:1", "dns:///lss.example.com:443",
        "dns://8.8.8.8/localhost:1", "ipv4:127.0.0.1:1,10.0.0.1:1", "ipv4:", "ipv6:[2001:db8::1]:1",
        "xds:///lss", "vsock:3:50051", "127.0.0.1x:1", "[::1", "[::1]x", ""}) {
    EXPECT_FALSE(IsLoopbackTarget(target)) << target;
  }
}

}  // namespace
}  // namespace licensectl
