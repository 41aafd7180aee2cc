#include "ka-mock/key_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ka-mock/ka_errors.h"
#include "ka-mock/key_number.h"

namespace ka_mock {
namespace {

// 00000000 is never issued, so a parent of 0 can mean "none".
constexpr uint32_t kFirstNumber = 1;

}  // namespace

absl::Status BumpRevision(KeyRecord& key) {
  if (key.revision >= kMaxRevision) {
    return KaError(KaCode::kRemoteOperationFailed,
                   "the key's revision numbers are used up");
  }
  ++key.revision;
  return absl::OkStatus();
}

KeyTable::KeyTable(const Catalogue& catalogue)
    : catalogue_(catalogue), next_number_(kFirstNumber) {}

absl::StatusOr<uint32_t> KeyTable::Resolve(absl::string_view key_number) const {
  absl::StatusOr<ParsedKeyNumber> parsed = ParseKeyNumber(key_number);
  if (!parsed.ok()) return parsed.status();
  const KeyRecord* key = Find(parsed->number);
  if (key == nullptr || catalogue_.prefixes()[key->prefix] != parsed->prefix ||
      (parsed->revision.has_value() && *parsed->revision > key->revision)) {
    return KaError(KaCode::kKeyNotFound,
                   absl::StrCat("key ", key_number, " not found"));
  }
  return parsed->number;
}

KeyRecord* KeyTable::Find(uint32_t number) {
  const auto it = keys_.find(number);
  return it == keys_.end() ? nullptr : &it->second;
}

const KeyRecord* KeyTable::Find(uint32_t number) const {
  const auto it = keys_.find(number);
  return it == keys_.end() ? nullptr : &it->second;
}

absl::StatusOr<uint32_t> KeyTable::Issue(const KeyRecord& record) {
  if (next_number_ > kMaxKeyNumber) {
    return KaError(KaCode::kInternal, "no key numbers left to issue");
  }
  const uint32_t number = next_number_++;
  // Numbers only grow, so the new key always goes at the end.
  keys_.emplace_hint(keys_.end(), number, record);
  if (record.parent != 0) attachments_.emplace(record.parent, number);
  return number;
}

size_t KeyTable::numbers_left() const {
  return kMaxKeyNumber + 1 - next_number_;
}

void KeyTable::Erase(uint32_t number) {
  const KeyRecord* key = Find(number);
  if (key == nullptr) return;
  if (key->parent != 0) attachments_.erase({key->parent, number});
  // Additional keys have none of their own, so one level is all there is.
  for (uint32_t additional : AdditionalKeysOf(number)) keys_.erase(additional);
  attachments_.erase(attachments_.lower_bound({number, 0}),
                     attachments_.lower_bound({number + 1, 0}));
  keys_.erase(number);
}

std::vector<uint32_t> KeyTable::AdditionalKeysOf(uint32_t parent) const {
  std::vector<uint32_t> numbers;
  for (auto it = attachments_.lower_bound({parent, 0});
       it != attachments_.end() && it->first == parent; ++it) {
    numbers.push_back(it->second);
  }
  return numbers;
}

std::string KeyTable::KeyNumberOf(uint32_t number) const {
  const KeyRecord& key = keys_.at(number);
  return FormatKeyNumber(catalogue_.prefixes()[key.prefix], number,
                         key.revision);
}

KeyView KeyTable::View(uint32_t number) const {
  const KeyRecord& key = keys_.at(number);
  KeyView view;
  view.key_number =
      FormatKeyNumber(catalogue_.prefixes()[key.prefix], number, key.revision);
  view.type = &catalogue_.key_type(key.type);
  if (key.parent != 0) view.parent_key_number = KeyNumberOf(key.parent);
  view.capacity = key.capacity;
  view.features = key.features;
  view.billing = key.billing;
  view.create_time = key.create_time;
  view.update_due_time = key.update_due_time;
  view.expire_time = key.expire_time;
  view.terminated = key.terminated;
  view.problem = key.problem;
  for (auto it = attachments_.lower_bound({number, 0});
       it != attachments_.end() && it->first == number; ++it) {
    view.additional_keys.push_back(
        {KeyNumberOf(it->second),
         &catalogue_.key_type(keys_.at(it->second).type)});
  }
  // Ascending numbers are not ascending key numbers when prefixes differ.
  std::sort(view.additional_keys.begin(), view.additional_keys.end(),
            [](const AdditionalKeyView& a, const AdditionalKeyView& b) {
              return a.key_number < b.key_number;
            });
  return view;
}

std::vector<uint32_t> KeyTable::NumbersAfter(uint32_t after,
                                             size_t limit) const {
  std::vector<uint32_t> numbers;
  numbers.reserve(std::min(limit, keys_.size()));
  for (auto it = keys_.upper_bound(after);
       it != keys_.end() && numbers.size() < limit; ++it) {
    numbers.push_back(it->first);
  }
  return numbers;
}

bool KeyTable::HasNumbersAfter(uint32_t after) const {
  return keys_.upper_bound(after) != keys_.end();
}

const KeyView* KeyTable::FindCreateAnswer(
    absl::string_view idempotency_key) const {
  const auto it = create_answers_.find(idempotency_key);
  return it == create_answers_.end() ? nullptr : &it->second;
}

void KeyTable::RememberCreateAnswer(std::string idempotency_key,
                                    KeyView answer) {
  create_answers_.insert_or_assign(std::move(idempotency_key),
                                   std::move(answer));
}

const UpgradeOutcome* KeyTable::FindUpgradeAnswer(
    absl::string_view idempotency_key) const {
  const auto it = upgrade_answers_.find(idempotency_key);
  return it == upgrade_answers_.end() ? nullptr : &it->second;
}

void KeyTable::RememberUpgradeAnswer(std::string idempotency_key,
                                     UpgradeOutcome answer) {
  upgrade_answers_.insert_or_assign(std::move(idempotency_key),
                                    std::move(answer));
}

void KeyTable::Clear() {
  keys_.clear();
  attachments_.clear();
  create_answers_.clear();
  upgrade_answers_.clear();
  next_number_ = kFirstNumber;
}

}  // namespace ka_mock
