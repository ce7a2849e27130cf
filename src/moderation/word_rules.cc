#include "moderation/word_rules.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace masthead::moderation {
namespace {

// Longest term, in letter runs; longer terms are rejected at load so the match
// loop can keep the recent runs in a fixed ring.
constexpr std::size_t kMaxTermRuns = WordRules::kRuns - 1;

// Symbols: 0 any other byte (digits, UTF-8; verified exactly on match),
// 1..26 letters, 27 space. A small alphabet keeps the automaton in cache.
constexpr std::array<std::uint8_t, 256> kSymbolOf = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<std::uint8_t>(1 + c - 'a');
  table[' '] = 27;
  return table;
}();

bool CollapsesRuns(unsigned char c) { return c >= 'a' && c <= 'z'; }

// A hash of a word's bytes with runs of a letter taken once, so "stuuupid" and
// "stupid" hash alike (the trie walk then checks the run lengths). The per-byte
// step is a shift and two adds (a short dependency chain); Bit() mixes once per
// word.
struct WordHash {
  std::uint32_t value = 5381;
  unsigned char previous = 0;
  void Add(unsigned char c) {
    if (c == previous && CollapsesRuns(c)) return;
    previous = c;
    value = value * 33 + c;
  }
  std::uint32_t Bit(int bits) const { return (value * 0x9E3779B1u) >> (32 - bits); }
};

using Run = WordRules::Run;

// Calls `emit(run)` for each run of " " + text + " ", letters collapsed.
template <typename Emit>
void ForEachRun(std::string_view text, Emit&& emit) {
  emit(Run{' ', 1});
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t j = i + 1;
    if (CollapsesRuns(c)) {
      while (j < text.size() && static_cast<unsigned char>(text[j]) == c) ++j;
    }
    const std::size_t count = j - i;
    emit(Run{c, static_cast<std::uint8_t>(count > kRepeatCap ? kRepeatCap : count)});
    i = j;
  }
  emit(Run{' ', 1});
}

Result<TermKind> ParseKind(std::string_view word) {
  if (word == "banned") return TermKind::kBanned;
  if (word == "suspect") return TermKind::kSuspect;
  if (word == "profane") return TermKind::kProfane;
  return MakeError(
      ErrorCode::kInvalidArgument,
      "kind must be 'banned', 'suspect' or 'profane', not '" + std::string(word) + "'");
}

}  // namespace

Result<WordRules> WordRules::Parse(std::string_view list, const TextNormaliser& normaliser) {
  std::vector<Term> terms;
  int line_number = 0;
  for (std::string_view raw : SplitLines(list)) {
    ++line_number;
    const std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "line " + std::to_string(line_number) + ": " + why, "rules");
    };
    const std::size_t kind_end = line.find_first_of(" \t");
    if (kind_end == std::string_view::npos) return fail("expected: kind rule term");
    auto kind = ParseKind(line.substr(0, kind_end));
    if (!kind) return fail(kind.error().message);
    std::string_view rest = TrimWhitespace(line.substr(kind_end));
    const std::size_t rule_end = rest.find_first_of(" \t");
    if (rule_end == std::string_view::npos) return fail("expected: kind rule term");
    int rule = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rule_end, rule);
    const auto clause = ClauseFromNumber(rule);
    if (ec != std::errc() || ptr != rest.data() + rule_end || !clause) {
      return fail("rule must be a Community Guidelines rule number");
    }
    std::string_view term = rest.substr(rule_end);
    term = TrimWhitespace(term.substr(0, term.find('#')));  // trailing "# note"
    if (term.empty()) return fail("missing term");
    terms.push_back(Term{*kind, *clause, std::string(term)});
  }
  auto rules = FromTerms(std::move(terms), normaliser);
  if (!rules) return tl::unexpected(rules.error());
  return rules;
}

Result<WordRules> WordRules::LoadFile(const std::string& path, const TextNormaliser& normaliser) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open word list " + path, "rules");
  std::ostringstream content;
  content << in.rdbuf();
  auto rules = Parse(content.str(), normaliser);
  if (!rules) {
    return MakeError(rules.error().code, path + ": " + rules.error().message, "rules");
  }
  return rules;
}

Result<WordRules> WordRules::FromTerms(std::vector<Term> terms, const TextNormaliser& normaliser) {
  WordRules rules;
  for (const Term& term : terms) {
    auto normalised = normaliser.Normalise(term.text);
    if (!normalised) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "term '" + term.text + "': " + normalised.error().message, "rules");
    }
    if (normalised->empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "term '" + term.text + "' has no letters",
                       "rules");
    }
    Pattern pattern;
    ForEachRun(*normalised, [&](Run run) {
      pattern.bytes.push_back(static_cast<char>(run.byte));
      pattern.runs.push_back(run.count);
    });
    if (pattern.runs.size() > kMaxTermRuns) {
      return MakeError(ErrorCode::kInvalidArgument, "term '" + term.text + "' is too long",
                       "rules");
    }
    rules.normalised_terms_.push_back(std::move(*normalised));
    rules.patterns_.push_back(std::move(pattern));
  }
  rules.terms_ = std::move(terms);
  MASTHEAD_RETURN_IF_ERROR(rules.Build());
  return rules;
}

Status WordRules::Build() {
  // The trie, with states in insertion order first.
  std::vector<std::int32_t> child(kAlphabet, -1);
  std::vector<std::int32_t> output(1, -1);
  next_out_.assign(patterns_.size(), -1);
  for (std::size_t p = 0; p < patterns_.size(); ++p) {
    std::int32_t state = 0;
    for (char byte : patterns_[p].bytes) {
      const int symbol = kSymbolOf[static_cast<unsigned char>(byte)];
      std::int32_t next = child[state * kAlphabet + symbol];
      if (next < 0) {
        next = static_cast<std::int32_t>(output.size());
        child[state * kAlphabet + symbol] = next;
        child.resize(child.size() + kAlphabet, -1);
        output.push_back(-1);
      }
      state = next;
    }
    next_out_[p] = output[state];
    output[state] = static_cast<std::int32_t>(p);
  }
  // Renumbered breadth-first: the children of a state get consecutive numbers.
  const std::size_t states = output.size();
  std::vector<std::int32_t> order = {0};
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (int a = 0; a < kAlphabet; ++a) {
      const std::int32_t next = child[order[i] * kAlphabet + a];
      if (next >= 0) order.push_back(next);
    }
  }
  std::vector<std::int32_t> new_id(states);
  for (std::size_t i = 0; i < states; ++i) new_id[order[i]] = static_cast<std::int32_t>(i);
  output_.assign(states, -1);
  nodes_.assign(states, Node{});
  for (std::size_t old = 0; old < states; ++old) {
    Node& node = nodes_[new_id[old]];
    output_[new_id[old]] = output[old];
    if (output[old] >= 0) node.symbols |= kEndsHere;
    bool first = true;
    for (int a = 0; a < kAlphabet; ++a) {
      const std::int32_t next = child[old * kAlphabet + a];
      if (next < 0) continue;
      node.symbols |= 1u << a;
      if (first) node.first_child = new_id[next];  // the others follow it (breadth-first)
      first = false;
    }
  }
  const std::int32_t start = child[kSymbolOf[' ']];
  word_start_ = start < 0 ? -1 : new_id[start];
  first_words_.assign((std::size_t{1} << kFirstWordBits) / 64, 0);
  for (const Pattern& pattern : patterns_) {
    WordHash hash;  // pattern bytes are " " + run-collapsed words + " "
    for (std::size_t k = 1; k < pattern.bytes.size() && pattern.bytes[k] != ' '; ++k) {
      hash.Add(static_cast<unsigned char>(pattern.bytes[k]));
    }
    const std::uint32_t bit = hash.Bit(kFirstWordBits);
    first_words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  return Ok();
}

void WordRules::WalkFrom(std::size_t word, std::string_view normalised, std::array<Run, kRuns>& runs,
                         std::vector<RuleMatch>& matches) const {
  const char* const data = normalised.data();
  const std::size_t size = normalised.size();
  std::int32_t state = word_start_;
  std::size_t depth = 1;  // runs[0] is the space before the word
  std::size_t i = word;
  while (i <= size) {
    Run run{' ', 1};  // past the end: the space that closes the text
    if (i < size) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      std::size_t j = i + 1;
      if (CollapsesRuns(c)) {
        while (j < size && static_cast<unsigned char>(data[j]) == c) ++j;
      }
      run = Run{c, static_cast<std::uint8_t>(j - i > kRepeatCap ? kRepeatCap : j - i)};
      i = j;
    } else {
      ++i;
    }
    const std::uint32_t symbols = nodes_[state].symbols;
    const std::uint32_t bit = 1u << kSymbolOf[run.byte];
    if (!(symbols & bit)) return;
    state = nodes_[state].first_child + std::popcount(symbols & (bit - 1));
    runs[depth++] = run;  // depth <= the longest term, at most kMaxTermRuns
    if (!(nodes_[state].symbols & kEndsHere)) continue;
    // Terms ending here share these symbols; check bytes and run lengths.
    for (std::int32_t p = output_[state]; p >= 0; p = next_out_[p]) {
      const Pattern& pattern = patterns_[p];
      bool ok = true;
      for (std::size_t k = 0; k < depth && ok; ++k) {
        ok = runs[k].byte == static_cast<unsigned char>(pattern.bytes[k]) &&
             (runs[k].count == pattern.runs[k] || runs[k].count >= kRepeatCap);
      }
      if (!ok) continue;
      bool known = false;
      for (const RuleMatch& m : matches) known |= m.term_index == static_cast<std::size_t>(p);
      if (!known) matches.push_back(RuleMatch{static_cast<std::size_t>(p), terms_[p].kind, terms_[p].clause});
    }
  }
}

std::vector<RuleMatch> WordRules::Match(std::string_view normalised) const {
  std::vector<RuleMatch> matches;
  if (word_start_ < 0) return matches;
  const char* const data = normalised.data();
  const std::size_t size = normalised.size();
  std::array<Run, kRuns> runs;
  runs[0] = Run{' ', 1};
  const std::uint64_t* const first_words = first_words_.data();
  std::size_t word = 0;
  while (word <= size) {
    // Hash the word while finding its end; walk the trie only if a term may start here.
    WordHash hash;
    std::size_t end = word;
    while (end < size && data[end] != ' ') hash.Add(static_cast<unsigned char>(data[end++]));
    const std::uint32_t bit = hash.Bit(kFirstWordBits);
    if (first_words[bit / 64] >> (bit % 64) & 1) WalkFrom(word, normalised, runs, matches);
    word = end + 1;
  }
  return matches;
}

}  // namespace masthead::moderation
