#include "licensectl/global_options.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "licensectl/loopback_target.h"
#include "licensectl/token_file.h"

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
// with a less helpful message. `source` says where the token came from.
absl::StatusOr<std::string> CleanToken(absl::string_view token, absl::string_view source) {
  token = absl::StripAsciiWhitespace(token);
  const bool printable = std::all_of(token.begin(), token.end(),
                                     [](char c) { return c > ' ' && c <= '~'; });
  if (!printable) {
    return absl::InvalidArgumentError(
        absl::StrCat("the token (", source, ") may hold only visible ASCII characters"));
  }
  return std::string(token);
}

absl::StatusOr<std::string> TokenFromFile(const std::string& path, absl::string_view option) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(option, " must name a file"));
  absl::StatusOr<std::string> token = ReadTokenFile(path);
  if (!token.ok()) return token.status();
  return CleanToken(*token, absl::StrCat("token file ", path));
}

// The token, "" for none. Each pair of sources is one choice: the command
// line's beats the environment's, and two answers at one level are a
// mistake to point out rather than a guess.
absl::StatusOr<std::string> ResolveToken(const OptionValues& given, EnvironmentLookup environment) {
  const absl::optional<std::string> token = given.Get("token");
  const absl::optional<std::string> token_file = given.Get("token-file");
  if (token.has_value() && token_file.has_value()) {
    return absl::InvalidArgumentError("--token and --token-file both give the token: give one of them");
  }
  if (token.has_value()) return CleanToken(*token, "--token");
  if (token_file.has_value()) return TokenFromFile(*token_file, "--token-file");

  const absl::optional<std::string> from_environment = NonEmpty(environment, kTokenEnvironmentVariable);
  const absl::optional<std::string> file_from_environment = NonEmpty(environment, kTokenFileEnvironmentVariable);
  if (from_environment.has_value() && file_from_environment.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kTokenEnvironmentVariable, " and ", kTokenFileEnvironmentVariable,
        " are both set: unset one of them (or give --token or --token-file, which take precedence)"));
  }
  if (from_environment.has_value()) return CleanToken(*from_environment, kTokenEnvironmentVariable);
  if (file_from_environment.has_value()) {
    return TokenFromFile(*file_from_environment, kTokenFileEnvironmentVariable);
  }
  return std::string();
}

// A bearer token is a password: over plaintext, whoever is on the network
// path reads it and acts as its holder. Loopback (and a Unix socket) never
// leaves the machine. No flag overrides this: TLS, or an SSH tunnel to the
// server's loopback, reach any server without the risk.
absl::Status CheckTokenTravelsSafely(const ConnectionOptions& connection) {
  if (connection.token.empty() || connection.uses_tls() || IsLoopbackTarget(connection.address)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "refusing to send the token in plaintext to ", connection.address,
      ", which is not a loopback address: anyone on the network path could read it. Use TLS "
      "(--tls-ca-file FILE or LICENSECTL_TLS_CA_FILE, with license-server serving TLS), or reach the server "
      "on loopback (e.g. ssh -L 50051:127.0.0.1:50051 HOST, then --address 127.0.0.1:50051)"));
}

}  // namespace

const std::vector<OptionSpec>& GlobalOptionSpecs() {
  static const std::vector<OptionSpec> kSpecs = {
      {"address", "HOST:PORT", "license-server to call (default 127.0.0.1:50051)"},
      {"token", "TOKEN", "bearer token (visible in ps: prefer --token-file)"},
      {"token-file", "FILE", "bearer token read from FILE (only its owner may access it)"},
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

  absl::StatusOr<std::string> token = ResolveToken(given, environment);
  if (!token.ok()) return token.status();
  resolved.connection.token = *std::move(token);

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
  if (absl::Status safe = CheckTokenTravelsSafely(resolved.connection); !safe.ok()) return safe;

  if (auto timeout = given.Get("timeout")) {
    absl::StatusOr<absl::Duration> parsed = ParseTimeout(*timeout);
    if (!parsed.ok()) return parsed.status();
    resolved.connection.timeout = *parsed;
  }

  resolved.json = given.Has("json");
  resolved.connection.responses_shown_as_text = !resolved.json;
  return resolved;
}

}  // namespace licensectl
