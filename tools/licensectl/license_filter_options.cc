#include "licensectl/license_filter_options.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace licensectl {
namespace {

using licensing::v1::LicenseFilter;

// A word an option accepts and the enum value it stands for.
template <typename Enum>
struct Choice {
  absl::string_view word;
  Enum value;
};

constexpr Choice<licensing::v1::SyncStatus> kStatusChoices[] = {
    {"in-sync", licensing::v1::SYNC_STATUS_IN_SYNC},
    {"not-in-sync", licensing::v1::SYNC_STATUS_NOT_IN_SYNC},
    {"never-synced", licensing::v1::SYNC_STATUS_NEVER_SYNCED},
};

constexpr Choice<licensing::v1::LicenseState> kStateChoices[] = {
    {"active", licensing::v1::LICENSE_STATE_ACTIVE},
    {"expired", licensing::v1::LICENSE_STATE_EXPIRED},
    {"terminated", licensing::v1::LICENSE_STATE_TERMINATED},
};

template <typename Enum>
absl::StatusOr<Enum> ParseChoice(absl::string_view option, absl::string_view word,
                                 absl::Span<const Choice<Enum>> choices) {
  for (const Choice<Enum>& choice : choices) {
    if (choice.word == word) return choice.value;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--", option, " must be one of ",
      absl::StrJoin(choices, ", ",
                    [](std::string* out, const Choice<Enum>& choice) { absl::StrAppend(out, choice.word); }),
      "; got '", word, "'"));
}

// The option's word for `value`; a value this build does not know (a newer
// server) shows as its number rather than vanishing.
template <typename Enum>
std::string WordOf(Enum value, absl::Span<const Choice<Enum>> choices) {
  for (const Choice<Enum>& choice : choices) {
    if (choice.value == value) return std::string(choice.word);
  }
  return absl::StrCat(static_cast<int>(value));
}

absl::StatusOr<absl::Time> ParseUtcDateOrTime(absl::string_view text) {
  absl::Time time;
  std::string ignored;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &ignored) ||
      absl::ParseTime(absl::RFC3339_full, text, absl::UTCTimeZone(), &time, &ignored)) {
    return time;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--usable-until-before must be a UTC date (2026-03-01) or an RFC 3339 time "
      "(2026-03-01T12:00:00Z); got '",
      text, "'"));
}

}  // namespace

const std::vector<OptionSpec>& LicenseFilterOptions() {
  static const std::vector<OptionSpec> kOptions = {
      {"status", "STATUS", "only this sync status: in-sync, not-in-sync, never-synced"},
      {"state", "STATE", "only this state: active, expired, terminated"},
      {"class", "NAME", "only this license class (KA key type), e.g. PLESK_WEB_PRO"},
      {"prefix", "KEY_PREFIX", "only key numbers starting so, e.g. PLSK.0001"},
      {"usable-until-before", "DATE", "only licenses usable until before DATE (UTC, or RFC 3339)"},
  };
  return kOptions;
}

bool HasLicenseFilterOption(const OptionValues& options) {
  for (const OptionSpec& option : LicenseFilterOptions()) {
    if (options.Has(option.name)) return true;
  }
  return false;
}

absl::StatusOr<LicenseFilter> ParseLicenseFilter(const OptionValues& options) {
  LicenseFilter filter;
  if (auto word = options.Get("status")) {
    absl::StatusOr<licensing::v1::SyncStatus> status =
        ParseChoice<licensing::v1::SyncStatus>("status", *word, kStatusChoices);
    if (!status.ok()) return status.status();
    filter.set_sync_status(*status);
  }
  if (auto word = options.Get("state")) {
    absl::StatusOr<licensing::v1::LicenseState> state =
        ParseChoice<licensing::v1::LicenseState>("state", *word, kStateChoices);
    if (!state.ok()) return state.status();
    filter.set_state(*state);
  }
  if (auto license_class = options.Get("class")) filter.set_license_class(*license_class);
  if (auto prefix = options.Get("prefix")) filter.set_key_number_prefix(*prefix);
  if (auto text = options.Get("usable-until-before")) {
    absl::StatusOr<absl::Time> before = ParseUtcDateOrTime(*text);
    if (!before.ok()) return before.status();
    filter.mutable_usable_until_before()->set_seconds(absl::ToUnixSeconds(*before));
  }
  return filter;
}

std::string DescribeLicenseFilter(const LicenseFilter& filter) {
  std::vector<std::string> parts;
  if (filter.sync_status() != licensing::v1::SYNC_STATUS_UNSPECIFIED) {
    parts.push_back(absl::StrCat(
        "status=", WordOf<licensing::v1::SyncStatus>(filter.sync_status(), kStatusChoices)));
  }
  if (filter.state() != licensing::v1::LICENSE_STATE_UNSPECIFIED) {
    parts.push_back(
        absl::StrCat("state=", WordOf<licensing::v1::LicenseState>(filter.state(), kStateChoices)));
  }
  if (!filter.license_class().empty()) parts.push_back(absl::StrCat("class=", filter.license_class()));
  if (!filter.key_number_prefix().empty()) {
    parts.push_back(absl::StrCat("prefix=", filter.key_number_prefix()));
  }
  if (filter.has_usable_until_before()) {
    parts.push_back(absl::StrCat(
        "usable-until-before=",
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                         absl::FromUnixSeconds(filter.usable_until_before().seconds()),
                         absl::UTCTimeZone())));
  }
  return parts.empty() ? "all" : absl::StrJoin(parts, ",");
}

}  // namespace licensectl
