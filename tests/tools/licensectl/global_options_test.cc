// The global options: the command line beats the environment, which beats
// the defaults; malformed values are usage errors.
#include "licensectl/global_options.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace licensectl {
namespace {

using ::testing::HasSubstr;

class GlobalOptionsTest : public ::testing::Test {
 protected:
  absl::StatusOr<GlobalOptions> Resolve(const OptionValues& given) {
    return ResolveGlobalOptions(given, [this](absl::string_view name) -> absl::optional<std::string> {
      auto it = environment_.find(std::string(name));
      if (it == environment_.end()) return absl::nullopt;
      return it->second;
    });
  }

  std::map<std::string, std::string> environment_;
};

TEST_F(GlobalOptionsTest, Defaults) {
  absl::StatusOr<GlobalOptions> options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.address, "127.0.0.1:50051");
  EXPECT_EQ(options->connection.token, "");
  EXPECT_EQ(options->connection.timeout, absl::Seconds(30));
  EXPECT_FALSE(options->json);
}

TEST_F(GlobalOptionsTest, EnvironmentFillsWhatTheCommandLineDoesNotGive) {
  environment_ = {{"LICENSECTL_ADDRESS", "env:1"}, {"LICENSECTL_TOKEN", "env-token\n"}};
  absl::StatusOr<GlobalOptions> options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.address, "env:1");
  EXPECT_EQ(options->connection.token, "env-token") << "a trailing newline is dropped";

  OptionValues given;
  given.Add("address", "flag:2");
  given.Add("token", "flag-token");
  options = Resolve(given);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.address, "flag:2");
  EXPECT_EQ(options->connection.token, "flag-token");
}

TEST_F(GlobalOptionsTest, TlsFilesComeFromTheCommandLineThenTheEnvironment) {
  absl::StatusOr<GlobalOptions> options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.tls_ca_file, "") << "plaintext by default";
  EXPECT_EQ(options->connection.tls_cert_file, "");
  EXPECT_EQ(options->connection.tls_key_file, "");

  environment_ = {{"LICENSECTL_TLS_CA_FILE", "env-ca.pem"},
                  {"LICENSECTL_TLS_CERT_FILE", "env-cert.pem"},
                  {"LICENSECTL_TLS_KEY_FILE", "env-key.pem"}};
  options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.tls_ca_file, "env-ca.pem");
  EXPECT_EQ(options->connection.tls_cert_file, "env-cert.pem");
  EXPECT_EQ(options->connection.tls_key_file, "env-key.pem");

  OptionValues given;
  given.Add("tls-ca-file", "flag-ca.pem");
  given.Add("tls-cert-file", "flag-cert.pem");
  given.Add("tls-key-file", "flag-key.pem");
  options = Resolve(given);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.tls_ca_file, "flag-ca.pem");
  EXPECT_EQ(options->connection.tls_cert_file, "flag-cert.pem");
  EXPECT_EQ(options->connection.tls_key_file, "flag-key.pem");
}

TEST_F(GlobalOptionsTest, AClientCertificateNeedsItsKey) {
  OptionValues cert_only;
  cert_only.Add("tls-cert-file", "cert.pem");
  EXPECT_THAT(Resolve(cert_only).status().message(), HasSubstr("--tls-key-file (or LICENSECTL_TLS_KEY_FILE) is missing"));

  environment_ = {{"LICENSECTL_TLS_KEY_FILE", "key.pem"}};
  EXPECT_THAT(Resolve({}).status().message(), HasSubstr("--tls-cert-file (or LICENSECTL_TLS_CERT_FILE) is missing"));
  EXPECT_TRUE(Resolve(cert_only).ok()) << "the key from the environment completes the pair";
}

TEST_F(GlobalOptionsTest, AnEmptyEnvironmentVariableCountsAsUnset) {
  environment_ = {{"LICENSECTL_ADDRESS", ""}};
  EXPECT_EQ(Resolve({})->connection.address, "127.0.0.1:50051");
}

TEST_F(GlobalOptionsTest, TimeoutAndJson) {
  OptionValues given;
  given.Add("timeout", "2.5");
  given.Add("json", "");
  absl::StatusOr<GlobalOptions> options = Resolve(given);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.timeout, absl::Milliseconds(2500));
  EXPECT_TRUE(options->json);
}

TEST_F(GlobalOptionsTest, MalformedValuesAreRejected) {
  for (const char* timeout : {"0", "-1", "soon", "nan", "inf"}) {
    OptionValues given;
    given.Add("timeout", timeout);
    EXPECT_THAT(Resolve(given).status().message(), HasSubstr("--timeout")) << timeout;
  }
  OptionValues bad_token;
  bad_token.Add("token", "two words");
  EXPECT_THAT(Resolve(bad_token).status().message(), HasSubstr("token"));
}

}  // namespace
}  // namespace licensectl
