#include "moderation/word_rules.h"

#include <array>
#include <charconv>
#include <deque>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace masthead::moderation {
namespace {

// Longest term, in letter runs; longer terms are rejected at load so the match
// loop can keep the recent runs in a fixed ring.
constexpr std::size_t kMaxTermRuns = 60;
constexpr std::size_t kRing = 64;

// Symbols: 0 any other byte (digits, UTF-8; verified exactly on match),
// 1..26 letters, 27 space. A small alphabet keeps the automaton in cache.
constexpr std::array<std::uint8_t, 256> kSymbolOf = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<std::uint8_t>(1 + c - 'a');
  table[' '] = 27;
  return table;
}();

bool CollapsesRuns(unsigned char c) { return c >= 'a' && c <= 'z'; }

struct Run {
  unsigned char byte;
  std::uint8_t count;
};

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
  // Trie: -1 marks a missing edge until the BFS below fills in failure moves.
  delta_.assign(kAlphabet, -1);
  output_.assign(1, -1);
  depth_.assign(1, 0);
  next_out_.assign(patterns_.size(), -1);
  for (std::size_t p = 0; p < patterns_.size(); ++p) {
    int state = 0;
    for (char byte : patterns_[p].bytes) {
      const int symbol = kSymbolOf[static_cast<unsigned char>(byte)];
      int next = delta_[state * kAlphabet + symbol];
      if (next < 0) {
        next = static_cast<int>(output_.size());
        delta_[state * kAlphabet + symbol] = next;
        delta_.resize(delta_.size() + kAlphabet, -1);
        output_.push_back(-1);
        depth_.push_back(depth_[state] + 1);
      }
      state = next;
    }
    next_out_[p] = output_[state];
    output_[state] = static_cast<std::int32_t>(p);
  }
  const std::size_t states = output_.size();
  fail_.assign(states, 0);
  dict_link_.assign(states, 0);
  std::deque<int> queue;
  std::vector<std::int32_t> order = {0};  // breadth-first
  for (int a = 0; a < kAlphabet; ++a) {
    int& child = delta_[a];
    if (child < 0) {
      child = 0;
    } else {
      queue.push_back(child);
    }
  }
  while (!queue.empty()) {
    const int state = queue.front();
    queue.pop_front();
    order.push_back(state);
    for (int a = 0; a < kAlphabet; ++a) {
      int& child = delta_[state * kAlphabet + a];
      const int via_fail = delta_[fail_[state] * kAlphabet + a];
      if (child < 0) {
        child = via_fail;
        continue;
      }
      fail_[child] = via_fail;
      dict_link_[child] = output_[via_fail] >= 0 ? via_fail : dict_link_[via_fail];
      queue.push_back(child);
    }
  }
  report_.resize(states);
  for (std::size_t s = 0; s < states; ++s) {
    report_[s] = output_[s] >= 0 ? static_cast<std::int32_t>(s) : dict_link_[s];
  }
  Renumber(order);
  return Ok();
}

void WordRules::Renumber(const std::vector<std::int32_t>& order) {
  const std::size_t states = order.size();
  std::vector<std::int32_t> new_id(states);
  for (std::size_t i = 0; i < states; ++i) new_id[order[i]] = static_cast<std::int32_t>(i);
  auto remap = [&](const std::vector<std::int32_t>& by_old, bool ids) {
    std::vector<std::int32_t> by_new(states);
    for (std::size_t old = 0; old < states; ++old) {
      by_new[new_id[old]] = ids ? new_id[by_old[old]] : by_old[old];
    }
    return by_new;
  };
  fail_ = remap(fail_, true);
  dict_link_ = remap(dict_link_, true);
  report_ = remap(report_, true);
  output_ = remap(output_, false);
  depth_ = remap(depth_, false);
  std::vector<std::int32_t> delta(states * kAlphabet);
  for (std::size_t old = 0; old < states; ++old) {
    for (int a = 0; a < kAlphabet; ++a) {
      const std::int32_t target = new_id[delta_[old * kAlphabet + a]];
      delta[new_id[old] * kAlphabet + a] =
          ((target * kAlphabet) << 1) | (report_[target] > 0 ? 1 : 0);
    }
  }
  delta_ = std::move(delta);
  delta16_.clear();
  if ((states * kAlphabet) << 1 < 65536) {
    delta16_.assign(delta_.begin(), delta_.end());
    delta_.clear();
  }
}

template <typename Ring>
void WordRules::Report(int state, std::size_t position, const Ring& ring,
                       std::vector<RuleMatch>& matches) const {
  for (int s = report_[state]; s > 0; s = dict_link_[s]) {
    for (int p = output_[s]; p >= 0; p = next_out_[p]) {
      const Pattern& pattern = patterns_[p];
      const std::size_t length = pattern.bytes.size();
      const std::size_t first = position - length;
      bool ok = true;
      for (std::size_t k = 0; k < length && ok; ++k) {
        const Run& seen = ring[(first + k) % kRing];
        ok = seen.byte == static_cast<unsigned char>(pattern.bytes[k]) &&
             (seen.count == pattern.runs[k] || seen.count >= kRepeatCap);
      }
      if (!ok) continue;
      bool known = false;
      for (const RuleMatch& m : matches) known |= m.term_index == static_cast<std::size_t>(p);
      if (!known) {
        matches.push_back(RuleMatch{static_cast<std::size_t>(p), terms_[p].kind, terms_[p].clause});
      }
    }
  }
}

std::vector<RuleMatch> WordRules::Match(std::string_view normalised) const {
  if (patterns_.empty()) return {};
  return delta16_.empty() ? MatchWith(delta_, normalised) : MatchWith(delta16_, normalised);
}

template <typename Entry>
std::vector<RuleMatch> WordRules::MatchWith(const std::vector<Entry>& table,
                                            std::string_view normalised) const {
  std::vector<RuleMatch> matches;
  std::array<Run, kRing> ring;
  std::size_t position = 0;  // runs seen so far
  std::int32_t row = 0;      // state * kAlphabet
  const Entry* const delta = table.data();
  ForEachRun(normalised, [&](Run run) {
    ring[position % kRing] = run;
    ++position;
    const std::int32_t next = delta[row + kSymbolOf[run.byte]];
    row = next >> 1;
    if (next & 1) Report(row / kAlphabet, position, ring, matches);
  });
  return matches;
}

}  // namespace masthead::moderation
