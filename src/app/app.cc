#include "app/app.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "accounts/crypto.h"
#include "mail/maildir_transport.h"
#include "mail/smtp_transport.h"
#include "moderation/score_command.h"
#include "store/engines/open_store.h"
#include "ua/hs_database_cache.h"

namespace masthead::app {

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
  };
}

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  auto store = store::OpenStore({.location = config.database_path, .synchronous = config.database_synchronous});
  if (!store) return tl::unexpected(store.error());
  app->store_ = std::move(*store);
  auto migrated = app->store_->Migrate();
  if (!migrated) return tl::unexpected(migrated.error());
  MASTHEAD_RETURN_IF_ERROR(accounts::InitCrypto());
  app->articles_ = std::make_unique<articles::ArticleService>(*app->store_);
  App& a = *app;

  // Webhooks: every event below is queued in the transaction of its change.
  auto webhook_urls = ops::ParseWebhookUrls(config.webhooks.urls);
  if (!webhook_urls) return tl::unexpected(webhook_urls.error());
  if (!webhook_urls->empty() && config.webhooks.secret.size() < 16) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "webhooks.secret must be set (16 characters or more) when webhooks.urls is", "webhooks.secret");
  }
  a.webhooks_ = std::make_unique<ops::Webhooks>(
      *a.store_, ops::WebhookOptions{.urls = *webhook_urls, .secret = config.webhooks.secret});
  const ops::Webhooks* webhooks = a.webhooks_.get();
  a.articles_->OnPublished([webhooks](store::Store& tx, const store::Article& article) {
    return webhooks->Queue(tx, "article.published",
                           {{"article_id", article.id}, {"slug", article.fields.slug},
                            {"headline", article.fields.headline}, {"section", article.fields.section_slug},
                            {"published_at", article.fields.published_at.value_or(0)}},
                           NowSeconds());
  });

  // Mail: SMTP when configured, else a Maildir the staff can read (the demo).
  auto mail_key = a.store_->GetOrCreateSetting("unsubscribe_key", accounts::RandomToken());
  if (!mail_key) return tl::unexpected(mail_key.error());
  a.unsubscribe_ = std::make_unique<accounts::UnsubscribeSigner>(*mail_key);
  a.outbox_ = std::make_unique<mail::Outbox>(HostOf(config.site.base_url));
  a.mailers_ = std::make_unique<Mailers>(a.config_, *a.outbox_, *a.unsubscribe_);
  if (!config.mail.smtp_url.empty()) {
    auto smtp = mail::SmtpTransport::Create({.url = config.mail.smtp_url,
                                             .username = config.mail.username,
                                             .password = config.mail.password,
                                             .require_tls = config.mail.require_tls});
    if (!smtp) return tl::unexpected(smtp.error());
    a.mail_transport_ = std::move(*smtp);
  } else {
    auto maildir = mail::MaildirTransport::Create(config.mail.maildir);
    if (!maildir) return tl::unexpected(maildir.error());
    a.mail_transport_ = std::move(*maildir);
  }
  a.mail_queue_ = std::make_unique<mail::StoreOutboxQueue>(*a.store_);

  // Accounts, with a CSRF key every node shares through the database.
  auto csrf_key = a.store_->GetOrCreateSetting("csrf_key", accounts::RandomToken());
  if (!csrf_key) return tl::unexpected(csrf_key.error());
  a.csrf_ = std::make_unique<accounts::CsrfGuard>(*csrf_key);
  accounts::AccountOptions account_options;
  account_options.session_days = config.accounts.session_days;
  account_options.login_failures_before_lock = config.accounts.login_failures_before_lock;
  account_options.hash_cost = config.accounts.password_hash_cost == "minimum"    ? accounts::HashCost::kMinimum
                              : config.accounts.password_hash_cost == "moderate" ? accounts::HashCost::kModerate
                                                                                 : accounts::HashCost::kInteractive;
  const Mailers* mailers = a.mailers_.get();
  a.accounts_ = std::make_unique<accounts::AccountService>(
      *a.store_, [mailers](store::Store& tx, const accounts::AccountMail& m) { return mailers->Account(tx, m); },
      account_options);

  // The no-bullying policy: every comment passes the moderation pipeline.
  std::vector<std::string> tried;
  auto model = moderation::ResolveModerationFile(config.moderation.model, nullptr,
                                                 moderation::kDefaultModelFile, &tried);
  auto rules = moderation::ResolveModerationFile(config.moderation.rules, nullptr,
                                                 moderation::kDefaultRulesFile, &tried);
  if (!model || !rules) {
    std::string where;
    for (const auto& path : tried) where += " " + path;
    return MakeError(ErrorCode::kInvalidArgument,
                     "the moderation model or word rules were not found (looked at:" + where +
                         "); set moderation.model and moderation.rules",
                     "moderation.model");
  }
  a.moderation_options_ = {*model, *rules, {config.moderation.nudge, config.moderation.hold, config.moderation.reject}};
  MASTHEAD_RETURN_IF_ERROR(a.moderation_options_.thresholds.Validate());
  App* self = &a;
  discussion::TextPolicy text_policy = [self](std::string_view text) {
    discussion::TextVerdict verdict;
    const moderation::Pipeline* policy = self->Moderation();
    if (policy == nullptr) {
      // Fail closed: nothing is published unchecked, and nothing typed is lost.
      verdict.status = store::CommentStatus::kHeld;
      verdict.reason = "held for review: the automatic check is unavailable right now";
      return verdict;
    }
    const moderation::Decision decision = policy->Evaluate(text);
    if (decision.outcome == moderation::Outcome::kHold) verdict.status = store::CommentStatus::kHeld;
    if (decision.outcome == moderation::Outcome::kReject) verdict.status = store::CommentStatus::kRejected;
    if (decision.outcome != moderation::Outcome::kPublish) verdict.reason = decision.AuthorMessage();
    // A rejected text is refused at once; anything else that scores high is
    // shown back to the writer first, who may rephrase it once.
    verdict.nudge = decision.nudge && decision.outcome != moderation::Outcome::kReject;
    if (verdict.nudge) verdict.nudge_message = moderation::NudgeMessage(decision);
    verdict.canonical_text = decision.normalised;
    verdict.unreadable = decision.outcome == moderation::Outcome::kPublish && decision.normalised.empty();
    return verdict;
  };

  // Display names are public text too: a banned term (or a suspect one: a name
  // cannot wait for a moderator) refuses the name, with the clause.
  a.accounts_->SetNamePolicy([self](std::string_view name) -> Status {
    const moderation::Pipeline* policy = self->Moderation();
    if (policy == nullptr) {
      return MakeError(ErrorCode::kUnavailable, "names cannot be checked right now; please try again later",
                       "display_name");
    }
    const moderation::Decision decision = policy->Evaluate(name);
    const bool refused =
        decision.outcome == moderation::Outcome::kReject ||
        std::any_of(decision.reasons.begin(), decision.reasons.end(),
                    [](const moderation::Reason& r) { return r.code == "suspect_term"; });
    if (!refused || !decision.clause) return Ok();
    const moderation::ClauseInfo& info = moderation::InfoOf(*decision.clause);
    return MakeError(ErrorCode::kInvalidArgument,
                     "this name cannot be used: it breaks rule " + std::to_string(info.number) + ", " +
                         std::string(info.name) + " of the Community Guidelines",
                     "display_name");
  });

  // The discussion.
  a.policies_ = std::make_unique<discussion::PolicyService>(*a.store_);
  MASTHEAD_RETURN_IF_ERROR(a.policies_->EnsureDefaults());
  discussion::DiscussionOptions discussion_options;
  discussion_options.max_depth = config.discussion.max_depth;
  discussion_options.max_body_bytes = static_cast<std::size_t>(config.discussion.max_comment_bytes);
  discussion_options.edit_window_seconds = config.discussion.edit_window_minutes * 60;
  discussion_options.close_after_days = config.discussion.close_after_days;
  discussion_options.posts_per_minute = config.discussion.posts_per_minute;
  discussion_options.network_posts_per_minute = config.discussion.network_posts_per_minute;
  discussion_options.links_before_hold = config.discussion.links_before_hold;
  discussion_options.links_before_refusal = config.discussion.links_before_refusal;
  discussion_options.duplicate_window_minutes = config.discussion.duplicate_window_minutes;
  discussion_options.flood_window_minutes = config.discussion.flood_window_minutes;
  discussion_options.flood_accounts = config.discussion.flood_accounts;
  discussion_options.min_seconds_to_submit = config.discussion.min_seconds_to_submit;
  discussion_options.form_key = accounts::Mac(*csrf_key, "comment-form-stamp");
  a.comments_ = std::make_unique<discussion::CommentService>(
      *a.store_, *a.articles_, *a.policies_, a.live_, discussion_options, text_policy,
      [app = &a] { app->reply_mail_drain_.Wake(); });
  a.reply_mails_ = std::make_unique<discussion::ReplyMails>(
      *a.store_, [mailers](store::Store& reader, const std::vector<discussion::OwedReplyMail>& owed) {
        return mailers->PrepareReplies(reader, owed);
      });

  // The moderators' desk: reports, decisions, sanctions and appeals; its gate
  // keeps suspended readers from posting and holds pre-moderated ones.
  moderation::DeskOptions desk_options;
  desk_options.report_hold_threshold = config.moderation.report_hold_threshold;
  desk_options.suspension_hours = config.moderation.suspension_hours;
  desk_options.premoderate_first_comments = config.moderation.premoderate_first_comments;
  desk_options.premoderate_after_rejections = config.moderation.premoderate_after_rejections;
  desk_options.rejection_window_days = config.moderation.rejection_window_days;
  a.moderation_desk_ = std::make_unique<moderation::ModerationDesk>(
      *a.store_, *a.articles_,
      [mailers, webhooks](store::Store& tx, const moderation::DecisionMail& m) -> Status {
        MASTHEAD_RETURN_IF_ERROR(mailers->Decision(tx, m));
        return webhooks->Queue(tx, "moderation.decided",
                               {{"user_id", m.user_id}, {"decision", m.decision}, {"reason", m.reason},
                                {"excerpt", m.excerpt}, {"appealable", m.appealable}},
                               NowSeconds());
      },
      desk_options);
  a.moderation_desk_->SetPublishedHook([mailers](store::Store& tx, const store::Comment& published) {
    return mailers->LateReply(tx, published);
  });
  a.comments_->SetCreatedHook([webhooks](store::Store& tx, const store::Comment& comment) -> Status {
    if (!webhooks->enabled()) return Ok();  // every post passes here: build nothing for nobody
    const char* status = comment.status == store::CommentStatus::kPublished ? "published"
                         : comment.status == store::CommentStatus::kHeld    ? "held"
                                                                            : "other";
    nlohmann::json data = {{"comment_id", comment.id}, {"article_id", comment.article_id},
                           {"thread_id", comment.thread_id}, {"author_id", comment.author_id},
                           {"status", status}, {"body_markdown", comment.body_markdown},
                           {"created_at", comment.created_at}};
    data["parent_id"] = comment.parent_id ? nlohmann::json(*comment.parent_id) : nlohmann::json(nullptr);
    return webhooks->Queue(tx, "comment.created", data, NowSeconds());
  });
  a.comments_->SetAuthorGate(
      [desk = a.moderation_desk_.get()](const accounts::Viewer& viewer) { return desk->CheckAuthor(viewer); });

  // Pages.
  a.pages_ = std::make_unique<pages::SitePages>(*a.articles_, config.site);
  a.web_ = std::make_unique<pages::WebSession>(*a.accounts_, *a.csrf_,
                                               config.site.base_url.rfind("https://", 0) == 0,
                                               config.accounts.session_days);
  a.account_pages_ = std::make_unique<pages::AccountPages>(*a.accounts_, *a.policies_, *a.web_, *a.pages_);
  a.discussion_pages_ = std::make_unique<pages::DiscussionPages>(*a.comments_, *a.policies_, *a.articles_,
                                                                 *a.web_, *a.pages_, *a.account_pages_);
  a.support_ = std::make_unique<support::SupportService>(
      *a.store_,
      [mailers](store::Store& tx, const store::SupportTicket& ticket) { return mailers->SupportTicket(tx, ticket); },
      support::SupportOptions{config.support.reports_per_hour});
  a.support_pages_ = std::make_unique<pages::SupportPages>(
      *a.pages_, *a.web_, *a.support_, *a.articles_,
      [self] { return self->ua_parser_.load(std::memory_order_acquire); });
  a.notification_pages_ = std::make_unique<pages::NotificationPages>(*a.store_, *a.unsubscribe_, *a.web_, *a.pages_);
  a.api_ = std::make_unique<api::Api>(*a.accounts_, *a.policies_, *a.comments_, *a.articles_, *a.web_);
  a.staff_pages_ = std::make_unique<pages::StaffPages>(
      *a.store_, *a.web_, *a.pages_,
      config.mail.smtp_url.empty() ? std::filesystem::path(config.mail.maildir) : std::filesystem::path());
  a.policy_pages_ = std::make_unique<pages::PolicyPages>(*a.policies_, *a.web_, *a.pages_);
  a.moderation_pages_ = std::make_unique<pages::ModerationPages>(*a.moderation_desk_, *a.store_, *a.web_, *a.pages_);
  // Accuracy: cases, corrections, invitations (signed with a key every node
  // shares through the database) and messages to the editors.
  auto invite_key = a.store_->GetOrCreateSetting("accuracy_invite_key", accounts::RandomToken());
  if (!invite_key) return tl::unexpected(invite_key.error());
  accuracy::AccuracyOptions accuracy_options;
  accuracy_options.site_title = config.site.title;
  accuracy_options.base_url = config.site.base_url;
  accuracy_options.from = {config.mail.from_name, config.mail.from_address};
  accuracy_options.corrections_desk = config.mail.corrections_desk;
  accuracy_options.editors_desk = config.mail.editors_desk;
  accuracy_options.section_desks = accuracy::ParseSectionDesks(config.mail.section_desks).value_or(
      std::map<std::string, std::string>{});
  accuracy_options.reminder_days = config.accuracy.reminder_days;
  accuracy_options.invite_days = config.accuracy.invite_days;
  accuracy_options.reports_per_hour = config.accuracy.reports_per_hour;
  a.accuracy_ = std::make_unique<accuracy::AccuracyService>(*a.store_, *a.articles_, *a.outbox_,
                                                            accuracy_options, *invite_key);
  a.accuracy_->SetCorrectionHook([webhooks](store::Store& tx, const store::Correction& correction) {
    return webhooks->Queue(tx, "correction.published",
                           {{"correction_id", correction.id}, {"article_id", correction.article_id},
                            {"kind", correction.kind}, {"placement", correction.placement},
                            {"notice", correction.notice}, {"published_at", correction.published_at}},
                           NowSeconds());
  });
  accuracy::AccuracyService* accuracy_service = a.accuracy_.get();
  a.pages_->SetCorrections([accuracy_service](std::int64_t article_id) {
    return accuracy_service->CorrectionsOf(article_id);
  });
  a.accuracy_pages_ = std::make_unique<pages::AccuracyPages>(*a.accuracy_, *a.articles_, *a.web_, *a.pages_);
  // Reader questions: asked through the discussion's posting checks, answered
  // on the page or in a follow-up story.
  a.questions_ = std::make_unique<questions::QuestionService>(
      *a.store_, *a.articles_, *a.comments_,
      [mailers](store::Store& tx, const questions::QuestionMail& m) { return mailers->Question(tx, m); });
  questions::QuestionService* question_service = a.questions_.get();
  a.pages_->SetQuestions([question_service](std::int64_t article_id) { return question_service->OfArticle(article_id); });
  a.question_pages_ = std::make_unique<pages::QuestionPages>(*a.questions_, *a.comments_, *a.web_, *a.pages_,
                                                             *a.account_pages_);
  a.questions_api_ = std::make_unique<api::QuestionsApi>(*a.questions_, *a.web_);

  // The newsroom. Every queue of the inbox is registered here, in the order
  // the inbox shows them; a feature with a queue of its own adds it here too.
  newsroom::InboxOptions inbox_options;
  inbox_options.response_hours = newsroom::ParseResponseHours(config.newsroom.response_hours).value_or(
      std::map<std::string, int, std::less<>>{});
  inbox_options.default_response_hours = config.newsroom.default_response_hours;
  inbox_options.claim_minutes = config.newsroom.claim_minutes;
  a.inbox_ = std::make_unique<newsroom::Inbox>(*a.store_, inbox_options);
  for (auto& queue : newsroom::StandardQueues(*a.store_)) a.inbox_->Register(std::move(queue));
  a.inbox_->Register({"questions", "Reader questions", "/staff/questions", accounts::Role::kModerator,
                      [store = a.store_.get()](int limit) -> Result<std::vector<newsroom::InboxItem>> {
                        auto waiting = store->ListQuestions({.tab = store::QuestionTab::kUnanswered,
                                                             .order = store::QuestionOrder::kOldest,
                                                             .limit = limit});
                        if (!waiting) return tl::unexpected(waiting.error());
                        std::vector<newsroom::InboxItem> items;
                        for (const store::Question& q : *waiting) {
                          newsroom::InboxItem item;
                          item.id = q.id;
                          item.title = "Question by " + q.asker_name + " (" + std::to_string(q.vote_count) +
                                       (q.vote_count == 1 ? " vote)" : " votes)");
                          item.detail = q.body_markdown.substr(0, 160);
                          item.href = "/articles/" + q.article_slug + "/questions?tab=unanswered#q" + std::to_string(q.id);
                          item.waiting_since = q.created_at;
                          item.article_id = q.article_id;
                          items.push_back(std::move(item));
                        }
                        return items;
                      }});
  a.users_desk_ = std::make_unique<newsroom::UsersDesk>(
      *a.store_, newsroom::UsersOptions{.deletion_grace_days = config.newsroom.deletion_grace_days,
                                        .exports_per_day = config.newsroom.exports_per_day});
  a.users_desk_->SetDeletionMailer(
      [mailers](store::Store& tx, const store::User& user, const store::AccountDeletion& deletion) {
        return mailers->AccountDeletion(tx, user, deletion);
      });
  a.users_desk_->SetNamesChanged([articles = a.articles_.get()] { articles->MarkChanged(); });
  // Logging in within the grace period keeps an account whose deletion was asked for.
  a.accounts_->SetLoginHook([users = a.users_desk_.get()](const store::User& user) -> Status {
    auto kept = users->CancelOnLogin(user.id);
    if (!kept) return tl::unexpected(kept.error());
    return Ok();
  });
  a.newsroom_pages_ = std::make_unique<pages::NewsroomPages>(*a.inbox_, *a.users_desk_, *a.store_, *a.web_,
                                                             *a.pages_, config.newsroom.dashboard_days);
  a.inbox_api_ = std::make_unique<api::InboxApi>(*a.inbox_, *a.web_);
  a.editor_pages_ = std::make_unique<pages::EditorPages>(*a.articles_, *a.web_, *a.pages_);
  app->BuildRoutes();
  std::vector<std::string> names;
  for (const auto& route : app->router_.routes()) names.push_back(route.name);
  app->metrics_ = std::make_unique<http::Metrics>(names);
  auto bus = store::OpenClusterBus(config.database_path);
  if (!bus) return tl::unexpected(bus.error());
  app->cluster_bus_ = std::move(*bus);
  if (app->cluster_bus_) app->JoinCluster();
  return app;
}

void App::JoinCluster() {
  store::ClusterBus* bus = cluster_bus_.get();
  live_.OnPublish([bus](std::int64_t article_id, std::int64_t comment_id) {
    bus->Send("comment " + std::to_string(article_id) + " " + std::to_string(comment_id));
  });
  articles_->OnDiscussionTouched([bus](std::int64_t article_id) { bus->Send("discussion " + std::to_string(article_id)); });
  articles_->OnChange([bus] { bus->Send("changed"); });
  policies_->OnChange([bus] { bus->Send("policies"); });
  bus->Start({.message = [this](const std::string& message) { ApplyClusterMessage(message); },
              .missed = [this] {
                articles_->ChangedElsewhere();
                policies_->ChangedElsewhere();
              }});
}

void App::ApplyClusterMessage(const std::string& message) {
  long long article_id = 0;
  long long comment_id = 0;
  if (std::sscanf(message.c_str(), "comment %lld %lld", &article_id, &comment_id) == 2) {
    live_.PublishedElsewhere(article_id, comment_id);
  } else if (std::sscanf(message.c_str(), "discussion %lld", &article_id) == 1) {
    articles_->DiscussionTouchedElsewhere(article_id);
  } else if (message == "changed") {
    articles_->ChangedElsewhere();
  } else if (message == "policies") {
    policies_->ChangedElsewhere();
  }
}

App::~App() { Shutdown(); }

const moderation::Pipeline* App::Moderation() {
  std::call_once(moderation_once_, [this] {
    auto pipeline = moderation::Pipeline::Create(moderation_options_);
    if (pipeline) {
      moderation_ = std::move(*pipeline);
    } else {
      std::fprintf(stderr, "masthead: moderation: %s\n", pipeline.error().ToString().c_str());
    }
  });
  return moderation_.get();
}

Status App::Start() {
  http::ServerOptions options = config_.server;
  options.default_headers = SecurityHeaders();
  if (config_.access_log) access_log_ = std::make_unique<http::AccessLog>(stdout);
  server_ = std::make_unique<http::Server>(
      options,
      [this](const http::Request& request, int& route_index) { return Handle(request, route_index); },
      metrics_.get(), access_log_.get());
  MASTHEAD_RETURN_IF_ERROR(server_->Start());
  ua::SetHsCacheDirectory(config_.ua_cache_dir);
  ua_loader_ = std::thread([this] {
    const auto started = std::chrono::steady_clock::now();
    auto parser = ua::Parser::Load(config_.ua_regexes);
    if (!parser) {
      std::fprintf(stderr, "masthead: user-agent rules: %s\n", parser.error().ToString().c_str());
      return;
    }
    ua_parser_owner_ = std::move(*parser);
    ua_parser_.store(ua_parser_owner_.get(), std::memory_order_release);
    // Until now the technical-problem pages showed only what client hints tell;
    // benchmarks wait for this line so the compile does not share their cores.
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "masthead: user-agent rules ready (%lld ms)\n", static_cast<long long>(took.count()));
  });
  // A node may leave delivery to others (mail.deliver = false): it still writes
  // mail into the shared outbox with every change, and the delivering nodes send it.
  if (!config_.mail.deliver) return StartReminders();
  mail::DeliveryWorkerOptions worker_options;
  worker_options.poll_interval = std::chrono::seconds(1);
  worker_options.lease = std::chrono::seconds(config_.mail.lease_seconds);
  mail_worker_ = std::make_unique<mail::DeliveryWorker>(*mail_queue_, *mail_transport_, worker_options);
  MASTHEAD_RETURN_IF_ERROR(mail_worker_->Start());
  digests_.Start(std::chrono::seconds(config_.mail.digest_check_seconds), [this] {
    auto queued = mailers_->SendDueDigests(*store_, NowSeconds());
    if (!queued) {
      std::fprintf(stderr, "masthead: digests: %s\n", queued.error().ToString().c_str());
    } else if (*queued > 0) {
      mail_worker_->Notify();
    }
  });
  return StartReminders();
}

Status App::StartReminders() {
  // Every node drains, delivering or not: the mails go into the shared outbox.
  reply_mail_drain_.Start(
      std::chrono::seconds(5),
      [this] {
        auto composed = reply_mails_->Drain();
        if (!composed) {
          std::fprintf(stderr, "masthead: reply mails: %s\n", composed.error().ToString().c_str());
        } else if (*composed > 0 && mail_worker_) {
          mail_worker_->Notify();
        }
      },
      // A busy discussion wakes the drain with every reply: gathering them for a
      // quarter second turns hundreds of small transactions into a few batches.
      PeriodicTask::FirstRun::kAtStart, std::chrono::milliseconds(250));
  if (webhooks_->enabled()) {
    webhook_deliveries_.Start(std::chrono::seconds(config_.webhooks.check_seconds), [this] {
      if (auto sent = webhooks_->DeliverDue(NowSeconds()); !sent) {
        std::fprintf(stderr, "masthead: webhooks: %s\n", sent.error().ToString().c_str());
      }
    });
  }
  scheduled_publications_.Start(
      std::chrono::seconds(config_.editorial.publish_check_seconds),
      [this] {
        if (auto announced = articles_->AnnounceDuePublications(); !announced) {
          std::fprintf(stderr, "masthead: scheduled publications: %s\n", announced.error().ToString().c_str());
        }
      },
      PeriodicTask::FirstRun::kAtStart);
  accuracy_reminders_.Start(
      std::chrono::seconds(config_.accuracy.reminder_check_seconds),
      [this] {
        if (auto reminded = accuracy_->RemindWaiting(NowSeconds()); !reminded) {
          std::fprintf(stderr, "masthead: accuracy reminders: %s\n", reminded.error().ToString().c_str());
        }
      },
      PeriodicTask::FirstRun::kAtStart);
  followup_mail_.Start(
      std::chrono::seconds(config_.questions.followup_check_seconds),
      [this] {
        auto mailed = questions_->NotifyPublishedFollowUps();
        if (!mailed) {
          std::fprintf(stderr, "masthead: follow-up mail: %s\n", mailed.error().ToString().c_str());
        } else if (*mailed > 0 && mail_worker_) {
          mail_worker_->Notify();
        }
      },
      PeriodicTask::FirstRun::kAtStart);
  account_purges_.Start(
      std::chrono::seconds(config_.newsroom.purge_check_seconds),
      [this] {
        if (auto purged = users_desk_->PurgeDue(); !purged) {
          std::fprintf(stderr, "masthead: account deletions: %s\n", purged.error().ToString().c_str());
        }
      },
      PeriodicTask::FirstRun::kAtStart);
  return Ok();
}

void App::Shutdown() {
  if (server_) server_->Shutdown();
  digests_.Stop();
  reply_mail_drain_.Stop();
  accuracy_reminders_.Stop();
  followup_mail_.Stop();
  account_purges_.Stop();
  scheduled_publications_.Stop();
  webhook_deliveries_.Stop();
  if (mail_worker_) mail_worker_->Stop();
  if (ua_loader_.joinable()) ua_loader_.join();
}

const ua::Parser* App::UserAgents() { return ua_parser_.load(std::memory_order_acquire); }

http::Response App::Handle(const http::Request& request, int& route_index) {
  const http::RouteMatch match = router_.Match(request.method, request.path);
  if (match.route == nullptr) {
    route_index = metrics_ ? metrics_->unmatched_index() : -1;
    if (match.path_matched) return pages_->MethodNotAllowed(match.allowed_methods);
    return pages_->NotFound();
  }
  route_index = static_cast<int>(match.route - router_.routes().data());
  if (match.route->access != http::Access::kPublic) {
    const pages::WebContext context = web_->Load(request);
    if (!context.viewer) {
      return http::Response::Redirect(303, "/login?next=" + http::PercentEncode(request.path));
    }
    const accounts::Role needed = match.route->access == http::Access::kAdmin   ? accounts::Role::kAdmin
                                  : match.route->access == http::Access::kStaff ? accounts::Role::kModerator
                                                                                : accounts::Role::kReader;
    if (!accounts::HasRole(context.viewer->role, needed)) {
      return pages_->Error(403, "Staff only", "This page is for the newsroom's staff.");
    }
  }
  try {
    return match.route->handler(request, match.params);
  } catch (const std::exception& error) {
    // Handlers return errors as values; an exception here is a bug, not an answer.
    std::fprintf(stderr, "masthead: handler %s threw: %s\n", match.route->name.c_str(), error.what());
    return pages_->Error(500, "Something went wrong", "Please try again in a moment.");
  }
}

}  // namespace masthead::app
