// Following a SyncAll job's progress stream to its end, for `sync-all`
// (which starts the job or attaches to it) and `watch` (which attaches by
// id), so that both print, detach and exit alike:
//  - text: a header naming the job (unless it already ended), then the
//    live bar on a terminal or plain lines elsewhere (progress_renderer.h),
//    then the summary (job_printer.h);
//  - --json: each event as one line of JSON (JSON Lines), the stream's own
//    response message (SyncAllResponse, WatchSyncJobResponse), nothing else
//    on stdout;
//  - Ctrl-C cancels the call, not the job: the server's job survives its
//    callers by design. licensectl says how to follow it again and exits
//    kDetached;
//  - the call has no deadline, since a job may run for hours; the server
//    sends an event at least every second, so no event for --timeout
//    cancels the call as DEADLINE_EXCEEDED instead.
// Exit codes: JobExitCode() of the final event; kCallFailed when the stream
// fails or ends before the job; kDetached on Ctrl-C.
//
// One JobFollower per stream, used from the command's thread (it owns the
// Ctrl-C handler of the process while it lives).
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "licensectl/commands.h"
#include "licensectl/exit_codes.h"
#include "licensectl/idle_watchdog.h"
#include "licensectl/interrupt_watcher.h"
#include "licensectl/progress_renderer.h"
#include "licensing/v1/sync.pb.h"

namespace licensectl {

// How a job that ended with `final_progress` exits licensectl: kSuccess when
// it succeeded with no license Not In Sync and no error; kNotInSync when it
// succeeded and found licenses Not In Sync (and no error); kCallFailed when
// it failed, was cancelled, or some licenses could not be synced: those
// results are incomplete, which matters more than what was found.
ExitCode JobExitCode(const licensing::v1::SyncProgress& final_progress);

class JobFollower {
 public:
  explicit JobFollower(CommandContext& context);
  ~JobFollower();
  JobFollower(const JobFollower&) = delete;
  JobFollower& operator=(const JobFollower&) = delete;

  // The stream call's context: the caller's token, no deadline.
  grpc::ClientContext* call() { return call_.get(); }

  // One event: `event` is the stream's response (printed with --json),
  // `progress` its progress.
  void OnEvent(const google::protobuf::Message& event, const licensing::v1::SyncProgress& progress);

  // The stream ended with `status`: says how, returns the exit code.
  ExitCode Finish(const grpc::Status& status);

 private:
  void Write(absl::string_view text);
  // A line about the job that is not its progress: on stdout with the text
  // output, on stderr with --json so that stdout stays JSON Lines.
  void Notice(const std::string& line);
  // The job's error, when it failed; "" when it cannot be read.
  std::string JobError(const std::string& job_id);

  CommandContext& context_;
  std::unique_ptr<grpc::ClientContext> call_;
  ProgressRenderer renderer_;
  absl::optional<licensing::v1::SyncProgress> last_;
  std::string json_error_;
  // Last: stopped first, while call_ is still there to cancel.
  IdleWatchdog watchdog_;
  InterruptWatcher interrupt_;
};

// Opens the stream with `start(call)` and follows it to the end.
template <typename Response>
ExitCode FollowJob(
    CommandContext& context,
    std::type_identity_t<
        absl::FunctionRef<std::unique_ptr<grpc::ClientReaderInterface<Response>>(grpc::ClientContext* call)>>
        start) {
  JobFollower follower(context);
  std::unique_ptr<grpc::ClientReaderInterface<Response>> reader = start(follower.call());
  Response response;
  while (reader->Read(&response)) follower.OnEvent(response, response.progress());
  return follower.Finish(reader->Finish());
}

}  // namespace licensectl
