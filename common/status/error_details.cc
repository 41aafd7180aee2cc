#include "common/status/error_details.h"

#include "absl/types/optional.h"
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace lss {
namespace {

constexpr absl::string_view kErrorInfoUrl = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr absl::string_view kBadRequestUrl = "type.googleapis.com/google.rpc.BadRequest";
constexpr absl::string_view kRetryInfoUrl = "type.googleapis.com/google.rpc.RetryInfo";

absl::optional<google::rpc::ErrorInfo> ErrorInfoOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoUrl);
  if (!payload) return absl::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return absl::nullopt;
  return info;
}

void SetErrorInfo(absl::Status& status, const google::rpc::ErrorInfo& info) {
  status.SetPayload(kErrorInfoUrl, absl::Cord(info.SerializeAsString()));
}

}  // namespace

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info = ErrorInfoOf(status).value_or(google::rpc::ErrorInfo());
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  SetErrorInfo(status, info);
  return status;
}

absl::Status WithMetadata(absl::Status status, absl::string_view key, absl::string_view value) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info = ErrorInfoOf(status).value_or(google::rpc::ErrorInfo());
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())[std::string(key)] = std::string(value);
  SetErrorInfo(status, info);
  return status;
}

absl::Status InvalidArgumentError(absl::string_view field, absl::string_view description,
                                  absl::string_view reason) {
  return InvalidArgumentError(
      std::vector<FieldViolation>{{std::string(field), std::string(description)}}, reason);
}

absl::Status InvalidArgumentError(const std::vector<FieldViolation>& violations,
                                  absl::string_view reason) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return WithReason(std::move(status), reason);
}

absl::Status WithMessage(const absl::Status& status, absl::string_view message) {
  if (status.ok()) return status;
  absl::Status out(status.code(), message);
  status.ForEachPayload([&out](absl::string_view type_url, const absl::Cord& payload) {
    out.SetPayload(type_url, payload);
  });
  return out;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (status.ok()) return status;
  google::rpc::RetryInfo info;
  const int64_t micros = absl::ToInt64Microseconds(delay);
  info.mutable_retry_delay()->set_seconds(micros / 1000000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(micros % 1000000 * 1000));
  status.SetPayload(kRetryInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::optional<absl::Duration> RetryDelayOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRetryInfoUrl);
  if (!payload) return absl::nullopt;
  google::rpc::RetryInfo info;
  if (!info.ParseFromString(std::string(*payload))) return absl::nullopt;
  return absl::Seconds(info.retry_delay().seconds()) + absl::Nanoseconds(info.retry_delay().nanos());
}

std::string ReasonOf(const absl::Status& status) {
  absl::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  return info ? info->reason() : std::string();
}

std::string MetadataOf(const absl::Status& status, absl::string_view key) {
  absl::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  if (!info) return {};
  auto it = info->metadata().find(std::string(key));
  return it == info->metadata().end() ? std::string() : it->second;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestUrl);
  if (!payload) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : bad_request.field_violations()) {
    out.push_back({fv.field(), fv.description()});
  }
  return out;
}

}  // namespace lss
