// ThreadSanitizer cannot see Debian's Abseil locks: libabsl_synchronization
// is built without -fsanitize=thread, and absl::Mutex waits on futexes and
// atomics rather than on the pthread calls TSan's runtime intercepts. Without
// help, every datum guarded by an absl::Mutex (ours, and gRPC's, which locks
// through the same library) looks unsynchronised, and TSan reports races
// that cannot happen.
//
// This file, linked into every executable of an LSS_SANITIZE=thread build
// (cmake/Sanitizers.cmake), interposes the lock entry points of the shared
// library: each definition carries the mangled name of the Abseil function
// it stands for, so the dynamic linker binds every caller (our code, gRPC,
// Abseil itself) to it. It calls the library's function, found with
// dlsym(RTLD_NEXT), and tells TSan of the happens-before edge the call
// makes: a release before a lock is given up, an acquire once it is held.
// It adds no locking of its own, so it hides no race but one between two
// holders of a reader lock, who only read.
//
// The names are those of Debian 12's Abseil (inline namespace "debian3"). A
// name the library no longer exports aborts the first call that needs it,
// loudly, rather than leaving a silent gap.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

using absl::Condition;
using absl::CondVar;
using absl::Duration;
using absl::Mutex;
using absl::Notification;
using absl::Time;

namespace {

// The library's definition of `mangled`: the next one after this
// executable's in the dynamic linker's search order. Member functions take
// `this` first in the Itanium C++ ABI, so Function is a free function type.
template <typename Function>
Function Real(const char* mangled) {
  void* symbol = dlsym(RTLD_NEXT, mangled);
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan_absl_shim: %s is not in Abseil\n", mangled);
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

void Acquire(const void* sync) { __tsan_acquire(const_cast<void*>(sync)); }
void Release(const void* sync) { __tsan_release(const_cast<void*>(sync)); }

// Abseil evaluates a waiter's condition inside the library while it holds
// the lock, in the waiter's thread or in the one unlocking: the evaluation
// is bracketed by an acquire and a release, so that what it reads is
// ordered with the lock's other holders. Lives for the call it is made for.
class VisibleCondition {
 public:
  VisibleCondition(Mutex* mu, const Condition& cond) : mu_(mu), cond_(cond) {}
  Condition Get() { return Condition(&VisibleCondition::Eval, this); }

 private:
  static bool Eval(VisibleCondition* self) {
    Acquire(self->mu_);
    const bool holds = self->cond_.Eval();
    Release(self->mu_);
    return holds;
  }
  Mutex* mu_;
  const Condition& cond_;
};

// Abseil's deadlock detection (on in Debian's build, which is not NDEBUG)
// keeps its lock graph under a spin lock TSan cannot see, and TSan detects
// lock-order inversions itself: off in a thread build.
__attribute__((constructor)) void NoAbseilDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace

// One shim: `extern "C"` with the mangled name as its assembler name, so it
// replaces the member function at link and load time.
#define LSS_ABSL(mangled) __asm__(mangled) __attribute__((visibility("default"), used))
#define LSS_ONCE(type, mangled) static const auto real = Real<type>(mangled)

extern "C" {

// Taking a lock: acquire once it is held.
void ShimLock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex4LockEv");
void ShimLock(Mutex* mu) {
  LSS_ONCE(void (*)(Mutex*), "_ZN4absl7debian35Mutex4LockEv");
  real(mu);
  Acquire(mu);
}
void ShimReaderLock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex10ReaderLockEv");
void ShimReaderLock(Mutex* mu) {
  LSS_ONCE(void (*)(Mutex*), "_ZN4absl7debian35Mutex10ReaderLockEv");
  real(mu);
  Acquire(mu);
}
bool ShimTryLock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex7TryLockEv");
bool ShimTryLock(Mutex* mu) {
  LSS_ONCE(bool (*)(Mutex*), "_ZN4absl7debian35Mutex7TryLockEv");
  const bool held = real(mu);
  if (held) Acquire(mu);
  return held;
}
bool ShimReaderTryLock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex13ReaderTryLockEv");
bool ShimReaderTryLock(Mutex* mu) {
  LSS_ONCE(bool (*)(Mutex*), "_ZN4absl7debian35Mutex13ReaderTryLockEv");
  const bool held = real(mu);
  if (held) Acquire(mu);
  return held;
}

// LockWhen*: the lock is held on return whether or not the condition is.
void ShimLockWhen(Mutex* mu, const Condition& cond) LSS_ABSL("_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
void ShimLockWhen(Mutex* mu, const Condition& cond) {
  LSS_ONCE(void (*)(Mutex*, const Condition&), "_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  real(mu, VisibleCondition(mu, cond).Get());
  Acquire(mu);
}
void ShimReaderLockWhen(Mutex* mu, const Condition& cond)
    LSS_ABSL("_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
void ShimReaderLockWhen(Mutex* mu, const Condition& cond) {
  LSS_ONCE(void (*)(Mutex*, const Condition&), "_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
  real(mu, VisibleCondition(mu, cond).Get());
  Acquire(mu);
}
bool ShimLockWhenWithTimeout(Mutex* mu, const Condition& cond, Duration timeout)
    LSS_ABSL("_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
bool ShimLockWhenWithTimeout(Mutex* mu, const Condition& cond, Duration timeout) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Duration),
           "_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), timeout);
  Acquire(mu);
  return met;
}
bool ShimLockWhenWithDeadline(Mutex* mu, const Condition& cond, Time deadline)
    LSS_ABSL("_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
bool ShimLockWhenWithDeadline(Mutex* mu, const Condition& cond, Time deadline) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Time),
           "_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), deadline);
  Acquire(mu);
  return met;
}
bool ShimReaderLockWhenWithTimeout(Mutex* mu, const Condition& cond, Duration timeout)
    LSS_ABSL("_ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
bool ShimReaderLockWhenWithTimeout(Mutex* mu, const Condition& cond, Duration timeout) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Duration),
           "_ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), timeout);
  Acquire(mu);
  return met;
}
bool ShimReaderLockWhenWithDeadline(Mutex* mu, const Condition& cond, Time deadline)
    LSS_ABSL("_ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
bool ShimReaderLockWhenWithDeadline(Mutex* mu, const Condition& cond, Time deadline) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Time),
           "_ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), deadline);
  Acquire(mu);
  return met;
}

// Giving a lock up: release before another thread can take it.
void ShimUnlock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex6UnlockEv");
void ShimUnlock(Mutex* mu) {
  LSS_ONCE(void (*)(Mutex*), "_ZN4absl7debian35Mutex6UnlockEv");
  Release(mu);
  real(mu);
}
void ShimReaderUnlock(Mutex* mu) LSS_ABSL("_ZN4absl7debian35Mutex12ReaderUnlockEv");
void ShimReaderUnlock(Mutex* mu) {
  LSS_ONCE(void (*)(Mutex*), "_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Release(mu);
  real(mu);
}

// Await*: the lock is given up while waiting and held again on return.
void ShimAwait(Mutex* mu, const Condition& cond) LSS_ABSL("_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
void ShimAwait(Mutex* mu, const Condition& cond) {
  LSS_ONCE(void (*)(Mutex*, const Condition&), "_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  Release(mu);
  real(mu, VisibleCondition(mu, cond).Get());
  Acquire(mu);
}
bool ShimAwaitWithTimeout(Mutex* mu, const Condition& cond, Duration timeout)
    LSS_ABSL("_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
bool ShimAwaitWithTimeout(Mutex* mu, const Condition& cond, Duration timeout) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Duration),
           "_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  Release(mu);
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), timeout);
  Acquire(mu);
  return met;
}
bool ShimAwaitWithDeadline(Mutex* mu, const Condition& cond, Time deadline)
    LSS_ABSL("_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
bool ShimAwaitWithDeadline(Mutex* mu, const Condition& cond, Time deadline) {
  LSS_ONCE(bool (*)(Mutex*, const Condition&, Time),
           "_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Release(mu);
  const bool met = real(mu, VisibleCondition(mu, cond).Get(), deadline);
  Acquire(mu);
  return met;
}

// CondVar: Wait* gives the mutex up and takes it again, like Await; a
// Signal also orders what the signaller did before the waiter wakes, for a
// signal sent without the mutex held.
void ShimWait(CondVar* cv, Mutex* mu) LSS_ABSL("_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
void ShimWait(CondVar* cv, Mutex* mu) {
  LSS_ONCE(void (*)(CondVar*, Mutex*), "_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(cv, mu);
  Acquire(cv);
  Acquire(mu);
}
bool ShimWaitWithTimeout(CondVar* cv, Mutex* mu, Duration timeout)
    LSS_ABSL("_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
bool ShimWaitWithTimeout(CondVar* cv, Mutex* mu, Duration timeout) {
  LSS_ONCE(bool (*)(CondVar*, Mutex*, Duration),
           "_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Release(mu);
  const bool timed_out = real(cv, mu, timeout);
  Acquire(cv);
  Acquire(mu);
  return timed_out;
}
bool ShimWaitWithDeadline(CondVar* cv, Mutex* mu, Time deadline)
    LSS_ABSL("_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
bool ShimWaitWithDeadline(CondVar* cv, Mutex* mu, Time deadline) {
  LSS_ONCE(bool (*)(CondVar*, Mutex*, Time), "_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  Release(mu);
  const bool timed_out = real(cv, mu, deadline);
  Acquire(cv);
  Acquire(mu);
  return timed_out;
}
void ShimSignal(CondVar* cv) LSS_ABSL("_ZN4absl7debian37CondVar6SignalEv");
void ShimSignal(CondVar* cv) {
  LSS_ONCE(void (*)(CondVar*), "_ZN4absl7debian37CondVar6SignalEv");
  Release(cv);
  real(cv);
}
void ShimSignalAll(CondVar* cv) LSS_ABSL("_ZN4absl7debian37CondVar9SignalAllEv");
void ShimSignalAll(CondVar* cv) {
  LSS_ONCE(void (*)(CondVar*), "_ZN4absl7debian37CondVar9SignalAllEv");
  Release(cv);
  real(cv);
}

// Notification: what happened before Notify() happens before a wait that
// saw it.
void ShimNotify(Notification* n) LSS_ABSL("_ZN4absl7debian312Notification6NotifyEv");
void ShimNotify(Notification* n) {
  LSS_ONCE(void (*)(Notification*), "_ZN4absl7debian312Notification6NotifyEv");
  Release(n);
  real(n);
}
void ShimWaitForNotification(const Notification* n)
    LSS_ABSL("_ZNK4absl7debian312Notification19WaitForNotificationEv");
void ShimWaitForNotification(const Notification* n) {
  LSS_ONCE(void (*)(const Notification*), "_ZNK4absl7debian312Notification19WaitForNotificationEv");
  real(n);
  Acquire(n);
}
bool ShimWaitForNotificationWithTimeout(const Notification* n, Duration timeout)
    LSS_ABSL("_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
bool ShimWaitForNotificationWithTimeout(const Notification* n, Duration timeout) {
  LSS_ONCE(bool (*)(const Notification*, Duration),
           "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(n, timeout);
  if (notified) Acquire(n);
  return notified;
}
bool ShimWaitForNotificationWithDeadline(const Notification* n, Time deadline)
    LSS_ABSL("_ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
bool ShimWaitForNotificationWithDeadline(const Notification* n, Time deadline) {
  LSS_ONCE(bool (*)(const Notification*, Time),
           "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(n, deadline);
  if (notified) Acquire(n);
  return notified;
}

}  // extern "C"
