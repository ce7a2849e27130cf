// Masthead's configuration: a TOML file, then MASTHEAD_<SECTION>_<KEY>
// environment variables, then command-line flags, each overriding the one
// before. Everything is validated here at start-up; a bad key or value is named
// in the error and the process exits non-zero.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "http/server.h"
#include "pages/site_pages.h"

namespace masthead::app {

struct Config {
  http::ServerOptions server;
  std::string database_path = "var/masthead.db";
  std::string database_synchronous = "normal";
  pages::SiteOptions site;
  std::string log_level = "info";
  bool access_log = true;
  std::string ua_regexes = "/usr/share/uap-core/regexes.yaml";

  struct Mail {
    std::string smtp_url;  // empty: write to the Maildir instead (demo)
    std::string username;
    std::string password;
    bool require_tls = false;
    std::string from_address = "newsroom@masthead.invalid";
    std::string from_name = "Masthead";
    std::string maildir = "var/maildir";
    std::string editors_desk = "editors@masthead.invalid";
    std::string support_desk = "support@masthead.invalid";
    std::string corrections_desk = "corrections@masthead.invalid";
  } mail;

  struct Moderation {
    std::string model;  // empty: found as `masthead moderate score` finds it (data/moderation/)
    std::string rules;
    float nudge = 0.53f;
    float hold = 0.89f;
    float reject = 0.89f;
  } moderation;

  struct Accounts {
    std::string password_hash_cost = "interactive";  // "interactive", "moderate", "minimum" (tests only)
    int session_days = 30;
  } accounts;

  struct Discussion {
    int max_depth = 3;
    int max_comment_bytes = 5000;
    int edit_window_minutes = 15;
    int close_after_days = 14;
    int posts_per_minute = 5;
  } discussion;

  struct Support {
    int reports_per_hour = 5;  // technical-problem reports per network (/24, /48)
  } support;
};

// Sets one key ("server.listen") from its text form. Errors name the key.
Status SetConfigValue(Config& config, const std::string& key, const std::string& value);

// Reads `file` (when given), then the environment (`environment` maps variable
// names to values; pass the process environment in production).
Result<Config> LoadConfig(const std::optional<std::string>& file,
                          const std::map<std::string, std::string>& environment);

std::map<std::string, std::string> ProcessEnvironment();

// Every key with a one-line description, for --help and the README.
std::vector<std::pair<std::string, std::string>> ConfigKeys();

}  // namespace masthead::app
