// The moderation decision for one public text (comment, question, display
// name): normalise -> word rules -> classifier -> publish, hold or reject, with
// the reasons and the Community Guidelines clause to show the author
// ("held for review: may break rule 2, personal attacks").
//
// Queues, strikes, appeals and storage are elsewhere; this only decides.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "moderation/classifier.h"
#include "moderation/guidelines.h"
#include "moderation/text_normaliser.h"
#include "moderation/word_rules.h"

namespace masthead::moderation {

enum class Outcome { kPublish, kHold, kReject };
std::string_view OutcomeName(Outcome outcome);  // "publish", "hold", "reject"

// Classifier thresholds on the bullying score (attack + threat + identity
// hate). Defaults come from the measurement in data/moderation/MODEL_CARD.md.
struct Thresholds {
  float nudge = 0.53f;   // warn the writer before posting; may rephrase once
  float hold = 0.89f;    // hold for a moderator
  float reject = 0.89f;  // reject outright

  // kInvalidArgument unless 0 <= nudge <= hold <= reject <= 1.
  Status Validate() const;
};

struct Reason {
  std::string code;  // "banned_term", "suspect_term", "classifier",
                     // "profanity" (a profane term: nudge only), "invalid_text",
                     // "too_long"
  Clause clause;
  std::string detail;  // the term or label; for moderators, not for the author
};

struct Decision {
  Outcome outcome = Outcome::kPublish;
  float score = 0.0f;            // probability of bullying, 0..1
  bool nudge = false;            // tell the writer before posting
  std::vector<Reason> reasons;   // most severe first; empty when clean
  std::optional<Clause> clause;  // the clause to cite, when there is one
  Scores scores;                 // per label, for audit and the model card
  std::string normalised;        // what the rules and classifier saw

  // "held for review: may break rule 2, personal attacks" and the like.
  std::string AuthorMessage() const;
};

// What a nudged writer reads before posting: the reason, the clause, and that
// they may rephrase ("before you post: this may break rule 2, personal
// attacks. ..."). Meant for decisions with `nudge` set.
std::string NudgeMessage(const Decision& decision);

struct PipelineOptions {
  std::string model_path;  // fastText model, e.g. data/moderation/bullying.ftz
  std::string rules_path;  // word list, e.g. data/moderation/word_rules.txt
  Thresholds thresholds;
};

class Pipeline {
 public:
  // Loads the model and the word list; errors name the file at fault.
  static Result<std::unique_ptr<Pipeline>> Create(const PipelineOptions& options);
  // For callers that already hold the parts (tests, the admin list editor).
  static Result<std::unique_ptr<Pipeline>> FromParts(std::unique_ptr<Classifier> classifier,
                                                     WordRules rules, Thresholds thresholds);

  // Never fails: invalid UTF-8 and over-long texts are rejected with a reason
  // under rule 5. Thread-safe (const).
  Decision Evaluate(std::string_view text) const;

  const Thresholds& thresholds() const { return thresholds_; }
  const WordRules& rules() const { return rules_; }

 private:
  Pipeline(TextNormaliser normaliser, std::unique_ptr<Classifier> classifier, WordRules rules,
           Thresholds thresholds);

  TextNormaliser normaliser_;
  std::unique_ptr<Classifier> classifier_;
  WordRules rules_;
  Thresholds thresholds_;
};

}  // namespace masthead::moderation
