#include "app/config.h"

#include <toml++/toml.h>

#include "accuracy/accuracy_service.h"
#include "newsroom/inbox.h"
#include "base/text.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>

extern char** environ;

namespace masthead::app {
namespace {

using Setter = std::function<Status(Config&, const std::string&)>;

struct Key {
  const char* name;
  const char* help;
  Setter set;
};

Status Invalid(const std::string& key, const std::string& message) {
  return MakeError(ErrorCode::kInvalidArgument, key + ": " + message, key);
}

Result<long long> ParseInteger(const std::string& key, const std::string& value, long long min,
                               long long max) {
  long long parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size()) {
    return tl::unexpected(Invalid(key, "'" + value + "' is not a whole number").error());
  }
  if (parsed < min || parsed > max) {
    return tl::unexpected(Invalid(key, "must be between " + std::to_string(min) + " and " +
                                           std::to_string(max))
                              .error());
  }
  return parsed;
}

Result<bool> ParseBool(const std::string& key, const std::string& value) {
  if (value == "true" || value == "1" || value == "yes") return true;
  if (value == "false" || value == "0" || value == "no") return false;
  return tl::unexpected(Invalid(key, "'" + value + "' is not true or false").error());
}

Setter Probability(std::string key, std::function<void(Config&, float)> assign) {
  return [key, assign](Config& config, const std::string& value) -> Status {
    char* end = nullptr;
    const float parsed = std::strtof(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !(parsed >= 0.0f && parsed <= 1.0f)) {
      return Invalid(key, "'" + value + "' is not a number between 0 and 1");
    }
    assign(config, parsed);
    return Ok();
  };
}

Setter Integer(std::string key, long long min, long long max,
               std::function<void(Config&, long long)> assign) {
  return [key, min, max, assign](Config& config, const std::string& value) -> Status {
    auto parsed = ParseInteger(key, value, min, max);
    if (!parsed) return tl::unexpected(parsed.error());
    assign(config, *parsed);
    return Ok();
  };
}

Status SetListen(Config& config, const std::string& value) {
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Invalid("server.listen", "'" + value + "' is not HOST:PORT");
  }
  auto port = ParseInteger("server.listen", value.substr(colon + 1), 0, 65535);
  if (!port) return tl::unexpected(port.error());
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  config.server.host = host;
  config.server.port = static_cast<std::uint16_t>(*port);
  return Ok();
}

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      {"server.listen", "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
       SetListen},
      {"server.threads", "event-loop threads (read, serve pages, write), 0 = one per core",
       Integer("server.threads", 0, 256, [](Config& c, long long v) { c.server.threads = static_cast<int>(v); })},
      {"server.write_threads", "threads for requests that change something (they wait for commits), 0 = three per core",
       Integer("server.write_threads", 0, 256,
               [](Config& c, long long v) { c.server.write_threads = static_cast<int>(v); })},
      {"server.header_timeout_seconds", "time a client has to send a request head",
       Integer("server.header_timeout_seconds", 1, 3600,
               [](Config& c, long long v) { c.server.header_timeout = std::chrono::seconds(v); })},
      {"server.body_timeout_seconds", "time a client has to send a request body",
       Integer("server.body_timeout_seconds", 1, 3600,
               [](Config& c, long long v) { c.server.body_timeout = std::chrono::seconds(v); })},
      {"server.idle_timeout_seconds", "keep-alive connections idle longer are closed",
       Integer("server.idle_timeout_seconds", 1, 3600,
               [](Config& c, long long v) { c.server.idle_timeout = std::chrono::seconds(v); })},
      {"server.max_header_bytes", "larger request heads get 431",
       Integer("server.max_header_bytes", 1024, 1 << 20,
               [](Config& c, long long v) { c.server.max_header_bytes = static_cast<std::size_t>(v); })},
      {"server.max_body_bytes", "larger request bodies get 413",
       Integer("server.max_body_bytes", 1024, 1 << 30,
               [](Config& c, long long v) { c.server.max_body_bytes = static_cast<std::size_t>(v); })},
      {"server.max_connections_per_address",
       "open connections one client address may hold, 0 = no limit (set 0 behind a reverse proxy)",
       Integer("server.max_connections_per_address", 0, 1 << 20,
               [](Config& c, long long v) { c.server.max_connections_per_address = static_cast<int>(v); })},
      {"server.trusted_proxies",
       "reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client",
       [](Config& c, const std::string& v) -> Status {
         auto proxies = http::TrustedProxies::Parse(v);
         if (!proxies) return Invalid("server.trusted_proxies", proxies.error().message);
         c.server.trusted_proxies = std::move(*proxies);
         return Ok();
       }},
      {"server.shutdown_grace_seconds", "on SIGTERM, how long requests in flight may take",
       Integer("server.shutdown_grace_seconds", 0, 600,
               [](Config& c, long long v) { c.server.shutdown_grace = std::chrono::seconds(v); })},
      {"database.path", "SQLite database file (created when missing), or a postgres:// URL (several nodes)",
       [](Config& c, const std::string& v) -> Status {
         if (v.empty()) return Invalid("database.path", "must not be empty");
         c.database_path = v;
         return Ok();
       }},
      {"database.synchronous", "'normal' (survives a crash of the process) or 'full' (also power loss)",
       [](Config& c, const std::string& v) -> Status {
         if (v != "normal" && v != "full") return Invalid("database.synchronous", "must be 'normal' or 'full'");
         c.database_synchronous = v;
         return Ok();
       }},
      {"site.title", "the newspaper's name",
       [](Config& c, const std::string& v) -> Status {
         if (v.empty() || v.size() > 200) return Invalid("site.title", "must be 1 to 200 characters");
         c.site.title = v;
         return Ok();
       }},
      {"site.description", "one line for search engines",
       [](Config& c, const std::string& v) -> Status {
         c.site.description = v;
         return Ok();
       }},
      {"site.base_url", "public address, for feeds and links (http(s)://host[:port], no trailing /)",
       [](Config& c, const std::string& v) -> Status {
         if ((v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) || v.back() == '/') {
           return Invalid("site.base_url", "'" + v + "' must start with http:// or https:// and not end with /");
         }
         c.site.base_url = v;
         return Ok();
       }},
      {"site.front_per_section", "articles per section on the front page",
       Integer("site.front_per_section", 1, 50,
               [](Config& c, long long v) { c.site.front_per_section = static_cast<int>(v); })},
      {"log.level", "trace, debug, info, warn or error",
       [](Config& c, const std::string& v) -> Status {
         for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
           if (v == level) {
             c.log_level = v;
             return Ok();
           }
         }
         return Invalid("log.level", "'" + v + "' is not one of trace, debug, info, warn, error");
       }},
      {"log.access_log", "one JSON line per request on standard output",
       [](Config& c, const std::string& v) -> Status {
         auto parsed = ParseBool("log.access_log", v);
         if (!parsed) return tl::unexpected(parsed.error());
         c.access_log = *parsed;
         return Ok();
       }},
      {"mail.smtp_url", "smtp://host:port or smtps://host:port; empty: mail goes to mail.maildir",
       [](Config& c, const std::string& v) -> Status {
         if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0) {
           return Invalid("mail.smtp_url", "'" + v + "' must start with smtp:// or smtps://");
         }
         c.mail.smtp_url = v;
         return Ok();
       }},
      {"mail.username", "SMTP user name (empty: no authentication)",
       [](Config& c, const std::string& v) -> Status { c.mail.username = v; return Ok(); }},
      {"mail.password", "SMTP password",
       [](Config& c, const std::string& v) -> Status { c.mail.password = v; return Ok(); }},
      {"mail.require_tls", "refuse to send without TLS",
       [](Config& c, const std::string& v) -> Status {
         auto parsed = ParseBool("mail.require_tls", v);
         if (!parsed) return tl::unexpected(parsed.error());
         c.mail.require_tls = *parsed;
         return Ok();
       }},
      {"mail.from_address", "sender address of every mail",
       [](Config& c, const std::string& v) -> Status {
         if (v.find('@') == std::string::npos || v.find_first_of("\r\n <>") != std::string::npos) {
           return Invalid("mail.from_address", "'" + v + "' is not an e-mail address");
         }
         c.mail.from_address = v;
         return Ok();
       }},
      {"mail.from_name", "sender name of every mail",
       [](Config& c, const std::string& v) -> Status {
         if (v.find_first_of("\r\n") != std::string::npos) return Invalid("mail.from_name", "must be one line");
         c.mail.from_name = v;
         return Ok();
       }},
      {"mail.maildir", "where mail goes when no SMTP server is configured (read it at /staff/mail)",
       [](Config& c, const std::string& v) -> Status { c.mail.maildir = v; return Ok(); }},
      {"mail.editors_desk", "address of the editors' desk",
       [](Config& c, const std::string& v) -> Status { c.mail.editors_desk = v; return Ok(); }},
      {"mail.support_desk", "address of the technical support desk",
       [](Config& c, const std::string& v) -> Status { c.mail.support_desk = v; return Ok(); }},
      {"mail.corrections_desk", "address of the corrections desk",
       [](Config& c, const std::string& v) -> Status { c.mail.corrections_desk = v; return Ok(); }},
      {"mail.deliver", "deliver queued mail and collect digests on this node (default true)",
       [](Config& c, const std::string& v) -> Status {
         auto parsed = ParseBool("mail.deliver", v);
         if (!parsed) return tl::unexpected(parsed.error());
         c.mail.deliver = *parsed;
         return Ok();
       }},
      {"mail.digest_check_seconds", "how often due hourly and daily digests are collected (default 60)",
       Integer("mail.digest_check_seconds", 1, 3600,
               [](Config& c, long long v) { c.mail.digest_check_seconds = static_cast<int>(v); })},
      {"mail.lease_seconds", "a dead node's claimed mail goes to another node after this (default 1800)",
       Integer("mail.lease_seconds", 1, 86400, [](Config& c, long long v) { c.mail.lease_seconds = static_cast<int>(v); })},
      {"mail.section_desks", "SECTION=ADDRESS pairs, comma-separated: desks for messages to the editors",
       [](Config& c, const std::string& v) -> Status {
         if (auto desks = accuracy::ParseSectionDesks(v); !desks) return Invalid("mail.section_desks", desks.error().message);
         c.mail.section_desks = v;
         return Ok();
       }},
      {"accuracy.reminder_days", "an open accuracy case unchanged this many days reminds the corrections desk",
       Integer("accuracy.reminder_days", 0, 365, [](Config& c, long long v) { c.accuracy.reminder_days = static_cast<int>(v); })},
      {"accuracy.invite_days", "how long a personal link to the accuracy form works",
       Integer("accuracy.invite_days", 1, 365, [](Config& c, long long v) { c.accuracy.invite_days = static_cast<int>(v); })},
      {"accuracy.reports_per_hour", "accuracy reports and messages to the editors per network (/24, /48) per hour",
       Integer("accuracy.reports_per_hour", 1, 1000000, [](Config& c, long long v) { c.accuracy.reports_per_hour = static_cast<int>(v); })},
      {"accuracy.reminder_check_seconds", "how often the server looks for accuracy cases that waited too long",
       Integer("accuracy.reminder_check_seconds", 1, 86400, [](Config& c, long long v) { c.accuracy.reminder_check_seconds = static_cast<int>(v); })},
      {"accounts.password_hash_cost", "interactive (default), moderate, or minimum (test suites only)",
       [](Config& c, const std::string& v) -> Status {
         if (v != "interactive" && v != "moderate" && v != "minimum") {
           return Invalid("accounts.password_hash_cost", "must be interactive, moderate or minimum");
         }
         c.accounts.password_hash_cost = v;
         return Ok();
       }},
      {"accounts.session_days", "how long a log-in lasts",
       Integer("accounts.session_days", 1, 365, [](Config& c, long long v) { c.accounts.session_days = static_cast<int>(v); })},
      {"accounts.login_failures_before_lock",
       "log-in attempts in a row without a success that lock an account for a day (the owner is mailed)",
       Integer("accounts.login_failures_before_lock", 3, 1000000,
               [](Config& c, long long v) { c.accounts.login_failures_before_lock = static_cast<int>(v); })},
      {"discussion.max_depth", "reply nesting limit; deeper replies attach at this level",
       Integer("discussion.max_depth", 1, 10, [](Config& c, long long v) { c.discussion.max_depth = static_cast<int>(v); })},
      {"discussion.max_comment_bytes", "longest comment accepted",
       Integer("discussion.max_comment_bytes", 100, 100000, [](Config& c, long long v) { c.discussion.max_comment_bytes = static_cast<int>(v); })},
      {"discussion.edit_window_minutes", "how long authors may edit a comment",
       Integer("discussion.edit_window_minutes", 0, 10080, [](Config& c, long long v) { c.discussion.edit_window_minutes = static_cast<int>(v); })},
      {"discussion.close_after_days", "discussions close by themselves after this many days (0: never)",
       Integer("discussion.close_after_days", 0, 36500, [](Config& c, long long v) { c.discussion.close_after_days = static_cast<int>(v); })},
      {"discussion.posts_per_minute", "comments one reader may post per minute",
       Integer("discussion.posts_per_minute", 1, 1000000, [](Config& c, long long v) { c.discussion.posts_per_minute = static_cast<int>(v); })},
      {"discussion.network_posts_per_minute", "comments all readers behind one network (IPv4 /24, IPv6 /48) may post per minute",
       Integer("discussion.network_posts_per_minute", 1, 1000000, [](Config& c, long long v) { c.discussion.network_posts_per_minute = static_cast<int>(v); })},
      {"discussion.links_before_hold", "a comment with more links than this waits for a moderator",
       Integer("discussion.links_before_hold", 0, 1000, [](Config& c, long long v) { c.discussion.links_before_hold = static_cast<int>(v); })},
      {"discussion.links_before_refusal", "a comment with more links than this is refused",
       Integer("discussion.links_before_refusal", 0, 1000, [](Config& c, long long v) { c.discussion.links_before_refusal = static_cast<int>(v); })},
      {"discussion.duplicate_window_minutes", "a reader posting the same text again within this time is refused",
       Integer("discussion.duplicate_window_minutes", 0, 525600, [](Config& c, long long v) { c.discussion.duplicate_window_minutes = static_cast<int>(v); })},
      {"discussion.flood_window_minutes", "the window in which the same text from flood_accounts accounts is held",
       Integer("discussion.flood_window_minutes", 0, 525600, [](Config& c, long long v) { c.discussion.flood_window_minutes = static_cast<int>(v); })},
      {"discussion.flood_accounts", "this many accounts posting the same text within flood_window_minutes: held",
       Integer("discussion.flood_accounts", 2, 1000000, [](Config& c, long long v) { c.discussion.flood_accounts = static_cast<int>(v); })},
      {"discussion.min_seconds_to_submit", "seconds between showing the comment form and accepting it (0: no check)",
       Integer("discussion.min_seconds_to_submit", 0, 3600, [](Config& c, long long v) { c.discussion.min_seconds_to_submit = static_cast<int>(v); })},
      {"support.reports_per_hour", "technical-problem reports one network (IPv4 /24, IPv6 /48) may send per hour",
       Integer("support.reports_per_hour", 1, 1000000, [](Config& c, long long v) { c.support.reports_per_hour = static_cast<int>(v); })},
      {"questions.followup_check_seconds", "seconds between looks for published follow-up stories to mail about",
       Integer("questions.followup_check_seconds", 1, 86400, [](Config& c, long long v) { c.questions.followup_check_seconds = static_cast<int>(v); })},
      {"newsroom.response_hours", "QUEUE=HOURS pairs, comma-separated: how soon inbox items should be answered (held, reported, appeals, accuracy, messages, support)",
       [](Config& c, const std::string& v) -> Status {
         if (auto hours = newsroom::ParseResponseHours(v); !hours) return Invalid("newsroom.response_hours", hours.error().message);
         c.newsroom.response_hours = v;
         return Ok();
       }},
      {"newsroom.default_response_hours", "hours to answer items of inbox queues not named in newsroom.response_hours",
       Integer("newsroom.default_response_hours", 1, 8760, [](Config& c, long long v) { c.newsroom.default_response_hours = static_cast<int>(v); })},
      {"newsroom.claim_minutes", "how long a claim on an inbox item lasts unless renewed",
       Integer("newsroom.claim_minutes", 1, 1440, [](Config& c, long long v) { c.newsroom.claim_minutes = static_cast<int>(v); })},
      {"newsroom.dashboard_days", "the period the dashboard shows unless another is chosen",
       Integer("newsroom.dashboard_days", 1, 365, [](Config& c, long long v) { c.newsroom.dashboard_days = static_cast<int>(v); })},
      {"newsroom.deletion_grace_days", "days between a deletion request and the final anonymisation; logging in cancels it",
       Integer("newsroom.deletion_grace_days", 0, 365, [](Config& c, long long v) { c.newsroom.deletion_grace_days = static_cast<int>(v); })},
      {"newsroom.exports_per_day", "how often a reader may download their own data per 24 hours",
       Integer("newsroom.exports_per_day", 1, 100, [](Config& c, long long v) { c.newsroom.exports_per_day = static_cast<int>(v); })},
      {"newsroom.purge_check_seconds", "how often the server makes account deletions final whose grace period ended",
       Integer("newsroom.purge_check_seconds", 1, 86400, [](Config& c, long long v) { c.newsroom.purge_check_seconds = static_cast<int>(v); })},
      {"editorial.publish_check_seconds", "how often the server looks for scheduled articles whose time came",
       Integer("editorial.publish_check_seconds", 1, 3600, [](Config& c, long long v) { c.editorial.publish_check_seconds = static_cast<int>(v); })},
      {"webhooks.urls", "comma-separated URLs that receive signed webhooks (empty: none)",
       [](Config& c, const std::string& v) -> Status { c.webhooks.urls = v; return Ok(); }},
      {"webhooks.secret", "the key webhook bodies are signed with (HMAC-SHA256)",
       [](Config& c, const std::string& v) -> Status { c.webhooks.secret = v; return Ok(); }},
      {"webhooks.check_seconds", "how often the webhook queue is looked at",
       Integer("webhooks.check_seconds", 1, 3600, [](Config& c, long long v) { c.webhooks.check_seconds = static_cast<int>(v); })},
      {"moderation.model", "the fastText bullying model (default: data/moderation/bullying.ftz)",
       [](Config& c, const std::string& v) -> Status { c.moderation.model = v; return Ok(); }},
      {"moderation.rules", "the word rules (default: data/moderation/word_rules.txt)",
       [](Config& c, const std::string& v) -> Status { c.moderation.rules = v; return Ok(); }},
      {"moderation.nudge", "score above which a writer is asked to reconsider",
       Probability("moderation.nudge", [](Config& c, float v) { c.moderation.nudge = v; })},
      {"moderation.hold", "score above which a comment waits for a moderator",
       Probability("moderation.hold", [](Config& c, float v) { c.moderation.hold = v; })},
      {"moderation.reject", "score above which a comment is refused",
       Probability("moderation.reject", [](Config& c, float v) { c.moderation.reject = v; })},
      {"moderation.report_hold_threshold", "readers' reports that hold a published comment for a moderator",
       Integer("moderation.report_hold_threshold", 1, 1000, [](Config& c, long long v) { c.moderation.report_hold_threshold = static_cast<int>(v); })},
      {"moderation.suspension_hours", "the suspensions between a warning and a ban, in hours (\"24,72,168\")",
       [](Config& c, const std::string& v) -> Status {
         std::vector<int> hours;
         std::size_t start = 0;
         while (start <= v.size()) {
           const std::size_t comma = std::min(v.find(',', start), v.size());
           const std::string part(TrimWhitespace(std::string_view(v).substr(start, comma - start)));
           if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos ||
               std::stoi(part) < 1) {
             return Invalid("moderation.suspension_hours", "'" + v + "' must be hours separated by commas, e.g. 24,72,168");
           }
           hours.push_back(std::stoi(part));
           start = comma + 1;
         }
         c.moderation.suspension_hours = hours;
         return Ok();
       }},
      {"moderation.premoderate_first_comments", "a new reader's comments wait for a moderator until this many are published (0: never)",
       Integer("moderation.premoderate_first_comments", 0, 1000, [](Config& c, long long v) { c.moderation.premoderate_first_comments = static_cast<int>(v); })},
      {"moderation.premoderate_after_rejections", "rejections within the window after which a reader is pre-moderated (0: never)",
       Integer("moderation.premoderate_after_rejections", 0, 1000, [](Config& c, long long v) { c.moderation.premoderate_after_rejections = static_cast<int>(v); })},
      {"moderation.rejection_window_days", "how far back rejections count for pre-moderation",
       Integer("moderation.rejection_window_days", 1, 3650, [](Config& c, long long v) { c.moderation.rejection_window_days = static_cast<int>(v); })},
      {"ua.regexes", "uap-core regexes.yaml for browser detection",
       [](Config& c, const std::string& v) -> Status {
         c.ua_regexes = v;
         return Ok();
       }},
      {"ua.cache_dir", "directory for the compiled rules, so a restart takes milliseconds instead of seconds (empty: none)",
       [](Config& c, const std::string& v) -> Status {
         c.ua_cache_dir = v;
         return Ok();
       }},
  };
  return keys;
}

std::optional<std::string> TomlValueText(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  return std::nullopt;
}

}  // namespace

Status SetConfigValue(Config& config, const std::string& key, const std::string& value) {
  for (const auto& known : Keys()) {
    if (key == known.name) return known.set(config, value);
  }
  return MakeError(ErrorCode::kInvalidArgument, "unknown configuration key '" + key + "'", key);
}

Result<Config> LoadConfig(const std::optional<std::string>& file,
                          const std::map<std::string, std::string>& environment) {
  Config config;
  if (file) {
    toml::table table;
    try {
      table = toml::parse_file(*file);
    } catch (const toml::parse_error& error) {
      return MakeError(ErrorCode::kInvalidArgument,
                       *file + ":" + std::to_string(error.source().begin.line) + ": " +
                           std::string(error.description()));
    }
    for (const auto& [section, node] : table) {
      const auto* section_table = node.as_table();
      if (!section_table) {
        return MakeError(ErrorCode::kInvalidArgument,
                         *file + ": '" + std::string(section.str()) + "' must be a [section]",
                         std::string(section.str()));
      }
      for (const auto& [key, value] : *section_table) {
        const std::string full = std::string(section.str()) + "." + std::string(key.str());
        auto text = TomlValueText(value);
        if (!text) {
          return MakeError(ErrorCode::kInvalidArgument,
                           *file + ": " + full + ": expected a string, number or boolean", full);
        }
        if (auto set = SetConfigValue(config, full, *text); !set) {
          Error error = set.error();
          error.message = *file + ": " + error.message;
          return tl::unexpected(error);
        }
      }
    }
  }
  // MASTHEAD_SERVER_LISTEN -> server.listen. Variables whose second part is not
  // a section (MASTHEAD_SOURCE_DIR in tests) belong to something else.
  for (const auto& [name, value] : environment) {
    if (name.rfind("MASTHEAD_", 0) != 0) continue;
    std::string rest = name.substr(9);
    for (char& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t underscore = rest.find('_');
    if (underscore == std::string::npos) continue;
    const std::string section = rest.substr(0, underscore);
    bool known_section = false;
    for (const auto& key : Keys()) {
      if (std::string(key.name).rfind(section + ".", 0) == 0) known_section = true;
    }
    if (!known_section) continue;
    const std::string key = section + "." + rest.substr(underscore + 1);
    if (auto set = SetConfigValue(config, key, value); !set) {
      Error error = set.error();
      error.message = "environment " + name + ": " + error.message;
      return tl::unexpected(error);
    }
  }
  return config;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const std::size_t eq = text.find('=');
    if (eq != std::string::npos) environment[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return environment;
}

std::vector<std::pair<std::string, std::string>> ConfigKeys() {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& key : Keys()) keys.emplace_back(key.name, key.help);
  return keys;
}

}  // namespace masthead::app
