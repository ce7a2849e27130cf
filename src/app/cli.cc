#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "accounts/crypto.h"
#include "articles/importer.h"
#include "moderation/score_command.h"
#include "ops/comment_import.h"
#include "ops/sqlite_backup.h"
#include "store/engines/copy_to_postgres.h"
#include "store/engines/open_store.h"
#include "ua/hs_database_cache.h"
#include "ua/ua_command.h"

namespace masthead::app {
namespace {

struct CommonOptions {
  std::string config_file;
  std::string database;
  std::string listen;
};

void AddCommonOptions(CLI::App* command, CommonOptions& common, bool with_listen) {
  command->add_option("--config", common.config_file, "TOML configuration file");
  command->add_option("--db", common.database,
                      "SQLite database file or postgres:// URL (overrides database.path)");
  if (with_listen) {
    command->add_option("--listen", common.listen, "HOST:PORT (overrides server.listen)");
  }
}

Result<Config> ResolveConfig(const CommonOptions& common) {
  std::optional<std::string> file;
  if (!common.config_file.empty()) file = common.config_file;
  auto config = LoadConfig(file, ProcessEnvironment());
  if (!config) return config;
  if (!common.database.empty()) {
    MASTHEAD_RETURN_IF_ERROR(SetConfigValue(*config, "database.path", common.database));
  }
  if (!common.listen.empty()) {
    MASTHEAD_RETURN_IF_ERROR(SetConfigValue(*config, "server.listen", common.listen));
  }
  return config;
}

int Fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "masthead: %s: %s\n", what.c_str(), error.message.c_str());
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

int Serve(const CommonOptions& common, bool demo) {
  // Block the stop signals before any thread starts, so every thread inherits
  // the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("database " + config->database_path, app.error());
  if (demo) {
    auto loaded = (*app)->articles().LoadDemoContentIfEmpty();
    if (!loaded) return Fail("demo content", loaded.error());
    if (*loaded > 0) {
      // The demo stories are years old, so their discussions would have closed by
      // themselves; the demo keeps them open for newcomers to try.
      if (auto latest = (*app)->articles().Latest(100)) {
        for (const auto& summary : *latest) {
          (void)(*app)->store().SetDiscussionClosed(summary.id, false, NowSeconds());
        }
      }
      std::fprintf(stderr, "masthead: loaded %d demo articles\n", *loaded);
    }
  }
  if (auto started = (*app)->Start(); !started) return Fail("serve", started.error());
  std::fprintf(stderr, "masthead: serving http://%s:%u/ (database %s)\n", config->server.host.c_str(),
               (*app)->port(), config->database_path.c_str());
  int received = 0;
  sigwait(&stop_signals, &received);
  std::fprintf(stderr, "masthead: %s received, finishing requests in flight\n",
               received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*app)->Shutdown();
  std::fprintf(stderr, "masthead: stopped\n");
  return 0;
}

// masthead migrate --from sqlite:PATH --to postgres://...: the copy, with a
// progress bar when stderr is a terminal, then the verification's figures.
int CopyBetweenEngines(const std::string& from, const std::string& to) {
  if (store::EngineOf(from) != store::Engine::kSqlite || from.rfind("sqlite:", 0) != 0 ||
      store::EngineOf(to) != store::Engine::kPostgres) {
    return Fail("migrate", Error{ErrorCode::kInvalidArgument,
                                 "copies go --from sqlite:PATH --to postgres://...", "from"});
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  auto progress = [tty](const std::string& table, std::int64_t done, std::int64_t total) {
    if (!tty) return;
    constexpr int kWidth = 30;
    const int filled = total > 0 ? static_cast<int>(done * kWidth / total) : kWidth;
    std::fprintf(stderr, "\r%-28s [%s%s] %lld/%lld", table.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, ' ').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
    if (done == total) std::fprintf(stderr, "\n");
  };
  auto report = store::CopySqliteToPostgres(store::SqlitePathOf(from), to, progress);
  if (!report) return Fail("migrate", report.error());
  std::int64_t rows = 0;
  for (const auto& table : report->tables) {
    std::printf("%-28s %10lld rows  checksum %016llx  verified\n", table.name.c_str(),
                static_cast<long long>(table.rows), static_cast<unsigned long long>(table.checksum));
    rows += table.rows;
  }
  std::printf("copied %lld rows in %zu tables at schema version %d; counts and checksums match\n",
              static_cast<long long>(rows), report->tables.size(), report->schema_version);
  return 0;
}

int Migrate(const CommonOptions& common) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("migrate " + config->database_path, app.error());
  auto version = (*app)->store().SchemaVersion();
  if (!version) return Fail("migrate", version.error());
  std::printf("schema version %d\n", *version);
  return 0;
}

int Import(const CommonOptions& common, const std::vector<std::string>& files) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  std::vector<articles::ImportedArticle> all;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "masthead: import: cannot read %s\n", file.c_str());
      return 2;
    }
    std::stringstream content;
    content << in.rdbuf();
    auto parsed = articles::ParseArticleFile(file, content.str());
    if (!parsed) {
      std::fprintf(stderr, "masthead: import: %s\nnothing was imported\n", parsed.error().message.c_str());
      return 2;
    }
    for (auto& article : *parsed) all.push_back(std::move(article));
  }
  auto app = App::Open(*config);
  if (!app) return Fail("import " + config->database_path, app.error());
  auto summary = (*app)->articles().Import(all);
  if (!summary) {
    std::fprintf(stderr, "masthead: import: %s\nnothing was imported\n", summary.error().message.c_str());
    return 2;
  }
  std::printf("imported %zu file(s): %d article(s) created, %d updated, %d section(s) created\n",
              files.size(), summary->created, summary->updated, summary->sections_created);
  // An import is how a follow-up story gets published: its questions' watchers
  // are mailed now (queued in the outbox; a serving node delivers), not a
  // check interval later. The mail goes out once, whoever queues it first.
  auto mailed = (*app)->questions().NotifyPublishedFollowUps();
  if (!mailed) return Fail("import: follow-up mail", mailed.error());
  if (*mailed > 0) std::printf("follow-up published: mail queued about %d reader question(s)\n", *mailed);
  return 0;
}

// A one-line bar redrawn in place; only for a person watching a terminal.
void DrawProgress(const ops::ImportProgress& progress) {
  constexpr int kWidth = 30;
  const std::size_t total = std::max<std::size_t>(progress.total, 1);
  const int filled = static_cast<int>(kWidth * progress.done / total);
  std::fprintf(stderr, "\r[%s%s] %3zu%% %zu/%zu articles", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), 100 * progress.done / total, progress.done, progress.total);
  if (progress.done == progress.total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

int ImportArchive(const CommonOptions& common, const std::string& source, const std::vector<std::string>& files) {
  if (source != "disqus" && source != "wordpress") {
    std::fprintf(stderr, "masthead: import: --from is disqus or wordpress\n");
    return 2;
  }
  if (files.size() != 1) {
    std::fprintf(stderr, "masthead: import --from %s takes one export file\n", source.c_str());
    return 2;
  }
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  std::ifstream in(files[0], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "masthead: import: cannot read %s\n", files[0].c_str());
    return 2;
  }
  std::stringstream content;
  content << in.rdbuf();
  auto archive = source == "disqus" ? ops::ParseDisqus(content.str()) : ops::ParseWordPress(content.str());
  if (!archive) {
    std::fprintf(stderr, "masthead: import: %s: %s\nnothing was imported\n", files[0].c_str(),
                 archive.error().message.c_str());
    return 2;
  }
  auto app = App::Open(*config);
  if (!app) return Fail("import " + config->database_path, app.error());
  ops::ArchiveImportOptions options;
  options.max_depth = config->discussion.max_depth;
  if (isatty(STDERR_FILENO)) options.progress = DrawProgress;
  auto report = ops::ImportArchive((*app)->store(), (*app)->articles(), *archive, options, NowSeconds());
  if (!report) {
    std::fprintf(stderr, "\nmasthead: import: %s\n(articles before this one were stored; running the import again "
                 "continues without duplicates)\n", report.error().message.c_str());
    return 1;
  }
  const ops::ArchiveImportReport& r = *report;
  std::printf("imported from %s (%s):\n"
              "  articles: %d created, %d matched to existing articles, %d imported before\n"
              "  comments: %d created, %d imported before, %d deleted kept as tombstones, %d spam skipped\n"
              "  %d comment(s) whose parent was missing attached at the top level\n"
              "  readers: %d account(s) created\n",
              source.c_str(), files[0].c_str(), r.articles_created, r.articles_matched, r.articles_already,
              r.comments_created, r.comments_already, r.comments_deleted, r.spam_skipped, r.comments_to_top_level,
              r.readers_created);
  return 0;
}

void PrintCopyReport(const ops::CopyReport& report) {
  std::printf("integrity check: ok; schema version %d; %lld pages of %lld bytes\n", report.schema_version,
              static_cast<long long>(report.pages), static_cast<long long>(report.page_size));
  for (const auto& [table, rows] : report.table_rows) {
    if (table.rfind("articles_fts", 0) == 0) continue;  // the search index's own tables
    std::printf("  %-28s %lld\n", table.c_str(), static_cast<long long>(rows));
  }
}

int Backup(const CommonOptions& common, const std::string& file) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  if (store::EngineOf(config->database_path) == store::Engine::kPostgres) {
    return Fail("backup", Error{ErrorCode::kInvalidArgument,
                                "backup copies a SQLite file; for PostgreSQL use pg_dump", "db"});
  }
  auto report = ops::BackupSqlite(config->database_path, file);
  if (!report) return Fail("backup", report.error());
  std::printf("backup of %s written to %s\n", config->database_path.c_str(), file.c_str());
  PrintCopyReport(*report);
  return 0;
}

int Restore(const CommonOptions& common, const std::string& file, bool force) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  if (store::EngineOf(config->database_path) == store::Engine::kPostgres) {
    return Fail("restore", Error{ErrorCode::kInvalidArgument,
                                 "restore writes a SQLite file; for PostgreSQL use pg_restore", "db"});
  }
  auto report = ops::RestoreSqlite(file, config->database_path, force);
  if (!report) return Fail("restore", report.error());
  std::printf("%s restored into %s\n", file.c_str(), config->database_path.c_str());
  PrintCopyReport(*report);
  return 0;
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read " + path, "password-file");
  std::string password;
  std::getline(in, password);
  return password;
}

int UserAdd(const CommonOptions& common, const std::string& email, const std::string& name,
            const std::string& role_name, const std::string& password_file) {
  auto role = accounts::RoleFromName(role_name);
  if (!role) {
    std::fprintf(stderr, "masthead: user add: role must be reader, moderator, editor or admin\n");
    return 2;
  }
  std::string password;
  if (!password_file.empty()) {
    auto read = ReadPasswordFile(password_file);
    if (!read) return Fail("user add", read.error());
    password = *read;
  } else {
    // No password given: a random one; the person sets their own by "forgot password".
    password = accounts::RandomToken();
  }
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("user add", app.error());
  auto user = (*app)->accounts().AddUser(email, name, *role, password);
  if (!user) return Fail("user add", user.error());
  std::printf("added %s <%s> as %s (id %lld)%s\n", user->display_name.c_str(), user->email.c_str(),
              user->role.c_str(), static_cast<long long>(user->id),
              password_file.empty() ? "; no password set: use \"Forgot your password?\" to choose one" : "");
  return 0;
}

int UserRole(const CommonOptions& common, const std::string& email, const std::string& role_name) {
  auto role = accounts::RoleFromName(role_name);
  if (!role) {
    std::fprintf(stderr, "masthead: user role: role must be reader, moderator, editor or admin\n");
    return 2;
  }
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("user role", app.error());
  auto user = (*app)->accounts().SetRole(email, *role);
  if (!user) return Fail("user role", user.error());
  std::printf("%s <%s> is now %s\n", user->display_name.c_str(), user->email.c_str(), user->role.c_str());
  return 0;
}

int UserPurge(const CommonOptions& common) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("user purge", app.error());
  auto purged = (*app)->users_desk().PurgeDue();
  if (!purged) return Fail("user purge", purged.error());
  std::printf("%d account%s deleted and anonymised\n", *purged, *purged == 1 ? "" : "s");
  return 0;
}

int MailTest(const CommonOptions& common, const std::string& address) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("mail test", app.error());
  auto message = (*app)->mailers().Test(address);
  if (!message) return Fail("mail test", message.error());
  const auto result = (*app)->mail_transport().Send(*message);
  if (!result.delivered()) {
    std::fprintf(stderr, "masthead: mail test: not delivered (%d): %s\n", result.code, result.reply.c_str());
    return 1;
  }
  std::printf("test message %s sent to %s: %d %s\n", message->message_id.c_str(), address.c_str(),
              result.code, result.reply.c_str());
  return 0;
}

int MailQueue(const CommonOptions& common, const std::vector<std::int64_t>& retry_ids, bool retry_all) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("mail queue", app.error());
  store::Store& store = (*app)->store();
  std::vector<std::int64_t> ids = retry_ids;
  if (retry_all) {
    auto failed = store.ListMail({"failed", 10000});
    if (!failed) return Fail("mail queue", failed.error());
    for (const auto& m : *failed) ids.push_back(m.id);
  }
  for (std::int64_t id : ids) {
    if (auto retried = store.RetryMail(id, NowSeconds()); !retried) return Fail("mail queue", retried.error());
    std::printf("mail %lld queued again\n", static_cast<long long>(id));
  }
  for (const char* status : {"pending", "failed"}) {
    auto messages = store.ListMail({status, 1000});
    if (!messages) return Fail("mail queue", messages.error());
    std::printf("%s: %zu\n", status, messages->size());
    for (const auto& m : *messages) {
      std::printf("  #%lld %-16s %-30s attempts %d%s%s\n", static_cast<long long>(m.id), m.kind.c_str(),
                  m.recipient.c_str(), m.attempts, m.last_reply.empty() ? "" : "  last reply: ",
                  m.last_reply.c_str());
    }
  }
  return 0;
}

int MailDigests(const CommonOptions& common) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("mail digests", app.error());
  auto queued = (*app)->mailers().SendDueDigests((*app)->store(), NowSeconds());
  if (!queued) return Fail("mail digests", queued.error());
  std::printf("%d digest%s queued\n", *queued, *queued == 1 ? "" : "s");
  return 0;
}

int AccuracyInvite(const CommonOptions& common, const std::string& slug, const std::string& email,
                   const std::string& name) {
  auto config = ResolveConfig(common);
  if (!config) return Fail("configuration", config.error());
  auto app = App::Open(*config);
  if (!app) return Fail("accuracy invite", app.error());
  auto link = (*app)->accuracy().Invite(slug, email, name, std::nullopt);
  if (!link) {
    Error error = link.error();
    if (error.code == ErrorCode::kNotFound) error.message = "no published article with the slug '" + slug + "'";
    return Fail("accuracy invite", error);
  }
  // The mail waits in the outbox for the serving process's worker; the link is
  // printed as well, for an editor who would rather send it personally.
  std::printf("invitation for %s <%s> queued (valid %d days):\n%s\n", name.c_str(), email.c_str(),
              config->accuracy.invite_days, link->c_str());
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App cli{"Masthead: a self-hosted news site with a civil reader community"};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "Show help for every subcommand");
  std::string config_keys = "Configuration keys (TOML [section] key, or MASTHEAD_SECTION_KEY):\n";
  for (const auto& [key, help] : ConfigKeys()) config_keys += "  " + key + "  " + help + "\n";
  cli.footer(config_keys);

  CommonOptions common;
  bool demo = false;
  auto* serve = cli.add_subcommand("serve", "Serve the site over HTTP until SIGTERM");
  AddCommonOptions(serve, common, true);
  serve->add_flag("--demo", demo, "Fill an empty database with the demo articles");

  auto* migrate = cli.add_subcommand(
      "migrate", "Bring the database schema up to date; with --from/--to, copy a site to PostgreSQL");
  AddCommonOptions(migrate, common, false);
  std::string copy_from, copy_to;
  migrate->add_option("--from", copy_from, "sqlite:PATH: the site to copy (stop its node first)");
  migrate->add_option("--to", copy_to, "postgres://...: an empty database to copy it into");

  std::vector<std::string> import_files;
  auto* import = cli.add_subcommand(
      "import", "Import articles from Markdown (front matter) or JSON files, all or nothing");
  AddCommonOptions(import, common, false);
  import->add_option("files", import_files, "Article files")->required()->check(CLI::ExistingFile);
  std::string import_from;
  import->add_option("--from", import_from,
                     "disqus or wordpress: one export file (Disqus XML, WordPress WXR) with its comments; "
                     "a second run adds only what is new");

  std::string backup_file;
  auto* backup = cli.add_subcommand(
      "backup", "Copy the database to FILE while the server runs (consistent, verified after writing)");
  AddCommonOptions(backup, common, false);
  backup->add_option("file", backup_file, "Where to write the backup")->required();
  bool restore_force = false;
  std::string restore_file;
  auto* restore = cli.add_subcommand(
      "restore", "Restore a backup into the database (stop the server first; an existing database needs --force)");
  AddCommonOptions(restore, common, false);
  restore->add_option("file", restore_file, "A backup written by masthead backup")->required()->check(CLI::ExistingFile);
  restore->add_flag("--force", restore_force, "Replace a database that holds data");

  std::string user_email, user_name, user_role = "reader", password_file;
  auto* user = cli.add_subcommand("user", "Manage readers' and staff accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a confirmed account (staff, or a reader)");
  AddCommonOptions(user_add, common, false);
  user_add->add_option("--email", user_email, "E-mail address")->required();
  user_add->add_option("--name", user_name, "Display name")->required();
  user_add->add_option("--role", user_role, "reader, moderator, editor or admin");
  user_add->add_option("--password-file", password_file,
                       "File whose first line is the password (default: none; use password reset)");
  auto* user_role_cmd = user->add_subcommand("role", "Change the role of an account: user role EMAIL ROLE");
  AddCommonOptions(user_role_cmd, common, false);
  user_role_cmd->add_option("email", user_email, "E-mail address")->required();
  user_role_cmd->add_option("role", user_role, "reader, moderator, editor or admin")->required();

  auto* user_purge = user->add_subcommand(
      "purge", "Make account deletions final whose grace period ended (a running server does it every "
               "newsroom.purge_check_seconds)");
  AddCommonOptions(user_purge, common, false);

  std::string mail_address;
  std::vector<std::int64_t> retry_ids;
  bool retry_all = false;
  auto* mail = cli.add_subcommand("mail", "Test mail delivery and look at the outbox");
  mail->require_subcommand(1);
  auto* mail_test = mail->add_subcommand("test", "Send a test message now: mail test ADDRESS");
  AddCommonOptions(mail_test, common, false);
  mail_test->add_option("address", mail_address, "Recipient")->required();
  auto* mail_queue = mail->add_subcommand("queue", "List pending and failed mail; --retry queues failed mail again");
  AddCommonOptions(mail_queue, common, false);
  mail_queue->add_option("--retry", retry_ids, "Outbox ids of failed mail to send again");
  mail_queue->add_flag("--retry-all", retry_all, "Send every failed message again");
  auto* mail_digests = mail->add_subcommand(
      "digests", "Queue every due hourly and daily digest now (a running server does it every mail.digest_check_seconds)");
  AddCommonOptions(mail_digests, common, false);

  std::string invite_article, invite_email, invite_name;
  auto* accuracy = cli.add_subcommand("accuracy", "The accuracy workflow's tools");
  accuracy->require_subcommand(1);
  auto* accuracy_invite = accuracy->add_subcommand(
      "invite", "Mail a person a personal, expiring link to the accuracy form of an article");
  AddCommonOptions(accuracy_invite, common, false);
  accuracy_invite->add_option("--article", invite_article, "The article's slug")->required();
  accuracy_invite->add_option("--email", invite_email, "The person's e-mail address")->required();
  accuracy_invite->add_option("--name", invite_name, "The person's name")->required();

  // `moderate score` takes its own flags (--model, --rules, --nudge, --hold,
  // --reject); everything after "score" is handed to it unparsed.
  if (argc >= 3 && std::string(argv[1]) == "moderate" && std::string(argv[2]) == "score") {
    std::vector<std::string> args(argv + 3, argv + argc);
    return moderation::RunModerateScoreCommand(args, std::cin, std::cout, std::cerr);
  }
  std::vector<std::string> user_agents;
  auto* ua = cli.add_subcommand(
      "ua", "Parse user-agent strings (arguments, or one per line on stdin) into uap-core JSON lines");
  AddCommonOptions(ua, common, false);
  ua->add_option("user_agents", user_agents, "User-agent strings");

  auto* moderate = cli.add_subcommand("moderate", "The no-bullying policy's tools");
  moderate->require_subcommand(1);
  moderate->add_subcommand(
      "score",
      "Score comments, one per line on stdin (text or {\"text\":...}): one JSON object per line "
      "with score, decision and reasons. Flags: --model FILE --rules FILE --nudge X --hold X --reject X");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  if (*serve) return Serve(common, demo);
  if (*migrate && (!copy_from.empty() || !copy_to.empty())) return CopyBetweenEngines(copy_from, copy_to);
  if (*migrate) return Migrate(common);
  if (*import && !import_from.empty()) return ImportArchive(common, import_from, import_files);
  if (*import) return Import(common, import_files);
  if (*backup) return Backup(common, backup_file);
  if (*restore) return Restore(common, restore_file, restore_force);
  if (*ua) {
    auto config = ResolveConfig(common);
    if (!config) return Fail("configuration", config.error());
    ua::SetHsCacheDirectory(config->ua_cache_dir);
    return ua::RunUaCommand(user_agents, std::cin, std::cout, std::cerr, config->ua_regexes);
  }
  if (*user_add) return UserAdd(common, user_email, user_name, user_role, password_file);
  if (*user_role_cmd) return UserRole(common, user_email, user_role);
  if (*user_purge) return UserPurge(common);
  if (*mail_test) return MailTest(common, mail_address);
  if (*mail_queue) return MailQueue(common, retry_ids, retry_all);
  if (*mail_digests) return MailDigests(common);
  if (*accuracy_invite) return AccuracyInvite(common, invite_article, invite_email, invite_name);
  return 2;
}

}  // namespace masthead::app
