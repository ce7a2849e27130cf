#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "articles/importer.h"

namespace masthead::app {
namespace {

struct CommonOptions {
  std::string config_file;
  std::string database;
  std::string listen;
};

void AddCommonOptions(CLI::App* command, CommonOptions& common, bool with_listen) {
  command->add_option("--config", common.config_file, "TOML configuration file");
  command->add_option("--db", common.database, "SQLite database file (overrides database.path)");
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

  auto* migrate = cli.add_subcommand("migrate", "Bring the database schema up to date");
  AddCommonOptions(migrate, common, false);

  std::vector<std::string> import_files;
  auto* import = cli.add_subcommand(
      "import", "Import articles from Markdown (front matter) or JSON files, all or nothing");
  AddCommonOptions(import, common, false);
  import->add_option("files", import_files, "Article files")->required()->check(CLI::ExistingFile);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  if (*serve) return Serve(common, demo);
  if (*migrate) return Migrate(common);
  if (*import) return Import(common, import_files);
  return 2;
}

}  // namespace masthead::app
