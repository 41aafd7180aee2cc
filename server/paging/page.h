// One page of a List RPC's results, as the domain returns it (AIP-158).
#pragma once

#include <string>
#include <vector>

namespace lss {

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

}  // namespace lss
