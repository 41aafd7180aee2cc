// The options that narrow a set of licenses, spelt and worded as `list`
// spells its filters (--status not-in-sync, --state active, --class,
// --prefix), plus --usable-until-before: the LicenseFilter they make, and
// that filter written back in the same words (the SCOPE of a job).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "licensectl/command_line.h"
#include "licensing/v1/license.pb.h"

namespace licensectl {

// The filter options, for a command's option table.
const std::vector<OptionSpec>& LicenseFilterOptions();

// True when any filter option was given.
bool HasLicenseFilterOption(const OptionValues& options);

// The filter the options describe; unset fields where no option narrows.
// INVALID_ARGUMENT, naming the option and the words it accepts, for a value
// it does not know. --usable-until-before takes a UTC date (2026-03-01, its
// midnight) or an RFC 3339 time (2026-03-01T12:00:00Z).
absl::StatusOr<licensing::v1::LicenseFilter> ParseLicenseFilter(const OptionValues& options);

// "status=not-in-sync,state=active,class=PLESK_WEB_PRO,prefix=PLSK.,
// usable-until-before=2026-03-01T00:00:00Z": the set fields, named as the
// options and without blanks so that a table column stays one word; "all"
// when nothing narrows.
std::string DescribeLicenseFilter(const licensing::v1::LicenseFilter& filter);

}  // namespace licensectl
