#include "client/ka_credentials.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file_permissions.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr absl::string_view kReasonMissing = "KA_CREDENTIALS_MISSING";
constexpr absl::string_view kReasonInvalid = "KA_CREDENTIALS_INVALID";

// Credentials files are two short lines; anything larger is not one, and
// reading it whole would only waste memory.
constexpr std::streamsize kMaxFileBytes = 64 * 1024;

absl::Status Invalid(std::string message) {
  return WithReason(absl::InvalidArgumentError(std::move(message)), kReasonInvalid);
}

absl::Status Missing(std::string message) {
  return WithReason(absl::FailedPreconditionError(std::move(message)), kReasonMissing);
}

// `what` names the file for messages, e.g. `KA credentials file "/etc/x"`.
// `setting` is where the path came from, for the permission error.
absl::StatusOr<std::string> ReadSmallFile(absl::string_view path, absl::string_view what, absl::string_view setting) {
  if (absl::Status trusted = CheckFilePermissions(setting, std::string(path), FileTrust::kSecret); !trusted.ok()) {
    return trusted;
  }
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return Invalid(absl::StrCat("cannot read ", what, ": ", std::strerror(errno)));
  std::string text(static_cast<size_t>(kMaxFileBytes) + 1, '\0');
  in.read(text.data(), kMaxFileBytes + 1);
  if (in.bad()) return Invalid(absl::StrCat("cannot read ", what, ": ", std::strerror(errno)));
  if (in.gcount() > kMaxFileBytes) {
    return Invalid(absl::StrCat(what, " is larger than ", kMaxFileBytes, " bytes"));
  }
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

// Lines without their trailing whitespace (which also drops a CR of CRLF).
std::vector<std::string> TrimmedLines(absl::string_view text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

absl::StatusOr<KaCredentials> FromCredentialsFile(absl::string_view path) {
  const std::string what = absl::StrCat("KA credentials file \"", path, "\"");
  absl::StatusOr<std::string> text = ReadSmallFile(path, what, "--ka_credentials_file");
  if (!text.ok()) return text.status();
  std::vector<std::string> lines = TrimmedLines(*text);
  // A third line is more likely a mistake (a pasted key, a swapped file)
  // than something to ignore silently.
  if (lines.size() != 2 || absl::StripLeadingAsciiWhitespace(lines[0]).empty() ||
      lines[1].empty()) {
    return Invalid(absl::StrCat(what,
                                " is malformed: expected exactly two lines, the KA login and "
                                "then the KA password"));
  }
  return KaCredentials{std::string(absl::StripLeadingAsciiWhitespace(lines[0])),
                       std::move(lines[1])};
}

absl::StatusOr<std::string> PasswordFromFile(absl::string_view path) {
  const std::string what = absl::StrCat("KA password file \"", path, "\" (KA_PASSWORD_FILE)");
  absl::StatusOr<std::string> text = ReadSmallFile(path, what, "KA_PASSWORD_FILE");
  if (!text.ok()) return text.status();
  std::vector<std::string> lines = TrimmedLines(*text);
  if (lines.empty() || lines[0].empty()) {
    return Invalid(absl::StrCat(what, " is malformed: expected the password on its first line"));
  }
  return std::move(lines[0]);
}

// An empty variable counts as unset: `KA_PASSWORD= server` is a slip, not a
// request for an empty password.
absl::optional<std::string> NonEmpty(absl::optional<std::string> value) {
  if (value && value->empty()) return absl::nullopt;
  return value;
}

absl::StatusOr<KaCredentials> FromEnvironment(EnvLookup getenv) {
  absl::optional<std::string> login = NonEmpty(getenv("KA_LOGIN"));
  absl::optional<std::string> password = NonEmpty(getenv("KA_PASSWORD"));
  absl::optional<std::string> password_file = NonEmpty(getenv("KA_PASSWORD_FILE"));
  if (!login && !password && !password_file) {
    return Missing(
        "no Key Administrator credentials configured: give a KA credentials file, or set "
        "KA_LOGIN and KA_PASSWORD (or KA_PASSWORD_FILE)");
  }
  if (!login) {
    return Missing("KA_PASSWORD or KA_PASSWORD_FILE is set but KA_LOGIN is not");
  }
  if (password && password_file) {
    return Invalid("both KA_PASSWORD and KA_PASSWORD_FILE are set; set only one");
  }
  if (!password && !password_file) {
    return Missing("KA_LOGIN is set but neither KA_PASSWORD nor KA_PASSWORD_FILE is");
  }
  if (password) return KaCredentials{std::move(*login), std::move(*password)};
  absl::StatusOr<std::string> from_file = PasswordFromFile(*password_file);
  if (!from_file.ok()) return from_file.status();
  return KaCredentials{std::move(*login), std::move(*from_file)};
}

}  // namespace

absl::StatusOr<KaCredentials> LoadKaCredentials(absl::string_view credentials_file,
                                                EnvLookup getenv) {
  if (!credentials_file.empty()) return FromCredentialsFile(credentials_file);
  return FromEnvironment(getenv);
}

absl::StatusOr<KaCredentials> LoadKaCredentials(absl::string_view credentials_file) {
  return LoadKaCredentials(credentials_file,
                           [](absl::string_view name) -> absl::optional<std::string> {
                             const char* value = std::getenv(std::string(name).c_str());
                             if (value == nullptr) return absl::nullopt;
                             return std::string(value);
                           });
}

}  // namespace lss
