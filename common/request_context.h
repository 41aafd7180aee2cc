// The request id of the work a thread is doing, carried across the hops of
// asynchronous work so that every KA call made for a caller's request
// carries that request's id (x-request-id metadata), and KA's logs meet
// ours (issue 15). The handler sets it when it admits a call; WorkerPool
// tasks run with the id that was current when they were submitted; the KA
// client sends it and delivers KA's answer with it current again. Work of
// the server's own (a SyncAll job's pages) sets its own, e.g. "job:<id>".
//
// Thread-local; every function is thread-safe.
#pragma once

#include <string>

namespace lss {

class RequestContext {
 public:
  // The id current on this thread; empty when none is.
  static const std::string& Current();

  // Makes `request_id` current until destroyed, then restores what was
  // current before. Move-only; a moved-from scope restores nothing. Scopes
  // end in the reverse order of their start, on the thread they started on.
  class Scope {
   public:
    explicit Scope(std::string request_id);
    ~Scope();
    Scope(Scope&& other) noexcept;
    Scope& operator=(Scope&&) = delete;
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::string previous_;
    bool active_ = true;
  };
};

}  // namespace lss
