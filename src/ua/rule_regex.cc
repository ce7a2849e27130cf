#include "ua/rule_regex.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "ua/hs_database_cache.h"
#include "ua/hs_scratch.h"
#include "ua/prefilter_pattern.h"

namespace masthead::ua {
namespace {

// Memory budget of each RE2 (its DFA cache lives in it); uap-core's rules need
// far less, and RE2 only takes what a rule uses.
constexpr int64_t kMaxMem = int64_t{32} << 20;

RE2::Options Options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxMem);
  // Bytes, as the Hyperscan prefilter sees them (whose UTF-8 mode would need
  // valid UTF-8). uap-core's regexes are ASCII and its suites pass this way.
  options.set_encoding(RE2::Options::EncodingLatin1);
  return options;
}

// RE2 extracts groups with its fast BitState engine only from programs up to
// this many instructions (Prog::Flatten); larger ones go to its NFA.
constexpr int kBitStateMaxProgramSize = 500;

// Splits "(A1|...|An)REST" into A1..An and REST when group 1 is a top-level
// alternation whose alternatives have no capturing groups of their own.
std::optional<std::pair<std::vector<std::string>, std::string>> SplitAlternation(
    const std::string& regex) {
  if (regex.size() < 2 || regex[0] != '(' || regex[1] == '?') return std::nullopt;
  std::vector<std::string> alternatives(1);
  int depth = 1;
  bool in_class = false;
  for (std::size_t i = 1; i < regex.size(); ++i) {
    const char c = regex[i];
    std::string& current = alternatives.back();
    if (c == '\\' && i + 1 < regex.size()) {
      current += regex.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      // "[^" and a ']' first in the class are part of the class: copy them
      // after the '[' so they are not taken for its end.
      in_class = true;
      current.push_back(c);
      if (i + 1 < regex.size() && regex[i + 1] == '^') current += regex[++i];
      if (i + 1 < regex.size() && regex[i + 1] == ']') current += regex[++i];
      continue;
    } else if (c == '(') {
      if (i + 1 >= regex.size() || regex[i + 1] != '?') return std::nullopt;  // capturing
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return std::make_pair(std::move(alternatives), regex.substr(i + 1));
    } else if (c == '|' && depth == 1) {
      alternatives.emplace_back();
      continue;
    }
    current.push_back(c);
  }
  return std::nullopt;
}

// The literal bytes every match of `alternative` starts with (after a
// leading ^ or \b, which RE2 still checks): "Googlebot" of "Googlebot(?:-x|)",
// "" of "[Bb]aidu". A literal followed by a quantifier is not required.
std::string LiteralPrefix(std::string_view alternative) {
  std::size_t i = 0;
  if (alternative.substr(0, 1) == "^") i = 1;
  if (alternative.substr(i, 2) == "\\b") i += 2;
  std::string prefix;
  while (i < alternative.size()) {
    char c = alternative[i];
    std::size_t width = 1;
    if (c == '\\') {
      if (i + 1 >= alternative.size()) break;
      const char escaped = alternative[i + 1];
      const bool punctuation = !((escaped >= 'a' && escaped <= 'z') || (escaped >= 'A' && escaped <= 'Z') ||
                                 (escaped >= '0' && escaped <= '9'));
      if (!punctuation) break;  // \d, \w, \b, \x..: not one literal byte
      c = escaped;
      width = 2;
    } else if (std::string_view(".[]()|*+?{}^$").find(c) != std::string_view::npos) {
      break;
    }
    const char next = i + width < alternative.size() ? alternative[i + width] : '\0';
    if (next == '?' || next == '*' || next == '{') break;  // optional: not required
    prefix.push_back(c);
    if (next == '+') break;  // required once; what follows may repeat it
    i += width;
  }
  return prefix;
}

// Where Hyperscan and RE2 (Latin-1) read a pattern the same way: no control
// bytes (\s, '$' before a final newline) and no bytes above ASCII (case folding).
bool IsPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void Fill(const re2::StringPiece* pieces, int count, Captures* captures) {
  captures->count = count;
  for (int g = 0; g < 10; ++g) {
    captures->groups[g] = g < count && pieces[g].data() != nullptr
                              ? std::string_view(pieces[g].data(), pieces[g].size())
                              : std::string_view();
  }
}

}  // namespace

RuleRegex::RuleRegex(RuleRegex&&) noexcept = default;
RuleRegex& RuleRegex::operator=(RuleRegex&&) noexcept = default;
RuleRegex::~RuleRegex() = default;

std::size_t RuleRegex::Forms::IndexFor(std::size_t text_size) const {
  const auto it = std::lower_bound(bounds.begin(), bounds.end(), text_size);
  return static_cast<std::size_t>(it - bounds.begin());
}

Result<RuleRegex::Forms> RuleRegex::CompileForms(const std::string& pattern,
                                                 std::string_view where) {
  Forms forms;
  forms.bounds = SingleByteRepetitionBounds(pattern);
  std::vector<std::string> texts;
  for (const std::size_t bound : forms.bounds) texts.push_back(RelaxForTextsUpTo(pattern, bound));
  texts.push_back(pattern);
  const RE2::Options options = Options();
  for (const std::string& text : texts) {
    auto re = std::make_unique<RE2>(text, options);
    if (!re->ok()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(where) + " regex rejected by RE2: " + re->error(),
                       std::string(where));
    }
    forms.bit_state.push_back(re->ProgramSize() <= kBitStateMaxProgramSize);
    forms.forms.push_back(std::move(re));
  }
  return forms;
}

Result<RuleRegex> RuleRegex::Compile(const Rule& rule, std::string_view where) {
  const std::string flags = rule.case_insensitive ? "(?i)" : "";
  RuleRegex regex;
  auto whole = CompileForms(flags + rule.regex, where);
  if (!whole) return tl::unexpected(whole.error());
  regex.whole_ = std::move(*whole);
  if (auto split = SplitLeadingAny(rule.regex)) {
    auto rest = CompileForms(flags + split->rest, where);
    if (!rest) return tl::unexpected(rest.error());
    regex.prefix_bound_ = split->bound;
    regex.prefix_lazy_ = split->lazy;
    regex.rest_ = std::move(*rest);
  }
  if (!regex.whole_.bit_state.back()) {
    auto split = CompileSplit(rule, where);
    if (!split) return tl::unexpected(split.error());
    regex.split_ = std::move(*split);
  }
  return regex;
}

RuleRegex::Split::~Split() {
  if (som != nullptr) hs_free_database(som);
}

Result<std::unique_ptr<RuleRegex::Split>> RuleRegex::CompileSplit(const Rule& rule,
                                                                  std::string_view where) {
  constexpr std::size_t kMinAlternatives = 8;
  // A leading \b stays in front of every part (uap-core's "\b(A|B|...)/(\d+)").
  const std::string lead = rule.regex.rfind("\\b(", 0) == 0 ? "\\b" : "";
  auto parts = SplitAlternation(rule.regex.substr(lead.size()));
  if (!parts || parts->first.size() < kMinAlternatives) return nullptr;
  const std::string flags = rule.case_insensitive ? "(?i)" : "";
  auto split = std::make_unique<Split>();
  split->case_insensitive = rule.case_insensitive;
  std::vector<std::string> som_patterns;
  for (const std::string& alternative : parts->first) {
    auto forms = CompileForms(flags + lead + "(" + alternative + ")" + parts->second, where);
    if (!forms) return nullptr;  // not splittable after all; the rule works unsplit
    split->parts.push_back(std::move(*forms));
    split->prefixes.push_back(LiteralPrefix(alternative));
    som_patterns.push_back(lead + "(?:" + alternative + ")" + parts->second);
  }
  // The exact parts (no relaxing: the scan's answer is used as is). A part
  // Hyperscan cannot compile with start-of-match reporting is left to RE2.
  std::vector<std::size_t> ids(som_patterns.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = i;
  const unsigned flags_hs = HS_FLAG_SOM_LEFTMOST | HS_FLAG_ALLOWEMPTY | (rule.case_insensitive ? HS_FLAG_CASELESS : 0u);
  while (!ids.empty()) {
    std::vector<const char*> expressions;
    std::vector<unsigned int> hs_ids;
    for (const std::size_t i : ids) {
      expressions.push_back(som_patterns[i].c_str());
      hs_ids.push_back(static_cast<unsigned int>(i));
    }
    const std::vector<unsigned int> hs_flags(ids.size(), flags_hs);
    HsCompileOutcome compiled = CompileHsDatabase(expressions, hs_flags, hs_ids);
    split->som = compiled.database;
    if (split->som != nullptr) {
      split->som_serial = NextDatabaseSerial();
      break;
    }
    const int bad = compiled.failed_expression;
    if (bad < 0) {  // not about one part: no SOM database, the RE2 path serves
      split->outside_som.clear();
      break;
    }
    split->outside_som.push_back(ids[static_cast<std::size_t>(bad)]);
    ids.erase(ids.begin() + bad);
  }
  std::sort(split->outside_som.begin(), split->outside_som.end());
  return split;
}

bool RuleRegex::SomLeftmost(std::string_view text, std::optional<std::pair<std::size_t, std::size_t>>* found) const {
  struct Leftmost {
    unsigned long long start = ~0ull;
    unsigned int part = ~0u;
  } best;
  thread_local ThreadScratch scratch;
  hs_scratch_t* s = scratch.For(split_->som, split_->som_serial);
  if (s == nullptr) return false;
  auto on_match = [](unsigned int id, unsigned long long from, unsigned long long, unsigned int, void* context) {
    auto* leftmost = static_cast<Leftmost*>(context);
    if (from < leftmost->start || (from == leftmost->start && id < leftmost->part)) {
      leftmost->start = from;
      leftmost->part = id;
    }
    return 0;
  };
  if (hs_scan(split_->som, text.data(), static_cast<unsigned int>(text.size()), 0, s, on_match, &best) !=
      HS_SUCCESS) {
    return false;
  }
  const re2::StringPiece input(text.data(), text.size());
  for (const std::size_t i : split_->outside_som) {
    re2::StringPiece match;
    const RE2& part = *split_->parts[i].forms.back();
    if (!part.Match(input, 0, text.size(), RE2::UNANCHORED, &match, 1)) continue;
    const auto start = static_cast<unsigned long long>(match.data() - text.data());
    if (start < best.start || (start == best.start && i < best.part)) {
      best.start = start;
      best.part = static_cast<unsigned int>(i);
    }
  }
  if (best.part == ~0u) {
    found->reset();
  } else {
    *found = std::pair<std::size_t, std::size_t>{static_cast<std::size_t>(best.start), best.part};
  }
  return true;
}

bool RuleRegex::SplitGroups(std::string_view text, std::size_t start, std::size_t end, int count,
                            re2::StringPiece* pieces) const {
  // The alternative that matched is the first, in order, whose (Ai)REST
  // matches anchored at the span's start; an alternative whose literal prefix
  // is not there cannot, so most are passed over with a byte comparison.
  const re2::StringPiece input(text.data(), text.size());
  const std::string_view span = text.substr(start, end - start);
  for (std::size_t i = 0; i < split_->parts.size(); ++i) {
    const std::string& prefix = split_->prefixes[i];
    if (prefix.size() > span.size()) continue;
    if (split_->case_insensitive ? !EqualsIgnoringAsciiCase(span.substr(0, prefix.size()), prefix)
                                 : span.substr(0, prefix.size()) != prefix) {
      continue;
    }
    const RE2& part = split_->parts[i].For(end - start);
    if (part.Match(input, start, end, RE2::ANCHOR_BOTH, pieces, count)) return true;
  }
  return false;
}

bool RuleRegex::Match(std::string_view text, int groups_wanted, Captures* captures) const {
  const re2::StringPiece input(text.data(), text.size());
  std::optional<std::pair<std::size_t, std::size_t>> leftmost;
  if (split_ != nullptr && split_->som != nullptr && IsPrintableAscii(text) && SomLeftmost(text, &leftmost)) {
    captures->count = 0;
    if (!leftmost) return false;
    if (groups_wanted <= 0) return true;
    const auto [start, part_index] = *leftmost;
    const RE2& part = split_->parts[part_index].For(text.size() - start);
    std::array<re2::StringPiece, 10> pieces;
    const int count = std::min({1 + part.NumberOfCapturingGroups(), groups_wanted + 1, 10});
    if (part.Match(input, start, text.size(), RE2::ANCHOR_START, pieces.data(), count)) {
      Fill(pieces.data(), count, captures);
      return true;
    }
    // Unreachable while the two engines agree; RE2 below is the authority.
  }
  // An empty view may have no data at all, and memchr must not be given null.
  const char* newline =
      text.empty() ? nullptr : static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
  // ^.{0,N} can only reach the first newline, and no further than N.
  const std::size_t prefix_reach =
      prefix_bound_
          ? std::min<std::size_t>(*prefix_bound_, newline ? newline - text.data() : text.size())
          : 0;
  if (prefix_bound_ && !prefix_lazy_ && groups_wanted <= 0) {
    // Greedy ^.{0,N}R matches iff R matches starting at some p <= reach, i.e.
    // iff R's leftmost match starts there.
    captures->count = 0;
    const RE2& rest = rest_.For(text.size());
    // When the prefix can reach the end of the text, every start qualifies:
    // RE2 then need not find where the match starts (its reverse DFA pass),
    // only whether there is one. Most user agents are shorter than uap-core's N.
    if (prefix_reach == text.size()) return rest.Match(input, 0, text.size(), RE2::UNANCHORED, nullptr, 0);
    re2::StringPiece match;
    if (!rest.Match(input, 0, text.size(), RE2::UNANCHORED, &match, 1)) return false;
    return static_cast<std::size_t>(match.data() - text.data()) <= prefix_reach;
  }
  const bool use_rest = prefix_bound_ && prefix_lazy_ && text.size() <= *prefix_bound_ && !newline;
  const Forms& forms = use_rest ? rest_ : whole_;
  const std::size_t form = forms.IndexFor(text.size());
  const RE2& re = *forms.forms[form];
  if (groups_wanted <= 0) {
    captures->count = 0;
    return re.Match(input, 0, text.size(), RE2::UNANCHORED, nullptr, 0);
  }
  if (forms.bit_state[form]) {
    // Small enough for BitState: one call finds the span and the groups.
    std::array<re2::StringPiece, 10> pieces;
    const int count = std::min({1 + re.NumberOfCapturingGroups(), groups_wanted + 1, 10});
    if (!re.Match(input, 0, text.size(), RE2::UNANCHORED, pieces.data(), count)) return false;
    if (use_rest)
      pieces[0] = re2::StringPiece(text.data(), pieces[0].data() + pieces[0].size() - text.data());
    Fill(pieces.data(), count, captures);
    return true;
  }
  std::array<re2::StringPiece, 10> pieces;
  if (!re.Match(input, 0, text.size(), RE2::UNANCHORED, pieces.data(), 1)) return false;
  const std::size_t start = static_cast<std::size_t>(pieces[0].data() - text.data());
  const std::size_t end = start + pieces[0].size();
  const RE2& narrow = forms.For(end - start);
  const int count = std::min({1 + narrow.NumberOfCapturingGroups(), groups_wanted + 1, 10});
  // Only the whole rule is split, so not after the ^.{0,N}? shortcut.
  if (split_ != nullptr && !use_rest && SplitGroups(text, start, end, count, pieces.data())) {
    Fill(pieces.data(), count, captures);
    return true;
  }
  if (narrow.Match(input, start, end, RE2::ANCHOR_BOTH, pieces.data(), count)) {
    // The rule's own match also covers the ^.{0,N}? prefix that was left out.
    if (use_rest) pieces[0] = re2::StringPiece(text.data(), end);
    Fill(pieces.data(), count, captures);
    return true;
  }
  // Unreachable if the forms are equivalent, as argued above; the exact regex
  // over the whole text is the authority.
  const RE2& exact = *whole_.forms.back();
  if (!exact.Match(input, 0, text.size(), RE2::UNANCHORED, pieces.data(), count)) return false;
  Fill(pieces.data(), count, captures);
  return true;
}

}  // namespace masthead::ua
