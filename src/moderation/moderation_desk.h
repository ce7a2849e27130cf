// The moderators' desk: readers' reports, decisions on comments, escalating
// sanctions, pre-moderation, notes on readers, appeals, and the numbers the
// public transparency page shows. Every action is written to the audit log,
// and the reader is mailed about every decision in the same transaction as it.
//
// The automatic check of a text (Pipeline) is elsewhere; this is what people do.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.h"
#include "articles/article_service.h"
#include "discussion/comment_service.h"
#include "moderation/guidelines.h"
#include "store/store.h"

namespace masthead::moderation {

struct DeskOptions {
  int report_hold_threshold = 3;                // open reports that hold a published comment
  std::vector<int> suspension_hours = {24, 72, 168};  // the ladder between a warning and a ban
  int premoderate_first_comments = 0;           // a new reader's comments wait for review until N are published
  int premoderate_after_rejections = 3;         // rejections in the window that start pre-moderation
  int rejection_window_days = 30;
  std::size_t max_text_bytes = 2000;            // report details, notes, appeals
};

// A mail about a decision, to the reader it concerns.
struct DecisionMail {
  std::int64_t user_id = 0;
  std::string decision;  // one line: "rejected", "published", "suspended until 28 November 2026 at 10:00 UTC"
  std::string excerpt;   // the comment concerned (may be empty for sanctions without one)
  std::string reason;    // the clause cited: "breaks rule 2, personal attacks"
  bool appealable = false;
};
using DecisionMailer = std::function<Status(store::Store& tx, const DecisionMail& mail)>;
// Runs in the transaction of a decision that publishes a comment readers could
// not see before (a held one approved, a rejected one restored on appeal): what
// its publication owes others, such as the reply mail to the parent's author.
using PublishedHook = std::function<Status(store::Store& tx, const store::Comment& published)>;

struct ReportReasonInfo {
  std::string_view slug;   // "harassment"
  std::string_view label;  // "Bullying or harassment"
};
// The reasons a reader can give, in the order the form shows them.
std::span<const ReportReasonInfo> ReportReasons();

struct ReportOutcome {
  int open_reports = 0;
  bool held = false;  // this report reached the threshold and held the comment
};

struct CommentDecision {
  std::int64_t comment_id = 0;
  bool approve = false;
  std::string clause;     // a clause slug; required to reject
  bool sanction = false;  // also take the next step of the sanctions ladder
  std::string note;       // for the audit log
};

struct DecisionOutcome {
  store::ModerationAction action;
  std::optional<store::Sanction> sanction;
};

// What a reader sees about themselves.
struct ReaderRecord {
  std::vector<store::ModerationAction> decisions;  // newest first, without staff notes
  std::vector<store::Appeal> appeals;
  std::optional<store::Sanction> in_force;  // a suspension or ban in force now
};

class ModerationDesk {
 public:
  ModerationDesk(store::Store& store, articles::ArticleService& articles, DecisionMailer mailer,
                 DeskOptions options, std::function<UnixSeconds()> now = NowSeconds);

  // Readers. Errors: kNotFound, kInvalidArgument (field "reason" or "detail"),
  // kAlreadyExists (field "report": reported before).
  Result<ReportOutcome> Report(const accounts::Viewer& viewer, std::int64_t comment_id,
                               const std::string& reason, std::string detail);
  // Appeals a rejection or sanction the reader received, once.
  Result<store::Appeal> Appeal(const accounts::Viewer& viewer, std::int64_t action_id, std::string text);
  Result<ReaderRecord> RecordOf(std::int64_t user_id);

  // The posting gate: kPermissionDenied while a suspension or ban is in force
  // (the message says until when and why); hold while pre-moderated.
  Result<discussion::AuthorVerdict> CheckAuthor(const accounts::Viewer& viewer);

  // Moderators (kPermissionDenied for anyone else).
  Result<DecisionOutcome> Decide(const accounts::Viewer& moderator, const CommentDecision& decision);
  Result<store::ModeratorNote> AddNote(const accounts::Viewer& moderator, std::int64_t user_id,
                                       std::string text);
  // kPermissionDenied when the moderator made the decision appealed against.
  Result<store::Appeal> DecideAppeal(const accounts::Viewer& moderator, std::int64_t appeal_id,
                                     bool overturn, std::string note);

  void SetPublishedHook(PublishedHook hook) { published_hook_ = std::move(hook); }

  // The sanction in force at `now` among a reader's sanctions, if any.
  std::optional<store::Sanction> InForce(const std::vector<store::Sanction>& sanctions) const;
  const DeskOptions& options() const { return options_; }
  UnixSeconds Now() const { return now_(); }

 private:
  Status RequireModerator(const accounts::Viewer& viewer) const;
  Result<std::optional<store::Sanction>> NextSanction(store::Store& tx, const accounts::Viewer& moderator,
                                                      const store::Comment& comment, const std::string& clause);

  store::Store& store_;
  articles::ArticleService& articles_;
  DecisionMailer mailer_;
  PublishedHook published_hook_;
  DeskOptions options_;
  std::function<UnixSeconds()> now_;
};

// "rule 2, personal attacks" for a clause slug; the slug itself when unknown.
std::string ClauseCitation(std::string_view slug);
// "24 November 2026 at 10:00 UTC".
std::string MomentText(UnixSeconds t);

}  // namespace masthead::moderation
