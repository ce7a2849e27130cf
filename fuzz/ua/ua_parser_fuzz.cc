// Fuzz target for masthead_ua. Each input is used three ways:
//   1. as a User-Agent string through Parser::Parse and the JSON writer, whose
//      output must be well-formed whatever the bytes;
//   2. as the text for each RuleMatcher, whose answer (rule index and capture
//      groups) must equal a slow reference: every rule's exact regex tried in
//      file order with plain RE2. This checks the prefilter and the relaxed
//      forms never change a result;
//   3. split at '\n' into Client Hints header values, through ParseClientHints
//      and DescribeEnvironment.
// Rules come from the installed uap-core package (kDefaultRegexesPath).
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ua/client_hints.h"
#include "ua/environment.h"
#include "ua/parser.h"
#include "ua/rule_matcher.h"
#include "ua/rules.h"
#include "ua/ua_json.h"

namespace {

using masthead::ua::Captures;
using masthead::ua::RuleMatcher;

struct List {
  std::vector<std::unique_ptr<re2::RE2>> exact;
  std::unique_ptr<RuleMatcher> matcher;
};

struct State {
  std::unique_ptr<masthead::ua::Parser> parser;
  std::vector<List> lists;
};

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "ua_parser_fuzz: %s\n", what);
  std::abort();
}

State* Init() {
  auto* state = new State;
  const std::string path(masthead::ua::kDefaultRegexesPath);
  auto parser = masthead::ua::Parser::Load(path, {.cache_capacity = 128});
  auto rules = masthead::ua::LoadRuleFile(path);
  if (!parser || !rules) Fail("cannot load uap-core rules");
  state->parser = std::move(*parser);
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  for (const auto* rule_list : {&rules->user_agent, &rules->os, &rules->device}) {
    List list;
    for (const auto& rule : *rule_list) {
      list.exact.push_back(std::make_unique<re2::RE2>(
          rule.case_insensitive ? "(?i)" + rule.regex : rule.regex, options));
    }
    auto matcher = RuleMatcher::Build(*rule_list, std::vector<int>(rule_list->size(), 9), "fuzz");
    if (!matcher) Fail("cannot build matcher");
    list.matcher = std::make_unique<RuleMatcher>(std::move(*matcher));
    state->lists.push_back(std::move(list));
  }
  return state;
}

void CheckAgainstReference(const List& list, std::string_view text) {
  Captures got;
  const auto index = list.matcher->FirstMatch(text, &got);
  const re2::StringPiece input(text.data(), text.size());
  for (std::size_t i = 0; i < list.exact.size(); ++i) {
    const re2::RE2& re = *list.exact[i];
    const int count = std::min(1 + re.NumberOfCapturingGroups(), 10);
    re2::StringPiece want[10];
    if (!re.Match(input, 0, text.size(), re2::RE2::UNANCHORED, want, count)) continue;
    if (!index || *index != i) Fail("first matching rule differs from the reference");
    if (got.count != count) Fail("capture count differs from the reference");
    for (int g = 0; g < count; ++g) {
      const std::string_view w =
          want[g].data() ? std::string_view(want[g].data(), want[g].size()) : std::string_view();
      if (w.data() != nullptr && (got.groups[g].data() != w.data() || got.groups[g] != w)) {
        std::fprintf(stderr, "rule %zu group %d: got '%.*s' at %td, want '%.*s' at %td\n", i, g,
                     static_cast<int>(got.groups[g].size()), got.groups[g].data(),
                     got.groups[g].data() - text.data(), static_cast<int>(w.size()), w.data(),
                     w.data() - text.data());
        Fail("capture group differs from the reference");
      }
      if (w.data() == nullptr && !got.groups[g].empty()) Fail("unmatched group not empty");
    }
    return;
  }
  if (index) Fail("matched a rule the reference does not");
}

State& GetState() {
  static State* state = Init();
  return *state;
}

}  // namespace

// libFuzzer calls this once before any input, outside the per-input timeout
// (compiling the rules takes seconds under ASan). replay_main.cc does not call
// it; GetState() then initialises on the first input.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  GetState();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  State* state = &GetState();
  const std::string input(reinterpret_cast<const char*>(data), size);

  const masthead::ua::ParsedUa parsed = state->parser->Parse(input);
  if (parsed.user_agent.family.empty() || parsed.os.family.empty() ||
      parsed.device.family.empty()) {
    Fail("empty family");
  }
  if (!nlohmann::json::accept(masthead::ua::ToJsonLine(parsed))) Fail("invalid JSON");

  // The reference is slow (one RE2 per rule), so only the parser's window.
  const std::string_view clipped =
      std::string_view(input).substr(0, state->parser->options().max_input_bytes);
  for (const List& list : state->lists) CheckAgainstReference(list, clipped);

  std::vector<std::string> fields(8);
  std::size_t field = 0;
  for (char c : input) {
    if (c == '\n') {
      if (++field == fields.size()) break;
    } else {
      fields[field].push_back(c);
    }
  }
  masthead::ua::ClientHintHeaders headers{fields[0], fields[1], fields[2], fields[3],
                                          fields[4], fields[5], fields[6], fields[7]};
  const auto hints = masthead::ua::ParseClientHints(headers);
  const auto env = masthead::ua::DescribeEnvironment(input, parsed, hints);
  if (env.Summary().empty()) Fail("empty summary");
  return 0;
}
