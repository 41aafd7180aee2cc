#include "licensectl/global_options.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace licensectl {
namespace {

// The environment's value of `name`, or nullopt when unset or empty: an
// empty variable is how shells "unset" one for a single command.
absl::optional<std::string> NonEmpty(EnvironmentLookup environment, absl::string_view name) {
  absl::optional<std::string> value = environment(name);
  if (value.has_value() && value->empty()) return absl::nullopt;
  return value;
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  double seconds = 0;
  if (!absl::SimpleAtod(text, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout must be a positive number of seconds, got '", text, "'"));
  }
  return absl::Seconds(seconds);
}

// Tokens are often pasted or read from files, so surrounding blanks and a
// final newline are dropped. What remains must be visible ASCII: anything
// else cannot travel in an HTTP/2 header, and gRPC would fail the call
// with a less helpful message.
absl::StatusOr<std::string> CleanToken(absl::string_view token) {
  token = absl::StripAsciiWhitespace(token);
  const bool printable = std::all_of(token.begin(), token.end(),
                                     [](char c) { return c > ' ' && c <= '~'; });
  if (!printable) {
    return absl::InvalidArgumentError(
        "the token (--token or LICENSECTL_TOKEN) may hold only visible ASCII characters");
  }
  return std::string(token);
}

}  // namespace

const std::vector<OptionSpec>& GlobalOptionSpecs() {
  static const std::vector<OptionSpec> kSpecs = {
      {"address", "HOST:PORT", "license-server to call (default 127.0.0.1:50051)"},
      {"token", "TOKEN", "bearer token, sent as \"authorization: Bearer TOKEN\""},
      {"tls-ca-file", "FILE", "TLS: PEM CA bundle that the server's certificate must chain to"},
      {"tls-cert-file", "FILE", "mutual TLS: PEM client certificate chain (with --tls-key-file)"},
      {"tls-key-file", "FILE", "mutual TLS: PEM private key of --tls-cert-file"},
      {"json", "", "print the server's response as JSON (proto field names)"},
      {"timeout", "SECONDS", "deadline of each call (default 30)"},
  };
  return kSpecs;
}

absl::StatusOr<GlobalOptions> ResolveGlobalOptions(const OptionValues& given,
                                                   EnvironmentLookup environment) {
  GlobalOptions resolved;

  if (auto address = given.Get("address")) {
    resolved.connection.address = *address;
  } else if (auto from_environment = NonEmpty(environment, kAddressEnvironmentVariable)) {
    resolved.connection.address = *from_environment;
  } else {
    resolved.connection.address = std::string(kDefaultAddress);
  }
  if (resolved.connection.address.empty()) {
    return absl::InvalidArgumentError("--address must not be empty");
  }

  absl::optional<std::string> token = given.Get("token");
  if (!token.has_value()) token = NonEmpty(environment, kTokenEnvironmentVariable);
  if (token.has_value()) {
    absl::StatusOr<std::string> cleaned = CleanToken(*token);
    if (!cleaned.ok()) return cleaned.status();
    resolved.connection.token = *std::move(cleaned);
  }

  // Each TLS file as --address is resolved: the command line, then the
  // environment; no default.
  const struct {
    absl::string_view option;
    absl::string_view variable;
    std::string* destination;
  } tls_files[] = {
      {"tls-ca-file", kTlsCaFileEnvironmentVariable, &resolved.connection.tls_ca_file},
      {"tls-cert-file", kTlsCertFileEnvironmentVariable, &resolved.connection.tls_cert_file},
      {"tls-key-file", kTlsKeyFileEnvironmentVariable, &resolved.connection.tls_key_file},
  };
  for (const auto& file : tls_files) {
    if (auto path = given.Get(file.option)) {
      *file.destination = *path;
    } else if (auto from_environment = NonEmpty(environment, file.variable)) {
      *file.destination = *from_environment;
    }
  }
  if (resolved.connection.tls_cert_file.empty() != resolved.connection.tls_key_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls-cert-file and --tls-key-file go together: ",
        resolved.connection.tls_cert_file.empty() ? "--tls-cert-file (or LICENSECTL_TLS_CERT_FILE)"
                                                  : "--tls-key-file (or LICENSECTL_TLS_KEY_FILE)",
        " is missing"));
  }

  if (auto timeout = given.Get("timeout")) {
    absl::StatusOr<absl::Duration> parsed = ParseTimeout(*timeout);
    if (!parsed.ok()) return parsed.status();
    resolved.connection.timeout = *parsed;
  }

  resolved.json = given.Has("json");
  return resolved;
}

}  // namespace licensectl
