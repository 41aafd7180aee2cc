// How single values look in licensectl's text output: timestamps and enum
// values. Shared by every command so that a date or a status reads the same
// in a table, a detail view and an error.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"

namespace licensectl {

// "2026-01-15 10:20:30 UTC". Seconds are precise enough for an operator;
// --json gives the exact value.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// An enum value's name without its type prefix: with prefix
// "MISMATCH_KIND_", MISMATCH_KIND_CAPACITY_CHANGED is "CAPACITY_CHANGED".
// A number this build does not know (a newer server) is "UNKNOWN_<number>",
// so that output never silently drops a value.
std::string ShortEnumName(const google::protobuf::EnumDescriptor& type, int number,
                          absl::string_view prefix);

// "NOT_IN_SYNC" as billing's UI writes it: "Not In Sync".
std::string TitleCase(absl::string_view upper_snake_case);

}  // namespace licensectl
