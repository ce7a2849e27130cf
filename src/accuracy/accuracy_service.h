// The newsroom's accuracy workflow: readers' reports become numbered cases
// (new -> triaged -> investigating -> resolved), resolved cases may publish a
// dated correction (with the article text changed in the same step), quoted
// sources can be invited by a personal signed link, and readers can write to the
// article's desk privately. Every change that concerns a reader mails them
// through the outbox in the same transaction.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "articles/article_service.h"
#include "mail/store_outbox.h"
#include "store/store.h"

namespace masthead::accuracy {

struct AccuracyOptions {
  std::string site_title = "Masthead";
  std::string base_url = "http://127.0.0.1:8080";
  mail::Address from;
  std::string corrections_desk = "corrections@masthead.invalid";  // new cases and reminders
  std::string editors_desk = "editors@masthead.invalid";          // sections without a desk of their own
  std::map<std::string, std::string> section_desks;               // section slug -> address
  int reminder_days = 3;      // an open case unchanged this long reminds the desk
  int invite_days = 14;       // how long an invitation link works
  int reports_per_hour = 5;   // reports and messages per network (/24, /48) per hour
  std::size_t max_text_bytes = 5000;
};

// What a reader typed into the accuracy form, as typed.
struct ReportInput {
  std::string relation;  // "quoted", "mentioned", "other"
  std::string passage;   // paragraph anchor "pN"
  std::string quote;     // the exact words, when the reader selected them
  std::string wrong;
  std::string right;
  std::string evidence_url;
  std::string name;
  std::string email;
  bool may_contact = false;
  std::string invite_token;  // from a personal link; binds article, name and e-mail
  std::string network;       // the sender's network, for the rate limit
};

struct MessageInput {
  std::string name;
  std::string email;
  std::string body;
  std::optional<std::int64_t> user_id;
  std::string network;
};

struct CorrectionInput {
  std::string kind;       // "correction", "clarification", "editors_note"
  std::string placement;  // "top" (serious errors) or "bottom"
  std::string notice;     // "An earlier version of this story misstated ..."
  std::optional<std::string> new_body;  // the corrected article text, when it changes
  int expected_revision = 0;            // the revision the editor edited
};

// Who an invitation is for, once its link checked out.
struct CheckedInvite {
  store::AccuracyInvite invite;
  std::string token;
};

inline constexpr const char* kRelations[] = {"quoted", "mentioned", "other"};
inline constexpr const char* kStates[] = {"new", "triaged", "investigating", "resolved"};
inline constexpr const char* kNoticeKinds[] = {"correction", "clarification", "editors_note"};

// "Correction", "Clarification", "Editor's Note".
std::string NoticeLabel(const std::string& kind);
// "correction", ..., "no change", for people.
std::string OutcomeText(const std::string& outcome);
// Parses "world=world@example.org, sports=sports@example.org"; errors name the bad entry.
Result<std::map<std::string, std::string>> ParseSectionDesks(const std::string& text);

class AccuracyService {
 public:
  AccuracyService(store::Store& store, articles::ArticleService& articles, const mail::Outbox& outbox,
                  AccuracyOptions options, std::string invite_key,
                  std::function<UnixSeconds()> now = NowSeconds);

  // --- Readers -----------------------------------------------------------------
  // Checks the report (errors name the field and lose nothing: the caller shows
  // the form again with what was typed), applies the per-network limit, stores
  // the case and mails the requester and the desk in one transaction.
  Result<store::AccuracyCase> File(const std::string& slug, const ReportInput& input);
  // A private message about an article to its section's desk.
  Result<store::EditorMessage> SendMessage(const std::string& slug, const MessageInput& input);
  // The published corrections of one article (newest first), or of all.
  Result<std::vector<store::Correction>> CorrectionsOf(std::int64_t article_id) const;
  Result<std::vector<store::Correction>> LatestCorrections(int limit) const;

  // --- Invitations ---------------------------------------------------------------
  // Stores an invitation, mails the personal link and returns it. `case_id`
  // binds it to an open case (the staff button); unset for the CLI.
  Result<std::string> Invite(const std::string& slug, const std::string& email, const std::string& name,
                             std::optional<std::int64_t> case_id);
  // kPermissionDenied for a forged or altered link, kConflict for one already
  // used, kNotFound when it names another article, and kConflict ("expired",
  // "closed") after its time or when its case was resolved.
  Result<CheckedInvite> CheckInvite(const std::string& token, std::int64_t article_id) const;

  // --- Staff (editors and up; checked here as well as by the routes) --------------
  Result<std::vector<store::AccuracyCase>> Cases(const std::string& state) const;
  Result<store::AccuracyCase> Case(std::int64_t id) const;
  Result<std::vector<store::AccuracyEvent>> Events(std::int64_t case_id) const;
  // Moves a case forward (new -> triaged -> investigating -> resolved; resolving
  // here means "no change": notices resolve through PublishCorrection). The
  // requester is mailed. `take` makes the acting editor the owner.
  Result<store::AccuracyCase> Move(const accounts::Viewer& editor, std::int64_t case_id,
                                   const std::string& expected_state, const std::string& state, bool take,
                                   const std::string& note);
  // Publishes the notice, changes the article text when asked (a new revision),
  // resolves the case with the notice's kind and mails the requester, all at once.
  // Called inside the transaction that publishes a correction notice.
  using CorrectionHook = std::function<Status(store::Store& tx, const store::Correction& correction)>;
  void SetCorrectionHook(CorrectionHook hook) { correction_hook_ = std::move(hook); }
  Result<store::Correction> PublishCorrection(const accounts::Viewer& editor, std::int64_t case_id,
                                              const CorrectionInput& input);
  // Mails the corrections desk about every open case unchanged for longer than
  // the configured days (once per state). Returns how many were reminded.
  Result<int> RemindWaiting(UnixSeconds now);

  Result<std::vector<store::EditorMessage>> Messages(const std::string& status) const;
  Result<store::EditorMessage> Message(std::int64_t id) const;
  Result<std::vector<store::EditorMessageReply>> Replies(std::int64_t message_id) const;
  // Stores the editor's answer and mails it to the sender, with their message quoted.
  Result<store::EditorMessageReply> Reply(const accounts::Viewer& editor, std::int64_t message_id,
                                          const std::string& body);
  // Opens an accuracy case from a message (relation "other", the message as what
  // is wrong); the message is marked as turned into that case.
  Result<store::AccuracyCase> MessageToCase(const accounts::Viewer& editor, std::int64_t message_id);

  const AccuracyOptions& options() const { return options_; }
  std::string DeskOf(const std::string& section_slug) const;

 private:
  Status RequireEditor(const accounts::Viewer& viewer) const;
  Status CheckRate(const std::string& network);
  // Text a reader typed: valid UTF-8, control characters gone, within `limit`.
  Result<std::string> CleanText(const std::string& text, const std::string& field, std::size_t limit,
                                bool required, const std::string& label) const;
  std::string InviteToken(std::int64_t id, UnixSeconds expires) const;
  Status MailRequester(store::Store& tx, const store::AccuracyCase& c, const std::string& subject,
                       const std::string& text, const std::string& kind) const;
  Status MailDesk(store::Store& tx, const std::string& desk, const std::string& subject,
                  const std::string& text, const std::string& kind) const;
  std::string CaseUrl(std::int64_t id) const;

  store::Store& store_;
  articles::ArticleService& articles_;
  const mail::Outbox& outbox_;
  AccuracyOptions options_;
  std::string invite_key_;
  std::function<UnixSeconds()> now_;
  CorrectionHook correction_hook_;
};

}  // namespace masthead::accuracy
