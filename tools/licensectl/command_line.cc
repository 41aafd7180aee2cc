#include "licensectl/command_line.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace licensectl {
namespace {

// Options are spelt with dashes ("page-size"); underscores are accepted in
// their place, as license-server accepts both spellings of its flags, so
// that an operator need not remember which tool wants which.
bool SameName(absl::string_view spec_name, absl::string_view given) {
  return std::equal(spec_name.begin(), spec_name.end(), given.begin(), given.end(),
                    [](char spec_char, char given_char) {
                      return spec_char == (given_char == '_' ? '-' : given_char);
                    });
}

const OptionSpec* FindOption(absl::Span<const OptionSpec> table, absl::string_view name) {
  auto it = std::find_if(table.begin(), table.end(),
                         [name](const OptionSpec& spec) { return SameName(spec.name, name); });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace

void OptionValues::Add(absl::string_view name, absl::string_view value) {
  values_.emplace_back(std::string(name), std::string(value));
}

bool OptionValues::Has(absl::string_view name) const { return Get(name).has_value(); }

absl::optional<std::string> OptionValues::Get(absl::string_view name) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return absl::nullopt;
}

std::vector<std::string> OptionValues::GetAll(absl::string_view name) const {
  std::vector<std::string> all;
  for (const auto& [option, value] : values_) {
    if (option == name) all.push_back(value);
  }
  return all;
}

ParsedCommandLine ParseCommandLine(absl::Span<const std::string> args,
                                   absl::Span<const OptionSpec> global_options,
                                   CommandOptionsLookup command_options) {
  ParsedCommandLine parsed;
  // The command's own options, once its name has been seen.
  const std::vector<OptionSpec>* own_options = nullptr;
  bool options_ended = false;

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];

    if (!options_ended && word == "--") {
      options_ended = true;
      continue;
    }
    if (!options_ended && (word == "-h" || word == "--help")) {
      parsed.help_requested = true;
      continue;
    }
    if (!options_ended && absl::StartsWith(word, "--")) {
      absl::string_view name = absl::string_view(word).substr(2);
      absl::optional<absl::string_view> inline_value;
      if (size_t eq = name.find('='); eq != absl::string_view::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }

      OptionValues* destination = &parsed.global_options;
      const OptionSpec* spec = FindOption(global_options, name);
      if (spec == nullptr && own_options != nullptr) {
        spec = FindOption(*own_options, name);
        destination = &parsed.command_options;
      }
      if (spec == nullptr) {
        parsed.usage_error =
            parsed.command.empty()
                ? absl::StrCat("unknown option --", name,
                               " (a command's own options go after the command)")
                : absl::StrCat("unknown option --", name, " for '", parsed.command, "'");
        return parsed;
      }

      if (!spec->takes_value()) {
        if (inline_value.has_value()) {
          parsed.usage_error = absl::StrCat("option --", name, " takes no value");
          return parsed;
        }
        destination->Add(spec->name, "");
      } else if (inline_value.has_value()) {
        destination->Add(spec->name, *inline_value);
      } else if (i + 1 < args.size()) {
        destination->Add(spec->name, args[++i]);
      } else {
        parsed.usage_error = absl::StrCat("option --", name, " needs a value (", spec->value_name, ")");
        return parsed;
      }
      continue;
    }
    // "-" alone is an ordinary word (conventionally stdin); any other short
    // option is unknown: only -h exists.
    if (!options_ended && word.size() > 1 && word[0] == '-') {
      parsed.usage_error = absl::StrCat("unknown option ", word);
      return parsed;
    }

    if (parsed.command.empty()) {
      own_options = command_options(word);
      if (own_options == nullptr) {
        parsed.usage_error = absl::StrCat("unknown command '", word, "'");
        return parsed;
      }
      parsed.command = word;
    } else {
      parsed.arguments.push_back(word);
    }
  }
  return parsed;
}

}  // namespace licensectl
