#include "ua/prefilter_pattern.h"

#include <algorithm>
#include <optional>

namespace masthead::ua {
namespace {

struct Repetition {
  std::size_t min = 0;
  std::optional<std::size_t> max;  // nullopt: "{m,}"
  bool has_comma = false;
  std::size_t length = 0;  // characters from '{' to '}' inclusive
};

// Parses "{m}", "{m,}" or "{m,n}" at the start of `s`.
std::optional<Repetition> ParseRepetition(std::string_view s) {
  Repetition rep;
  std::size_t i = 1;
  auto number = [&](std::size_t* out) {
    const std::size_t start = i;
    std::size_t value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 6) {
      value = value * 10 + static_cast<std::size_t>(s[i] - '0');
      ++i;
    }
    *out = value;
    return i > start;
  };
  if (!number(&rep.min)) return std::nullopt;
  if (i < s.size() && s[i] == ',') {
    rep.has_comma = true;
    ++i;
    std::size_t max = 0;
    if (number(&max)) rep.max = max;
  } else {
    rep.max = rep.min;
  }
  if (i >= s.size() || s[i] != '}') return std::nullopt;
  rep.length = i + 1;
  return rep;
}

// Escapes that stand for exactly one byte in RE2's Latin-1 mode. Others
// (\b, \A, \x.., \p.., \Q..) are zero-width or longer and are not counted.
bool IsSingleByteEscape(char c) {
  if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') return true;
  if (c == 'n' || c == 'r' || c == 't' || c == 'f' || c == 'v') return true;
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

// Walks `pattern`, copying it and handing every counted repetition to
// `rewrite(rep, single_byte_atom)`, which returns its replacement text.
template <typename Rewrite>
std::string Walk(std::string_view pattern, Rewrite rewrite) {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  bool single_byte = false;  // whether the atom just copied is one byte wide
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (in_class) {
      out.push_back(c);
      if (c == '\\' && i + 1 < pattern.size()) {
        out.push_back(pattern[++i]);
      } else if (c == ']') {
        in_class = false;
        single_byte = true;
      }
      continue;
    }
    if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      single_byte = IsSingleByteEscape(pattern[i]);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a member, not the end.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      continue;
    }
    if (c == '{') {
      if (auto rep = ParseRepetition(pattern.substr(i))) {
        out.append(rewrite(*rep, single_byte, pattern.substr(i, rep->length)));
        i += rep->length - 1;
        single_byte = false;
        continue;
      }
    }
    out.push_back(c);
    single_byte = std::string_view("()|*+?^$").find(c) == std::string_view::npos;
  }
  return out;
}

std::string OpenUp(std::size_t min) {
  if (min == 0) return "*";
  if (min == 1) return "+";
  return "{" + std::to_string(min) + ",}";
}

}  // namespace

std::string RelaxForPrefilter(std::string_view pattern) {
  constexpr std::size_t kKeepExactUpTo = 8;
  return Walk(pattern, [](const Repetition& rep, bool, std::string_view original) {
    if (!rep.has_comma && rep.min <= kKeepExactUpTo) return std::string(original);
    return OpenUp(rep.min);
  });
}

std::vector<std::size_t> SingleByteRepetitionBounds(std::string_view pattern) {
  std::vector<std::size_t> bounds;
  Walk(pattern, [&](const Repetition& rep, bool single_byte, std::string_view original) {
    if (single_byte && rep.has_comma && rep.max) bounds.push_back(*rep.max);
    return std::string(original);
  });
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  return bounds;
}

std::string RelaxForTextsUpTo(std::string_view pattern, std::size_t min_bound) {
  return Walk(pattern, [&](const Repetition& rep, bool single_byte, std::string_view original) {
    if (single_byte && rep.has_comma && rep.max && *rep.max >= min_bound) {
      return rep.min == 0   ? std::string("*")
             : rep.min == 1 ? std::string("+")
                            : "{" + std::to_string(rep.min) + ",}";
    }
    return std::string(original);
  });
}

std::string DropLeadingWildcard(std::string_view relaxed) {
  for (std::string_view prefix : {"^(.*?)", "^(.*)", "^.*?", "^.*"}) {
    if (relaxed.substr(0, prefix.size()) == prefix)
      return std::string(relaxed.substr(prefix.size()));
  }
  return std::string(relaxed);
}

std::optional<LeadingAny> SplitLeadingAny(const std::string& regex) {
  constexpr std::string_view kStart = "^.{0,";
  if (regex.compare(0, kStart.size(), kStart) != 0) return std::nullopt;
  std::size_t i = kStart.size();
  std::size_t bound = 0;
  const std::size_t digits_start = i;
  while (i < regex.size() && regex[i] >= '0' && regex[i] <= '9' && i - digits_start < 6) {
    bound = bound * 10 + static_cast<std::size_t>(regex[i] - '0');
    ++i;
  }
  if (i == digits_start || i >= regex.size() || regex[i] != '}') return std::nullopt;
  const bool lazy = i + 1 < regex.size() && regex[i + 1] == '?';
  LeadingAny split{bound, lazy, regex.substr(i + (lazy ? 2 : 1))};
  int depth = 0;
  bool in_class = false;
  for (std::size_t k = 0; k < split.rest.size(); ++k) {
    const char c = split.rest[k];
    if (c == '\\') {
      ++k;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      if (k + 1 < split.rest.size() && split.rest[k + 1] == '^') ++k;
      if (k + 1 < split.rest.size() && split.rest[k + 1] == ']') ++k;  // a literal ']'
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return std::nullopt;
    }
  }
  return split;
}

}  // namespace masthead::ua
