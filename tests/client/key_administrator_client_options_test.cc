// KeyAdministratorClient::Create's validation; needs no KA (channels connect
// lazily), so it is a unit test.
#include "client/key_administrator_client.h"
#include "common/status/error_details.h"
#include "gtest/gtest.h"

namespace lss {
namespace {

KeyAdministratorClient::Options ValidOptions() {
  KeyAdministratorClient::Options options;
  options.target = "127.0.0.1:1";
  options.credentials = {"billing", "billing-secret"};
  return options;
}

TEST(KeyAdministratorClientOptionsTest, DefaultsFollowTheDesign) {
  const KeyAdministratorClient::Options options;
  EXPECT_EQ(options.attempt_deadline, absl::Seconds(5));
  EXPECT_EQ(options.retry.max_attempts, 4);
  EXPECT_EQ(options.retry.initial_backoff, absl::Milliseconds(100));
  EXPECT_EQ(options.retry.max_backoff, absl::Seconds(2));
  EXPECT_EQ(options.retry.backoff_multiplier, 2.0);
  EXPECT_EQ(options.max_in_flight, 64);
}

TEST(KeyAdministratorClientOptionsTest, ValidOptionsMakeAnIdleClient) {
  absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> client =
      KeyAdministratorClient::Create(ValidOptions());
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->InFlight(), 0);
  EXPECT_EQ((*client)->Queued(), 0);
}

TEST(KeyAdministratorClientOptionsTest, BadOptionsNameTheField) {
  struct Case {
    const char* field;
    void (*spoil)(KeyAdministratorClient::Options&);
  };
  const Case cases[] = {
      {"target", [](KeyAdministratorClient::Options& o) { o.target.clear(); }},
      {"credentials", [](KeyAdministratorClient::Options& o) { o.credentials.password.clear(); }},
      {"attempt_deadline",
       [](KeyAdministratorClient::Options& o) { o.attempt_deadline = absl::ZeroDuration(); }},
      {"max_in_flight", [](KeyAdministratorClient::Options& o) { o.max_in_flight = 0; }},
      {"max_attempts", [](KeyAdministratorClient::Options& o) { o.retry.max_attempts = 0; }},
  };
  for (const Case& c : cases) {
    KeyAdministratorClient::Options options = ValidOptions();
    c.spoil(options);
    absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> client =
        KeyAdministratorClient::Create(std::move(options));
    ASSERT_FALSE(client.ok()) << c.field;
    EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
    std::vector<FieldViolation> violations = FieldViolationsOf(client.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, c.field);
  }
}

// TLS settings are checked when the client is made, so that license-server
// refuses to start on them; errors name license-server's flags.
TEST(KeyAdministratorClientOptionsTest, BadTlsSettingsNameTheFlag) {
  struct Case {
    KaTlsOptions tls;
    absl::StatusCode code;
    const char* says;
  };
  const Case cases[] = {
      {{.cert_file = "client.pem"}, absl::StatusCode::kInvalidArgument, "--ka_tls_key_file is missing"},
      {{.key_file = "client.key"}, absl::StatusCode::kInvalidArgument, "--ka_tls_cert_file is missing"},
      {{.server_name = "ka.test"}, absl::StatusCode::kInvalidArgument, "--ka_tls_server_name needs"},
      {{.ca_file = "/no/such/ca.pem"}, absl::StatusCode::kFailedPrecondition,
       "cannot read --ka_tls_ca_file /no/such/ca.pem"},
  };
  for (const Case& c : cases) {
    KeyAdministratorClient::Options options = ValidOptions();
    options.tls = c.tls;
    absl::StatusOr<std::unique_ptr<KeyAdministratorClient>> client =
        KeyAdministratorClient::Create(std::move(options));
    ASSERT_FALSE(client.ok()) << c.says;
    EXPECT_EQ(client.status().code(), c.code) << client.status();
    EXPECT_NE(client.status().message().find(c.says), absl::string_view::npos) << client.status();
  }
}

}  // namespace
}  // namespace lss
