// The global options: the command line beats the environment, which beats
// the defaults; malformed values are usage errors; the token comes from
// --token or --token-file, and never travels in plaintext off loopback.
#include "licensectl/global_options.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scratch_files.h"

namespace licensectl {
namespace {

using ::testing::AllOf;
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
  // Loopback addresses: a token travels in plaintext to no other.
  environment_ = {{"LICENSECTL_ADDRESS", "127.0.0.1:1"}, {"LICENSECTL_TOKEN", "env-token\n"}};
  absl::StatusOr<GlobalOptions> options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.address, "127.0.0.1:1");
  EXPECT_EQ(options->connection.token, "env-token") << "a trailing newline is dropped";

  OptionValues given;
  given.Add("address", "localhost:2");
  given.Add("token", "flag-token");
  options = Resolve(given);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.address, "localhost:2");
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

TEST_F(GlobalOptionsTest, TheTokenFileGivesTheToken) {
  testing::ScratchFiles files;
  OptionValues given;
  given.Add("token-file", files.Write("token", "file-token\n"));
  absl::StatusOr<GlobalOptions> options = Resolve(given);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.token, "file-token");

  environment_ = {{"LICENSECTL_TOKEN_FILE", files.Write("env-token", "env-file-token")}};
  options = Resolve({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.token, "env-file-token");
}

TEST_F(GlobalOptionsTest, TheCommandLineTokenBeatsTheEnvironmentsWhicheverTheForm) {
  testing::ScratchFiles files;
  environment_ = {{"LICENSECTL_TOKEN_FILE", files.Write("env-token", "env-file-token")}};
  OptionValues token;
  token.Add("token", "flag-token");
  EXPECT_EQ(Resolve(token)->connection.token, "flag-token");

  environment_ = {{"LICENSECTL_TOKEN", "env-token"}};
  OptionValues token_file;
  token_file.Add("token-file", files.Write("token", "file-token"));
  EXPECT_EQ(Resolve(token_file)->connection.token, "file-token");
}

TEST_F(GlobalOptionsTest, TwoTokensAtOneLevelAreAUsageError) {
  testing::ScratchFiles files;
  const std::string path = files.Write("token", "file-token");
  OptionValues both;
  both.Add("token", "flag-token");
  both.Add("token-file", path);
  absl::StatusOr<GlobalOptions> options = Resolve(both);
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(), HasSubstr("--token and --token-file"));

  environment_ = {{"LICENSECTL_TOKEN", "env-token"}, {"LICENSECTL_TOKEN_FILE", path}};
  EXPECT_THAT(Resolve({}).status().message(), HasSubstr("LICENSECTL_TOKEN and LICENSECTL_TOKEN_FILE are both set"));
}

TEST_F(GlobalOptionsTest, AnUnusableTokenFileIsAUsageErrorNamingIt) {
  testing::ScratchFiles files;
  const struct {
    std::string path;
    const char* says;
  } cases[] = {
      {files.Path("absent"), "cannot read token file"},
      {files.Write("empty", "\n"), "is empty"},
      {files.Write("shared", "file-token", 0644), "may be read or written by others (mode 0644)"},
      {files.Write("two-words", "file token"), "may hold only visible ASCII characters"},
  };
  for (const auto& bad : cases) {
    OptionValues given;
    given.Add("token-file", bad.path);
    absl::StatusOr<GlobalOptions> options = Resolve(given);
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << bad.path;
    EXPECT_THAT(options.status().message(), AllOf(HasSubstr(bad.path), HasSubstr(bad.says)));
  }
  OptionValues empty_name;
  empty_name.Add("token-file", "");
  EXPECT_THAT(Resolve(empty_name).status().message(), HasSubstr("--token-file must name a file"));
}

TEST_F(GlobalOptionsTest, APlaintextTokenToARemoteAddressIsRefused) {
  for (const char* address : {"10.0.0.5:50051", "lss.example.com:50051", "[2001:db8::1]:50051"}) {
    OptionValues given;
    given.Add("address", address);
    given.Add("token", "s3cret");
    absl::StatusOr<GlobalOptions> options = Resolve(given);
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_THAT(options.status().message(),
                AllOf(HasSubstr(absl::StrCat("refusing to send the token in plaintext to ", address)),
                      HasSubstr("not a loopback address"), HasSubstr("--tls-ca-file")));
  }
  // The token from the environment or a file is refused alike.
  testing::ScratchFiles files;
  environment_ = {{"LICENSECTL_ADDRESS", "10.0.0.5:50051"},
                  {"LICENSECTL_TOKEN_FILE", files.Write("token", "s3cret")}};
  EXPECT_THAT(Resolve({}).status().message(), HasSubstr("refusing to send the token in plaintext"));
}

TEST_F(GlobalOptionsTest, ATokenMayGoToARemoteAddressOverTls) {
  OptionValues ca;
  ca.Add("address", "lss.example.com:50051");
  ca.Add("token", "s3cret");
  ca.Add("tls-ca-file", "ca.pem");
  EXPECT_TRUE(Resolve(ca).ok()) << Resolve(ca).status();

  environment_ = {{"LICENSECTL_TLS_CERT_FILE", "client.pem"}, {"LICENSECTL_TLS_KEY_FILE", "client.key"}};
  OptionValues mutual;
  mutual.Add("address", "lss.example.com:50051");
  mutual.Add("token", "s3cret");
  EXPECT_TRUE(Resolve(mutual).ok()) << Resolve(mutual).status();
}

TEST_F(GlobalOptionsTest, APlaintextTokenMayGoToLoopbackAndNoTokenAnywhere) {
  for (const char* address : {"127.0.0.1:50051", "127.0.0.9:1", "localhost:50051", "[::1]:50051", "unix:/run/lss.sock"}) {
    OptionValues given;
    given.Add("address", address);
    given.Add("token", "s3cret");
    EXPECT_TRUE(Resolve(given).ok()) << address << ": " << Resolve(given).status();
  }
  EXPECT_TRUE(Resolve({}).ok()) << "the default address is loopback";
  OptionValues remote_without_token;
  remote_without_token.Add("address", "10.0.0.5:50051");
  EXPECT_TRUE(Resolve(remote_without_token).ok());
}

TEST_F(GlobalOptionsTest, AKeyWithoutItsCertificateIsRefusedNamingBothOptions) {
  OptionValues key_only;
  key_only.Add("tls-key-file", "client.key");
  EXPECT_THAT(Resolve(key_only).status().message(),
              AllOf(HasSubstr("--tls-cert-file and --tls-key-file go together"),
                    HasSubstr("--tls-cert-file (or LICENSECTL_TLS_CERT_FILE) is missing")));
}

}  // namespace
}  // namespace licensectl
