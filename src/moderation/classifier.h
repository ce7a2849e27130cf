// The bullying classifier: a quantised fastText model (data/moderation/bullying.ftz,
// trained by tools/train_classifier/) over normalised text.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace fasttext {
class FastText;
}

namespace masthead::moderation {

// The labels the model must have (fastText "__label__<name>").
enum class Label { kAttack, kThreat, kIdentityHate, kProfanity, kCivil };
inline constexpr int kLabelCount = 5;

std::string_view LabelName(Label label);  // "attack", "threat", ...

struct Scores {
  std::array<float, kLabelCount> probability{};  // indexed by Label, sums to ~1

  float of(Label label) const { return probability[static_cast<int>(label)]; }
  // Probability of bullying: attack + threat + identity hate.
  float Bullying() const {
    return of(Label::kAttack) + of(Label::kThreat) + of(Label::kIdentityHate);
  }
  // The most probable of attack, threat and identity hate.
  Label StrongestBullying() const;
};

class Classifier {
 public:
  // Loads a fastText model. kNotFound when the file is missing, kInvalidArgument
  // when it is not a fastText model or lacks one of the labels above.
  static Result<std::unique_ptr<Classifier>> Load(const std::string& path);
  ~Classifier();
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  // `normalised` is TextNormaliser output (ClassifierForm is applied here).
  // Thread-safe (const, no shared state).
  Scores Classify(std::string_view normalised) const;

  // The same through fastText's own tokeniser and predict(): the reference the
  // fast path is tested against, and the path for models it cannot serve.
  Scores ClassifyWithFastText(std::string_view normalised) const;

  // True when Classify uses the precomputed path (see classifier.cc).
  bool fast_path() const { return fast_; }

 private:
  Classifier();
  void BuildFastPath();
  int FindWord(std::string_view word, std::uint32_t hash) const;

  std::unique_ptr<fasttext::FastText> model_;
  std::array<int, kLabelCount> model_index_{};  // our Label -> model label id

  // Fast path: fastText's softmax model is linear up to the softmax, so each
  // input row's contribution to the label logits is precomputed once.
  bool fast_ = false;
  std::int32_t nwords_ = 0;
  std::int32_t bucket_ = 0;
  int word_ngrams_ = 1;
  std::vector<float> projection_;   // (nwords + bucket) x kLabelCount
  std::vector<std::string> words_;  // dictionary words, by id
  struct Slot {
    std::uint32_t hash;
    std::int32_t id;  // -1: empty
  };
  std::vector<Slot> slots_;  // open addressing by fastText hash
  std::int32_t eos_id_ = -1;
};

}  // namespace masthead::moderation
