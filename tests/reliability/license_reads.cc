#include "tests/reliability/license_reads.h"

#include "absl/strings/str_cat.h"
#include "tests/reliability/rpc_calls.h"

namespace lss::reliability {
namespace {

using licensing::v1::LicenseService;

// More pages than any scenario has: a paging bug must fail, not loop.
constexpr int kMaxPages = 10000;

// Calls `call(request, response)` page after page, appending `items(response)`.
template <typename Request, typename Response, typename Item, typename Call, typename Items>
absl::StatusOr<std::vector<Item>> AllPages(const std::string& what, Request request, Call call, Items items) {
  std::vector<Item> all;
  for (int page = 0; page < kMaxPages; ++page) {
    Response response;
    grpc::Status status = call(request, &response);
    if (!status.ok()) return ToAbsl(status, what);
    const auto& got = items(response);
    all.insert(all.end(), got.begin(), got.end());
    if (response.next_page_token().empty()) return all;
    request.set_page_token(response.next_page_token());
  }
  return absl::InternalError(absl::StrCat(what, " never reached its last page"));
}

}  // namespace

absl::StatusOr<std::vector<licensing::v1::License>> ListAllLicenses(LicenseService::Stub& stub) {
  licensing::v1::ListLicensesRequest request;
  request.set_page_size(1000);
  return AllPages<licensing::v1::ListLicensesRequest, licensing::v1::ListLicensesResponse, licensing::v1::License>(
      "ListLicenses", request,
      [&](const auto& r, auto* out) { return stub.ListLicenses(Deadline().get(), r, out); },
      [](const auto& response) -> const auto& { return response.licenses(); });
}

absl::StatusOr<std::vector<licensing::v1::SyncJob>> ListAllSyncJobs(LicenseService::Stub& stub) {
  licensing::v1::ListSyncJobsRequest request;
  request.set_page_size(1000);
  return AllPages<licensing::v1::ListSyncJobsRequest, licensing::v1::ListSyncJobsResponse, licensing::v1::SyncJob>(
      "ListSyncJobs", request,
      [&](const auto& r, auto* out) { return stub.ListSyncJobs(Deadline().get(), r, out); },
      [](const auto& response) -> const auto& { return response.jobs(); });
}

absl::StatusOr<std::vector<licensing::v1::Upgrade>> ListAllUpgrades(LicenseService::Stub& stub,
                                                                   licensing::v1::UpgradeState state) {
  licensing::v1::ListUpgradesRequest request;
  request.set_page_size(1000);
  request.set_state(state);
  return AllPages<licensing::v1::ListUpgradesRequest, licensing::v1::ListUpgradesResponse, licensing::v1::Upgrade>(
      "ListUpgrades", request,
      [&](const auto& r, auto* out) { return stub.ListUpgrades(Deadline().get(), r, out); },
      [](const auto& response) -> const auto& { return response.upgrades(); });
}

absl::StatusOr<licensing::v1::SyncJob> GetSyncJob(LicenseService::Stub& stub, const std::string& job_id) {
  licensing::v1::GetSyncJobRequest request;
  request.set_job_id(job_id);
  licensing::v1::GetSyncJobResponse response;
  grpc::Status status = stub.GetSyncJob(Deadline(absl::Seconds(10)).get(), request, &response);
  if (!status.ok()) return ToAbsl(status, "GetSyncJob " + job_id);
  return response.job();
}

absl::StatusOr<licensing::v1::SyncProgress> SyncAllToTheEnd(LicenseService::Stub& stub, absl::Duration timeout) {
  std::unique_ptr<grpc::ClientContext> context = Deadline(timeout);
  std::unique_ptr<grpc::ClientReader<licensing::v1::SyncAllResponse>> reader =
      stub.SyncAll(context.get(), licensing::v1::SyncAllRequest{});
  licensing::v1::SyncAllResponse response;
  licensing::v1::SyncProgress last;
  bool any = false;
  while (reader->Read(&response)) {
    last = response.progress();
    any = true;
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return ToAbsl(status, "SyncAll");
  if (!any) return absl::InternalError("SyncAll ended without a progress event");
  return last;
}

}  // namespace lss::reliability
