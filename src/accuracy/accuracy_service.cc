#include "accuracy/accuracy_service.h"

#include <algorithm>

#include "accounts/crypto.h"
#include "accounts/roles.h"
#include "articles/markdown.h"
#include "base/text.h"
#include "base/utf8.h"
#include "mail/sanitize.h"

namespace masthead::accuracy {
namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxQuote = 1000;
constexpr std::size_t kMaxNotice = 2000;

template <typename List>
bool OneOf(const List& list, const std::string& value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

int StateRank(const std::string& state) {
  for (int i = 0; i < 4; ++i) {
    if (state == kStates[i]) return i;
  }
  return -1;
}

std::string RelationText(const std::string& relation) {
  if (relation == "quoted") return "I was quoted in this story";
  if (relation == "mentioned") return "I was mentioned in this story";
  return "Other";
}

// Plain-text quoting of what a reader wrote: their text stays text (the mail has
// no HTML part), indented so it cannot pass for the newsroom's words.
std::string Quoted(const std::string& text) {
  std::string out = "  > ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  > ";
  }
  return out + "\n";
}

}  // namespace

std::string NoticeLabel(const std::string& kind) {
  if (kind == "clarification") return "Clarification";
  if (kind == "editors_note") return "Editor's Note";
  return "Correction";
}

std::string OutcomeText(const std::string& outcome) {
  if (outcome == "editors_note") return "editor's note";
  if (outcome == "no_change") return "no change";
  return outcome;
}

Result<std::map<std::string, std::string>> ParseSectionDesks(const std::string& text) {
  std::map<std::string, std::string> desks;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string entry(TrimWhitespace(std::string_view(text).substr(start, end - start)));
    start = end + 1;
    if (entry.empty()) continue;
    const std::size_t eq = entry.find('=');
    const std::string slug = eq == std::string::npos ? "" : std::string(TrimWhitespace(entry.substr(0, eq)));
    const std::string address = eq == std::string::npos ? "" : std::string(TrimWhitespace(entry.substr(eq + 1)));
    if (slug.empty() || !mail::ValidateAddress({"", address}, "desk")) {
      return MakeError(ErrorCode::kInvalidArgument, "'" + entry + "' is not SECTION=ADDRESS");
    }
    desks[slug] = address;
  }
  return desks;
}

AccuracyService::AccuracyService(store::Store& store, articles::ArticleService& articles,
                                 const mail::Outbox& outbox, AccuracyOptions options, std::string invite_key,
                                 std::function<UnixSeconds()> now)
    : store_(store), articles_(articles), outbox_(outbox), options_(std::move(options)),
      invite_key_(std::move(invite_key)), now_(std::move(now)) {}

std::string AccuracyService::DeskOf(const std::string& section_slug) const {
  auto found = options_.section_desks.find(section_slug);
  return found == options_.section_desks.end() ? options_.editors_desk : found->second;
}

std::string AccuracyService::CaseUrl(std::int64_t id) const {
  return options_.base_url + "/staff/accuracy/" + std::to_string(id);
}

Status AccuracyService::RequireEditor(const accounts::Viewer& viewer) const {
  if (!accounts::HasRole(viewer.role, accounts::Role::kEditor)) {
    return MakeError(ErrorCode::kPermissionDenied, "only editors handle accuracy cases and messages");
  }
  return Ok();
}

Status AccuracyService::CheckRate(const std::string& network) {
  auto rate = store_.HitRateLimit({"accuracy:net:" + network, options_.reports_per_hour, 3600, now_()});
  if (!rate) return tl::unexpected(rate.error());
  if (!rate->allowed) {
    return MakeError(ErrorCode::kRateLimited,
                     "many reports came from your network in the last hour; please wait " +
                         std::to_string((rate->retry_after + 59) / 60) +
                         " minutes and send again. What you typed is kept below.");
  }
  return Ok();
}

Result<std::string> AccuracyService::CleanText(const std::string& text, const std::string& field,
                                               std::size_t limit, bool required,
                                               const std::string& label) const {
  if (!IsValidUtf8(text)) {
    return MakeError(ErrorCode::kInvalidArgument, label + ": the text contains bytes that are not UTF-8", field);
  }
  std::string clean(TrimWhitespace(StripControlCharacters(text)));
  if (required && clean.empty()) return MakeError(ErrorCode::kInvalidArgument, label + ": please fill this in", field);
  if (clean.size() > limit) {
    return MakeError(ErrorCode::kTooLarge,
                     label + ": at most " + std::to_string(limit) + " bytes, please shorten it (it has " +
                         std::to_string(clean.size()) + ")",
                     field);
  }
  return clean;
}

std::string AccuracyService::InviteToken(std::int64_t id, UnixSeconds expires) const {
  const std::string payload = std::to_string(id) + "." + std::to_string(expires);
  return payload + "." + accounts::Mac(invite_key_, "accuracy-invite:" + payload);
}

Status AccuracyService::MailRequester(store::Store& tx, const store::AccuracyCase& c, const std::string& subject,
                                      const std::string& text, const std::string& kind) const {
  mail::Message message;
  message.from = options_.from;
  message.to = {mail::SanitizeForMailHeader(c.requester_name), c.requester_email};
  message.reply_to = {{"", options_.corrections_desk}};
  message.subject = mail::SanitizeForMailHeader(subject);
  message.text_body = "Hello " + mail::SanitizeForMailHeader(c.requester_name) + ",\n\n" + text +
                      "\n-- \n" + options_.site_title + ", corrections desk\n";
  return outbox_.Enqueue(tx, std::move(message), kind).map([](std::int64_t) {});
}

Status AccuracyService::MailDesk(store::Store& tx, const std::string& desk, const std::string& subject,
                                 const std::string& text, const std::string& kind) const {
  mail::Message message;
  message.from = options_.from;
  message.to = {"", desk};
  message.subject = mail::SanitizeForMailHeader(subject);
  message.text_body = text;
  return outbox_.Enqueue(tx, std::move(message), kind).map([](std::int64_t) {});
}

Result<CheckedInvite> AccuracyService::CheckInvite(const std::string& token, std::int64_t article_id) const {
  const auto forged = [] {
    return MakeError(ErrorCode::kPermissionDenied,
                     "this invitation link is not valid: it may have been copied incompletely or altered",
                     "invite");
  };
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (token.size() > 200 || second == std::string::npos) return forged();
  const std::string payload = token.substr(0, second);
  if (!accounts::ConstantTimeEquals(token.substr(second + 1), accounts::Mac(invite_key_, "accuracy-invite:" + payload))) {
    return forged();
  }
  std::int64_t id = 0;
  UnixSeconds expires = 0;
  try {
    id = std::stoll(payload.substr(0, first));
    expires = std::stoll(payload.substr(first + 1));
  } catch (const std::exception&) {
    return forged();
  }
  auto invite = store_.FindAccuracyInvite(id);
  if (!invite || invite->expires_at != expires) return forged();
  if (invite->article_id != article_id) {
    return MakeError(ErrorCode::kNotFound, "this invitation is for another article", "invite");
  }
  if (invite->used_at) {
    return MakeError(ErrorCode::kConflict,
                     "this invitation was used already; each link files one report. Use the open form "
                     "instead, or ask the editors for a new link.",
                     "invite");
  }
  if (now_() > invite->expires_at) {
    return MakeError(ErrorCode::kConflict,
                     "this invitation expired on " + FormatLongDate(invite->expires_at) +
                         "; the open form still works, or ask the editors for a new link.",
                     "invite");
  }
  if (invite->case_id) {
    auto linked = store_.FindAccuracyCase(*invite->case_id);
    if (!linked) return tl::unexpected(linked.error());
    if (linked->state == "resolved") {
      return MakeError(ErrorCode::kConflict,
                       "the case this invitation was for is closed; the open form still works for anything new.",
                       "invite");
    }
  }
  return CheckedInvite{*invite, token};
}

Result<store::AccuracyCase> AccuracyService::File(const std::string& slug, const ReportInput& input) {
  auto article = articles_.Published(slug);
  if (!article) return tl::unexpected(article.error());
  std::optional<CheckedInvite> invite;
  if (!input.invite_token.empty()) {
    auto checked = CheckInvite(input.invite_token, article->id);
    if (!checked) return tl::unexpected(checked.error());
    invite = *checked;
  }
  store::AccuracyCase c;
  c.article_id = article->id;
  if (!OneOf(kRelations, input.relation)) {
    return MakeError(ErrorCode::kInvalidArgument, "How you relate to the story: please choose one", "relation");
  }
  c.relation = input.relation;
  const auto body = articles::RenderArticleBody(article->fields.body_markdown, article->fields.dateline);
  const bool known_paragraph = std::any_of(body.paragraphs.begin(), body.paragraphs.end(),
                                           [&](const auto& p) { return p.anchor == input.passage; });
  if (!known_paragraph) {
    return MakeError(ErrorCode::kInvalidArgument, "The passage: please choose the paragraph you mean", "passage");
  }
  c.passage_anchor = input.passage;
  auto quote = CleanText(input.quote, "quote", kMaxQuote, false, "The exact words");
  if (!quote) return tl::unexpected(quote.error());
  c.quote = *quote;
  auto wrong = CleanText(input.wrong, "wrong", options_.max_text_bytes, true, "What is wrong");
  if (!wrong) return tl::unexpected(wrong.error());
  c.wrong_text = *wrong;
  auto right = CleanText(input.right, "right", options_.max_text_bytes, true, "What is right");
  if (!right) return tl::unexpected(right.error());
  c.right_text = *right;
  auto evidence = CleanText(input.evidence_url, "evidence_url", kMaxUrl, false, "Evidence link");
  if (!evidence) return tl::unexpected(evidence.error());
  if (!evidence->empty() && !mail::IsSafeWebUrl(*evidence)) {
    return MakeError(ErrorCode::kInvalidArgument, "Evidence link: please give a web address starting with https://",
                     "evidence_url");
  }
  c.evidence_url = *evidence;
  auto name = CleanText(invite ? invite->invite.name : input.name, "name", kMaxName, true, "Your name");
  if (!name) return tl::unexpected(name.error());
  c.requester_name = *name;
  auto email = CleanText(invite ? invite->invite.email : input.email, "email", kMaxEmail, true, "Your e-mail address");
  if (!email) return tl::unexpected(email.error());
  if (!mail::ValidateAddress({"", *email}, "email")) {
    return MakeError(ErrorCode::kInvalidArgument, "Your e-mail address: this does not look like an e-mail address",
                     "email");
  }
  c.requester_email = *email;
  c.may_contact = input.may_contact;
  if (invite) c.invite_id = invite->invite.id;
  MASTHEAD_RETURN_IF_ERROR(CheckRate(input.network));

  store::AccuracyCase created;
  const UnixSeconds now = now_();
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    if (invite) MASTHEAD_RETURN_IF_ERROR(tx.UseAccuracyInvite(invite->invite.id, now));
    std::string note = "Filed through the accuracy form";
    if (invite) {
      note = "Filed through a personal invitation";
      if (invite->invite.case_id) note += " sent from case #" + std::to_string(*invite->invite.case_id);
    }
    auto made = tx.CreateAccuracyCase({c, note, now});
    if (!made) return tl::unexpected(made.error());
    created = *made;
    if (invite && invite->invite.case_id) {
      // The case the person was invited to records the answer, without moving.
      auto inviting = tx.FindAccuracyCase(*invite->invite.case_id);
      if (!inviting) return tl::unexpected(inviting.error());
      auto recorded = tx.ChangeAccuracyCase(
          {inviting->id, inviting->state, inviting->state, inviting->outcome, std::nullopt, 0,
           created.requester_name + " answered an invitation from this case: case #" + std::to_string(created.id),
           now});
      if (!recorded) return tl::unexpected(recorded.error());
    }
    const std::string number = "#" + std::to_string(created.id);
    const std::string article_url = options_.base_url + "/articles/" + created.article_slug;
    std::string text = "thank you for telling us about a possible error in \"" + created.article_headline +
                       "\" (" + article_url + "#" + created.passage_anchor + ").\n\nYour report is case " + number +
                       ". An editor will look at it; we write to you again whenever its state changes.\n\n"
                       "What you told us is wrong:\n" + Quoted(created.wrong_text) +
                       "\nWhat you told us is right:\n" + Quoted(created.right_text);
    MASTHEAD_RETURN_IF_ERROR(MailRequester(tx, created, "Your accuracy report " + number + " was received", text,
                                           "accuracy_received"));
    return MailDesk(tx, options_.corrections_desk,
                    "New accuracy case " + number + ": " + created.article_headline,
                    "A new accuracy report arrived for \"" + created.article_headline + "\".\n\nRelation: " +
                        RelationText(created.relation) + "\nPassage: " + created.passage_anchor +
                        "\n\nOpen the case: " + CaseUrl(created.id) + "\n",
                    "accuracy_desk");
  });
  if (!stored) return tl::unexpected(stored.error());
  return created;
}

Result<store::EditorMessage> AccuracyService::SendMessage(const std::string& slug, const MessageInput& input) {
  auto article = articles_.Published(slug);
  if (!article) return tl::unexpected(article.error());
  auto name = CleanText(input.name, "name", kMaxName, true, "Your name");
  if (!name) return tl::unexpected(name.error());
  auto email = CleanText(input.email, "email", kMaxEmail, true, "Your e-mail address");
  if (!email) return tl::unexpected(email.error());
  if (!mail::ValidateAddress({"", *email}, "email")) {
    return MakeError(ErrorCode::kInvalidArgument, "Your e-mail address: this does not look like an e-mail address",
                     "email");
  }
  auto body = CleanText(input.body, "body", options_.max_text_bytes, true, "Your message");
  if (!body) return tl::unexpected(body.error());
  MASTHEAD_RETURN_IF_ERROR(CheckRate(input.network));
  const std::string desk = DeskOf(article->fields.section_slug);
  store::EditorMessage created;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto made = tx.CreateEditorMessage({article->id, desk, *name, *email, input.user_id, *body, now_()});
    if (!made) return tl::unexpected(made.error());
    created = *made;
    return MailDesk(tx, desk, "Message to the editors about \"" + created.article_headline + "\"",
                    "A reader wrote to the editors about " + options_.base_url + "/articles/" +
                        created.article_slug + "\n\nFrom: " + created.sender_name + "\n\n" + Quoted(created.body) +
                        "\nAnswer it from the staff pages (the reader's address is not shown here): " +
                        options_.base_url + "/staff/messages/" + std::to_string(created.id) + "\n",
                    "editor_message");
  });
  if (!stored) return tl::unexpected(stored.error());
  return created;
}

Result<std::vector<store::Correction>> AccuracyService::CorrectionsOf(std::int64_t article_id) const {
  return store_.ListCorrections({article_id, 100});
}

Result<std::vector<store::Correction>> AccuracyService::LatestCorrections(int limit) const {
  return store_.ListCorrections({std::nullopt, limit});
}

Result<std::string> AccuracyService::Invite(const std::string& slug, const std::string& email_text,
                                            const std::string& name_text, std::optional<std::int64_t> case_id) {
  auto article = articles_.Published(slug);
  if (!article) return tl::unexpected(article.error());
  auto name = CleanText(name_text, "name", kMaxName, true, "Name");
  if (!name) return tl::unexpected(name.error());
  auto email = CleanText(email_text, "email", kMaxEmail, true, "E-mail address");
  if (!email) return tl::unexpected(email.error());
  if (!mail::ValidateAddress({"", *email}, "email")) {
    return MakeError(ErrorCode::kInvalidArgument, "E-mail address: this does not look like an e-mail address", "email");
  }
  if (case_id) {
    auto linked = store_.FindAccuracyCase(*case_id);
    if (!linked) return tl::unexpected(linked.error());
    if (linked->state == "resolved") return MakeError(ErrorCode::kConflict, "this case is closed", "case");
  }
  const UnixSeconds now = now_();
  std::string link;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto invite = tx.CreateAccuracyInvite(
        {article->id, case_id, *email, *name, now, now + static_cast<UnixSeconds>(options_.invite_days) * 86400});
    if (!invite) return tl::unexpected(invite.error());
    link = options_.base_url + "/articles/" + article->fields.slug +
           "/accuracy?invite=" + InviteToken(invite->id, invite->expires_at);
    mail::Message message;
    message.from = options_.from;
    message.to = {mail::SanitizeForMailHeader(*name), *email};
    message.reply_to = {{"", options_.corrections_desk}};
    message.subject = mail::SanitizeForMailHeader("Were you quoted accurately? \"" + article->fields.headline + "\"");
    message.text_body = "Hello " + mail::SanitizeForMailHeader(*name) + ",\n\nyou were interviewed for \"" +
                        article->fields.headline + "\". If anything in the story is wrong, please tell us through "
                        "this personal link (it works once, until " + FormatLongDate(invite->expires_at) + "):\n\n" +
                        link + "\n\n-- \n" + options_.site_title + ", corrections desk\n";
    return outbox_.Enqueue(tx, std::move(message), "accuracy_invite").map([](std::int64_t) {});
  });
  if (!stored) return tl::unexpected(stored.error());
  return link;
}

Result<std::vector<store::AccuracyCase>> AccuracyService::Cases(const std::string& state) const {
  return store_.ListAccuracyCases({state, 200});
}

Result<store::AccuracyCase> AccuracyService::Case(std::int64_t id) const { return store_.FindAccuracyCase(id); }

Result<std::vector<store::AccuracyEvent>> AccuracyService::Events(std::int64_t case_id) const {
  return store_.ListAccuracyEvents(case_id);
}

Result<store::AccuracyCase> AccuracyService::Move(const accounts::Viewer& editor, std::int64_t case_id,
                                                  const std::string& expected_state, const std::string& state,
                                                  bool take, const std::string& note_text) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(editor));
  const int from = StateRank(expected_state);
  const int to = StateRank(state);
  if (from < 0 || to < 0) return MakeError(ErrorCode::kInvalidArgument, "unknown state", "state");
  if (to <= from) {
    return MakeError(ErrorCode::kConflict, "a case only moves forward: " + expected_state + " cannot become " + state,
                     "state");
  }
  auto note = CleanText(note_text, "note", options_.max_text_bytes, false, "Note");
  if (!note) return tl::unexpected(note.error());
  store::ChangeAccuracyCaseRequest change;
  change.id = case_id;
  change.expected_state = expected_state;
  change.state = state;
  change.outcome = state == "resolved" ? "no_change" : "";
  if (take) change.owner_id = editor.user.id;
  change.actor_id = editor.user.id;
  change.note = *note;
  change.now = now_();
  store::AccuracyCase moved;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto changed = tx.ChangeAccuracyCase(change);
    if (!changed) return tl::unexpected(changed.error());
    moved = *changed;
    const std::string number = "#" + std::to_string(moved.id);
    std::string text = "your accuracy report " + number + " about \"" + moved.article_headline + "\" is now " +
                       (state == "resolved" ? std::string("resolved: after checking, we are not changing the story")
                                            : state) +
                       ".\n";
    if (!moved.owner_name.empty()) text += "The editor looking after it: " + moved.owner_name + ".\n";
    if (!change.note.empty()) text += "\nThe editor's note:\n" + Quoted(change.note);
    return MailRequester(tx, moved, "Your accuracy report " + number + " is now " + state, text,
                         "accuracy_state");
  });
  if (!stored) return tl::unexpected(stored.error());
  return moved;
}

Result<store::Correction> AccuracyService::PublishCorrection(const accounts::Viewer& editor, std::int64_t case_id,
                                                             const CorrectionInput& input) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(editor));
  if (!OneOf(kNoticeKinds, input.kind)) {
    return MakeError(ErrorCode::kInvalidArgument, "Kind: choose correction, clarification or editor's note", "kind");
  }
  if (input.placement != "top" && input.placement != "bottom") {
    return MakeError(ErrorCode::kInvalidArgument, "Placement: choose top (serious errors) or bottom", "placement");
  }
  auto notice = CleanText(input.notice, "notice", kMaxNotice, true, "Notice");
  if (!notice) return tl::unexpected(notice.error());
  auto current = store_.FindAccuracyCase(case_id);
  if (!current) return tl::unexpected(current.error());
  if (current->state == "resolved") {
    return MakeError(ErrorCode::kConflict, "this case is resolved already", "state");
  }
  auto article = store_.FindArticle({.id = current->article_id, .include_unpublished = true});
  if (!article) return tl::unexpected(article.error());
  std::optional<store::ArticleFields> fields;
  if (input.new_body && *input.new_body != article->fields.body_markdown) {
    if (!IsValidUtf8(*input.new_body)) {
      return MakeError(ErrorCode::kInvalidArgument, "Article text: the text contains bytes that are not UTF-8", "body");
    }
    fields = article->fields;
    fields->body_markdown = *input.new_body;
    MASTHEAD_RETURN_IF_ERROR(articles_.Validate(*fields));
  }
  const UnixSeconds now = now_();
  store::Correction published;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    int revision = article->revision;
    if (fields) {
      const std::string why = NoticeLabel(input.kind) + " (case #" + std::to_string(case_id) + ")";
      auto updated = tx.UpdateArticle({article->id, input.expected_revision, *fields, why, now});
      if (!updated) {
        if (updated.error().code == ErrorCode::kConflict) {
          return MakeError(ErrorCode::kConflict,
                           "the article was edited meanwhile; reload the case to edit the current text", "body");
        }
        return tl::unexpected(updated.error());
      }
      revision = updated->revision;
    }
    auto correction = tx.CreateCorrection({article->id, case_id, input.kind, input.placement, *notice, revision, now});
    if (!correction) return tl::unexpected(correction.error());
    published = *correction;
    if (correction_hook_) MASTHEAD_RETURN_IF_ERROR(correction_hook_(tx, *correction));
    auto changed = tx.ChangeAccuracyCase({case_id, current->state, "resolved", input.kind, editor.user.id,
                                          editor.user.id, NoticeLabel(input.kind) + " published", now});
    if (!changed) return tl::unexpected(changed.error());
    const std::string number = "#" + std::to_string(case_id);
    std::string text = "your accuracy report " + number + " about \"" + changed->article_headline +
                       "\" is resolved: we published this " + OutcomeText(input.kind) + " with the story" +
                       (fields ? " and changed its text" : "") + ":\n\n" + Quoted(NoticeLabel(input.kind) + ": " + *notice) +
                       "\n" + options_.base_url + "/articles/" + changed->article_slug + "\n\nThank you for helping us get it right.\n";
    return MailRequester(tx, *changed, "Your accuracy report " + number + " is resolved: " + OutcomeText(input.kind),
                         text, "accuracy_state");
  });
  if (!stored) return tl::unexpected(stored.error());
  articles_.MarkChanged();
  return published;
}

Result<int> AccuracyService::RemindWaiting(UnixSeconds now) {
  const UnixSeconds changed_before = now - static_cast<UnixSeconds>(options_.reminder_days) * 86400;
  auto waiting = store_.ListWaitingAccuracyCases(changed_before, 100);
  if (!waiting) return tl::unexpected(waiting.error());
  int reminded = 0;
  for (const auto& c : *waiting) {
    auto stored = store_.Transact([&](store::Store& tx) -> Status {
      MASTHEAD_RETURN_IF_ERROR(tx.MarkAccuracyCaseReminded(c.id, now));
      const long days = static_cast<long>((now - c.state_changed_at) / 86400);
      return MailDesk(tx, options_.corrections_desk,
                      "Reminder: accuracy case #" + std::to_string(c.id) + " has waited " + std::to_string(days) +
                          " days",
                      "Accuracy case #" + std::to_string(c.id) + " about \"" + c.article_headline + "\" has been " +
                          c.state + " since " + FormatLongDate(c.state_changed_at) + " (" + std::to_string(days) +
                          " days; the limit is " + std::to_string(options_.reminder_days) + ").\nOwner: " +
                          (c.owner_name.empty() ? std::string("nobody yet") : c.owner_name) +
                          "\n\nOpen the case: " + CaseUrl(c.id) + "\n",
                      "accuracy_reminder");
    });
    if (!stored && stored.error().code == ErrorCode::kConflict) continue;  // another node reminded
    if (!stored) return tl::unexpected(stored.error());
    ++reminded;
  }
  return reminded;
}

Result<std::vector<store::EditorMessage>> AccuracyService::Messages(const std::string& status) const {
  return store_.ListEditorMessages(status, 200, "");
}

Result<store::EditorMessage> AccuracyService::Message(std::int64_t id) const { return store_.FindEditorMessage(id); }

Result<std::vector<store::EditorMessageReply>> AccuracyService::Replies(std::int64_t message_id) const {
  return store_.ListEditorMessageReplies(message_id);
}

Result<store::EditorMessageReply> AccuracyService::Reply(const accounts::Viewer& editor, std::int64_t message_id,
                                                         const std::string& body_text) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(editor));
  auto body = CleanText(body_text, "body", options_.max_text_bytes, true, "Your answer");
  if (!body) return tl::unexpected(body.error());
  auto message = store_.FindEditorMessage(message_id);
  if (!message) return tl::unexpected(message.error());
  store::EditorMessageReply reply;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto added = tx.AddEditorMessageReply(message_id, editor.user.id, *body, now_());
    if (!added) return tl::unexpected(added.error());
    reply = *added;
    if (message->status == "open") {
      MASTHEAD_RETURN_IF_ERROR(tx.SetEditorMessageStatus(message_id, "answered", std::nullopt, now_()));
    }
    mail::Message out;
    out.from = options_.from;
    out.to = {mail::SanitizeForMailHeader(message->sender_name), message->sender_email};
    out.reply_to = {{"", message->desk}};
    out.subject = mail::SanitizeForMailHeader("Re: your message about \"" + message->article_headline + "\"");
    out.text_body = "Hello " + mail::SanitizeForMailHeader(message->sender_name) + ",\n\n" + reply.body + "\n\n" +
                    reply.author_name + ", " + options_.site_title + "\n\nYou wrote about " + options_.base_url +
                    "/articles/" + message->article_slug + ":\n" + Quoted(message->body);
    return outbox_.Enqueue(tx, std::move(out), "editor_reply").map([](std::int64_t) {});
  });
  if (!stored) return tl::unexpected(stored.error());
  return reply;
}

Result<store::AccuracyCase> AccuracyService::MessageToCase(const accounts::Viewer& editor, std::int64_t message_id) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(editor));
  auto message = store_.FindEditorMessage(message_id);
  if (!message) return tl::unexpected(message.error());
  if (message->case_id) {
    return MakeError(ErrorCode::kConflict, "this message is case #" + std::to_string(*message->case_id) + " already");
  }
  store::AccuracyCase c;
  c.article_id = message->article_id;
  c.relation = "other";
  c.wrong_text = message->body;
  c.requester_name = message->sender_name;
  c.requester_email = message->sender_email;
  c.may_contact = true;  // they wrote to us and expect an answer
  store::AccuracyCase created;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto made = tx.CreateAccuracyCase(
        {c, "Opened by " + editor.user.display_name + " from message #" + std::to_string(message_id), now_()});
    if (!made) return tl::unexpected(made.error());
    created = *made;
    MASTHEAD_RETURN_IF_ERROR(tx.SetEditorMessageStatus(message_id, "case", created.id, now_()));
    const std::string number = "#" + std::to_string(created.id);
    return MailRequester(tx, created, "Your message became accuracy case " + number,
                         "thank you for your message about \"" + created.article_headline +
                             "\". An editor opened accuracy case " + number +
                             " for it; we write to you again whenever its state changes.\n\nYou wrote:\n" +
                             Quoted(created.wrong_text),
                         "accuracy_received");
  });
  if (!stored) return tl::unexpected(stored.error());
  return created;
}

}  // namespace masthead::accuracy
