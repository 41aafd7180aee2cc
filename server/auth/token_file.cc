#include "server/auth/token_file.h"

#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file_permissions.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr absl::string_view kReasonTokenFileInvalid = "TOKEN_FILE_INVALID";
constexpr size_t kSha256HexLength = 64;
constexpr size_t kMaxNameLength = 64;

absl::Status LineError(int line, absl::string_view what) {
  return WithReason(absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", what)), kReasonTokenFileInvalid);
}

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != kSha256HexLength) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsName(absl::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength) return false;
  for (char c : text) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<TokenEntry>> ParseTokenFile(absl::string_view text) {
  std::vector<TokenEntry> entries;
  absl::flat_hash_set<std::string> hashes;
  absl::flat_hash_set<std::string> names;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> words = absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    if (words.size() != 3) return LineError(number, "expected: <sha256 hex> <name> <role>");
    if (!IsSha256Hex(words[0])) return LineError(number, "the first word must be a token's SHA-256 in hex");
    if (!IsName(words[1])) return LineError(number, "the name must be 1-64 printable characters");
    const Role role = ParseRole(words[2]);
    if (role == Role::kNone) return LineError(number, "the role must be viewer, operator or admin");
    TokenEntry entry{absl::AsciiStrToLower(words[0]), std::string(words[1]), role};
    if (!hashes.insert(entry.sha256_hex).second) return LineError(number, "this token is listed twice");
    if (!names.insert(entry.name).second) return LineError(number, absl::StrCat("the name ", entry.name, " is listed twice"));
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    return WithReason(absl::InvalidArgumentError("the token file lists no token"), kReasonTokenFileInvalid);
  }
  return entries;
}

absl::StatusOr<std::vector<TokenEntry>> LoadTokenFile(const std::string& path) {
  if (absl::Status trusted = CheckFilePermissions("--auth_tokens_file", path, FileTrust::kConfiguration);
      !trusted.ok()) {
    return trusted;
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the token file ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<TokenEntry>> entries = ParseTokenFile(text.str());
  if (!entries.ok()) {
    return WithMessage(entries.status(), absl::StrCat(path, ": ", entries.status().message()));
  }
  return entries;
}

}  // namespace lss
