#include "server/upgrade/price_catalogue.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/error_details.h"

namespace lss {
namespace {

constexpr absl::string_view kReasonCatalogueInvalid = "PRICE_CATALOGUE_INVALID";
constexpr absl::string_view kReasonCatalogueUnreadable = "PRICE_CATALOGUE_UNREADABLE";
// A bound that keeps a term exact in int64 nanoseconds, which proration
// divides by; no real term comes near it.
constexpr int64_t kMaxTermDays = 36500;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

absl::Status LineError(int line, absl::string_view message) {
  return WithReason(absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message)),
                    kReasonCatalogueInvalid);
}

// Applies one line's statement to the catalogue; remembers the once-only
// statements already seen so that a repeat is an error, not a silent override.
class CatalogueBuilder {
 public:
  absl::Status Apply(int line, std::vector<absl::string_view> words) {
    line_ = line;
    words_ = std::move(words);
    const absl::string_view keyword = words_[0];
    if (keyword == "currency") {
      if (absl::Status s = Arity(1, "currency CODE"); !s.ok()) return s;
      if (seen_currency_) return Error("currency is set twice");
      if (!IsCurrencyCode(words_[1])) {
        return Error(absl::StrCat("currency \"", words_[1], "\" is not 3 uppercase letters (ISO 4217)"));
      }
      seen_currency_ = true;
      catalogue_.currency = std::string(words_[1]);
      return absl::OkStatus();
    }
    if (keyword == "fee") {
      if (absl::Status s = Arity(1, "fee AMOUNT"); !s.ok()) return s;
      if (seen_fee_) return Error("fee is set twice");
      seen_fee_ = true;
      return Amount(words_[1], "fee", catalogue_.upgrade_fee_minor);
    }
    if (keyword == "term_days") {
      if (absl::Status s = Arity(1, "term_days DAYS"); !s.ok()) return s;
      if (seen_term_) return Error("term_days is set twice");
      seen_term_ = true;
      int64_t days = 0;
      if (!absl::SimpleAtoi(words_[1], &days) || days <= 0 || days > kMaxTermDays) {
        return Error(absl::StrCat("term_days \"", words_[1], "\" is not a number of days from 1 to ",
                                  kMaxTermDays));
      }
      catalogue_.term = absl::Hours(24) * days;
      return absl::OkStatus();
    }
    if (keyword == "capacity") {
      if (absl::Status s = Arity(3, "capacity CLASS STEP PRICE"); !s.ok()) return s;
      int64_t step = 0;
      if (!absl::SimpleAtoi(words_[2], &step) || step <= 0) {
        return Error(absl::StrCat("capacity step \"", words_[2], "\" is not a positive integer"));
      }
      int64_t price = 0;
      if (absl::Status s = Amount(words_[3], "price", price); !s.ok()) return s;
      ClassPrices& prices = catalogue_.classes[std::string(words_[1])];
      if (!prices.capacity_steps.emplace(step, price).second) {
        return Error(absl::StrCat("capacity ", step, " of ", words_[1], " is priced twice"));
      }
      return absl::OkStatus();
    }
    if (keyword == "feature") {
      if (absl::Status s = Arity(3, "feature CLASS API_NAME PRICE"); !s.ok()) return s;
      int64_t price = 0;
      if (absl::Status s = Amount(words_[3], "price", price); !s.ok()) return s;
      ClassPrices& prices = catalogue_.classes[std::string(words_[1])];
      if (!prices.features.emplace(std::string(words_[2]), price).second) {
        return Error(absl::StrCat("feature ", words_[2], " of ", words_[1], " is priced twice"));
      }
      return absl::OkStatus();
    }
    return Error(absl::StrCat("unknown statement \"", keyword,
                              "\" (expected currency, fee, term_days, capacity or feature)"));
  }

  bool seen_currency() const { return seen_currency_; }
  PriceCatalogue& catalogue() { return catalogue_; }

 private:
  static bool IsCurrencyCode(absl::string_view code) {
    if (code.size() != 3) return false;
    for (char c : code) {
      if (!absl::ascii_isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }

  absl::Status Error(absl::string_view message) const { return LineError(line_, message); }

  absl::Status Arity(size_t arguments, absl::string_view usage) const {
    if (words_.size() == arguments + 1) return absl::OkStatus();
    return Error(absl::StrCat("expected \"", usage, "\""));
  }

  absl::Status Amount(absl::string_view word, absl::string_view what, int64_t& out) const {
    if (!absl::SimpleAtoi(word, &out)) {
      return Error(absl::StrCat(what, " \"", word, "\" is not an integer amount in minor units"));
    }
    if (out < 0) return Error(absl::StrCat(what, " ", word, " is negative"));
    return absl::OkStatus();
  }

  PriceCatalogue catalogue_;
  bool seen_currency_ = false, seen_fee_ = false, seen_term_ = false;
  int line_ = 0;
  std::vector<absl::string_view> words_;
};

}  // namespace

absl::StatusOr<PriceCatalogue> ParsePriceCatalogue(absl::string_view text) {
  CatalogueBuilder builder;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> words = absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    if (absl::Status s = builder.Apply(line_number, std::move(words)); !s.ok()) return s;
  }
  // No line to name: the statement is absent, not wrong.
  if (!builder.seen_currency()) {
    return WithReason(absl::InvalidArgumentError("the price catalogue has no \"currency\" statement"),
                      kReasonCatalogueInvalid);
  }
  return std::move(builder.catalogue());
}

absl::StatusOr<PriceCatalogue> LoadPriceCatalogue(const std::string& path) {
  const std::string what = absl::StrCat("price catalogue \"", path, "\"");
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    return WithReason(absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", what)), kReasonCatalogueUnreadable);
  }
  std::string text;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, read);
  if (std::ferror(file.get())) {
    return WithReason(absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", what)), kReasonCatalogueUnreadable);
  }
  absl::StatusOr<PriceCatalogue> catalogue = ParsePriceCatalogue(text);
  if (!catalogue.ok()) {
    return WithMessage(catalogue.status(), absl::StrCat(what, ": ", catalogue.status().message()));
  }
  return catalogue;
}

}  // namespace lss
