// Every route of Masthead, in one table, grouped by who may call them.
#include "app/app.h"
#include "base/embedded.h"

namespace masthead {
std::span<const EmbeddedFile> ApiDocuments();
}

namespace masthead::app {

void App::BuildRoutes() {
  using http::Access;
  using http::Request;
  using http::Response;
  using http::RouteParams;
  auto& pages = *pages_;
  auto& accounts = *account_pages_;
  auto& discussion = *discussion_pages_;
  auto& policies = *policies_;
  // Ids in paths are digits only; anything else is a 404 like any unknown page.
  auto id_of = [](const RouteParams& p, const char* name) -> std::int64_t {
    const std::string& text = p.find(name)->second;
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoll(text);
  };
  auto with_id = [this, id_of](const char* name, auto handler) {
    return [this, id_of, name, handler](const Request& r, const RouteParams& p) -> Response {
      const std::int64_t id = id_of(p, name);
      if (id < 0) return pages_->NotFound();
      return handler(r, id);
    };
  };
  auto add = [this](const char* method, const char* pattern, const char* name, Access access,
                    http::Handler handler) {
    router_.Add({method, pattern, name, access, std::move(handler)});
  };

  // --- Public: readers, crawlers, feed readers, monitoring ---------------------
  add("GET", "/", "front", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Front(); });
  add("GET", "/sections/{slug}/feed.atom", "section_atom", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Feed("atom", p.find("slug")->second); });
  add("GET", "/sections/{slug}/feed.rss", "section_rss", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Feed("rss", p.find("slug")->second); });
  add("GET", "/sections/{slug}", "section", Access::kPublic,
      [&pages](const Request& r, const RouteParams& p) { return pages.Section(p.find("slug")->second, r.query); });
  add("GET", "/articles/{slug}", "article", Access::kPublic,
      [&discussion](const Request& r, const RouteParams& p) { return discussion.Article(r, p.find("slug")->second); });
  add("GET", "/articles/{slug}/live", "article_live", Access::kPublic,
      [&discussion](const Request& r, const RouteParams& p) { return discussion.Live(r, p.find("slug")->second); });
  add("GET", "/comments/{id}", "comment_permalink", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Permalink(r, id); }));
  add("GET", "/search", "search", Access::kPublic,
      [&pages](const Request& r, const RouteParams&) { return pages.Search(r.query); });
  add("GET", "/feed.atom", "atom", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Feed("atom", ""); });
  add("GET", "/feed.rss", "rss", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Feed("rss", ""); });
  add("GET", "/sitemap.xml", "sitemap", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Sitemap(); });
  add("GET", "/robots.txt", "robots", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Robots(); });
  add("GET", "/terms", "terms", Access::kPublic, [&pages, &policies](const Request&, const RouteParams&) {
    auto current = policies.Current();
    if (!current) return pages.Error(503, "Something went wrong", "Please try again in a moment.");
    return pages.Document("Terms of Use", current->terms.version, current->terms.body_markdown);
  });
  add("GET", "/guidelines", "guidelines", Access::kPublic, [&pages, &policies](const Request&, const RouteParams&) {
    auto current = policies.Current();
    if (!current) return pages.Error(503, "Something went wrong", "Please try again in a moment.");
    return pages.Document("Community Guidelines", current->guidelines.version, current->guidelines.body_markdown);
  });

  // --- Accounts: anyone may try; the handlers check sessions and CSRF ---------
  add("GET", "/register", "register_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.RegisterForm(r); });
  add("POST", "/register", "register", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Register(r); });
  add("GET", "/login", "login_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.LoginForm(r); });
  add("POST", "/login", "login", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Login(r); });
  add("POST", "/logout", "logout", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Logout(r); });
  add("GET", "/account/confirm", "confirm_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ConfirmForm(r); });
  add("POST", "/account/confirm", "confirm", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Confirm(r); });
  add("GET", "/account/forgot", "forgot_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ForgotForm(r); });
  add("POST", "/account/forgot", "forgot", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Forgot(r); });
  add("GET", "/account/reset", "reset_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ResetForm(r); });
  add("POST", "/account/reset", "reset", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Reset(r); });

  // --- Readers: handlers send anonymous visitors to the log-in page ------------
  add("GET", "/account", "account", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.Settings(r); });
  add("POST", "/account/name", "account_name", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ChangeName(r); });
  add("GET", "/account/password", "password_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ChangePassword(r); });
  add("POST", "/account/password", "password", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ChangePassword(r); });
  add("POST", "/account/confirm/resend", "confirm_resend", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.ResendConfirmation(r); });
  add("GET", "/account/terms", "terms_form", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.TermsForm(r); });
  add("POST", "/account/terms", "terms_accept", Access::kPublic,
      [&accounts](const Request& r, const RouteParams&) { return accounts.AcceptTerms(r); });
  add("GET", "/account/notifications", "notifications_form", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return notification_pages_->Settings(r); });
  add("POST", "/account/notifications", "notifications", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return notification_pages_->Settings(r); });
  // One-click unsubscribe (RFC 8058): mail clients POST here without cookies; the
  // signed link is the proof, so no CSRF token applies.
  add("GET", "/mail/unsubscribe", "unsubscribe_form", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return notification_pages_->Unsubscribe(r); });
  add("POST", "/mail/unsubscribe", "unsubscribe", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return notification_pages_->Unsubscribe(r); });
  add("POST", "/articles/{slug}/comments", "comment_post", Access::kPublic,
      [&discussion](const Request& r, const RouteParams& p) { return discussion.Post(r, p.find("slug")->second); });
  add("GET", "/comments/{id}/edit", "comment_edit_form", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.EditForm(r, id); }));
  add("POST", "/comments/{id}/edit", "comment_edit", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Edit(r, id); }));
  add("POST", "/comments/{id}/delete", "comment_delete", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Delete(r, id); }));
  add("POST", "/comments/{id}/respect", "comment_respect", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Respect(r, id); }));
  add("GET", "/account/ignored", "ignored_readers", Access::kPublic,
      [&discussion](const Request& r, const RouteParams&) { return discussion.IgnoredReaders(r); });
  add("POST", "/readers/{id}/ignore", "reader_ignore", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Ignore(r, id); }));

  // --- Staff: moderators, editors and admins (checked before the handler) ---------
  add("GET", "/staff/mail", "staff_mail", Access::kStaff,
      [this](const Request& r, const RouteParams&) { return staff_pages_->Mail(r); });
  add("GET", "/staff/mail/{id}", "staff_mail_message", Access::kStaff,
      [this](const Request& r, const RouteParams& p) { return staff_pages_->MailMessage(r, p.find("id")->second); });

  add("GET", "/staff/policies/{kind}", "staff_policy_form", Access::kStaff,
      [this](const Request& r, const RouteParams& p) { return policy_pages_->Edit(r, p.find("kind")->second); });
  add("POST", "/staff/policies/{kind}", "staff_policy_publish", Access::kStaff,
      [this](const Request& r, const RouteParams& p) { return policy_pages_->Edit(r, p.find("kind")->second); });
  // --- Moderation: readers report and appeal, staff decide, everyone sees the numbers -
  auto& moderation = *moderation_pages_;
  add("GET", "/comments/{id}/report", "comment_report_form", Access::kPublic,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.ReportForm(r, id); }));
  add("POST", "/comments/{id}/report", "comment_report", Access::kPublic,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.Report(r, id); }));
  add("GET", "/account/moderation", "my_moderation", Access::kPublic,
      [&moderation](const Request& r, const RouteParams&) { return moderation.MyRecord(r); });
  add("POST", "/account/moderation/appeals", "moderation_appeal", Access::kPublic,
      [&moderation](const Request& r, const RouteParams&) { return moderation.Appeal(r); });
  add("GET", "/transparency", "transparency", Access::kPublic,
      [&moderation](const Request& r, const RouteParams&) { return moderation.Transparency(r); });
  add("GET", "/staff/moderation", "moderation_queue", Access::kStaff,
      [&moderation](const Request& r, const RouteParams&) { return moderation.Queue(r); });
  add("GET", "/staff/moderation/log", "moderation_log", Access::kStaff,
      [&moderation](const Request& r, const RouteParams&) { return moderation.Log(r); });
  add("POST", "/staff/moderation/comments/{id}", "moderation_decide", Access::kStaff,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.Decide(r, id); }));
  add("POST", "/staff/moderation/appeals/{id}", "moderation_appeal_decide", Access::kStaff,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.DecideAppeal(r, id); }));
  add("GET", "/staff/moderation/readers/{id}", "moderation_reader", Access::kStaff,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.Reader(r, id); }));
  add("POST", "/staff/moderation/readers/{id}/notes", "moderation_note", Access::kStaff,
      with_id("id", [&moderation](const Request& r, std::int64_t id) { return moderation.AddNote(r, id); }));

  // --- Staff actions whose handlers check the role -------------------------------
  add("POST", "/comments/{id}/feature", "comment_feature", Access::kPublic,
      with_id("id", [&discussion](const Request& r, std::int64_t id) { return discussion.Feature(r, id); }));
  add("POST", "/articles/{slug}/discussion/close", "discussion_close", Access::kPublic,
      [&discussion](const Request& r, const RouteParams& p) { return discussion.SetClosed(r, p.find("slug")->second, true); });
  add("POST", "/articles/{slug}/discussion/open", "discussion_open", Access::kPublic,
      [&discussion](const Request& r, const RouteParams& p) { return discussion.SetClosed(r, p.find("slug")->second, false); });
  add("GET", "/support/my-browser", "my_browser", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return support_pages_->MyBrowser(r); });
  add("GET", "/static/{file}", "static", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Static(p.find("file")->second); });

  // --- Accuracy: the form, messages to the editors, history, corrections ---------
  // Readers need no account; the handlers check CSRF and the per-network limit.
  auto& accuracy = *accuracy_pages_;
  add("GET", "/articles/{slug}/accuracy", "accuracy_form", Access::kPublic,
      [&accuracy](const Request& r, const RouteParams& p) { return accuracy.Form(r, p.find("slug")->second); });
  add("POST", "/articles/{slug}/accuracy", "accuracy_report", Access::kPublic,
      [&accuracy](const Request& r, const RouteParams& p) { return accuracy.Submit(r, p.find("slug")->second); });
  add("GET", "/articles/{slug}/contact-editors", "contact_editors_form", Access::kPublic,
      [&accuracy](const Request& r, const RouteParams& p) { return accuracy.Contact(r, p.find("slug")->second); });
  add("POST", "/articles/{slug}/contact-editors", "contact_editors", Access::kPublic,
      [&accuracy](const Request& r, const RouteParams& p) { return accuracy.Contact(r, p.find("slug")->second); });
  add("GET", "/articles/{slug}/history", "article_history", Access::kPublic,
      [&accuracy](const Request& r, const RouteParams& p) { return accuracy.History(r, p.find("slug")->second); });
  add("GET", "/corrections", "corrections", Access::kPublic,
      [&accuracy](const Request&, const RouteParams&) { return accuracy.Corrections(); });
  add("GET", "/corrections/feed.atom", "corrections_atom", Access::kPublic,
      [&accuracy](const Request&, const RouteParams&) { return accuracy.CorrectionsFeed(); });
  // Staff may enter; the handlers admit editors and up.
  add("GET", "/staff/accuracy", "staff_accuracy", Access::kStaff,
      [&accuracy](const Request& r, const RouteParams&) { return accuracy.Cases(r); });
  add("GET", "/staff/accuracy/{id}", "staff_accuracy_case", Access::kStaff,
      with_id("id", [&accuracy](const Request& r, std::int64_t id) { return accuracy.Case(r, id); }));
  for (const char* action : {"state", "correction", "invite"}) {
    add("POST", (std::string("/staff/accuracy/{id}/") + action).c_str(),
        (std::string("staff_accuracy_") + action).c_str(), Access::kStaff,
        with_id("id", [&accuracy, action](const Request& r, std::int64_t id) {
          return accuracy.CaseAction(r, id, action);
        }));
  }
  add("GET", "/staff/messages", "staff_messages", Access::kStaff,
      [&accuracy](const Request& r, const RouteParams&) { return accuracy.Messages(r); });
  add("GET", "/staff/messages/{id}", "staff_message", Access::kStaff,
      with_id("id", [&accuracy](const Request& r, std::int64_t id) { return accuracy.Message(r, id); }));
  for (const char* action : {"reply", "case"}) {
    add("POST", (std::string("/staff/messages/{id}/") + action).c_str(),
        (std::string("staff_message_") + action).c_str(), Access::kStaff,
        with_id("id", [&accuracy, action](const Request& r, std::int64_t id) {
          return accuracy.MessageAction(r, id, action);
        }));
  }
  // --- Technical-problem reports: anyone may send one (CSRF and a per-network
  // limit checked by the handler); the queue is for staff -----------------------
  add("GET", "/support/report", "support_report_form", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return support_pages_->ReportForm(r); });
  add("POST", "/support/report", "support_report", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return support_pages_->Report(r); });
  add("GET", "/support/report/sent", "support_report_sent", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return support_pages_->ReportSent(r); });
  add("GET", "/staff/support", "staff_support", Access::kStaff,
      [this](const Request& r, const RouteParams&) { return support_pages_->Queue(r); });
  add("GET", "/staff/support/{id}", "staff_support_ticket", Access::kStaff,
      with_id("id", [this](const Request& r, std::int64_t id) { return support_pages_->Ticket(r, id); }));
  add("POST", "/staff/support/{id}/close", "staff_support_close", Access::kStaff,
      with_id("id", [this](const Request& r, std::int64_t id) { return support_pages_->SetOpen(r, id, false); }));
  add("POST", "/staff/support/{id}/reopen", "staff_support_reopen", Access::kStaff,
      with_id("id", [this](const Request& r, std::int64_t id) { return support_pages_->SetOpen(r, id, true); }));

  // --- Reader questions: the questions view under every article; readers ask and
  // vote, the handlers check the session, CSRF and who may answer or edit -------
  auto& questions = *question_pages_;
  add("GET", "/articles/{slug}/questions", "questions", Access::kPublic,
      [&questions](const Request& r, const RouteParams& p) { return questions.View(r, p.find("slug")->second); });
  add("POST", "/articles/{slug}/questions", "question_ask", Access::kPublic,
      [&questions](const Request& r, const RouteParams& p) { return questions.Ask(r, p.find("slug")->second); });
  add("POST", "/questions/{id}/vote", "question_vote", Access::kPublic,
      with_id("id", [&questions](const Request& r, std::int64_t id) { return questions.Vote(r, id); }));
  for (const char* action : {"answer", "decline", "merge", "followup"}) {
    add("POST", (std::string("/questions/{id}/") + action).c_str(), (std::string("question_") + action).c_str(),
        Access::kPublic, with_id("id", [&questions, action](const Request& r, std::int64_t id) {
          return questions.Act(r, id, action);
        }));
  }
  add("POST", "/articles/{slug}/open-questions", "open_question_add", Access::kPublic,
      [&questions](const Request& r, const RouteParams& p) { return questions.AddOpenQuestion(r, p.find("slug")->second); });
  add("POST", "/articles/{slug}/open-questions/{id}/remove", "open_question_remove", Access::kPublic,
      [&questions, id_of, this](const Request& r, const RouteParams& p) {
        const std::int64_t id = id_of(p, "id");
        if (id < 0) return pages_->NotFound();
        return questions.RemoveOpenQuestion(r, p.find("slug")->second, id);
      });
  add("POST", "/articles/{slug}/experts", "question_expert", Access::kPublic,
      [&questions](const Request& r, const RouteParams& p) { return questions.SetExpert(r, p.find("slug")->second); });
  add("GET", "/staff/questions", "staff_questions", Access::kStaff,
      [&questions](const Request& r, const RouteParams&) { return questions.Queue(r); });
  // --- The newsroom: the inbox of every queue, the dashboard, the users desk ------
  // Staff enter; the handlers admit only admins to role changes, exports and
  // deletions of other people's accounts (the route table says kAdmin too).
  auto& newsroom = *newsroom_pages_;
  add("GET", "/staff", "staff_home", Access::kStaff,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.Inbox(r); });
  add("GET", "/staff/inbox", "staff_inbox", Access::kStaff,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.Inbox(r); });
  add("POST", "/staff/inbox/claims", "staff_inbox_claim", Access::kStaff,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.Claim(r); });
  add("GET", "/staff/dashboard", "staff_dashboard", Access::kStaff,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.Dashboard(r); });
  add("GET", "/staff/users", "staff_users", Access::kStaff,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.Users(r); });
  add("GET", "/staff/users/{id}", "staff_user", Access::kStaff,
      with_id("id", [&newsroom](const Request& r, std::int64_t id) { return newsroom.User(r, id); }));
  for (const char* action : {"role", "export", "delete", "keep"}) {
    add("POST", (std::string("/staff/users/{id}/") + action).c_str(), (std::string("staff_user_") + action).c_str(),
        Access::kAdmin, with_id("id", [&newsroom, action](const Request& r, std::int64_t id) {
          return newsroom.UserAction(r, id, action);
        }));
  }
  // A reader's own data: the handlers send visitors to the log-in page.
  add("GET", "/account/data", "account_data", Access::kPublic,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.MyData(r); });
  add("POST", "/account/data/export", "account_data_export", Access::kPublic,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.MyExport(r); });
  add("POST", "/account/data/delete", "account_data_delete", Access::kPublic,
      [&newsroom](const Request& r, const RouteParams&) { return newsroom.MyDelete(r); });
  // --- The article editor: staff may enter; the handlers admit editors and up ------
  auto& editor = *editor_pages_;
  add("GET", "/staff/articles", "editor_articles", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.List(r); });
  add("GET", "/staff/articles/new", "editor_new", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.Form(r, 0); });
  add("POST", "/staff/articles", "editor_create", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.Save(r, 0); });
  add("GET", "/staff/articles/{id}", "editor_edit", Access::kStaff,
      with_id("id", [&editor](const Request& r, std::int64_t id) { return editor.Form(r, id); }));
  add("POST", "/staff/articles/{id}", "editor_save", Access::kStaff,
      with_id("id", [&editor](const Request& r, std::int64_t id) { return editor.Save(r, id); }));
  add("POST", "/staff/articles/{id}/unpublish", "editor_unpublish", Access::kStaff,
      with_id("id", [&editor](const Request& r, std::int64_t id) { return editor.Unpublish(r, id); }));
  add("GET", "/staff/sections", "editor_sections", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.Sections(r); });
  add("POST", "/staff/sections", "editor_section_put", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.PutSection(r); });
  add("POST", "/staff/desks", "editor_desk_put", Access::kStaff,
      [&editor](const Request& r, const RouteParams&) { return editor.PutDesk(r); });

  // --- JSON API: the same rules; writes need the session and X-CSRF-Token -------
  auto& api = *api_;
  add("GET", "/api/v1/session", "api_session", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Session(r); });
  add("POST", "/api/v1/session", "api_login", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Login(r); });
  add("DELETE", "/api/v1/session", "api_logout", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Logout(r); });
  add("POST", "/api/v1/accounts", "api_register", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Register(r); });
  add("GET", "/api/v1/terms", "api_terms", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Terms(r); });
  add("POST", "/api/v1/terms/acceptances", "api_accept_terms", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.AcceptTerms(r); });
  add("GET", "/api/v1/articles", "api_articles", Access::kPublic,
      [&api](const Request& r, const RouteParams&) { return api.Articles(r); });
  add("GET", "/api/v1/articles/{slug}", "api_article", Access::kPublic,
      [&api](const Request& r, const RouteParams& p) { return api.Article(r, p.find("slug")->second); });
  add("GET", "/api/v1/articles/{slug}/comments", "api_comments", Access::kPublic,
      [&api](const Request& r, const RouteParams& p) { return api.Comments(r, p.find("slug")->second); });
  add("POST", "/api/v1/articles/{slug}/comments", "api_comment_post", Access::kPublic,
      [&api](const Request& r, const RouteParams& p) { return api.PostComment(r, p.find("slug")->second); });
  add("GET", "/api/v1/comments/{id}", "api_comment", Access::kPublic,
      with_id("id", [&api](const Request& r, std::int64_t id) { return api.Comment(r, id); }));
  add("PATCH", "/api/v1/comments/{id}", "api_comment_edit", Access::kPublic,
      with_id("id", [&api](const Request& r, std::int64_t id) { return api.EditComment(r, id); }));
  add("DELETE", "/api/v1/comments/{id}", "api_comment_delete", Access::kPublic,
      with_id("id", [&api](const Request& r, std::int64_t id) { return api.DeleteComment(r, id); }));
  add("POST", "/api/v1/comments/{id}/respect", "api_respect", Access::kPublic,
      with_id("id", [&api](const Request& r, std::int64_t id) { return api.Respect(r, id, true); }));
  add("DELETE", "/api/v1/comments/{id}/respect", "api_respect_remove", Access::kPublic,
      with_id("id", [&api](const Request& r, std::int64_t id) { return api.Respect(r, id, false); }));

  auto& questions_api = *questions_api_;
  add("GET", "/api/v1/articles/{slug}/questions", "api_questions", Access::kPublic,
      [&questions_api](const Request& r, const RouteParams& p) { return questions_api.List(r, p.find("slug")->second); });
  add("POST", "/api/v1/articles/{slug}/questions", "api_question_ask", Access::kPublic,
      [&questions_api](const Request& r, const RouteParams& p) { return questions_api.Ask(r, p.find("slug")->second); });
  add("GET", "/api/v1/questions/{id}", "api_question", Access::kPublic,
      with_id("id", [&questions_api](const Request& r, std::int64_t id) { return questions_api.Get(r, id); }));
  add("POST", "/api/v1/questions/{id}/vote", "api_question_vote", Access::kPublic,
      with_id("id", [&questions_api](const Request& r, std::int64_t id) { return questions_api.Vote(r, id, true); }));
  add("DELETE", "/api/v1/questions/{id}/vote", "api_question_unvote", Access::kPublic,
      with_id("id", [&questions_api](const Request& r, std::int64_t id) { return questions_api.Vote(r, id, false); }));
  for (const char* action : {"answer", "decline", "merge", "followup"}) {
    add("POST", (std::string("/api/v1/questions/{id}/") + action).c_str(),
        (std::string("api_question_") + action).c_str(), Access::kPublic,
        with_id("id", [&questions_api, action](const Request& r, std::int64_t id) {
          return questions_api.Act(r, id, action);
        }));
  }
  add("POST", "/api/v1/articles/{slug}/open-questions", "api_open_question_add", Access::kPublic,
      [&questions_api](const Request& r, const RouteParams& p) {
        return questions_api.AddOpenQuestion(r, p.find("slug")->second);
      });
  add("DELETE", "/api/v1/articles/{slug}/open-questions/{id}", "api_open_question_remove", Access::kPublic,
      [&questions_api, id_of, this](const Request& r, const RouteParams& p) {
        const std::int64_t id = id_of(p, "id");
        if (id < 0) return pages_->NotFound();
        return questions_api.RemoveOpenQuestion(r, p.find("slug")->second, id);
      });
  add("POST", "/api/v1/articles/{slug}/experts", "api_question_expert", Access::kPublic,
      [&questions_api](const Request& r, const RouteParams& p) { return questions_api.SetExpert(r, p.find("slug")->second); });
  add("GET", "/api/v1/staff/questions", "api_staff_questions", Access::kPublic,
      [&questions_api](const Request& r, const RouteParams&) { return questions_api.Queue(r); });
  // --- The newsroom inbox as JSON (staff; the handler checks the role) ----------
  add("GET", "/api/v1/staff/inbox", "api_staff_inbox", Access::kPublic,
      [this](const Request& r, const RouteParams&) { return inbox_api_->List(r); });
  add("GET", "/api/openapi.json", "api_openapi", Access::kPublic, [](const Request&, const RouteParams&) {
    Response response = Response::Json(200, std::string(FindEmbedded(ApiDocuments(), "openapi.json").value_or("{}")));
    response.SetHeader("Cache-Control", "public, max-age=3600");
    return response;
  });

  // --- Operations: health and metrics (bind to loopback or protect at the proxy) -
  add("GET", "/healthz", "healthz", Access::kPublic, [this](const Request&, const RouteParams&) {
    auto version = store_->SchemaVersion();
    Response response = version ? Response::Json(200, "{\"status\":\"ok\",\"schema\":" +
                                                          std::to_string(*version) + "}\n")
                                : Response::Json(503, "{\"status\":\"unavailable\"}\n");
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
  add("GET", "/metrics", "metrics", Access::kPublic, [this](const Request&, const RouteParams&) {
    Response response = Response::Text(200, metrics_->Render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
}

}  // namespace masthead::app
