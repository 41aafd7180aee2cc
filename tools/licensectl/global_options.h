// The options every command takes (--address, --token, --token-file,
// --tls-*, --json, --timeout): their table for the parser and --help, and
// their resolution from the command line, the environment and the
// defaults, in that order.
#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "licensectl/command_line.h"
#include "licensectl/connection.h"

namespace licensectl {

// The address used when neither --address nor LICENSECTL_ADDRESS is given:
// license-server's own default listen address.
inline constexpr absl::string_view kDefaultAddress = "127.0.0.1:50051";
inline constexpr absl::string_view kAddressEnvironmentVariable = "LICENSECTL_ADDRESS";
inline constexpr absl::string_view kTokenEnvironmentVariable = "LICENSECTL_TOKEN";
inline constexpr absl::string_view kTokenFileEnvironmentVariable = "LICENSECTL_TOKEN_FILE";
inline constexpr absl::string_view kTlsCaFileEnvironmentVariable = "LICENSECTL_TLS_CA_FILE";
inline constexpr absl::string_view kTlsCertFileEnvironmentVariable = "LICENSECTL_TLS_CERT_FILE";
inline constexpr absl::string_view kTlsKeyFileEnvironmentVariable = "LICENSECTL_TLS_KEY_FILE";

// The global options, resolved.
struct GlobalOptions {
  ConnectionOptions connection;
  // Print responses as JSON instead of text.
  bool json = false;
};

// The global options' table.
const std::vector<OptionSpec>& GlobalOptionSpecs();

// Reads an environment variable; nullopt when unset. Injected so that tests
// do not depend on the real environment.
using EnvironmentLookup = absl::FunctionRef<absl::optional<std::string>(absl::string_view name)>;

// Resolves the options given on the command line, falling back to the
// environment (a variable set to "" counts as unset) and then the defaults.
// The token comes from --token or --token-file (both is an error), else
// from LICENSECTL_TOKEN or LICENSECTL_TOKEN_FILE (both set is an error);
// the token file is read here (ReadTokenFile), since the token is what the
// options resolve to. INVALID_ARGUMENT, with a message for the operator,
// when a value is malformed (a timeout that is not a positive number, a
// token with characters a header cannot carry, a token file that cannot be
// read or that others may read, a client certificate without its key or a
// key without its certificate), and when a token would travel in plaintext
// to an address that is not loopback (IsLoopbackTarget): refused before
// anything connects, since whoever is on the network path could read it.
// The TLS files are only named here; Connection::Open reads them.
absl::StatusOr<GlobalOptions> ResolveGlobalOptions(const OptionValues& given,
                                                   EnvironmentLookup environment);

}  // namespace licensectl
