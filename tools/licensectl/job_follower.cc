#include "licensectl/job_follower.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "licensectl/job_printer.h"
#include "licensectl/json_lines.h"
#include "licensectl/terminal.h"
#include "licensectl/terminal_safe_output.h"

namespace licensectl {
namespace {

ProgressRenderer::Options RendererOptions(const std::ostream& out) {
  const TerminalInfo terminal = DescribeOutput(out);
  ProgressRenderer::Options options;
  options.style = terminal.is_terminal ? ProgressRenderer::Style::kLiveBar : ProgressRenderer::Style::kPlainLines;
  options.width = terminal.width;
  return options;
}

std::string FollowAgain(const std::string& job_id) {
  return absl::StrCat("follow it with: licensectl watch ", job_id);
}

}  // namespace

ExitCode JobExitCode(const licensing::v1::SyncProgress& final_progress) {
  if (final_progress.state() != licensing::v1::SYNC_JOB_STATE_SUCCEEDED || final_progress.errors() > 0) {
    return ExitCode::kCallFailed;
  }
  return final_progress.not_in_sync() > 0 ? ExitCode::kNotInSync : ExitCode::kSuccess;
}

JobFollower::JobFollower(CommandContext& context)
    : context_(context),
      call_(context.connection().NewCallContext()),
      renderer_(RendererOptions(context.out())),
      watchdog_(context.connection().options().timeout, [this] { call_->TryCancel(); }),
      interrupt_([this] { call_->TryCancel(); }) {
  // gRPC reads the largest time point as "no deadline".
  call_->set_deadline(std::chrono::system_clock::time_point::max());
}

JobFollower::~JobFollower() = default;

void JobFollower::OnEvent(const google::protobuf::Message& event, const licensing::v1::SyncProgress& progress) {
  watchdog_.Feed();
  const bool first = !last_.has_value();
  last_ = progress;
  if (context_.json()) {
    absl::StatusOr<std::string> line = ToJsonLine(event);
    if (!line.ok()) {
      json_error_ = std::string(line.status().message());
      call_->TryCancel();
      return;
    }
    Write(*line);
    return;
  }
  // A job that already ended needs no header: its summary follows at once.
  if (first && !IsFinalProgress(progress)) {
    Write(absl::StrCat("Job ", progress.job_id(),
                       ": following its progress (Ctrl-C detaches; the job keeps running).\n"));
  }
  Write(renderer_.Render(progress, absl::Now()));
}

ExitCode JobFollower::Finish(const grpc::Status& status) {
  // The job's end arrived: that is the answer, even if Ctrl-C or the stream's
  // end raced with it.
  if (last_.has_value() && IsFinalProgress(*last_)) {
    if (!context_.json()) {
      const std::string error =
          last_->state() == licensing::v1::SYNC_JOB_STATE_FAILED ? JobError(last_->job_id()) : "";
      Write(absl::StrCat(renderer_.EndLine(), RenderJobSummary(*last_, error)));
    }
    return JobExitCode(*last_);
  }
  Write(renderer_.EndLine());
  const std::string job_id = last_.has_value() ? last_->job_id() : "";

  if (interrupt_.interrupted()) {
    Notice(job_id.empty()
               ? "detached before the server named the job; if one started, 'licensectl jobs --state running' shows it"
               : absl::StrCat("detached; job ", job_id, " keeps running; ", FollowAgain(job_id)));
    return ExitCode::kDetached;
  }
  if (!json_error_.empty()) {
    return context_.CallFailed(grpc::Status(grpc::StatusCode::INTERNAL, json_error_));
  }

  ExitCode code = ExitCode::kCallFailed;
  if (watchdog_.fired()) {
    code = context_.CallFailed(grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("no progress from the server for ", absl::FormatDuration(context_.connection().options().timeout),
                     " (it sends an event at least every second while a job runs)")));
  } else if (!status.ok()) {
    code = context_.CallFailed(status);
  } else {
    code = context_.CallFailed(
        grpc::Status(grpc::StatusCode::UNKNOWN, "the progress stream ended before the job did"));
  }
  if (!job_id.empty()) Notice(absl::StrCat("job ", job_id, " may still be running; ", FollowAgain(job_id)));
  return code;
}

void JobFollower::Write(absl::string_view text) {
  if (text.empty()) return;
  // The bar's redraw starts with '\r', which the output's filter would
  // replace as it replaces a server's (terminal_safe_output.h).
  if (absl::ConsumePrefix(&text, "\r")) WriteCarriageReturn(context_.out());
  // Flushed at once: the bar is redrawn in place, and a pipe's reader
  // (tail -f, a CI log) wants each line as it comes.
  context_.out() << text << std::flush;
}

void JobFollower::Notice(const std::string& line) {
  // With --json, stdout holds JSON lines only.
  std::ostream& stream = context_.json() ? context_.err() : context_.out();
  stream << line << "\n" << std::flush;
}

std::string JobFollower::JobError(const std::string& job_id) {
  licensing::v1::GetSyncJobRequest request;
  request.set_job_id(job_id);
  licensing::v1::GetSyncJobResponse response;
  const auto call = context_.connection().NewCallContext();
  if (!context_.connection().service().GetSyncJob(call.get(), request, &response).ok()) return "";
  return response.job().error();
}

}  // namespace licensectl
