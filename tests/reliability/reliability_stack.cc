#include "tests/reliability/reliability_stack.h"

#include <sys/stat.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "tests/reliability/license_reads.h"
#include "tests/reliability/rpc_calls.h"

namespace lss::reliability {
namespace {

// Leases and intervals short enough that a killed replica's chunk, a dead
// server's placing claim and a paused job heal within seconds; calls are
// logged only when they fail, so that a load of thousands keeps its log
// readable.
std::vector<std::string> CommonServerArgs() {
  return {absl::StrCat("--price_catalogue=", LSS_SOURCE_DIR, "/tools/dev/price-catalogue.txt"),
          "--sync-lease=2s",
          "--sync-poll-interval=100ms",
          "--progress-interval=100ms",
          "--ka-probe-interval=200ms",
          "--upgrade-sweep-interval=200ms",
          "--log-calls=errors"};
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReliabilityStack>> ReliabilityStack::Start(StackOptions options) {
  auto stack = std::unique_ptr<ReliabilityStack>(new ReliabilityStack);
  stack->options_ = options;
  absl::StatusOr<harness::TempDir> dir = harness::TempDir::Create(options.name);
  if (!dir.ok()) return dir.status();
  stack->dir_ = std::make_unique<harness::TempDir>(*std::move(dir));

  if (options.private_mariadb) {
    absl::StatusOr<std::unique_ptr<harness::MariaDbProcess>> db =
        harness::MariaDbProcess::Start({.work_dir = stack->dir_->path()});
    if (!db.ok()) return db.status();
    stack->private_db_ = *std::move(db);
    stack->db_endpoint_ = stack->private_db_->ApplicationEndpoint();
    stack->db_dsn_ = stack->private_db_->Dsn();
    stack->db_password_ = stack->private_db_->password();
  } else {
    // A database name allows no dash.
    absl::StatusOr<harness::TestDatabase> db =
        harness::CreateSharedTestDatabase(absl::StrReplaceAll(options.name, {{"-", "_"}}));
    if (!db.ok()) return db.status();
    stack->shared_db_ = std::make_unique<harness::TestDatabase>(*std::move(db));
    stack->db_endpoint_ = stack->shared_db_->endpoint();
    stack->db_dsn_ = stack->shared_db_->Dsn();
    stack->db_password_ = stack->shared_db_->password();
  }

  absl::StatusOr<std::unique_ptr<harness::KaMockProcess>> ka =
      harness::KaMockProcess::Start({.seed_keys = options.licenses, .work_dir = stack->dir_->path()});
  if (!ka.ok()) return ka.status();
  stack->ka_ = *std::move(ka);
  stack->ka_client_ = std::make_unique<KaMockClient>(*stack->ka_);

  absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> server = stack->StartReplica("replica-a");
  if (!server.ok()) return server.status();
  stack->server_ = *std::move(server);
  stack->stub_ = licensing::v1::LicenseService::NewStub(stack->server_->NewChannel());

  const absl::Time import_start = absl::Now();
  licensing::v1::ImportLicensesResponse imported;
  grpc::Status status =
      stack->stub_->ImportLicenses(Deadline(absl::Minutes(10)).get(), licensing::v1::ImportLicensesRequest{}, &imported);
  if (!status.ok()) return ToAbsl(status, "ImportLicenses");
  if (imported.imported() != options.licenses) {
    return absl::InternalError(absl::StrCat("imported ", imported.imported(), " of ", options.licenses, " keys"));
  }
  stack->import_time_ = absl::Now() - import_start;
  absl::StatusOr<std::vector<licensing::v1::License>> licenses = ListAllLicenses(*stack->stub_);
  if (!licenses.ok()) return licenses.status();
  stack->imported_ = *std::move(licenses);
  // Counts start at the baseline the ground truth is taken at.
  absl::StatusOr<std::map<std::string, int64_t>> reset = stack->ka_client_->CallCounts(/*reset=*/true);
  if (!reset.ok()) return reset.status();
  return stack;
}

absl::StatusOr<std::string> ReliabilityStack::QueryScalar(const std::string& sql) const {
  return harness::QueryScalar(db_endpoint_, sql, absl::Seconds(10));
}

absl::StatusOr<std::unique_ptr<harness::LicenseServerProcess>> ReliabilityStack::StartReplica(
    const std::string& name, const std::vector<std::string>& more_args) const {
  harness::LicenseServerOptions server;
  server.db = db_dsn_;
  server.db_password = db_password_;
  server.ka_address = ka_->address();
  // A folder per replica: the harness names every license-server's log
  // and port file alike.
  server.work_dir = dir_->Join(name);
  if (mkdir(server.work_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot create ", server.work_dir));
  }
  server.extra_args = CommonServerArgs();
  server.extra_args.push_back(absl::StrCat("--replica-id=", name));
  server.extra_args.insert(server.extra_args.end(), options_.server_args.begin(), options_.server_args.end());
  server.extra_args.insert(server.extra_args.end(), more_args.begin(), more_args.end());
  server.startup_timeout = absl::Seconds(60);
  return harness::LicenseServerProcess::Start(server);
}

}  // namespace lss::reliability
