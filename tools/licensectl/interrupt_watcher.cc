#include "licensectl/interrupt_watcher.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace licensectl {
namespace {

constexpr char kInterrupted = 'i';
constexpr char kStop = 's';

// The handler may touch only lock-free atomics and async-signal-safe calls.
std::atomic<int> g_signal_pipe{-1};
std::atomic<int> g_interrupts{0};
struct sigaction g_previous_action = {};

void OnSigint(int) {
  const int saved_errno = errno;
  if (g_interrupts.fetch_add(1) > 0) {
    // The operator insists: leave the way an unhandled Ctrl-C does.
    signal(SIGINT, SIG_DFL);
    raise(SIGINT);
  }
  const int fd = g_signal_pipe.load();
  if (fd >= 0) {
    // Non-blocking: with the pipe full the thread has a byte to read anyway.
    [[maybe_unused]] ssize_t ignored = write(fd, &kInterrupted, 1);
  }
  errno = saved_errno;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> on_interrupt)
    : on_interrupt_(std::move(on_interrupt)) {
  if (pipe2(pipe_, O_CLOEXEC) != 0) {
    // Without a pipe Ctrl-C keeps its default meaning: the process ends,
    // which still leaves the server's job running.
    pipe_[0] = pipe_[1] = -1;
    return;
  }
  fcntl(pipe_[1], F_SETFL, fcntl(pipe_[1], F_GETFL) | O_NONBLOCK);
  thread_ = std::thread([this] { Loop(); });
  g_interrupts.store(0);
  g_signal_pipe.store(pipe_[1]);
  struct sigaction action = {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  // Blocking calls elsewhere (gRPC's own) restart rather than fail with EINTR.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_action);
}

InterruptWatcher::~InterruptWatcher() {
  if (pipe_[1] < 0) return;
  sigaction(SIGINT, &g_previous_action, nullptr);
  g_signal_pipe.store(-1);
  char stop = kStop;
  // A full pipe holds bytes the thread has yet to read: it drains them.
  while (write(pipe_[1], &stop, 1) < 0 && (errno == EAGAIN || errno == EINTR)) {
    std::this_thread::yield();
  }
  thread_.join();
  close(pipe_[0]);
  close(pipe_[1]);
}

void InterruptWatcher::Loop() {
  while (true) {
    char byte = 0;
    const ssize_t n = read(pipe_[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || byte == kStop) return;
    // Only the first Ctrl-C detaches; a second one ends the process.
    if (!interrupted_.exchange(true)) on_interrupt_();
  }
}

}  // namespace licensectl
