// An integer column of a hot read, fetched as its text and parsed here.
//
// SOCI's MySQL backend parses every integer it delivers through a
// std::istringstream of its own (a stream and a locale per value): in a
// profile of SyncAll at 100k licenses that was the largest part of
// license-server's CPU for a page's two 1,000-row reads (about 20 integers
// a license). The text is a copy of the bytes the server sent; SQLite
// renders its integers as text on request. Bound the same way on both
// backends, so there is one way to read an integer in the reads that use it.
//
// Throws soci::soci_error on a value that is not an integer, as SOCI's own
// conversion does, so that SqlRunner reports it the same way.
#pragma once

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "soci/soci.h"

namespace lss::storage {

class IntColumn {
 public:
  void BindTo(soci::statement& statement) { statement.exchange(soci::into(text_, indicator_)); }

  bool is_null() const { return indicator_ == soci::i_null; }

  // The value; 0 for NULL (check is_null() where NULL means something).
  long long value() const {
    if (is_null()) return 0;
    long long parsed = 0;
    if (!absl::SimpleAtoi(text_, &parsed)) {
      throw soci::soci_error(absl::StrCat("not an integer column value: \"", text_, "\""));
    }
    return parsed;
  }

 private:
  std::string text_;
  soci::indicator indicator_ = soci::i_ok;
};

}  // namespace lss::storage
