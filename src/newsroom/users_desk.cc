#include "newsroom/users_desk.h"

#include <map>
#include <nlohmann/json.hpp>

#include "base/time.h"

namespace masthead::newsroom {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<UnixSeconds>& t) { return t ? json(FormatRfc3339(*t)) : json(nullptr); }

std::string StatusName(store::CommentStatus status) {
  switch (status) {
    case store::CommentStatus::kPublished: return "published";
    case store::CommentStatus::kHeld: return "held";
    case store::CommentStatus::kRejected: return "rejected";
    case store::CommentStatus::kDeleted: return "deleted";
  }
  return "held";
}

// Unique per account and undeliverable (.invalid is reserved, RFC 2606).
std::string PlaceholderEmail(std::int64_t user_id) { return "deleted-" + std::to_string(user_id) + "@deleted.invalid"; }

bool IsAdmin(const accounts::Viewer& viewer) { return accounts::HasRole(viewer.role, accounts::Role::kAdmin); }

}  // namespace

Result<std::vector<store::User>> UsersDesk::Search(const std::string& query, const std::string& role) {
  if (query.size() > 200) return MakeError(ErrorCode::kInvalidArgument, "search for at most 200 characters", "q");
  if (!role.empty() && !accounts::RoleFromName(role)) {
    return MakeError(ErrorCode::kInvalidArgument, "no such role", "role");
  }
  return store_.SearchUsers({.query = query, .role = role, .limit = 100});
}

Result<ReaderHistory> UsersDesk::History(std::int64_t user_id, int comment_limit) {
  ReaderHistory history;
  auto user = store_.FindUser({.id = user_id});
  if (!user) return tl::unexpected(user.error());
  history.user = std::move(*user);
  auto comments = store_.ListCommentsByAuthor(user_id, comment_limit);
  auto reports = store_.ListReportsBy(user_id, comment_limit);
  auto sanctions = store_.ListSanctions(user_id);
  auto actions = store_.ListModerationActions({.subject_user_id = user_id, .limit = comment_limit});
  if (!comments) return tl::unexpected(comments.error());
  if (!reports) return tl::unexpected(reports.error());
  if (!sanctions) return tl::unexpected(sanctions.error());
  if (!actions) return tl::unexpected(actions.error());
  history.comments = std::move(*comments);
  history.reports = std::move(*reports);
  history.sanctions = std::move(*sanctions);
  history.actions = std::move(*actions);
  if (auto deletion = store_.FindAccountDeletion(user_id)) {
    history.deletion = *deletion;
  } else if (deletion.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(deletion.error());
  }
  return history;
}

Result<store::User> UsersDesk::ChangeRole(const accounts::Viewer& by, std::int64_t user_id, const std::string& role) {
  if (!IsAdmin(by)) return MakeError(ErrorCode::kPermissionDenied, "only administrators change roles");
  if (!accounts::RoleFromName(role)) {
    return MakeError(ErrorCode::kInvalidArgument, "the role is reader, moderator, editor or admin", "role");
  }
  if (user_id == by.user.id && role != "admin") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "you cannot give up your own admin role here: another administrator must do it", "role");
  }
  auto deletion = store_.FindAccountDeletion(user_id);
  if (deletion && role != "reader") {
    return MakeError(ErrorCode::kInvalidArgument, "this account is being deleted", "role");
  }
  auto before = store_.FindUser({.id = user_id});
  if (!before) return before;
  if (before->role == role) return before;
  // Who gave whom which powers, in the audit log with the change itself.
  store::User changed;
  Status stored = store_.Transact([&](store::Store& tx) -> Status {
    const UnixSeconds now = now_();
    auto updated = tx.UpdateUser({.id = user_id, .role = role, .now = now});
    if (!updated) return tl::unexpected(updated.error());
    changed = std::move(*updated);
    return tx.RecordModerationAction({.actor_id = by.user.id, .action = "role_change", .subject_user_id = user_id,
                                      .detail = before->role + " → " + role, .now = now})
        .map([](const store::ModerationAction&) {});
  });
  if (!stored) return tl::unexpected(stored.error());
  return changed;
}

namespace {
Status AddWhatTheAddressSent(store::Store& store, const store::User& user, json& archive);
}  // namespace

Result<std::string> UsersDesk::Export(const accounts::Viewer& by, std::int64_t user_id) {
  const bool own = by.user.id == user_id;
  if (!own && !IsAdmin(by)) return MakeError(ErrorCode::kPermissionDenied, "only administrators export readers' data");
  const UnixSeconds now = now_();
  if (own && !IsAdmin(by)) {
    auto allowed = store_.HitRateLimit(
        {.key = "export:user:" + std::to_string(user_id), .limit = options_.exports_per_day, .window_seconds = 86400,
         .now = now});
    if (!allowed) return tl::unexpected(allowed.error());
    if (!allowed->allowed) {
      const UnixSeconds hours = (allowed->retry_after + 3599) / 3600;
      return MakeError(ErrorCode::kRateLimited,
                       "you can download your data " + std::to_string(options_.exports_per_day) +
                           " time(s) a day: please try again in " + std::to_string(hours) + " hour(s)",
                       "export");
    }
  }
  auto history = History(user_id, 100000);
  if (!history) return tl::unexpected(history.error());
  const store::User& user = history->user;

  json archive;
  archive["format"] = "masthead-reader-data/1";
  archive["exported_at"] = FormatRfc3339(now);
  archive["account"] = {{"id", user.id},
                        {"email", user.email},
                        {"display_name", user.display_name},
                        {"role", user.role},
                        {"email_confirmed_at", OptionalTime(user.email_confirmed_at)},
                        {"created_at", FormatRfc3339(user.created_at)}};
  std::map<std::int64_t, std::string> article_slugs;
  json comments = json::array();
  for (const auto& c : history->comments) {
    auto slug = article_slugs.find(c.article_id);
    if (slug == article_slugs.end()) {
      auto article = store_.FindArticle({.id = c.article_id, .include_unpublished = true});
      slug = article_slugs.emplace(c.article_id, article ? article->fields.slug : std::string()).first;
    }
    comments.push_back({{"id", c.id},
                        {"article", slug->second},
                        {"in_reply_to", c.parent_id ? json(*c.parent_id) : json(nullptr)},
                        {"status", StatusName(c.status)},
                        {"body_markdown", c.body_markdown},
                        {"created_at", FormatRfc3339(c.created_at)},
                        {"edited_at", OptionalTime(c.edited_at)},
                        {"respect_count", c.respect_count}});
  }
  archive["comments"] = comments;
  json reports = json::array();
  for (const auto& r : history->reports) {
    reports.push_back({{"comment_id", r.comment_id},
                       {"reason", r.reason},
                       {"detail", r.detail},
                       {"created_at", FormatRfc3339(r.created_at)},
                       {"resolved_at", OptionalTime(r.resolved_at)}});
  }
  archive["reports_filed"] = reports;
  json sanctions = json::array();
  for (const auto& s : history->sanctions) {
    sanctions.push_back({{"kind", s.kind},
                         {"reason", s.reason_code},
                         {"created_at", FormatRfc3339(s.created_at)},
                         {"ends_at", OptionalTime(s.ends_at)},
                         {"lifted_at", OptionalTime(s.lifted_at)}});
  }
  archive["sanctions"] = sanctions;
  json decisions = json::array();
  std::vector<std::int64_t> action_ids;
  for (const auto& a : history->actions) {
    if (a.action == "note") continue;  // the staff's notes are not decisions about the reader
    action_ids.push_back(a.id);
    decisions.push_back({{"id", a.id},
                         {"action", a.action},
                         {"comment_id", a.comment_id ? json(*a.comment_id) : json(nullptr)},
                         {"reason", a.reason_code},
                         {"created_at", FormatRfc3339(a.created_at)}});
  }
  archive["moderation_decisions"] = decisions;
  auto appeals = store_.AppealsOfActions(action_ids);
  if (!appeals) return tl::unexpected(appeals.error());
  json appeal_list = json::array();
  for (const auto& a : *appeals) {
    appeal_list.push_back({{"action_id", a.action_id},
                           {"body", a.body},
                           {"status", a.status},
                           {"decision_note", a.decision_note},
                           {"created_at", FormatRfc3339(a.created_at)},
                           {"decided_at", OptionalTime(a.decided_at)}});
  }
  archive["appeals"] = appeal_list;
  auto settings = store_.NotificationSettings(user_id);
  if (!settings) return tl::unexpected(settings.error());
  json notification_settings = json::object();
  for (const auto& [kind, mode] : *settings) notification_settings[kind] = mode;
  archive["notification_settings"] = notification_settings;
  auto ignored = store_.IgnoredUsers(user_id);
  if (!ignored) return tl::unexpected(ignored.error());
  archive["ignored_readers"] = *ignored;
  MASTHEAD_RETURN_IF_ERROR(AddWhatTheAddressSent(store_, user, archive));
  archive["account_deletion"] =
      history->deletion ? json{{"requested_at", FormatRfc3339(history->deletion->requested_at)},
                               {"final_at", FormatRfc3339(history->deletion->final_at)}}
                        : json(nullptr);
  // Stored text may predate today's input checks: never fail an export on it.
  return archive.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

Status AddWhatTheAddressSent(store::Store& store, const store::User& user, json& archive) {
  json cases = json::array();
  json messages = json::array();
  json tickets = json::array();
  // Accuracy reports, messages to the editors and technical tickets are filed
  // under an e-mail address, often without logging in: they belong in the
  // archive only once the account has shown it owns that address.
  if (user.email_confirmed_at) {
    auto filed = store.ListAccuracyCases({.state = "", .limit = 1000, .requester_email = user.email});
    if (!filed) return tl::unexpected(filed.error());
    for (const auto& c : *filed) {
      cases.push_back({{"case", c.id},
                       {"article", c.article_slug},
                       {"relation", c.relation},
                       {"quote", c.quote},
                       {"what_is_wrong", c.wrong_text},
                       {"what_is_right", c.right_text},
                       {"evidence_url", c.evidence_url},
                       {"name", c.requester_name},
                       {"may_contact", c.may_contact},
                       {"state", c.state},
                       {"outcome", c.outcome},
                       {"created_at", FormatRfc3339(c.created_at)}});
    }
    auto sent = store.ListEditorMessages("", 1000, user.email);
    if (!sent) return tl::unexpected(sent.error());
    for (const auto& m : *sent) {
      messages.push_back({{"id", m.id},
                          {"article", m.article_slug},
                          {"desk", m.desk},
                          {"name", m.sender_name},
                          {"body", m.body},
                          {"status", m.status},
                          {"created_at", FormatRfc3339(m.created_at)}});
    }
    auto reported = store.ListSupportTickets({.status = "", .limit = 1000, .email = user.email});
    if (!reported) return tl::unexpected(reported.error());
    for (const auto& t : *reported) {
      tickets.push_back({{"ticket", t.id},
                         {"article", t.article},
                         {"problem", t.problem},
                         {"steps", t.steps},
                         {"status", t.status},
                         {"created_at", FormatRfc3339(t.created_at)}});
    }
  }
  archive["accuracy_reports"] = cases;
  archive["messages_to_the_editors"] = messages;
  archive["technical_problem_reports"] = tickets;
  return Ok();
}

}  // namespace

Result<store::AccountDeletion> UsersDesk::RequestDeletion(const accounts::Viewer& by, std::int64_t user_id) {
  if (by.user.id != user_id && !IsAdmin(by)) {
    return MakeError(ErrorCode::kPermissionDenied, "only administrators delete other people's accounts");
  }
  auto user = store_.FindUser({.id = user_id});
  if (!user) return tl::unexpected(user.error());
  if (user->role != "reader") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "staff accounts are not deleted: an administrator first makes the account a reader's", "role");
  }
  const UnixSeconds now = now_();
  store::AccountDeletion deletion;
  MASTHEAD_RETURN_IF_ERROR(store_.Transact([&](store::Store& tx) -> Status {
    auto scheduled = tx.ScheduleAccountDeletion(
        {user_id, by.user.id, now, now + static_cast<UnixSeconds>(options_.deletion_grace_days) * 86400});
    if (!scheduled) return tl::unexpected(scheduled.error());
    deletion = *scheduled;
    MASTHEAD_RETURN_IF_ERROR(tx.DeleteUserSessions(user_id, ""));
    return deletion_mailer_ ? deletion_mailer_(tx, *user, deletion) : Ok();
  }));
  return deletion;
}

Status UsersDesk::CancelDeletion(const accounts::Viewer& by, std::int64_t user_id) {
  if (!IsAdmin(by)) return MakeError(ErrorCode::kPermissionDenied, "only administrators cancel a deletion here");
  return store_.CancelAccountDeletion(user_id);
}

Result<bool> UsersDesk::CancelOnLogin(std::int64_t user_id) {
  auto deletion = store_.FindAccountDeletion(user_id);
  if (!deletion) {
    if (deletion.error().code == ErrorCode::kNotFound) return false;
    return tl::unexpected(deletion.error());
  }
  if (deletion->completed_at) return MakeError(ErrorCode::kUnauthenticated, "this account was deleted");
  const UnixSeconds now = now_();
  if (deletion->final_at <= now) {
    // The grace period is over and only the periodic purge has not come by yet.
    MASTHEAD_RETURN_IF_ERROR(Anonymise(user_id, now));
    return MakeError(ErrorCode::kUnauthenticated, "this account was deleted");
  }
  MASTHEAD_RETURN_IF_ERROR(store_.CancelAccountDeletion(user_id));
  return true;
}

Status UsersDesk::Anonymise(std::int64_t user_id, UnixSeconds now) {
  MASTHEAD_RETURN_IF_ERROR(store_.AnonymiseUser({user_id, options_.former_name, PlaceholderEmail(user_id), now}));
  if (names_changed_) names_changed_();
  return Ok();
}

Result<int> UsersDesk::PurgeDue() {
  const UnixSeconds now = now_();
  int purged = 0;
  for (;;) {
    auto due = store_.ListDueAccountDeletions(now, 100);
    if (!due) return tl::unexpected(due.error());
    if (due->empty()) return purged;
    for (const auto& deletion : *due) {
      MASTHEAD_RETURN_IF_ERROR(Anonymise(deletion.user_id, now));
      ++purged;
    }
  }
}

}  // namespace masthead::newsroom
