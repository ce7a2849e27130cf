// The composition root: reads the config, opens the store engine, builds the
// services and pages, and binds them to routes. Nothing below app/ reads config
// or chooses an engine.
#pragma once

#include <memory>
#include <atomic>
#include <mutex>
#include <thread>

#include "accounts/account_service.h"
#include "accuracy/accuracy_service.h"
#include "api/api.h"
#include "accounts/csrf.h"
#include "app/config.h"
#include "app/mailers.h"
#include "base/periodic_task.h"
#include "articles/article_service.h"
#include "discussion/comment_service.h"
#include "discussion/live_hub.h"
#include "store/cluster_bus.h"
#include "discussion/policy_service.h"
#include "discussion/reply_mails.h"
#include "mail/delivery_worker.h"
#include "mail/store_outbox.h"
#include "mail/transport.h"
#include "moderation/moderation_desk.h"
#include "moderation/pipeline.h"
#include "pages/account_pages.h"
#include "pages/accuracy_pages.h"
#include "pages/discussion_pages.h"
#include "pages/editor_pages.h"
#include "ops/webhooks.h"
#include "pages/moderation_pages.h"
#include "pages/newsroom_pages.h"
#include "newsroom/inbox.h"
#include "newsroom/users_desk.h"
#include "pages/notification_pages.h"
#include "pages/policy_pages.h"
#include "pages/staff_pages.h"
#include "pages/support_pages.h"
#include "pages/question_pages.h"
#include "api/inbox_api.h"
#include "api/questions_api.h"
#include "questions/question_service.h"
#include "ua/parser.h"
#include "pages/web_session.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "pages/site_pages.h"
#include "store/store.h"

namespace masthead::app {

class App {
 public:
  // Opens and migrates the store. Does not listen yet.
  static Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  articles::ArticleService& articles() { return *articles_; }
  accounts::AccountService& accounts() { return *accounts_; }
  discussion::PolicyService& policies() { return *policies_; }
  discussion::CommentService& comments() { return *comments_; }
  moderation::ModerationDesk& moderation_desk() { return *moderation_desk_; }
  accuracy::AccuracyService& accuracy() { return *accuracy_; }
  questions::QuestionService& questions() { return *questions_; }
  newsroom::Inbox& inbox() { return *inbox_; }
  newsroom::UsersDesk& users_desk() { return *users_desk_; }
  store::Store& store() { return *store_; }
  const Config& config() const { return config_; }
  // The transport mail goes out through (SMTP, or the Maildir of the demo).
  mail::Transport& mail_transport() { return *mail_transport_; }
  const Mailers& mailers() const { return *mailers_; }
  // What the background drain does every few seconds, at once (tests, CLI).
  discussion::ReplyMails& reply_mails() { return *reply_mails_; }
  // The user-agent parser once loaded (a few seconds after Start), else null.
  const ua::Parser* UserAgents();

  // Starts serving and the mail worker; port() tells where (useful with port 0).
  Status Start();
  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  // Graceful: requests in flight finish.
  void Shutdown();

  // One request through routing, access checks and error pages. Public so tests
  // can call it without a socket; the server calls it for every request.
  http::Response Handle(const http::Request& request, int& route_index);
  // The route table (tests check the API document against it).
  const http::Router& router() const { return router_; }

 private:
  explicit App(const Config& config) : config_(config) {}
  void BuildRoutes();
  Status StartReminders();
  // With several nodes on one database: tell the others of this node's changes
  // and apply theirs (live comments, page caches).
  void JoinCluster();
  void ApplyClusterMessage(const std::string& message);

  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<articles::ArticleService> articles_;
  std::unique_ptr<accounts::UnsubscribeSigner> unsubscribe_;
  std::unique_ptr<mail::Outbox> outbox_;
  std::unique_ptr<Mailers> mailers_;
  std::unique_ptr<mail::Transport> mail_transport_;
  std::unique_ptr<mail::StoreOutboxQueue> mail_queue_;
  std::unique_ptr<mail::DeliveryWorker> mail_worker_;
  PeriodicTask digests_;
  // Loaded at the first comment, not at start: the model and its tables are most
  // of a serving process's memory, and a read-only site never needs them.
  moderation::PipelineOptions moderation_options_;
  std::once_flag moderation_once_;
  std::unique_ptr<moderation::Pipeline> moderation_;
  const moderation::Pipeline* Moderation();
  std::unique_ptr<accounts::CsrfGuard> csrf_;
  std::unique_ptr<accounts::AccountService> accounts_;
  std::unique_ptr<discussion::PolicyService> policies_;
  discussion::LiveHub live_;
  std::unique_ptr<discussion::CommentService> comments_;
  // Composes the mails replies owe, woken by each such reply and every few
  // seconds (debts left by a crash, or by another node that died).
  std::unique_ptr<discussion::ReplyMails> reply_mails_;
  PeriodicTask reply_mail_drain_;
  std::unique_ptr<moderation::ModerationDesk> moderation_desk_;
  std::unique_ptr<pages::SitePages> pages_;
  std::unique_ptr<pages::WebSession> web_;
  std::unique_ptr<pages::AccountPages> account_pages_;
  std::unique_ptr<pages::DiscussionPages> discussion_pages_;
  std::unique_ptr<pages::StaffPages> staff_pages_;
  std::unique_ptr<pages::PolicyPages> policy_pages_;
  std::unique_ptr<pages::ModerationPages> moderation_pages_;
  std::unique_ptr<pages::NotificationPages> notification_pages_;
  std::unique_ptr<support::SupportService> support_;
  std::unique_ptr<pages::SupportPages> support_pages_;
  // The uap-core rules take seconds to compile: a thread loads them after start
  // while the site serves; pages that need them say so until they are ready.
  std::atomic<const ua::Parser*> ua_parser_{nullptr};
  std::unique_ptr<ua::Parser> ua_parser_owner_;
  std::thread ua_loader_;
  std::unique_ptr<api::Api> api_;
  // Accuracy cases, corrections and messages to the editors; the job reminds the
  // desk of cases that waited too long.
  std::unique_ptr<accuracy::AccuracyService> accuracy_;
  std::unique_ptr<pages::AccuracyPages> accuracy_pages_;
  PeriodicTask accuracy_reminders_;
  // Reader questions; the job mails the watchers of questions whose follow-up
  // story was published since (by its schedule or by another process).
  std::unique_ptr<questions::QuestionService> questions_;
  std::unique_ptr<pages::QuestionPages> question_pages_;
  std::unique_ptr<api::QuestionsApi> questions_api_;
  PeriodicTask followup_mail_;
  // The newsroom: one inbox over every queue, the dashboard, the users desk;
  // the job makes account deletions final when their grace period ends.
  std::unique_ptr<newsroom::Inbox> inbox_;
  std::unique_ptr<newsroom::UsersDesk> users_desk_;
  std::unique_ptr<pages::NewsroomPages> newsroom_pages_;
  std::unique_ptr<api::InboxApi> inbox_api_;
  PeriodicTask account_purges_;
  // The article editor; the task publishes scheduled articles (the "article
  // published" event) on a running server.
  std::unique_ptr<pages::EditorPages> editor_pages_;
  PeriodicTask scheduled_publications_;
  // Signed webhooks, queued with the changes that cause them; the task sends them.
  std::unique_ptr<ops::Webhooks> webhooks_;
  PeriodicTask webhook_deliveries_;
  http::Router router_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<http::AccessLog> access_log_;
  std::unique_ptr<http::Server> server_;
  // Last: stopped first, before what its thread updates.
  std::unique_ptr<store::ClusterBus> cluster_bus_;
};

// The headers every response carries. The CSP allows no inline script and no
// third-party origin; JSON-LD blocks are data, not script, and are unaffected.
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

}  // namespace masthead::app
