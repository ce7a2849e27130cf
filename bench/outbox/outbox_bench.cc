// What the mail adds to the request that causes it: posting a reply on a real
// SQLite file that owes no mail (the reference) and one that owes its parent's
// author a mail (recorded in the reply's row: the enqueue). The figure:
// under 5% of the request. The drain that composes the owed mails into the
// outbox afterwards, off the request, is measured on its own (per mail).
//
// The reply is measured at the service (validation, rate limit, transaction,
// commit); the HTTP around it only makes the request longer, so the share shown
// here is an upper bound.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>

#include "accounts/crypto.h"
#include "articles/article_service.h"
#include "discussion/comment_service.h"
#include "discussion/reply_mails.h"
#include "mail/notification.h"
#include "mail/store_outbox.h"
#include "store/sqlite/sqlite_engine.h"

namespace masthead {
namespace {

struct Site {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<articles::ArticleService> articles;
  std::unique_ptr<discussion::PolicyService> policies;
  discussion::LiveHub live;
  std::unique_ptr<discussion::CommentService> comments;
  std::unique_ptr<discussion::ReplyMails> reply_mails;
  mail::Outbox outbox{"bench.example.org"};
  accounts::Viewer alice, bob;
  std::int64_t parent_id = 0;

  Site() {
    (void)accounts::InitCrypto();
    dir = std::filesystem::temp_directory_path() /
          ("masthead-outbox-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::move(*store::sqlite::OpenSqliteStore({.path = (dir / "db.sqlite").string()}));
    (void)store->Migrate();
    articles = std::make_unique<articles::ArticleService>(*store);
    policies = std::make_unique<discussion::PolicyService>(*store);
    (void)policies->EnsureDefaults();
    (void)store->PutSection({"world", "World", 1});
    store::ArticleFields f;
    f.headline = "Bench story";
    f.section_slug = "world";
    f.credit = "AP";
    f.body_markdown = "Body.";
    f.published_at = NowSeconds() - 60;
    (void)articles->Create(f, "");
    discussion::DiscussionOptions options;
    options.posts_per_minute = 100000000;
    {
      reply_mails = std::make_unique<discussion::ReplyMails>(
          *store, [this](store::Store&, const std::vector<discussion::OwedReplyMail>& owed) {
            std::vector<Result<discussion::ReplyMailWrite>> writes;
            for (const discussion::OwedReplyMail& mail : owed) {
              mail::NotificationEnvelope envelope;
              envelope.from = {"Masthead", "news@bench.example.org"};
              envelope.to = {"Alice", "alice@bench.example.org"};
              envelope.message_id_domain = "bench.example.org";
              envelope.unsubscribe_url = "https://bench.example.org/mail/unsubscribe?u=1&k=replies&t=x";
              envelope.unsubscribe_mailto = "mailto:news@bench.example.org?subject=unsubscribe";
              auto row = outbox.PrepareNotification(
                  mail::NotificationKind::kReply,
                  {{"site_name", "Masthead"}, {"settings_url", "https://bench.example.org/account/notifications"},
                   {"recipient_name", "Alice"}, {"actor_name", mail.reply->author_name},
                   {"article_title", "Bench story"}, {"article_url", "https://bench.example.org/articles/bench-story#c1"},
                   {"excerpt", mail.reply->body_markdown}},
                  envelope, "reply");
              if (!row) {
                writes.push_back(tl::unexpected(row.error()));
                continue;
              }
              writes.push_back(discussion::ReplyMailWrite([row = std::move(*row)](store::Store& tx) -> Status {
                return tx.EnqueueMail(row).map([](std::int64_t) {});
              }));
            }
            return writes;
          });
    }
    comments = std::make_unique<discussion::CommentService>(*store, *articles, *policies, live, options,
                                                            discussion::TextPolicy{},
                                                            [] {});  // a server wakes its drain here

    alice = Reader("alice@bench.example.org", "Alice");
    bob = Reader("bob@bench.example.org", "Bob");
    parent_id = comments->Post(alice, {"bench-story", std::nullopt, "A comment to reply to.", ""})->comment.id;
  }
  ~Site() { std::filesystem::remove_all(dir); }

  accounts::Viewer Reader(const std::string& email, const std::string& name) {
    auto user = store->CreateUser({.email = email, .display_name = name, .password_hash = "x",
                                   .email_confirmed_at = NowSeconds(), .now = NowSeconds()});
    auto current = policies->Current();
    (void)policies->Accept(user->id, current->terms.version, current->guidelines.version);
    return accounts::Viewer{*user, accounts::Role::kReader, "hash"};
  }
};

constexpr int kRepliesPerDrain = 8;  // as a server under load finds them when its drain wakes

// A reply, and the same by someone else: the reference owes no mail (a reply
// to one's own comment), the other owes its parent's author one (the enqueue).
void PostReplies(benchmark::State& state, bool owing_mail) {
  Site site;
  const accounts::Viewer& author = owing_mail ? site.bob : site.alice;
  // Each reply different: the same text again would be refused as a duplicate.
  std::int64_t n = 0;
  for (auto _ : state) {
    std::string body = std::to_string(++n) + " " + std::string(300, 'x');
    auto posted = site.comments->Post(author, {"bench-story", site.parent_id, std::move(body), ""});
    if (!posted) state.SkipWithError(posted.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

// The drain composing owed mails into the outbox: its time per mail.
void BM_DrainReplyMails(benchmark::State& state) {
  Site site;
  std::int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kRepliesPerDrain; ++i) {
      std::string body = std::to_string(++n) + " " + std::string(300, 'x');
      if (!site.comments->Post(site.bob, {"bench-story", site.parent_id, std::move(body), ""})) {
        state.SkipWithError("posting failed");
      }
    }
    state.ResumeTiming();
    if (auto drained = site.reply_mails->Drain(); !drained || *drained != kRepliesPerDrain) {
      state.SkipWithError("the drain did not compose one mail per reply");
    }
  }
  state.SetItemsProcessed(state.iterations() * kRepliesPerDrain);
}

void BM_ReplyOwingNoMail(benchmark::State& state) { PostReplies(state, false); }
void BM_ReplyOwingAMail(benchmark::State& state) { PostReplies(state, true); }
BENCHMARK(BM_ReplyOwingNoMail)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_ReplyOwingAMail)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_DrainReplyMails)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

// Prints the share after the runs: (with - without) / with.
class ShareReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      const double wall = run.GetAdjustedRealTime(), cpu = run.GetAdjustedCPUTime();
      const std::string name = run.benchmark_name();
      if (name.find("OwingNoMail") != std::string::npos) without_ = wall, without_cpu_ = cpu;
      if (name.find("OwingAMail") != std::string::npos) with_ = wall, with_cpu_ = cpu;
      if (name.find("Drain") != std::string::npos) drain_ = wall / kRepliesPerDrain, drain_cpu_ = cpu / kRepliesPerDrain;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    if (with_ > 0 && without_ > 0) {
      std::printf("\nreply request: %.1f us owing no mail (reference), %.1f us owing one (CPU %.1f vs %.1f us)\n"
                  "enqueue share of the request: %.1f%% wall, %.1f%% CPU (target: under 5%%)\n",
                  without_, with_, without_cpu_, with_cpu_, 100.0 * (with_ - without_) / with_,
                  100.0 * (with_cpu_ - without_cpu_) / with_cpu_);
    }
    if (drain_ > 0) {
      std::printf("drain, composing the owed mails into the outbox afterwards: %.1f us per mail (CPU %.1f us),"
                  " %.0f mails/s\n", drain_, drain_cpu_, 1e6 / drain_);
    }
  }

 private:
  double with_ = 0, without_ = 0, with_cpu_ = 0, without_cpu_ = 0, drain_ = 0, drain_cpu_ = 0;
};

}  // namespace
}  // namespace masthead

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  masthead::ShareReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
