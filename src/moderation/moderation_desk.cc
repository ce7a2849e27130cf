#include "moderation/moderation_desk.h"

#include <array>

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::moderation {
namespace {

using accounts::HasRole;
using accounts::Role;
using store::CommentStatus;

constexpr std::array<ReportReasonInfo, 6> kReportReasons = {{
    {"harassment", "Bullying or harassment"},
    {"hate", "Hate against a group"},
    {"threat", "A threat"},
    {"spam", "Spam"},
    {"off_topic", "Off-topic"},
    {"other", "Something else (please say what)"},
}};

bool IsSanction(std::string_view action) {
  return action == "warning" || action == "suspension" || action == "ban";
}

// Trims, strips control characters and checks the size of a reader's or
// moderator's free text; `field` names the form field in errors.
Result<std::string> CleanText(std::string text, std::size_t max_bytes, const char* field, bool required) {
  if (!IsValidUtf8(text)) return MakeError(ErrorCode::kInvalidArgument, "the text is not valid UTF-8", field);
  text = std::string(TrimWhitespace(StripControlCharacters(text)));
  if (required && text.empty()) return MakeError(ErrorCode::kInvalidArgument, "please write a few words", field);
  if (text.size() > max_bytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the text is longer than " + std::to_string(max_bytes) + " bytes", field);
  }
  return text;
}

std::string SanctionDecision(const store::Sanction& sanction) {
  if (sanction.kind == "warning") return "warned";
  if (sanction.kind == "ban") return "banned from posting";
  return "suspended from posting until " + MomentText(sanction.ends_at.value_or(0));
}

}  // namespace

std::span<const ReportReasonInfo> ReportReasons() { return kReportReasons; }

std::string ClauseCitation(std::string_view slug) {
  const auto clause = ClauseFromSlug(slug);
  if (!clause) return std::string(slug);
  const ClauseInfo& info = InfoOf(*clause);
  return "rule " + std::to_string(info.number) + ", " + std::string(info.name);
}

std::string MomentText(UnixSeconds t) {
  return FormatLongDate(t) + " at " + FormatRfc3339(t).substr(11, 5) + " UTC";
}

ModerationDesk::ModerationDesk(store::Store& store, articles::ArticleService& articles, DecisionMailer mailer,
                               DeskOptions options, std::function<UnixSeconds()> now)
    : store_(store), articles_(articles), mailer_(std::move(mailer)), options_(std::move(options)),
      now_(std::move(now)) {}

Status ModerationDesk::RequireModerator(const accounts::Viewer& viewer) const {
  if (!HasRole(viewer.role, Role::kModerator)) {
    return MakeError(ErrorCode::kPermissionDenied, "only moderators can do this");
  }
  return Ok();
}

Result<ReportOutcome> ModerationDesk::Report(const accounts::Viewer& viewer, std::int64_t comment_id,
                                             const std::string& reason, std::string detail) {
  bool known = false;
  for (const auto& info : kReportReasons) known = known || info.slug == reason;
  if (!known) return MakeError(ErrorCode::kInvalidArgument, "please choose a reason", "reason");
  auto cleaned = CleanText(std::move(detail), options_.max_text_bytes, "detail", reason == "other");
  if (!cleaned) return tl::unexpected(cleaned.error());
  auto comment = store_.FindComment(comment_id);
  if (!comment || comment->status == CommentStatus::kDeleted || comment->status == CommentStatus::kRejected) {
    return MakeError(ErrorCode::kNotFound, "no such comment");
  }
  if (comment->author_id == viewer.user.id) {
    return MakeError(ErrorCode::kInvalidArgument, "you cannot report your own comment", "reason");
  }
  ReportOutcome outcome;
  const UnixSeconds now = now_();
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto count = tx.ReportComment({comment_id, viewer.user.id, reason, *cleaned, now});
    if (!count) return tl::unexpected(count.error());
    outcome.open_reports = *count;
    // Exactly the report that reaches the threshold holds: later ones find it held.
    if (*count < options_.report_hold_threshold || comment->status != CommentStatus::kPublished) return Ok();
    auto held = tx.UpdateComment({.id = comment_id, .status = CommentStatus::kHeld, .now = now});
    if (!held) return tl::unexpected(held.error());
    auto action = tx.RecordModerationAction({.action = "report_hold", .comment_id = comment_id,
                                             .subject_user_id = comment->author_id,
                                             .detail = std::to_string(*count) + " reports", .now = now});
    if (!action) return tl::unexpected(action.error());
    outcome.held = true;
    if (!mailer_) return Ok();
    return mailer_(tx, {comment->author_id, "held for review after readers reported it", comment->body_markdown,
                        "a moderator will check it against the Community Guidelines", false});
  });
  if (!stored) return tl::unexpected(stored.error());
  if (outcome.held) articles_.TouchDiscussion(comment->article_id);
  return outcome;
}

std::optional<store::Sanction> ModerationDesk::InForce(const std::vector<store::Sanction>& sanctions) const {
  const UnixSeconds now = now_();
  for (const auto& s : sanctions) {
    if (s.lifted_at) continue;
    if (s.kind == "ban" || (s.kind == "suspension" && s.ends_at && *s.ends_at > now)) return s;
  }
  return std::nullopt;
}

Result<discussion::AuthorVerdict> ModerationDesk::CheckAuthor(const accounts::Viewer& viewer) {
  discussion::AuthorVerdict verdict;
  if (HasRole(viewer.role, Role::kModerator)) return verdict;
  auto sanctions = store_.ListSanctions(viewer.user.id);
  if (!sanctions) return tl::unexpected(sanctions.error());
  if (auto active = InForce(*sanctions)) {
    const std::string why = " (" + ClauseCitation(active->reason_code) + "). See /account/moderation to appeal.";
    if (active->kind == "ban") {
      return MakeError(ErrorCode::kPermissionDenied, "your account is banned from posting" + why, "sanction");
    }
    return MakeError(ErrorCode::kPermissionDenied,
                     "your account is suspended from posting until " + MomentText(*active->ends_at) + why,
                     "sanction");
  }
  if (options_.premoderate_first_comments > 0) {
    auto posted = store_.CountPublishedCommentsBy(viewer.user.id);
    if (!posted) return tl::unexpected(posted.error());
    if (*posted < options_.premoderate_first_comments) {
      verdict.hold = true;
      verdict.reason = "held for review: a moderator reads the first comments of every new reader";
      return verdict;
    }
  }
  if (options_.premoderate_after_rejections > 0) {
    const UnixSeconds since = now_() - static_cast<UnixSeconds>(options_.rejection_window_days) * 86400;
    auto rejected = store_.CountModerationActions(viewer.user.id, "reject", since);
    if (!rejected) return tl::unexpected(rejected.error());
    if (*rejected >= options_.premoderate_after_rejections) {
      verdict.hold = true;
      verdict.reason = "held for review: after recent rejections, a moderator reads your comments first";
    }
  }
  return verdict;
}

Result<std::optional<store::Sanction>> ModerationDesk::NextSanction(store::Store& tx,
                                                                   const accounts::Viewer& moderator,
                                                                   const store::Comment& comment,
                                                                   const std::string& clause) {
  auto previous = tx.ListSanctions(comment.author_id);
  if (!previous) return tl::unexpected(previous.error());
  std::size_t step = 0;
  for (const auto& s : *previous) step += s.lifted_at ? 0 : 1;
  std::string kind = "ban";
  std::optional<UnixSeconds> ends_at;
  const UnixSeconds now = now_();
  if (step == 0) {
    kind = "warning";
  } else if (step <= options_.suspension_hours.size()) {
    kind = "suspension";
    ends_at = now + static_cast<UnixSeconds>(options_.suspension_hours[step - 1]) * 3600;
  }
  auto action = tx.RecordModerationAction({.actor_id = moderator.user.id, .action = kind,
                                           .comment_id = comment.id, .subject_user_id = comment.author_id,
                                           .reason_code = clause, .now = now});
  if (!action) return tl::unexpected(action.error());
  auto sanction = tx.AddSanction({comment.author_id, kind, action->id, clause, ends_at, now});
  if (!sanction) return tl::unexpected(sanction.error());
  return std::optional<store::Sanction>(*sanction);
}

Result<DecisionOutcome> ModerationDesk::Decide(const accounts::Viewer& moderator, const CommentDecision& decision) {
  MASTHEAD_RETURN_IF_ERROR(RequireModerator(moderator));
  if (!decision.approve && !ClauseFromSlug(decision.clause)) {
    return MakeError(ErrorCode::kInvalidArgument, "choose the rule the comment breaks", "clause");
  }
  auto note = CleanText(decision.note, options_.max_text_bytes, "note", false);
  if (!note) return tl::unexpected(note.error());
  auto comment = store_.FindComment(decision.comment_id);
  if (!comment) return tl::unexpected(comment.error());
  if (comment->status == CommentStatus::kDeleted || comment->status == CommentStatus::kRejected) {
    return MakeError(ErrorCode::kConflict, "this comment was already removed");
  }
  const bool was_held = comment->status == CommentStatus::kHeld;
  const UnixSeconds now = now_();
  DecisionOutcome outcome;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    const CommentStatus status = decision.approve ? CommentStatus::kPublished : CommentStatus::kRejected;
    if (status != comment->status) {
      auto updated = tx.UpdateComment({.id = comment->id, .status = status, .now = now});
      if (!updated) return tl::unexpected(updated.error());
      if (was_held && decision.approve && published_hook_) MASTHEAD_RETURN_IF_ERROR(published_hook_(tx, *updated));
    }
    MASTHEAD_RETURN_IF_ERROR(tx.ResolveReports(comment->id, now));
    auto action = tx.RecordModerationAction({.actor_id = moderator.user.id,
                                             .action = decision.approve ? "approve" : "reject",
                                             .comment_id = comment->id, .subject_user_id = comment->author_id,
                                             .reason_code = decision.approve ? "" : decision.clause,
                                             .detail = *note, .now = now});
    if (!action) return tl::unexpected(action.error());
    outcome.action = *action;
    if (!decision.approve && decision.sanction) {
      auto sanction = NextSanction(tx, moderator, *comment, decision.clause);
      if (!sanction) return tl::unexpected(sanction.error());
      outcome.sanction = *sanction;
    }
    if (!mailer_) return Ok();
    if (decision.approve) {
      // A published comment that readers reported and a moderator kept: nothing
      // changed for its author, so nothing to tell.
      if (!was_held) return Ok();
      return mailer_(tx, {comment->author_id, "published", comment->body_markdown,
                          "a moderator found it within the Community Guidelines", false});
    }
    std::string reason = "breaks " + ClauseCitation(decision.clause);
    std::string verdict = "rejected";
    if (outcome.sanction) verdict += "; your account was " + SanctionDecision(*outcome.sanction);
    return mailer_(tx, {comment->author_id, verdict, comment->body_markdown, reason, true});
  });
  if (!stored) return tl::unexpected(stored.error());
  articles_.TouchDiscussion(comment->article_id);
  return outcome;
}

Result<store::ModeratorNote> ModerationDesk::AddNote(const accounts::Viewer& moderator, std::int64_t user_id,
                                                    std::string text) {
  MASTHEAD_RETURN_IF_ERROR(RequireModerator(moderator));
  auto cleaned = CleanText(std::move(text), options_.max_text_bytes, "note", true);
  if (!cleaned) return tl::unexpected(cleaned.error());
  store::ModeratorNote note;
  const UnixSeconds now = now_();
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto added = tx.AddModeratorNote(user_id, moderator.user.id, *cleaned, now);
    if (!added) return tl::unexpected(added.error());
    note = *added;
    // The log says a note was written, not what it says: notes stay on the reader's page.
    return tx.RecordModerationAction({.actor_id = moderator.user.id, .action = "note",
                                      .subject_user_id = user_id, .now = now})
        .map([](const store::ModerationAction&) {});
  });
  if (!stored) return tl::unexpected(stored.error());
  return note;
}

Result<store::Appeal> ModerationDesk::Appeal(const accounts::Viewer& viewer, std::int64_t action_id,
                                             std::string text) {
  auto cleaned = CleanText(std::move(text), options_.max_text_bytes, "body", true);
  if (!cleaned) return tl::unexpected(cleaned.error());
  auto action = store_.FindModerationAction(action_id);
  if (!action || action->subject_user_id != viewer.user.id ||
      (action->action != "reject" && !IsSanction(action->action))) {
    return MakeError(ErrorCode::kNotFound, "there is no decision of yours to appeal here");
  }
  return store_.CreateAppeal({action_id, viewer.user.id, *cleaned, now_()});
}

Result<store::Appeal> ModerationDesk::DecideAppeal(const accounts::Viewer& moderator, std::int64_t appeal_id,
                                                   bool overturn, std::string text) {
  MASTHEAD_RETURN_IF_ERROR(RequireModerator(moderator));
  auto note = CleanText(std::move(text), options_.max_text_bytes, "note", false);
  if (!note) return tl::unexpected(note.error());
  auto appeal = store_.FindAppeal(appeal_id);
  if (!appeal) return appeal;
  auto action = store_.FindModerationAction(appeal->action_id);
  if (!action) return tl::unexpected(action.error());
  if (action->actor_id == moderator.user.id) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "you made this decision: another moderator must decide the appeal against it");
  }
  std::optional<store::Comment> comment;
  if (action->comment_id) {
    auto found = store_.FindComment(*action->comment_id);
    if (found) comment = *found;
  }
  const UnixSeconds now = now_();
  store::Appeal decided;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto result = tx.DecideAppeal({appeal_id, moderator.user.id, overturn ? "overturned" : "upheld", *note, now});
    if (!result) return tl::unexpected(result.error());
    decided = *result;
    if (overturn && action->action == "reject" && comment && comment->status == CommentStatus::kRejected) {
      auto restored = tx.UpdateComment({.id = comment->id, .status = CommentStatus::kPublished, .now = now});
      if (!restored) return tl::unexpected(restored.error());
      if (published_hook_) MASTHEAD_RETURN_IF_ERROR(published_hook_(tx, *restored));
    }
    if (overturn && IsSanction(action->action)) {
      auto sanctions = tx.ListSanctions(appeal->appellant_id);
      if (!sanctions) return tl::unexpected(sanctions.error());
      for (const auto& s : *sanctions) {
        if (s.action_id == action->id) MASTHEAD_RETURN_IF_ERROR(tx.LiftSanction(s.id, now));
      }
    }
    auto logged = tx.RecordModerationAction({.actor_id = moderator.user.id,
                                             .action = overturn ? "appeal_overturned" : "appeal_upheld",
                                             .comment_id = action->comment_id,
                                             .subject_user_id = appeal->appellant_id,
                                             .reason_code = action->reason_code,
                                             .detail = "appeal #" + std::to_string(appeal_id) + ": " + *note,
                                             .now = now});
    if (!logged) return tl::unexpected(logged.error());
    if (!mailer_) return Ok();
    // Reads after "Your comment was ..." in the mail.
    const std::string what = action->action == "reject" ? "the rejection" : "your " + action->action;
    DecisionMail mail{appeal->appellant_id,
                      overturn ? "reviewed again on appeal: " + what + " was withdrawn"
                               : "reviewed again on appeal: " + what + " stands",
                      comment ? comment->body_markdown : std::string(),
                      (overturn ? "another moderator reviewed it" : "another moderator reviewed it: it breaks " +
                                                                      ClauseCitation(action->reason_code)) +
                          (note->empty() ? std::string() : ". " + *note),
                      false};
    return mailer_(tx, mail);
  });
  if (!stored) return tl::unexpected(stored.error());
  if (comment) articles_.TouchDiscussion(comment->article_id);
  return decided;
}

Result<ReaderRecord> ModerationDesk::RecordOf(std::int64_t user_id) {
  ReaderRecord record;
  auto actions = store_.ListModerationActions({.subject_user_id = user_id, .limit = 100});
  if (!actions) return tl::unexpected(actions.error());
  std::vector<std::int64_t> ids;
  for (auto& a : *actions) {
    if (a.action == "note") continue;  // staff notes are for staff
    ids.push_back(a.id);
    record.decisions.push_back(std::move(a));
  }
  auto appeals = store_.AppealsOfActions(ids);
  if (!appeals) return tl::unexpected(appeals.error());
  record.appeals = std::move(*appeals);
  auto sanctions = store_.ListSanctions(user_id);
  if (!sanctions) return tl::unexpected(sanctions.error());
  record.in_force = InForce(*sanctions);
  return record;
}

}  // namespace masthead::moderation
