// Moderation speed against named references, measured in the same run:
//   pipeline (normalise + rules + classifier) on 300-character comments
//     vs a plain copy and vs ICU NFKC-casefold alone (the least any Unicode-
//     aware pipeline must do);  target >= 100,000 comments/s per core.
//   word rules with 5,000 terms (one Aho-Corasick pass)
//     vs a naive per-term std::string::find loop;  target >= 1,000,000/s.
// Prints items/s per benchmark and the ratios at the end.
//   build-mod/bench/moderation/moderation_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "moderation/pipeline.h"

namespace masthead::moderation {
namespace {

std::string SourceDir() {
  const char* env = std::getenv("MASTHEAD_SOURCE_DIR");
  return env && *env ? env : MASTHEAD_SOURCE_DIR_DEFAULT;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// 300-character comments made of the project's examples: mostly civil, a fifth
// with an attack sentence, as a comment stream might be.
const std::vector<std::string>& Comments() {
  static const std::vector<std::string> comments = [] {
    const std::string dir = SourceDir() + "/data/moderation/examples/";
    const auto civil = ReadLines(dir + "civil.txt");
    const auto attack = ReadLines(dir + "attack.txt");
    std::mt19937 rng(3);
    std::vector<std::string> out;
    for (int i = 0; i < 512; ++i) {
      std::string text;
      if (i % 5 == 0) text = attack[rng() % attack.size()] + " ";
      while (text.size() < 300) text += civil[rng() % civil.size()] + " ";
      text.resize(300);
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
        text.pop_back();  // keep UTF-8 whole
      }
      out.push_back(text);
    }
    return out;
  }();
  return comments;
}

const Pipeline& SharedPipeline() {
  static const std::unique_ptr<Pipeline> pipeline = [] {
    PipelineOptions options;
    options.model_path = SourceDir() + "/data/moderation/bullying.ftz";
    options.rules_path = SourceDir() + "/data/moderation/word_rules.txt";
    auto created = Pipeline::Create(options);
    if (!created) {
      std::fprintf(stderr, "%s\n", created.error().ToString().c_str());
      std::exit(1);
    }
    return std::move(*created);
  }();
  return *pipeline;
}

const TextNormaliser& Normaliser() {
  static const TextNormaliser normaliser = *TextNormaliser::Create();
  return normaliser;
}

// The shipped list plus generated word-like terms, 5,000 in all.
const std::vector<Term>& FiveThousandTerms() {
  static const std::vector<Term> terms = [] {
    std::vector<Term> out = SharedPipeline().rules().terms();
    std::mt19937 rng(9);
    const std::string consonants = "bcdfghjklmnprstvwz";
    const std::string vowels = "aeiou";
    while (out.size() < 5000) {
      std::string word;
      const int syllables = 2 + static_cast<int>(rng() % 3);
      for (int s = 0; s < syllables; ++s) {
        word.push_back(consonants[rng() % consonants.size()]);
        word.push_back(vowels[rng() % vowels.size()]);
      }
      if (rng() % 5 == 0) word = "you " + word;
      out.push_back(Term{TermKind::kSuspect, Clause::kPersonalAttacks, word});
    }
    return out;
  }();
  return terms;
}

const std::vector<std::string>& NormalisedComments() {
  static const std::vector<std::string> normalised = [] {
    std::vector<std::string> out;
    for (const auto& c : Comments()) out.push_back(*Normaliser().Normalise(c));
    return out;
  }();
  return normalised;
}

// --- Pipeline and its references -------------------------------------------

void BM_Pipeline(benchmark::State& state) {
  const Pipeline& pipeline = SharedPipeline();
  const auto& comments = Comments();
  std::size_t i = 0;
  for (auto _ : state) {
    Decision d = pipeline.Evaluate(comments[i++ % comments.size()]);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pipeline);

void BM_Normaliser(benchmark::State& state) {
  const auto& comments = Comments();
  std::size_t i = 0;
  for (auto _ : state) {
    auto out = Normaliser().Normalise(comments[i++ % comments.size()]);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normaliser);

void BM_ReferenceCopy(benchmark::State& state) {
  const auto& comments = Comments();
  std::size_t i = 0;
  for (auto _ : state) {
    std::string copy = comments[i++ % comments.size()];
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceCopy);

void BM_ReferenceIcuNfkcCasefold(benchmark::State& state) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const auto& comments = Comments();
  std::size_t i = 0;
  for (auto _ : state) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(comments[i++ % comments.size()]);
    icu::UnicodeString folded = nfkc_cf->normalize(text, status);
    std::string out;
    folded.toUTF8String(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceIcuNfkcCasefold);

// --- Word rules and their reference -----------------------------------------

void BM_WordRules5000(benchmark::State& state) {
  static const WordRules rules = *WordRules::FromTerms(FiveThousandTerms(), Normaliser());
  const auto& texts = NormalisedComments();
  std::size_t i = 0;
  for (auto _ : state) {
    auto matches = rules.Match(texts[i++ % texts.size()]);
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["states"] = static_cast<double>(rules.state_count());
}
BENCHMARK(BM_WordRules5000);

// The shipped list (about 200 terms): the automaton fits in L1.
void BM_WordRulesShippedList(benchmark::State& state) {
  const WordRules& rules = SharedPipeline().rules();
  const auto& texts = NormalisedComments();
  std::size_t i = 0;
  for (auto _ : state) {
    auto matches = rules.Match(texts[i++ % texts.size()]);
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["states"] = static_cast<double>(rules.state_count());
}
BENCHMARK(BM_WordRulesShippedList);

// What a first implementation would do: find each term, check word boundaries.
void BM_ReferenceNaiveFind5000(benchmark::State& state) {
  static const std::vector<std::string> needles = [] {
    std::vector<std::string> out;
    for (const Term& t : FiveThousandTerms()) out.push_back(*Normaliser().Normalise(t.text));
    return out;
  }();
  const auto& texts = NormalisedComments();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& text = texts[i++ % texts.size()];
    std::size_t found = 0;
    for (const std::string& needle : needles) {
      for (std::size_t at = text.find(needle); at != std::string::npos;
           at = text.find(needle, at + 1)) {
        const bool starts = at == 0 || text[at - 1] == ' ';
        const std::size_t end = at + needle.size();
        if (starts && (end == text.size() || text[end] == ' ')) {
          ++found;
          break;
        }
      }
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceNaiveFind5000);

// Collects items/s so the ratios can be printed after the console report.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      // Per benchmark: the last repetition, or the median when aggregates exist.
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end() && (run.run_type == Run::RT_Iteration || median)) {
        rates_[run.run_name.function_name] = it->second;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    auto ratio = [&](const char* a, const char* b, const char* what) {
      auto x = rates_.find(a);
      auto y = rates_.find(b);
      if (x == rates_.end() || y == rates_.end()) return;
      std::printf("%-58s %12.0f/s vs %12.0f/s  ratio %.3f\n", what, x->second, y->second,
                  x->second / y->second);
    };
    std::printf("\n");
    ratio("BM_Pipeline", "BM_ReferenceIcuNfkcCasefold",
          "pipeline vs ICU NFKC-casefold only (reference)");
    ratio("BM_Pipeline", "BM_ReferenceCopy", "pipeline vs plain copy (reference)");
    ratio("BM_Normaliser", "BM_ReferenceIcuNfkcCasefold",
          "normaliser vs ICU NFKC-casefold only (reference)");
    ratio("BM_WordRules5000", "BM_ReferenceNaiveFind5000",
          "word rules, 5000 terms vs naive find loop (reference)");
    ratio("BM_WordRulesShippedList", "BM_ReferenceNaiveFind5000",
          "word rules, shipped list vs naive find loop, 5000 terms");
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace
}  // namespace masthead::moderation

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  masthead::moderation::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
