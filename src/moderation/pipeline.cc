#include "moderation/pipeline.h"

#include <algorithm>

namespace masthead::moderation {
namespace {

Clause ClauseOfLabel(Label label) {
  switch (label) {
    case Label::kThreat:
      return Clause::kThreats;
    case Label::kIdentityHate:
      return Clause::kIdentityHate;
    case Label::kProfanity:
      return Clause::kObsceneLanguage;
    default:
      return Clause::kPersonalAttacks;
  }
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPublish:
      return "publish";
    case Outcome::kHold:
      return "hold";
    case Outcome::kReject:
      return "reject";
  }
  return "publish";
}

Status Thresholds::Validate() const {
  auto in_unit = [](float v) { return v >= 0.0f && v <= 1.0f; };
  if (!in_unit(nudge) || !in_unit(hold) || !in_unit(reject) || nudge > hold || hold > reject) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "thresholds must satisfy 0 <= nudge <= hold <= reject <= 1", "thresholds");
  }
  return Ok();
}

std::string Decision::AuthorMessage() const {
  std::string message;
  switch (outcome) {
    case Outcome::kPublish:
      if (!nudge) return "published";
      message = "before you post: this may break";
      break;
    case Outcome::kHold:
      message = "held for review: may break";
      break;
    case Outcome::kReject:
      message = "rejected: breaks";
      break;
  }
  if (!clause) return std::string(OutcomeName(outcome));
  const ClauseInfo& info = InfoOf(*clause);
  return message + " rule " + std::to_string(info.number) + ", " + std::string(info.name);
}

std::string NudgeMessage(const Decision& decision) {
  std::string message = "before you post: this may break";
  if (decision.clause) {
    const ClauseInfo& info = InfoOf(*decision.clause);
    message += " rule " + std::to_string(info.number) + ", " + std::string(info.name);
  } else {
    message += " the Community Guidelines";
  }
  return message +
         ". You may rephrase it and post again; if you post it as it is, it gets the usual check "
         "(and may wait for a moderator)";
}

Pipeline::Pipeline(TextNormaliser normaliser, std::unique_ptr<Classifier> classifier,
                   WordRules rules, Thresholds thresholds)
    : normaliser_(normaliser),
      classifier_(std::move(classifier)),
      rules_(std::move(rules)),
      thresholds_(thresholds) {}

Result<std::unique_ptr<Pipeline>> Pipeline::Create(const PipelineOptions& options) {
  auto normaliser = TextNormaliser::Create();
  if (!normaliser) return tl::unexpected(normaliser.error());
  auto rules = WordRules::LoadFile(options.rules_path, *normaliser);
  if (!rules) return tl::unexpected(rules.error());
  auto classifier = Classifier::Load(options.model_path);
  if (!classifier) return tl::unexpected(classifier.error());
  return FromParts(std::move(*classifier), std::move(*rules), options.thresholds);
}

Result<std::unique_ptr<Pipeline>> Pipeline::FromParts(std::unique_ptr<Classifier> classifier,
                                                      WordRules rules, Thresholds thresholds) {
  MASTHEAD_RETURN_IF_ERROR(thresholds.Validate());
  if (!classifier) return MakeError(ErrorCode::kInvalidArgument, "no classifier", "model");
  auto normaliser = TextNormaliser::Create();
  if (!normaliser) return tl::unexpected(normaliser.error());
  return std::unique_ptr<Pipeline>(
      new Pipeline(*normaliser, std::move(classifier), std::move(rules), thresholds));
}

Decision Pipeline::Evaluate(std::string_view text) const {
  Decision decision;
  auto normalised = normaliser_.Normalise(text);
  if (!normalised) {
    const bool too_long = normalised.error().code == ErrorCode::kTooLarge;
    decision.outcome = Outcome::kReject;
    decision.score = 0.0f;
    decision.clause = Clause::kReadableText;
    decision.reasons.push_back(Reason{too_long ? "too_long" : "invalid_text", Clause::kReadableText,
                                      normalised.error().message});
    return decision;
  }
  decision.normalised = std::move(*normalised);

  // Word rules first: a banned term rejects whatever the classifier says.
  bool profane = false;
  for (const RuleMatch& match : rules_.Match(decision.normalised)) {
    if (match.kind == TermKind::kProfane) {
      profane = true;
      continue;
    }
    const bool banned = match.kind == TermKind::kBanned;
    decision.reasons.push_back(Reason{banned ? "banned_term" : "suspect_term", match.clause,
                                      rules_.terms()[match.term_index].text});
    decision.outcome = std::max(decision.outcome, banned ? Outcome::kReject : Outcome::kHold);
  }
  // Banned terms first, then suspect ones.
  std::stable_partition(decision.reasons.begin(), decision.reasons.end(),
                        [](const Reason& r) { return r.code == "banned_term"; });

  decision.scores = classifier_->Classify(decision.normalised);
  decision.score = std::clamp(decision.scores.Bullying(), 0.0f, 1.0f);
  const Label strongest = decision.scores.StrongestBullying();
  if (decision.score >= thresholds_.hold) {
    decision.outcome = std::max(
        decision.outcome, decision.score >= thresholds_.reject ? Outcome::kReject : Outcome::kHold);
    decision.reasons.push_back(
        Reason{"classifier", ClauseOfLabel(strongest), std::string(LabelName(strongest))});
  }
  decision.nudge = decision.score >= thresholds_.nudge || !decision.reasons.empty();
  // Profanity at nobody is allowed; the writer only gets a nudge (rule 4).
  if (decision.reasons.empty() && profane) {
    decision.nudge = true;
    decision.reasons.push_back(Reason{"profanity", Clause::kObsceneLanguage, "profanity"});
  }
  if (decision.reasons.empty() && decision.nudge) {
    decision.reasons.push_back(
        Reason{"classifier", ClauseOfLabel(strongest), std::string(LabelName(strongest))});
  }
  if (!decision.reasons.empty()) decision.clause = decision.reasons.front().clause;
  return decision;
}

}  // namespace masthead::moderation
