#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/key_table.h"

namespace ka_mock {

// The one lock over the mock's state. Every operation on keys runs as one
// critical section over the KeyTable, so that KA's check-then-act rules
// (an idempotency key answers once, a key is terminated once) hold under
// concurrent calls. One lock is plenty: each critical section is O(log n)
// or a page of ListKeys, far below the cost of the gRPC call around it.
//
// Thread-safe. Readers share the lock; `fn` must not call back into the
// store.
class KeyStore {
 public:
  explicit KeyStore(const Catalogue& catalogue) : table_(catalogue) {}

  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  void Read(absl::FunctionRef<void(const KeyTable&)> fn) const
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::ReaderMutexLock lock(&mu_);
    fn(table_);
  }

  void Write(absl::FunctionRef<void(KeyTable&)> fn) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    fn(table_);
  }

 private:
  mutable absl::Mutex mu_;
  KeyTable table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ka_mock
