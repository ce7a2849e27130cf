#include "ua/uap_regex.h"

#include <algorithm>
#include <map>
#include <string>

namespace masthead::ua {
namespace {

// RE2's limit on a counted repetition's bounds.
constexpr int kMaxRepeat = 1000;

enum class Kind : std::uint8_t { kEmpty, kBytes, kConcat, kAlternate, kRepeat, kCapture, kAssert };

struct Node {
  Kind kind = Kind::kEmpty;
  ByteSet set;                // kBytes
  std::vector<int> children;  // kConcat, kAlternate; kRepeat/kCapture: one
  int min = 0, max = 0;       // kRepeat; max -1: unbounded
  bool greedy = true;         // kRepeat
  int capture = 0;            // kCapture: group number
  Assertion assertion = Assertion::kBeginText;
};

// Latin-1 case folding as RE2 applies it in Latin-1 mode: ASCII letters and
// the Latin-1 letters whose partner is also in Latin-1.
int CasePartner(unsigned c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int>(c + 32);
  if (c >= 'a' && c <= 'z') return static_cast<int>(c - 32);
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return static_cast<int>(c + 32);
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return static_cast<int>(c - 32);
  return -1;
}

void Fold(ByteSet* set) {
  ByteSet folded = *set;
  for (unsigned c = 0; c < 256; ++c) {
    if (!set->Has(static_cast<unsigned char>(c))) continue;
    if (const int partner = CasePartner(c); partner >= 0)
      folded.Add(static_cast<unsigned char>(partner));
  }
  *set = folded;
}

ByteSet DigitSet() {
  ByteSet s;
  s.AddRange('0', '9');
  return s;
}
ByteSet WordSet() {
  ByteSet s;
  for (unsigned c = 0; c < 256; ++c)
    if (IsWordByte(static_cast<unsigned char>(c))) s.Add(static_cast<unsigned char>(c));
  return s;
}
ByteSet SpaceSet() {  // RE2's \s: no \v
  ByteSet s;
  for (const char c : {'\t', '\n', '\f', '\r', ' '}) s.Add(static_cast<unsigned char>(c));
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Parser {
 public:
  Parser(std::string_view pattern, bool fold) : p_(pattern), fold_(fold) {}

  Result<int> Parse() {
    auto root = ParseAlternation(0);
    if (!root) return root;
    if (i_ < p_.size()) return Fail("unmatched ')'");
    return root;
  }
  std::vector<Node>& nodes() { return nodes_; }
  int groups() const { return groups_; }

 private:
  tl::unexpected<Error> Fail(const std::string& why) const {
    return MakeError(ErrorCode::kInvalidArgument,
                     why + " at offset " + std::to_string(i_) + " of the regex");
  }
  int Add(Node node) {
    nodes_.push_back(std::move(node));
    return static_cast<int>(nodes_.size() - 1);
  }
  int Bytes(ByteSet set) {
    Node n;
    n.kind = Kind::kBytes;
    n.set = set;
    return Add(std::move(n));
  }
  int Literal(unsigned char c) {
    ByteSet s;
    s.Add(c);
    if (fold_) Fold(&s);
    return Bytes(s);
  }
  int AssertNode(Assertion a) {
    Node n;
    n.kind = Kind::kAssert;
    n.assertion = a;
    return Add(std::move(n));
  }
  bool Nullable(int index) const {
    const Node& node = nodes_[static_cast<std::size_t>(index)];
    switch (node.kind) {
      case Kind::kEmpty:
      case Kind::kAssert:
        return true;
      case Kind::kBytes:
        return false;
      case Kind::kConcat:
        return std::all_of(node.children.begin(), node.children.end(),
                           [&](int child) { return Nullable(child); });
      case Kind::kAlternate:
        return std::any_of(node.children.begin(), node.children.end(),
                           [&](int child) { return Nullable(child); });
      case Kind::kRepeat:
        return node.min == 0 || Nullable(node.children[0]);
      case Kind::kCapture:
        return Nullable(node.children[0]);
    }
    return true;
  }
  bool More() const { return i_ < p_.size(); }
  char Peek(std::size_t ahead = 0) const { return i_ + ahead < p_.size() ? p_[i_ + ahead] : '\0'; }

  Result<int> ParseAlternation(int depth) {
    if (depth > 200) return Fail("groups nested too deeply");
    std::vector<int> branches;
    for (;;) {
      auto branch = ParseConcat(depth);
      if (!branch) return branch;
      branches.push_back(*branch);
      if (More() && Peek() == '|') {
        ++i_;
        continue;
      }
      break;
    }
    if (branches.size() == 1) return branches[0];
    Node n;
    n.kind = Kind::kAlternate;
    n.children = std::move(branches);
    return Add(std::move(n));
  }

  Result<int> ParseConcat(int depth) {
    std::vector<int> items;
    while (More() && Peek() != '|' && Peek() != ')') {
      auto atom = ParseAtom(depth);
      if (!atom) return atom;
      int current = *atom;
      bool repeated = false;
      while (More()) {
        int min = 0, max = 0;
        const std::size_t before = i_;
        const char c = Peek();
        if (c == '*') {
          min = 0, max = -1, ++i_;
        } else if (c == '+') {
          min = 1, max = -1, ++i_;
        } else if (c == '?') {
          min = 0, max = 1, ++i_;
        } else if (c == '{') {
          if (!ParseCount(&min, &max)) break;  // not a repetition: a literal '{'
        } else {
          break;
        }
        if (repeated) return Fail("bad repetition operator");
        // Repeating what can match empty is where engines part ways (Perl and
        // RE2 stop an iteration that consumed nothing at different points);
        // RE2 answers those rules.
        if ((max < 0 || max > 1) && Nullable(current)) {
          i_ = before;
          return Fail("repetition of an expression that can match empty");
        }
        const Kind kind = nodes_[static_cast<std::size_t>(current)].kind;
        if (kind == Kind::kAssert || kind == Kind::kEmpty) {
          i_ = before;
          return Fail("missing argument to repetition operator");
        }
        bool greedy = true;
        if (More() && Peek() == '?') {
          greedy = false;
          ++i_;
        }
        Node n;
        n.kind = Kind::kRepeat;
        n.min = min;
        n.max = max;
        n.greedy = greedy;
        n.children = {current};
        current = Add(std::move(n));
        repeated = true;
      }
      items.push_back(current);
    }
    if (items.empty()) return Add(Node{});
    if (items.size() == 1) return items[0];
    Node n;
    n.kind = Kind::kConcat;
    n.children = std::move(items);
    return Add(std::move(n));
  }

  // {n}, {n,} or {n,m} at i_; false (i_ unchanged) when it is not one.
  bool ParseCount(int* min, int* max) {
    std::size_t j = i_ + 1;
    auto number = [&](int* out) {
      const std::size_t start = j;
      long value = 0;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9' && j - start < 8) {
        value = value * 10 + (p_[j] - '0');
        ++j;
      }
      *out = static_cast<int>(value);
      return j > start;
    };
    if (!number(min)) return false;
    if (j < p_.size() && p_[j] == '}') {
      *max = *min;
    } else if (j < p_.size() && p_[j] == ',') {
      ++j;
      if (j < p_.size() && p_[j] == '}') {
        *max = -1;
      } else if (!number(max) || j >= p_.size() || p_[j] != '}') {
        return false;
      }
    } else {
      return false;
    }
    i_ = j + 1;
    return true;
  }

  Result<int> ParseAtom(int depth) {
    const char c = Peek();
    switch (c) {
      case '(': {
        ++i_;
        int capture = 0;
        if (Peek() == '?') {
          if (Peek(1) != ':') return Fail("only (?: groups are supported");
          i_ += 2;
        } else {
          capture = ++groups_;
        }
        auto inner = ParseAlternation(depth + 1);
        if (!inner) return inner;
        if (!More() || Peek() != ')') return Fail("missing ')'");
        ++i_;
        if (capture == 0) return inner;
        Node n;
        n.kind = Kind::kCapture;
        n.capture = capture;
        n.children = {*inner};
        return Add(std::move(n));
      }
      case '[':
        return ParseClass();
      case '.': {
        ++i_;
        ByteSet s;
        s.Add('\n');
        s.Negate();
        return Bytes(s);
      }
      case '^':
        ++i_;
        return AssertNode(Assertion::kBeginText);
      case '$':
        ++i_;
        return AssertNode(Assertion::kEndText);
      case '*':
      case '+':
      case '?':
        return Fail("missing argument to repetition operator");
      case '\\':
        return ParseEscape();
      default:
        ++i_;
        return Literal(static_cast<unsigned char>(c));
    }
  }

  // One escaped byte (\n, \x41, \.) at i_ (just past the backslash); -1 if the
  // escape is not a single byte, -2 if it is not supported.
  int EscapedByte() {
    const char c = Peek();
    switch (c) {
      case 'n':
        ++i_;
        return '\n';
      case 't':
        ++i_;
        return '\t';
      case 'r':
        ++i_;
        return '\r';
      case 'f':
        ++i_;
        return '\f';
      case 'v':
        ++i_;
        return '\v';
      case 'a':
        ++i_;
        return '\a';
      case 'x': {
        const int hi = HexValue(Peek(1)), lo = HexValue(Peek(2));
        if (hi < 0 || lo < 0) return -2;
        i_ += 3;
        return hi * 16 + lo;
      }
      default:
        break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (!IsWordByte(u) && u != 0)) {
      ++i_;
      return u;
    }
    return IsWordByte(u) ? -1 : -2;
  }

  // \d \D \w \W \s \S at i_ (past the backslash); false if not one.
  bool ClassEscape(ByteSet* out) {
    const char c = Peek();
    ByteSet s;
    switch (c) {
      case 'd':
      case 'D':
        s = DigitSet();
        break;
      case 'w':
      case 'W':
        s = WordSet();
        break;
      case 's':
      case 'S':
        s = SpaceSet();
        break;
      default:
        return false;
    }
    if (c == 'D' || c == 'W' || c == 'S') s.Negate();
    ++i_;
    *out = s;
    return true;
  }

  Result<int> ParseEscape() {
    ++i_;  // the backslash
    if (!More()) return Fail("trailing backslash");
    ByteSet set;
    if (ClassEscape(&set)) return Bytes(set);
    switch (Peek()) {
      case 'b':
        ++i_;
        return AssertNode(Assertion::kWordBoundary);
      case 'B':
        ++i_;
        return AssertNode(Assertion::kNotWordBoundary);
      case 'A':
        ++i_;
        return AssertNode(Assertion::kBeginText);
      case 'z':
        ++i_;
        return AssertNode(Assertion::kEndText);
      default:
        break;
    }
    const int byte = EscapedByte();
    if (byte < 0) return Fail(std::string("unsupported escape \\") + Peek());
    return Literal(static_cast<unsigned char>(byte));
  }

  Result<int> ParseClass() {
    ++i_;  // '['
    bool negated = false;
    if (Peek() == '^') {
      negated = true;
      ++i_;
    }
    ByteSet set;
    bool first = true;
    for (;;) {
      if (!More()) return Fail("missing ']'");
      char c = Peek();
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      if (c == '[' && Peek(1) == ':') return Fail("POSIX classes are not supported");
      int lo;
      if (c == '\\') {
        ++i_;
        ByteSet escaped;
        if (ClassEscape(&escaped)) {
          set.AddAll(escaped);
          continue;
        }
        lo = EscapedByte();
        if (lo < 0) return Fail(std::string("unsupported escape \\") + Peek());
      } else {
        lo = static_cast<unsigned char>(c);
        ++i_;
      }
      int hi = lo;
      if (Peek() == '-' && Peek(1) != ']' && i_ + 1 < p_.size()) {
        ++i_;
        if (Peek() == '\\') {
          ++i_;
          hi = EscapedByte();
          if (hi < 0) return Fail("bad character class range");
        } else {
          hi = static_cast<unsigned char>(Peek());
          ++i_;
        }
        if (hi < lo) return Fail("bad character class range");
      }
      set.AddRange(static_cast<unsigned>(lo), static_cast<unsigned>(hi));
    }
    if (fold_) Fold(&set);
    if (negated) set.Negate();
    return Bytes(set);
  }

  std::string_view p_;
  bool fold_;
  std::size_t i_ = 0;
  int groups_ = 0;
  std::vector<Node> nodes_;
};

class Compiler {
 public:
  Compiler(Program* program, const std::vector<Node>& nodes, const PatternOptions& options)
      : program_(program),
        nodes_(nodes),
        max_insts_(options.max_insts),
        open_bounded_runs_(options.open_bounded_runs),
        reversed_(options.reversed),
        byte_runs_(options.byte_runs && !options.reversed) {}

  // Entry pc of `node` followed by `next`.
  Result<std::uint32_t> Compile(int node_index, std::uint32_t next) {
    const Node& node = nodes_[static_cast<std::size_t>(node_index)];
    switch (node.kind) {
      case Kind::kEmpty:
        return next;
      case Kind::kBytes:
        return Emit({Op::kByte, {}, 0, next, SetIndex(node.set)});
      case Kind::kAssert: {
        Assertion assertion = node.assertion;
        if (reversed_ && assertion == Assertion::kBeginText) {
          assertion = Assertion::kEndText;
        } else if (reversed_ && assertion == Assertion::kEndText) {
          assertion = Assertion::kBeginText;
        }
        return Emit({Op::kAssert, assertion, 0, next, 0});
      }
      case Kind::kConcat: {
        // Back to front: each part is compiled knowing its continuation.
        std::uint32_t pc = next;
        auto compile_part = [&](int child) -> Status {
          auto entry = Compile(child, pc);
          if (!entry) return tl::unexpected(entry.error());
          pc = *entry;
          return {};
        };
        if (reversed_) {
          for (const int child : node.children) {
            if (auto done = compile_part(child); !done) return tl::unexpected(done.error());
          }
        } else {
          for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
            if (auto done = compile_part(*it); !done) return tl::unexpected(done.error());
          }
        }
        return pc;
      }
      case Kind::kCapture: {
        auto end = Emit({Op::kSave, {}, 0, next, static_cast<std::uint32_t>(2 * node.capture + 1)});
        if (!end) return end;
        auto body = Compile(node.children[0], *end);
        if (!body) return body;
        return Emit({Op::kSave, {}, 0, *body, static_cast<std::uint32_t>(2 * node.capture)});
      }
      case Kind::kAlternate: {
        std::vector<std::uint32_t> entries;
        for (const int child : node.children) {
          auto entry = Compile(child, next);
          if (!entry) return entry;
          entries.push_back(*entry);
        }
        if (entries.size() == 2) return Emit({Op::kSplit, {}, 0, entries[0], entries[1]});
        if (entries.size() > 65535) return MakeError(ErrorCode::kTooLarge, "alternation too wide");
        AltTable table;
        table.branches = std::move(entries);
        program_->alts.push_back(std::move(table));
        return Emit({Op::kAlt, {}, 0, 0, static_cast<std::uint32_t>(program_->alts.size() - 1)});
      }
      case Kind::kRepeat:
        return CompileRepeat(node, next);
    }
    return next;
  }

 private:
  Result<std::uint32_t> CompileRepeat(const Node& node, std::uint32_t next) {
    if (node.min > kMaxRepeat || node.max > kMaxRepeat || (node.max >= 0 && node.max < node.min)) {
      return MakeError(ErrorCode::kInvalidArgument, "bad repetition count");
    }
    const int body = node.children[0];
    int max = node.max;
    if (const Node& atom = nodes_[static_cast<std::size_t>(body)];
        open_bounded_runs_ && atom.kind == Kind::kBytes && node.max >= 3 && node.max > node.min) {
      max = -1;
    }
    std::uint32_t pc = next;
    if (const Node& atom = nodes_[static_cast<std::size_t>(body)];
        byte_runs_ && atom.kind == Kind::kBytes && (max < 0 || max - node.min >= 2)) {
      auto run = Emit({node.greedy ? Op::kRun : Op::kLazyRun,
                       {},
                       max < 0 ? kUnboundedRun : static_cast<std::uint16_t>(max - node.min),
                       next,
                       SetIndex(atom.set)});
      if (!run) return run;
      pc = *run;
    } else if (max < 0) {
      // The loop: a split whose one way runs the body back to the split.
      auto loop = Emit({Op::kSplit, {}, 0, 0, 0});
      if (!loop) return loop;
      auto entry = Compile(body, *loop);
      if (!entry) return entry;
      Inst& split = program_->insts[*loop];
      split.out = node.greedy ? *entry : next;
      split.arg = node.greedy ? next : *entry;
      pc = *loop;
    } else {
      // X{0,k} as nested optionals (X(X(X)?)?)?, innermost first.
      for (int i = 0; i < max - node.min; ++i) {
        auto entry = Compile(body, pc);
        if (!entry) return entry;
        auto split = node.greedy ? Emit({Op::kSplit, {}, 0, *entry, next})
                                 : Emit({Op::kSplit, {}, 0, next, *entry});
        if (!split) return split;
        pc = *split;
      }
    }
    for (int i = 0; i < node.min; ++i) {
      auto entry = Compile(body, pc);
      if (!entry) return entry;
      pc = *entry;
    }
    return pc;
  }

  Result<std::uint32_t> Emit(Inst inst) {
    if (program_->insts.size() >= max_insts_) {
      return MakeError(ErrorCode::kTooLarge, "regex program too large");
    }
    program_->insts.push_back(inst);
    return static_cast<std::uint32_t>(program_->insts.size() - 1);
  }

  std::uint32_t SetIndex(const ByteSet& set) {
    const auto [it, inserted] =
        set_index_.try_emplace(set.bits, static_cast<std::uint32_t>(program_->sets.size()));
    if (inserted) program_->sets.push_back(set);
    return it->second;
  }

  Program* program_;
  const std::vector<Node>& nodes_;
  std::size_t max_insts_;
  bool open_bounded_runs_;
  bool reversed_;
  bool byte_runs_;
  std::map<std::array<std::uint64_t, 4>, std::uint32_t> set_index_;
};

bool StartsAnchored(const std::vector<Node>& nodes, int index) {
  const Node& node = nodes[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case Kind::kAssert:
      return node.assertion == Assertion::kBeginText;
    case Kind::kConcat:
      return !node.children.empty() && StartsAnchored(nodes, node.children[0]);
    case Kind::kCapture:
      return StartsAnchored(nodes, node.children[0]);
    case Kind::kAlternate:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](int child) { return StartsAnchored(nodes, child); });
    default:
      return false;
  }
}

// Depth-first over the instructions that consume nothing, from `pc`: calls
// `on_byte(pc)` for each consuming instruction reached, and returns whether a
// kMatch is reached (assertions count as passable).
template <typename OnByte>
bool WalkToConsumers(const Program& program, std::uint32_t pc, std::vector<std::uint32_t>* stamp,
                     std::uint32_t generation, OnByte on_byte) {
  bool reaches_match = false;
  std::vector<std::uint32_t> stack{pc};
  while (!stack.empty()) {
    const std::uint32_t at = stack.back();
    stack.pop_back();
    if ((*stamp)[at] == generation) continue;
    (*stamp)[at] = generation;
    const Inst& inst = program.insts[at];
    switch (inst.op) {
      case Op::kByte:
        on_byte(at);
        break;
      case Op::kSplit:
        stack.push_back(inst.arg);
        stack.push_back(inst.out);
        break;
      case Op::kAlt:
        for (const std::uint32_t branch : program.alts[inst.arg].branches) stack.push_back(branch);
        break;
      case Op::kSave:
      case Op::kAssert:
      case Op::kNop:
        stack.push_back(inst.out);
        break;
      case Op::kRun:
      case Op::kLazyRun:  // consumes, or passes with none consumed
        on_byte(at);
        stack.push_back(inst.out);
        break;
      case Op::kMatch:
        reaches_match = true;
        break;
    }
  }
  return reaches_match;
}

void CollectFirst(const Program& program, std::uint32_t pc, std::vector<std::uint32_t>* stamp,
                  std::uint32_t generation, FirstSet* first) {
  const bool reaches_match = WalkToConsumers(program, pc, stamp, generation, [&](std::uint32_t at) {
    first->bytes.AddAll(program.sets[program.insts[at].arg]);
  });
  first->can_match_empty = first->can_match_empty || reaches_match;
}

}  // namespace

FirstSet ComputeFirstSet(const Program& program, std::uint32_t pc) {
  std::vector<std::uint32_t> stamp(program.insts.size(), 0);
  FirstSet first;
  CollectFirst(program, pc, &stamp, 1, &first);
  return first;
}

Result<CompiledPattern> AppendPattern(Program* program, std::string_view pattern,
                                      bool case_insensitive, std::uint32_t pattern_id,
                                      const PatternOptions& options) {
  Parser parser(pattern, case_insensitive);
  auto root = parser.Parse();
  if (!root) return tl::unexpected(root.error());
  const std::size_t insts_before = program->insts.size();
  const std::size_t sets_before = program->sets.size();
  const std::size_t alts_before = program->alts.size();
  auto undo = [&] {
    program->insts.resize(insts_before);
    program->sets.resize(sets_before);
    program->alts.resize(alts_before);
  };
  Compiler compiler(program, parser.nodes(), options);
  // Save 0 and 1 around the whole pattern: group 0 is the match.
  program->insts.push_back({Op::kMatch, {}, 0, 0, pattern_id});
  const auto match = static_cast<std::uint32_t>(program->insts.size() - 1);
  program->insts.push_back({Op::kSave, {}, 0, match, 1});
  const auto save_end = static_cast<std::uint32_t>(program->insts.size() - 1);
  auto body = compiler.Compile(*root, save_end);
  if (!body) {
    undo();
    return tl::unexpected(body.error());
  }
  program->insts.push_back({Op::kSave, {}, 0, *body, 0});
  CompiledPattern compiled;
  compiled.begin = static_cast<std::uint32_t>(insts_before);
  compiled.start = static_cast<std::uint32_t>(program->insts.size() - 1);
  compiled.groups = parser.groups();
  compiled.anchored = !options.reversed && StartsAnchored(parser.nodes(), *root);
  return compiled;
}

namespace {

// Alternations at least this wide get the two-byte table.
constexpr std::size_t kPairTableMinBranches = 6;

// Which PairBucket()s a branch starting at `entry` can begin with: each
// instruction that can consume its first byte, with what can follow that.
std::vector<bool> BranchPairs(const Program& program, std::uint32_t entry,
                              std::vector<std::uint32_t>* stamp, std::uint32_t* generation) {
  std::vector<bool> buckets(kPairBuckets, false);
  std::vector<std::uint32_t> firsts;  // the instructions that can consume the first byte
  const bool empty = WalkToConsumers(program, entry, stamp, ++*generation,
                                     [&](std::uint32_t at) { firsts.push_back(at); });
  if (empty) return std::vector<bool>(kPairBuckets, true);
  for (const std::uint32_t at : firsts) {
    const Inst& inst = program.insts[at];
    FirstSet next;
    // After a run's first byte the run may go on: what follows is what
    // starts at the run again.
    const bool run = inst.op == Op::kRun || inst.op == Op::kLazyRun;
    CollectFirst(program, run ? at : inst.out, stamp, ++*generation, &next);
    std::vector<unsigned char> seconds;
    for (unsigned b = 0; b < 256; ++b) {
      if (next.can_match_empty || next.bytes.Has(static_cast<unsigned char>(b)))
        seconds.push_back(static_cast<unsigned char>(b));
    }
    for (unsigned a = 0; a < 256; ++a) {
      if (!program.sets[inst.arg].Has(static_cast<unsigned char>(a))) continue;
      for (const unsigned char b : seconds)
        buckets[PairBucket(static_cast<unsigned char>(a), b)] = true;
    }
  }
  return buckets;
}

}  // namespace

void FinishProgram(Program* program) {
  std::vector<std::uint32_t> stamp(program->insts.size(), 0);
  std::uint32_t generation = 0;
  for (AltTable& table : program->alts) {
    table.pair_offsets.clear();
    table.pair_viable.clear();
    if (table.branches.size() < kPairTableMinBranches) continue;
    std::vector<std::vector<bool>> pairs;
    pairs.reserve(table.branches.size());
    for (const std::uint32_t branch : table.branches)
      pairs.push_back(BranchPairs(*program, branch, &stamp, &generation));
    for (std::size_t bucket = 0; bucket < kPairBuckets; ++bucket) {
      table.pair_offsets.push_back(static_cast<std::uint32_t>(table.pair_viable.size()));
      for (std::size_t b = 0; b < pairs.size(); ++b)
        if (pairs[b][bucket]) table.pair_viable.push_back(static_cast<std::uint16_t>(b));
    }
    table.pair_offsets.push_back(static_cast<std::uint32_t>(table.pair_viable.size()));
  }
  for (AltTable& table : program->alts) {
    std::vector<FirstSet> firsts;
    firsts.reserve(table.branches.size());
    for (const std::uint32_t branch : table.branches) {
      FirstSet first;
      CollectFirst(*program, branch, &stamp, ++generation, &first);
      firsts.push_back(first);
    }
    table.viable.clear();
    for (unsigned next = 0; next <= 256; ++next) {
      table.offsets[next] = static_cast<std::uint32_t>(table.viable.size());
      for (std::size_t b = 0; b < firsts.size(); ++b) {
        const bool viable = firsts[b].can_match_empty ||
                            (next < 256 && firsts[b].bytes.Has(static_cast<unsigned char>(next)));
        if (viable) table.viable.push_back(static_cast<std::uint16_t>(b));
      }
    }
    table.offsets[257] = static_cast<std::uint32_t>(table.viable.size());
  }
}

}  // namespace masthead::ua
