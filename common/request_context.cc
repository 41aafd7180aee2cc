#include "common/request_context.h"

#include <utility>

namespace lss {
namespace {

thread_local std::string current_request_id;

}  // namespace

const std::string& RequestContext::Current() { return current_request_id; }

RequestContext::Scope::Scope(std::string request_id) : previous_(std::exchange(current_request_id, std::move(request_id))) {}

RequestContext::Scope::Scope(Scope&& other) noexcept
    : previous_(std::move(other.previous_)), active_(std::exchange(other.active_, false)) {}

RequestContext::Scope::~Scope() {
  if (active_) current_request_id = std::move(previous_);
}

}  // namespace lss
