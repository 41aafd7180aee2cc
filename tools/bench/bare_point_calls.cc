#include "bench/bare_point_calls.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/unary_callers.h"

namespace lss::bench {
namespace {

// One client's prepared statement on its own session. Run() throws what
// SOCI throws.
class PointStatement {
 public:
  virtual ~PointStatement() = default;
  virtual void Run(long long license_id) = 0;
};

// P: every column, whatever the migrations made of the table, into a
// dynamic row (described once, at the first execution).
class PointRead final : public PointStatement {
 public:
  explicit PointRead(soci::session& sql)
      : statement_((sql.prepare << "SELECT * FROM licenses WHERE license_id = :id", soci::use(id_), soci::into(row_))) {
  }

  void Run(long long license_id) override {
    id_ = license_id;
    if (!statement_.execute(true)) throw std::runtime_error(absl::StrCat("no license ", license_id));
  }

 private:
  long long id_ = 0;
  soci::row row_;
  soci::statement statement_;
};

// The sync columns W writes, read from one license.
struct SyncColumns {
  int sync_status = 0;
  std::string sync_job_id;
  std::string mismatches;
};

SyncColumns ReadSyncColumns(soci::session& sql, long long license_id) {
  SyncColumns columns;
  sql << "SELECT sync_status, sync_job_id, mismatches FROM licenses WHERE license_id = :id", soci::use(license_id),
      soci::into(columns.sync_status), soci::into(columns.sync_job_id), soci::into(columns.mismatches);
  if (!sql.got_data()) throw std::runtime_error(absl::StrCat("no license ", license_id));
  return columns;
}

// W: autocommit, so each call is one commit, as a SyncLicense's write is.
class PointWrite final : public PointStatement {
 public:
  PointWrite(soci::session& sql, SyncColumns columns)
      : columns_(std::move(columns)),
        statement_((sql.prepare << "UPDATE licenses SET sync_status = :status, last_synced_at = :synced, "
                                   "sync_job_id = :job, mismatches = :mismatches WHERE license_id = :id",
                    soci::use(columns_.sync_status), soci::use(synced_), soci::use(columns_.sync_job_id),
                    soci::use(columns_.mismatches), soci::use(id_))) {}

  void Run(long long license_id) override {
    id_ = license_id;
    synced_ = absl::ToUnixMicros(absl::Now());
    statement_.execute(true);
    if (statement_.get_affected_rows() != 1) {
      throw std::runtime_error(absl::StrCat("license ", license_id, " was not updated"));
    }
  }

 private:
  SyncColumns columns_;
  long long synced_ = 0;
  long long id_ = 0;
  soci::statement statement_;
};

// A thread that runs its client's calls one at a time. Call() hands the
// next call over; the thread runs it and then `done`, which may hand over
// the one after (so a closed loop never waits on another thread).
class ClientThread {
 public:
  ClientThread(std::unique_ptr<soci::session> session, std::unique_ptr<PointStatement> statement)
      : session_(std::move(session)), statement_(std::move(statement)), thread_([this] { Loop(); }) {}

  ~ClientThread() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }

  void Call(int64_t license_id, absl::AnyInvocable<void(const grpc::Status&) &&> done) {
    absl::MutexLock lock(&mu_);
    pending_.emplace(Pending{license_id, std::move(done)});
  }

 private:
  struct Pending {
    int64_t license_id;
    absl::AnyInvocable<void(const grpc::Status&) &&> done;
  };

  void Loop() {
    while (true) {
      std::optional<Pending> call;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_.has_value() || stopping_; };
        mu_.Await(absl::Condition(&ready));
        if (!pending_) return;  // stopping, nothing left to run
        call.swap(pending_);
      }
      grpc::Status status;
      try {
        statement_->Run(call->license_id);
      } catch (const std::exception& e) {
        status = grpc::Status(grpc::StatusCode::UNKNOWN, e.what());
      }
      std::move(call->done)(status);
    }
  }

  // The statement goes before its session, the thread before both.
  std::unique_ptr<soci::session> session_;
  std::unique_ptr<PointStatement> statement_;
  absl::Mutex mu_;
  std::optional<Pending> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: started once everything it uses exists
};

class BarePointCaller final : public UnaryCaller {
 public:
  BarePointCaller(std::vector<std::unique_ptr<ClientThread>> clients, std::vector<int64_t> license_ids)
      : clients_(std::move(clients)), licenses_(std::move(license_ids)) {}

  void Call(int client, absl::AnyInvocable<void(const grpc::Status&) &&> done) override {
    clients_[static_cast<size_t>(client)]->Call(licenses_.Next(client), std::move(done));
  }

 private:
  std::vector<std::unique_ptr<ClientThread>> clients_;
  LicenseCycle licenses_;
};

}  // namespace

absl::string_view BarePointQueryName(BarePointQuery query) {
  return query == BarePointQuery::kRead ? "P: point SELECT" : "W: autocommit UPDATE";
}

absl::StatusOr<std::unique_ptr<UnaryCaller>> NewBarePointCaller(const SqlTarget& target, BarePointQuery query,
                                                                std::vector<int64_t> license_ids, int clients) {
  if (license_ids.empty()) return absl::FailedPreconditionError("no licenses to read or write");
  std::vector<std::unique_ptr<ClientThread>> threads;
  std::optional<SyncColumns> columns;
  for (int i = 0; i < clients; ++i) {
    absl::StatusOr<std::unique_ptr<soci::session>> session = OpenBareSession(target);
    if (!session.ok()) return session.status();
    std::unique_ptr<PointStatement> statement;
    absl::Status prepared = RunSql(BarePointQueryName(query), [&] {
      if (query == BarePointQuery::kRead) {
        statement = std::make_unique<PointRead>(**session);
        return;
      }
      if (!columns) columns = ReadSyncColumns(**session, license_ids.front());
      statement = std::make_unique<PointWrite>(**session, *columns);
    });
    if (!prepared.ok()) return prepared;
    threads.push_back(std::make_unique<ClientThread>(*std::move(session), std::move(statement)));
  }
  return std::make_unique<BarePointCaller>(std::move(threads), std::move(license_ids));
}

}  // namespace lss::bench
