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
  // Compiled user-agent rules kept between runs (ua/hs_database_cache.h); "": none.
  std::string ua_cache_dir;

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
    bool deliver = true;            // false: this node only writes the outbox; others deliver
    int digest_check_seconds = 60;  // how often due hourly/daily digests are looked for
    // How long a node's claim on a batch of queued mail lasts: when the node
    // dies mid-send, another node sends the batch after this. Must exceed the
    // time one batch can take (20 messages x the SMTP timeout).
    int lease_seconds = 1800;
    // "world=world@example.org, sports=sports@example.org": where messages to the
    // editors about a section's articles go; other sections use editors_desk.
    std::string section_desks;
  } mail;

  struct Accuracy {
    int reminder_days = 3;             // an open case unchanged this long reminds the corrections desk
    int invite_days = 14;              // personal links to the accuracy form work this long
    int reports_per_hour = 5;          // reports and messages per network (/24, /48)
    int reminder_check_seconds = 600;  // how often the serving process looks for waiting cases
  } accuracy;

  struct Moderation {
    std::string model;  // empty: found as `masthead moderate score` finds it (data/moderation/)
    std::string rules;
    float nudge = 0.53f;
    float hold = 0.89f;
    float reject = 0.89f;
    int report_hold_threshold = 3;                      // readers' reports that hold a comment
    std::vector<int> suspension_hours = {24, 72, 168};  // between the warning and the ban
    int premoderate_first_comments = 0;                 // held until a new reader has N published
    int premoderate_after_rejections = 3;               // rejections in the window that start pre-moderation
    int rejection_window_days = 30;
  } moderation;

  struct Accounts {
    std::string password_hash_cost = "interactive";  // "interactive", "moderate", "minimum" (tests only)
    int session_days = 30;
    int login_failures_before_lock = 20;  // attempts in a row without a success
  } accounts;

  struct Discussion {
    int max_depth = 3;
    int max_comment_bytes = 5000;
    int edit_window_minutes = 15;
    int close_after_days = 14;
    int posts_per_minute = 5;
    // Spam and floods (see discussion::DiscussionOptions).
    int network_posts_per_minute = 20;
    int links_before_hold = 2;
    int links_before_refusal = 5;
    int duplicate_window_minutes = 24 * 60;
    int flood_window_minutes = 10;
    int flood_accounts = 3;
    int min_seconds_to_submit = 3;
  } discussion;

  struct Support {
    int reports_per_hour = 5;  // technical-problem reports per network (/24, /48)
  } support;

  struct Questions {
    // How often the server looks for follow-up stories that were published
    // (scheduled, or imported by another process) and mails their questions' watchers.
    int followup_check_seconds = 60;
  } questions;
  struct Newsroom {
    // queue=hours pairs: how soon an inbox item should get an answer.
    std::string response_hours = "held=4, reported=4, appeals=48, accuracy=24, messages=24, support=48";
    int default_response_hours = 24;  // queues not named in response_hours
    int claim_minutes = 30;           // an inbox claim lapses after this long
    int dashboard_days = 7;           // the dashboard's default period
    int deletion_grace_days = 14;     // a deleted account can be kept by logging in this long
    int exports_per_day = 1;          // a reader's own data downloads per 24 hours
    int purge_check_seconds = 3600;   // how often the server makes due deletions final
  } newsroom;
  struct Editorial {
    int publish_check_seconds = 15;  // how often scheduled articles are looked for
  } editorial;

  struct Webhooks {
    std::string urls;    // comma-separated receivers; empty: no webhooks
    std::string secret;  // HMAC-SHA256 key of the X-Masthead-Signature header
    int check_seconds = 2;
  } webhooks;
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
