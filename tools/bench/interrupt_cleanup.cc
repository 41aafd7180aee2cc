#include "bench/interrupt_cleanup.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace lss::bench {
namespace {

struct Registry {
  absl::Mutex mu;
  std::vector<std::string> paths ABSL_GUARDED_BY(mu);
};

// Never destroyed: the signal thread may use it while the process exits.
Registry& TheRegistry() {
  static Registry* const registry = new Registry;
  return *registry;
}

void WaitAndClean(sigset_t signals) {
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "lss-bench: signal %d, removing the benchmark's folders and exiting\n", signal_number);
  {
    Registry& registry = TheRegistry();
    absl::MutexLock lock(&registry.mu);
    for (const std::string& path : registry.paths) {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  }
  // No orderly shutdown: the main thread may be anywhere. The children get
  // SIGKILL from the kernel as this process goes.
  _exit(128 + signal_number);
}

}  // namespace

void InstallInterruptCleanup() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread(WaitAndClean, signals).detach();
}

void RemoveOnInterrupt(const std::string& path) {
  Registry& registry = TheRegistry();
  absl::MutexLock lock(&registry.mu);
  registry.paths.push_back(path);
}

}  // namespace lss::bench
