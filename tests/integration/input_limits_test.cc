// Each input limit of the LicenseService (issue 6, DESIGN.md §4 "Bad input
// gets a clear error and changes nothing"), end to end on real ka-mock and
// license-server processes, on the backend this executable was built for.
//
// One table, one row per limit: the request (as bytes, so that requests no
// client stub would send fit too), the code, the ErrorInfo reason and the
// BadRequest field expected. After every row nothing has changed: ka-mock
// counted no call (so a malformed key number never reaches KA), the
// watched license keeps its etag, the watched upgrade session its state and
// update time, and no license, job or session appeared.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "keyadmin/v1/key_administrator_admin.grpc.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"
#include "tests/integration/raw_call.h"

namespace lss::input_limits_test {
namespace {

namespace v1 = licensing::v1;
using harness::LicenseServerProcess;
using keyadmin::v1::KeyAdministratorAdminService;
using licensing::v1::LicenseService;
using raw_call::DetailsOf;
using raw_call::ErrorDetails;

constexpr int kSeedKeys = 12;
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;  // license-server's default, passed explicitly
constexpr char kMalformedKey[] = "plsk.00000001.0001";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

std::string Long(size_t n) { return std::string(n, 'A'); }

// What the rows may not change.
struct Snapshot {
  std::map<std::string, int64_t> ka_calls;  // ListKeyTypes left out: the server's KA health probe calls it
  std::string license_etag;
  int upgrade_state = 0;
  int64_t upgrade_update_seconds = 0;
  int32_t upgrade_update_nanos = 0;
  int licenses = 0;
  int jobs = 0;
  int upgrades = 0;

  bool operator==(const Snapshot&) const = default;
};

std::string ToString(const Snapshot& s) {
  std::vector<std::string> calls;
  for (const auto& [method, count] : s.ka_calls) calls.push_back(absl::StrCat(method, "=", count));
  return absl::StrCat("KA {", absl::StrJoin(calls, ", "), "} etag ", s.license_etag, " upgrade state ",
                      s.upgrade_state, " at ", s.upgrade_update_seconds, ".", s.upgrade_update_nanos, " licenses ",
                      s.licenses, " jobs ", s.jobs, " upgrades ", s.upgrades);
}

// One limit. `request` is the body; `reason` empty means the status is
// gRPC's own (no details at all); `field` empty means no BadRequest.
struct Row {
  std::string name;
  std::string method;
  std::function<std::string()> request;
  grpc::StatusCode code;
  std::string reason;
  std::string field;
  bool server_streaming = false;
};

template <typename Message>
std::function<std::string()> Body(std::function<void(Message&)> fill) {
  return [fill] {
    Message message;
    fill(message);
    return message.SerializeAsString();
  };
}

class InputLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("input-limits", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args = {absl::StrCat("--price_catalogue=", LSS_SOURCE_DIR, "/tools/dev/price-catalogue.txt"),
                          absl::StrCat("--max_message_bytes=", kMaxMessageBytes)};
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = server_->NewChannel();
    stub_ = LicenseService::NewStub(channel_);
    ka_admin_ = KeyAdministratorAdminService::NewStub(stack_->ka().NewChannel());

    v1::ImportLicensesResponse imported;
    grpc::Status status = stub_->ImportLicenses(Context().get(), {}, &imported);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::ListLicensesResponse licenses;
    status = stub_->ListLicenses(Context().get(), {}, &licenses);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GE(licenses.licenses_size(), 2);
    license_ = licenses.licenses(0);
    // A session on another license, for the rows of the upgrade steps.
    v1::StartUpgradeRequest start;
    start.set_license_id(licenses.licenses(1).license_id());
    v1::StartUpgradeResponse started;
    status = stub_->StartUpgrade(Context().get(), start, &started);
    ASSERT_TRUE(status.ok()) << status.error_message();
    upgrade_id_ = started.upgrade().upgrade_id();
  }

  Snapshot Take() {
    Snapshot s;
    keyadmin::v1::GetCallCountsResponse counts;
    grpc::Status status = ka_admin_->GetCallCounts(Context().get(), {}, &counts);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& [method, count] : counts.counts()) {
      if (method != "ListKeyTypes") s.ka_calls[method] = count;
    }
    v1::GetLicenseRequest get;
    get.set_license_id(license_.license_id());
    v1::GetLicenseResponse license;
    status = stub_->GetLicense(Context().get(), get, &license);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.license_etag = license.license().etag();
    v1::GetUpgradeRequest get_upgrade;
    get_upgrade.set_upgrade_id(upgrade_id_);
    v1::GetUpgradeResponse upgrade;
    status = stub_->GetUpgrade(Context().get(), get_upgrade, &upgrade);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.upgrade_state = upgrade.upgrade().state();
    s.upgrade_update_seconds = upgrade.upgrade().update_time().seconds();
    s.upgrade_update_nanos = upgrade.upgrade().update_time().nanos();
    v1::ListLicensesRequest list;
    list.set_page_size(1000);
    v1::ListLicensesResponse licenses;
    status = stub_->ListLicenses(Context().get(), list, &licenses);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.licenses = licenses.licenses_size();
    v1::ListSyncJobsRequest list_jobs;
    list_jobs.set_page_size(1000);
    v1::ListSyncJobsResponse jobs;
    status = stub_->ListSyncJobs(Context().get(), list_jobs, &jobs);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.jobs = jobs.jobs_size();
    v1::ListUpgradesRequest list_upgrades;
    list_upgrades.set_page_size(1000);
    v1::ListUpgradesResponse upgrades;
    status = stub_->ListUpgrades(Context().get(), list_upgrades, &upgrades);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.upgrades = upgrades.upgrades_size();
    return s;
  }

  std::vector<Row> Rows() const {
    using Code = grpc::StatusCode;
    const Code kInvalid = Code::INVALID_ARGUMENT;
    const std::string key = license_.key_number();
    const std::string upgrade_id = upgrade_id_;
    const std::string kService = "/licensing.v1.LicenseService/";
    std::vector<Row> rows;
    auto add = [&](std::string name, std::string method, std::function<std::string()> request, Code code,
                   std::string reason, std::string field, bool streaming = false) {
      rows.push_back(Row{std::move(name), kService + method, std::move(request), code, std::move(reason),
                         std::move(field), streaming});
    };

    // The maximum message size: gRPC refuses the body before any handler.
    add("a request over --max_message_bytes", "GetLicense",
        Body<v1::GetLicenseRequest>([](auto& r) { r.set_key_number(Long(kMaxMessageBytes)); }),
        Code::RESOURCE_EXHAUSTED, "", "");
    add("a request just under --max_message_bytes is judged on its fields", "ListLicenses",
        Body<v1::ListLicensesRequest>(
            [](auto& r) { r.mutable_filter()->set_license_class(Long(kMaxMessageBytes - 64)); }),
        kInvalid, "INVALID_ARGUMENT", "filter.license_class");

    // Bytes that do not parse never reach a handler; the interceptor answers.
    const std::string garbage("\x0a\x7f\x01", 3);
    add("unparsable bytes (unary)", "CreateLicense", [garbage] { return garbage; }, kInvalid, "MALFORMED_REQUEST",
        "request");
    add("unparsable bytes (server streaming)", "SyncAll", [garbage] { return garbage; }, kInvalid,
        "MALFORMED_REQUEST", "request", true);
    add("a string field that is not UTF-8", "GetLicense", [] { return std::string("\x12\x02\xc3\x28", 4); },
        kInvalid, "MALFORMED_REQUEST", "request");

    // CreateLicense.
    add("CreateLicense license_class over 64 characters", "CreateLicense",
        Body<v1::CreateLicenseRequest>([](auto& r) { r.set_license_class(Long(65)); }), kInvalid,
        "INVALID_ARGUMENT", "license_class");
    add("CreateLicense over 100 features", "CreateLicense", Body<v1::CreateLicenseRequest>([](auto& r) {
          r.set_license_class("PLESK_WEB_PRO");
          for (int i = 0; i < 101; ++i) r.add_features(absl::StrCat("F", i));
        }),
        kInvalid, "INVALID_ARGUMENT", "features");
    add("CreateLicense a feature over 64 characters", "CreateLicense", Body<v1::CreateLicenseRequest>([](auto& r) {
          r.set_license_class("PLESK_WEB_PRO");
          r.add_features(Long(65));
        }),
        kInvalid, "INVALID_ARGUMENT", "features[0]");
    add("CreateLicense request_id over 64 characters", "CreateLicense", Body<v1::CreateLicenseRequest>([](auto& r) {
          r.set_license_class("PLESK_WEB_PRO");
          r.set_request_id(Long(65));
        }),
        kInvalid, "INVALID_ARGUMENT", "request_id");

    // ImportLicenses: the number of key numbers, and each one's format,
    // before KA is asked about any.
    add("ImportLicenses over 10,000 key numbers", "ImportLicenses", Body<v1::ImportLicensesRequest>([key](auto& r) {
          for (int i = 0; i < 10'001; ++i) r.add_key_numbers(key);
        }),
        kInvalid, "INVALID_ARGUMENT", "key_numbers");
    add("ImportLicenses a malformed key number after a good one", "ImportLicenses",
        Body<v1::ImportLicensesRequest>([key](auto& r) {
          r.add_key_numbers(key);
          r.add_key_numbers(kMalformedKey);
        }),
        kInvalid, "MALFORMED_KEY_NUMBER", "key_numbers[1]");

    // The key number's format is checked before any call to KA.
    for (const char* method : {"GetLicense", "SyncLicense", "StartUpgrade", "TerminateLicense"}) {
      for (const std::string& bad : {std::string(kMalformedKey), Long(10'000), std::string("PLSK.0000001.0001")}) {
        add(absl::StrCat(method, " key_number \"", bad.substr(0, 20), "\" (", bad.size(), " characters)"), method,
            [bad] {
              v1::GetLicenseRequest r;  // field 2 is key_number in every request naming one license
              r.set_key_number(bad);
              return r.SerializeAsString();
            },
            kInvalid, "MALFORMED_KEY_NUMBER", "key_number");
      }
      add(absl::StrCat(method, " negative license_id"), method,
          Body<v1::GetLicenseRequest>([](auto& r) { r.set_license_id(-1); }), kInvalid, "INVALID_ARGUMENT",
          "license_id");      add(absl::StrCat(method, " an empty key_number"), method,
          Body<v1::GetLicenseRequest>([](auto& r) { r.set_key_number(""); }), kInvalid, "INVALID_ARGUMENT",
          "key_number");
    }
    add("ListLicenses filter.usable_until_before with nanos out of range", "ListLicenses",
        Body<v1::ListLicensesRequest>(
            [](auto& r) { r.mutable_filter()->mutable_usable_until_before()->set_nanos(1'000'000'000); }),
        kInvalid, "INVALID_ARGUMENT", "filter.usable_until_before");
    add("ListAuditEvents since with negative nanos", "ListAuditEvents",
        Body<v1::ListAuditEventsRequest>([](auto& r) { r.mutable_since()->set_nanos(-1); }), kInvalid,
        "INVALID_ARGUMENT", "since");
    add("ListSyncHistory a malformed key number", "ListSyncHistory",
        Body<v1::ListSyncHistoryRequest>([](auto& r) { r.set_key_number(kMalformedKey); }), kInvalid,
        "MALFORMED_KEY_NUMBER", "key_number");

    // Paging on every List RPC: negative sizes refused, sizes above the
    // maximum coerced (answered, not refused), tokens bounded.
    struct ListRpc {
      std::string method;
      std::function<std::string(int32_t, std::string)> request;
    };
    const int64_t license_id = license_.license_id();
    const std::vector<ListRpc> lists = {
        {"ListLicenses",
         [](int32_t size, std::string token) {
           v1::ListLicensesRequest r;
           r.set_page_size(size);
           r.set_page_token(token);
           return r.SerializeAsString();
         }},
        {"ListSyncHistory",
         [license_id](int32_t size, std::string token) {
           v1::ListSyncHistoryRequest r;
           r.set_license_id(license_id);
           r.set_page_size(size);
           r.set_page_token(token);
           return r.SerializeAsString();
         }},
        {"ListSyncJobs",
         [](int32_t size, std::string token) {
           v1::ListSyncJobsRequest r;
           r.set_page_size(size);
           r.set_page_token(token);
           return r.SerializeAsString();
         }},
        {"ListDailyRuns",
         [](int32_t size, std::string token) {
           v1::ListDailyRunsRequest r;
           r.set_page_size(size);
           r.set_page_token(token);
           return r.SerializeAsString();
         }},
        {"ListUpgrades",
         [](int32_t size, std::string token) {
           v1::ListUpgradesRequest r;
           r.set_page_size(size);
           r.set_page_token(token);
           return r.SerializeAsString();
         }},
    };
    for (const ListRpc& list : lists) {
      auto request = list.request;
      add(list.method + " negative page_size", list.method, [request] { return request(-1, ""); }, kInvalid,
          "INVALID_ARGUMENT", "page_size");
      add(list.method + " page_size above the maximum is coerced", list.method,
          [request] { return request(std::numeric_limits<int32_t>::max(), ""); }, Code::OK, "", "");
      add(list.method + " page_token over 256 characters", list.method,
          [request] { return request(0, Long(257)); }, kInvalid, "INVALID_PAGE_TOKEN", "page_token");
    }
    add("ListDailyRuns a forged page_token whose cursor is no day", "ListDailyRuns",
        [] {
          // server/paging/paging.cc's format and FNV-1a of the fingerprint
          // "daily-runs": a token that passes the filter check.
          uint64_t hash = 0xcbf29ce484222325ULL;
          for (unsigned char c : std::string("daily-runs")) {
            hash ^= c;
            hash *= 0x100000001b3ULL;
          }
          v1::ListDailyRunsRequest r;
          r.set_page_token(absl::WebSafeBase64Escape(absl::StrCat("p1:99999999999:", absl::Hex(hash))));
          return r.SerializeAsString();
        },
        kInvalid, "INVALID_PAGE_TOKEN", "page_token");

    // Filters of ListLicenses and SyncAll's scope.
    add("ListLicenses filter.license_class over 128 characters", "ListLicenses",
        Body<v1::ListLicensesRequest>([](auto& r) { r.mutable_filter()->set_license_class(Long(129)); }), kInvalid,
        "INVALID_ARGUMENT", "filter.license_class");
    add("ListLicenses filter.key_number_prefix over 64 characters", "ListLicenses",
        Body<v1::ListLicensesRequest>([](auto& r) { r.mutable_filter()->set_key_number_prefix(Long(65)); }),
        kInvalid, "INVALID_ARGUMENT", "filter.key_number_prefix");
    add("ListLicenses filter.usable_until_before after the year 9999", "ListLicenses",
        Body<v1::ListLicensesRequest>(
            [](auto& r) { r.mutable_filter()->mutable_usable_until_before()->set_seconds(253402300800); }),
        kInvalid, "INVALID_ARGUMENT", "filter.usable_until_before");
    add("ListLicenses an undefined filter.sync_status", "ListLicenses",
        Body<v1::ListLicensesRequest>(
            [](auto& r) { r.mutable_filter()->set_sync_status(static_cast<v1::SyncStatus>(99)); }),
        kInvalid, "INVALID_ARGUMENT", "filter.sync_status");
    add("SyncAll scope.license_class over 128 characters", "SyncAll",
        Body<v1::SyncAllRequest>([](auto& r) { r.mutable_scope()->set_license_class(Long(129)); }), kInvalid,
        "INVALID_ARGUMENT", "scope.license_class", true);
    add("SyncAll scope.key_number_prefix over 64 characters", "SyncAll",
        Body<v1::SyncAllRequest>([](auto& r) { r.mutable_scope()->set_key_number_prefix(Long(65)); }), kInvalid,
        "INVALID_ARGUMENT", "scope.key_number_prefix", true);
    add("SyncAll scope.usable_until_before before the year 1", "SyncAll",
        Body<v1::SyncAllRequest>(
            [](auto& r) { r.mutable_scope()->mutable_usable_until_before()->set_seconds(-62135596801); }),
        kInvalid, "INVALID_ARGUMENT", "scope.usable_until_before", true);
    add("ListSyncJobs an undefined state", "ListSyncJobs",
        Body<v1::ListSyncJobsRequest>([](auto& r) { r.set_state(static_cast<v1::SyncJobState>(99)); }), kInvalid,
        "INVALID_ARGUMENT", "state");
    add("ListUpgrades an undefined state", "ListUpgrades",
        Body<v1::ListUpgradesRequest>([](auto& r) { r.set_state(static_cast<v1::UpgradeState>(99)); }), kInvalid,
        "INVALID_ARGUMENT", "state");
    add("ListUpgrades a negative license_id", "ListUpgrades",
        Body<v1::ListUpgradesRequest>([](auto& r) { r.set_license_id(-1); }), kInvalid, "INVALID_ARGUMENT",
        "license_id");

    // Job ids: required, bounded, printable ASCII.
    for (const char* method : {"WatchSyncJob", "GetSyncJob", "CancelSyncJob"}) {
      const bool streaming = std::string(method) == "WatchSyncJob";
      for (const std::string& bad : {std::string(), Long(65), std::string("job-\xc3\xa9"), std::string("job 1")}) {
        add(absl::StrCat(method, " job_id \"", bad.substr(0, 10), "\" (", bad.size(), " bytes)"), method,
            [bad] {
              v1::GetSyncJobRequest r;  // field 1 is job_id in all three
              r.set_job_id(bad);
              return r.SerializeAsString();
            },
            kInvalid, "INVALID_ARGUMENT", "job_id", streaming);
      }
    }

    // The upgrade steps: upgrade ids, request ids, the features to add.
    for (const char* method : {"ConfigureUpgrade", "PriceUpgrade", "PlaceUpgradeOrder", "GetUpgrade",
                               "CancelUpgrade"}) {
      for (const std::string& bad : {std::string(), Long(65), std::string("upg-\xe2\x82\xac")}) {
        add(absl::StrCat(method, " upgrade_id \"", bad.substr(0, 10), "\" (", bad.size(), " bytes)"), method,
            [bad] {
              v1::GetUpgradeRequest r;  // field 1 is upgrade_id in all five
              r.set_upgrade_id(bad);
              return r.SerializeAsString();
            },
            kInvalid, "INVALID_ARGUMENT", "upgrade_id");
      }
    }
    add("PlaceUpgradeOrder request_id over 64 characters", "PlaceUpgradeOrder",
        Body<v1::PlaceUpgradeOrderRequest>([upgrade_id](auto& r) {
          r.set_upgrade_id(upgrade_id);
          r.set_request_id(Long(65));
        }),
        kInvalid, "INVALID_ARGUMENT", "request_id");
    add("ConfigureUpgrade over 100 add_features", "ConfigureUpgrade",
        Body<v1::ConfigureUpgradeRequest>([upgrade_id](auto& r) {
          r.set_upgrade_id(upgrade_id);
          for (int i = 0; i < 101; ++i) r.add_add_features(absl::StrCat("F", i));
        }),
        kInvalid, "INVALID_ARGUMENT", "add_features");
    add("ConfigureUpgrade an add_features entry over 64 characters", "ConfigureUpgrade",
        Body<v1::ConfigureUpgradeRequest>([upgrade_id](auto& r) {
          r.set_upgrade_id(upgrade_id);
          r.add_add_features(Long(65));
        }),
        kInvalid, "INVALID_ARGUMENT", "add_features[0]");
    return rows;
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<LicenseService::Stub> stub_;
  std::unique_ptr<KeyAdministratorAdminService::Stub> ka_admin_;
  v1::License license_;
  std::string upgrade_id_;
};

TEST_F(InputLimitsTest, EachLimitIsRefusedNamingItsFieldAndChangesNothing) {
  const std::vector<Row> rows = Rows();
  std::cout << rows.size() << " limits; before them: " << ToString(Take()) << std::endl;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const Snapshot before = Take();
    raw_call::RawOptions options;
    options.server_streaming = row.server_streaming;
    const raw_call::RawResult result = raw_call::Call(channel_, row.method, row.request(), options);
    EXPECT_EQ(result.status.error_code(), row.code) << result.status.error_message();
    const ErrorDetails details = DetailsOf(result.status);
    if (row.code == grpc::StatusCode::OK) {
      // Answered; nothing to read in the details.
    } else if (row.reason.empty()) {
      EXPECT_FALSE(details.parsed) << "gRPC's own status carries no details of ours";
    } else {
      EXPECT_EQ(details.reason, row.reason);
      EXPECT_EQ(details.domain, "licensing.v1");
      if (row.field.empty()) {
        EXPECT_TRUE(details.fields.empty()) << absl::StrJoin(details.fields, ", ");
      } else {
        ASSERT_FALSE(details.fields.empty());
        EXPECT_EQ(details.fields.front(), row.field) << result.status.error_message();
      }
    }
    const Snapshot after = Take();
    EXPECT_TRUE(after == before) << "before: " << ToString(before) << "\nafter:  " << ToString(after);
  }
}

}  // namespace
}  // namespace lss::input_limits_test
