#include "mail/notification.h"

#include <array>
#include <vector>

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>

#include "base/html.h"
#include "base/text.h"
#include "mail/sanitize.h"

namespace masthead::mail {
namespace {

namespace mustache = kainjow::mustache;

struct KindSpec {
  NotificationKind kind;
  std::string_view name;
  std::vector<std::string_view> required;  // besides the common ones
  std::vector<std::string_view> optional;
  std::string_view subject;  // rendered unescaped, then SanitizeForMailHeader
  std::string_view text;     // rendered unescaped: it is text/plain
  std::string_view html;     // rendered with HTML escaping, inside kHtmlLayout
};

constexpr std::array<std::string_view, 2> kCommonRequired = {"site_name", "settings_url"};
constexpr std::array<std::string_view, 2> kCommonOptional = {"recipient_name",
                                                             "unsubscribe_url"};
// Values that must fit on one line (they appear in subjects and greetings).
constexpr std::array<std::string_view, 6> kLineFields = {
    "site_name", "recipient_name", "actor_name", "article_title", "desk_name", "decision"};

// User text sits in pre-wrap blocks so its line breaks survive without markup of
// ours mixed into it.
constexpr std::string_view kQuoteStyle =
    "white-space:pre-wrap;border-left:3px solid #ccc;margin:1em 0;padding-left:1em";

const std::vector<KindSpec>& Specs() {
  static const std::vector<KindSpec> specs = {
      {NotificationKind::kReply, "reply", {"actor_name", "article_title", "article_url", "excerpt"}, {},
       "{{actor_name}} replied to your comment on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D",
       "{{actor_name}} replied to your comment on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D:\n\n"
       "{{excerpt}}\n\nRead the discussion: {{article_url}}\n",
       "<p>{{actor_name}} replied to your comment on "
       "<a href=\"{{article_url}}\">{{article_title}}</a>:</p>\n"
       "<blockquote style=\"QUOTE\">{{excerpt}}</blockquote>\n"
       "<p><a href=\"{{article_url}}\">Read the discussion</a></p>\n"},
      {NotificationKind::kAnswer, "answer", {"article_title", "article_url", "question", "answer"}, {},
       "A question on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D was answered",
       "The newsroom answered a question you asked or voted for on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D.\n\n"
       "The question:\n{{question}}\n\nThe answer:\n{{answer}}\n\nRead it on the page: {{article_url}}\n",
       "<p>The newsroom answered a question you asked or voted for on "
       "<a href=\"{{article_url}}\">{{article_title}}</a>.</p>\n"
       "<p>The question:</p>\n<blockquote style=\"QUOTE\">{{question}}</blockquote>\n"
       "<p>The answer:</p>\n<blockquote style=\"QUOTE\">{{answer}}</blockquote>\n"},
      {NotificationKind::kFollowUp, "followup",
       {"article_title", "article_url", "question", "followup_title", "followup_url"}, {},
       "A follow-up story answers a question on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D",
       "The newsroom answered a question you asked or voted for on \xE2\x80\x9C{{article_title}}\xE2\x80\x9D "
       "in a follow-up story.\n\nThe question:\n{{question}}\n\nThe follow-up: {{followup_title}}\n"
       "{{followup_url}}\n\nThe original story: {{article_url}}\n",
       "<p>The newsroom answered a question you asked or voted for on "
       "<a href=\"{{article_url}}\">{{article_title}}</a> in a follow-up story.</p>\n"
       "<p>The question:</p>\n<blockquote style=\"QUOTE\">{{question}}</blockquote>\n"
       "<p>The follow-up: <a href=\"{{followup_url}}\">{{followup_title}}</a></p>\n"},
      {NotificationKind::kDecision, "decision", {"decision", "excerpt", "reason"}, {"appeal_url"},
       "A moderation decision about your comment: {{decision}}",
       "Your comment was {{decision}}.\n\nYour comment:\n{{excerpt}}\n\nWhy:\n{{reason}}\n"
       "{{#appeal_url}}\nYou can appeal: {{appeal_url}}\n{{/appeal_url}}",
       "<p>Your comment was {{decision}}.</p>\n"
       "<p>Your comment:</p>\n<blockquote style=\"QUOTE\">{{excerpt}}</blockquote>\n"
       "<p>Why:</p>\n<blockquote style=\"QUOTE\">{{reason}}</blockquote>\n"
       "{{#appeal_url}}<p><a href=\"{{appeal_url}}\">Appeal this decision</a></p>\n{{/appeal_url}}"},
      {NotificationKind::kEditorReply, "editor_reply", {"desk_name", "original", "reply"}, {},
       "{{desk_name}} answered your message",
       "{{desk_name}} answered your message.\n\n{{reply}}\n\nYou wrote:\n{{original}}\n",
       "<p>{{desk_name}} answered your message.</p>\n"
       "<blockquote style=\"QUOTE\">{{reply}}</blockquote>\n"
       "<p>You wrote:</p>\n<blockquote style=\"QUOTE\">{{original}}</blockquote>\n"},
      {NotificationKind::kTest, "test", {}, {},
       "Test message from {{site_name}}",
       "This is a test message from {{site_name}}. Mail delivery works.\n",
       "<p>This is a test message from {{site_name}}. Mail delivery works.</p>\n"},
  };
  return specs;
}

constexpr std::string_view kTextLayout =
    "{{#recipient_name}}Hello {{recipient_name}},\n\n{{/recipient_name}}"
    "{{{body}}}\n-- \n"
    "You get this mail from {{site_name}} because of your notification settings.\n"
    "Change which mails you get and how often: {{settings_url}}\n"
    "{{#unsubscribe_url}}Unsubscribe from these mails: {{unsubscribe_url}}\n{{/unsubscribe_url}}";

// {{{body}}} is the already-escaped rendering of the kind's HTML template.
constexpr std::string_view kHtmlLayout =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{{subject}}</title></head>\n"
    "<body style=\"font-family:Georgia,serif;line-height:1.5;color:#222;max-width:40em\">\n"
    "{{#recipient_name}}<p>Hello {{recipient_name}},</p>\n{{/recipient_name}}"
    "{{{body}}}"
    "<hr>\n<p style=\"font-size:small;color:#555\">You get this mail from {{site_name}} "
    "because of your notification settings. "
    "<a href=\"{{settings_url}}\">Change which mails you get and how often</a>"
    "{{#unsubscribe_url}} \xC2\xB7 <a href=\"{{unsubscribe_url}}\">Unsubscribe</a>"
    "{{/unsubscribe_url}}</p>\n</body></html>\n";

bool Contains(const auto& list, std::string_view key) {
  for (std::string_view item : list) {
    if (item == key) return true;
  }
  return false;
}

Result<std::string> Render(std::string_view source, const mustache::data& data, bool html) {
  // Parsing a template costs more than rendering it, and mail is composed inside
  // the request that causes it: each thread keeps its parsed copies (kainjow
  // templates hold render state, so they are not shared between threads).
  thread_local std::map<std::pair<std::string, bool>, std::unique_ptr<mustache::mustache>> parsed;
  auto key = std::make_pair(std::string(source), html);
  auto found = parsed.find(key);
  if (found == parsed.end()) {
    auto tmpl = std::make_unique<mustache::mustache>(std::string(source));
    if (!tmpl->is_valid()) {
      return MakeError(ErrorCode::kInternal, "mail template: " + tmpl->error_message());
    }
    if (html) {
      tmpl->set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
    } else {
      tmpl->set_custom_escape([](const std::string& s) { return s; });
    }
    found = parsed.emplace(std::move(key), std::move(tmpl)).first;
  }
  return found->second->render(data);
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

bool IsLoopbackHttp(std::string_view url) {
  std::string lower = ToLowerAscii(url);
  return StartsWith(lower, "http://localhost/") || StartsWith(lower, "http://localhost:") ||
         StartsWith(lower, "http://127.0.0.1/") || StartsWith(lower, "http://127.0.0.1:");
}

}  // namespace

std::string_view NotificationKindName(NotificationKind kind) {
  for (const KindSpec& spec : Specs()) {
    if (spec.kind == kind) return spec.name;
  }
  return "unknown";
}

namespace {

const KindSpec* FindSpec(NotificationKind kind) {
  for (const KindSpec& candidate : Specs()) {
    if (candidate.kind == kind) return &candidate;
  }
  return nullptr;
}

// Checks the fields of a kind (required keys present, no unknown key, our links
// well-formed) and, when `sanitise`, builds the template data from them with user
// text sanitised; otherwise returns empty data (a check at enqueue).
Result<mustache::data> TemplateData(const KindSpec& spec, const NotificationFields& fields,
                                    bool sanitise = true) {
  for (const auto& list : {std::vector<std::string_view>(kCommonRequired.begin(), kCommonRequired.end()),
                           spec.required}) {
    for (std::string_view key : list) {
      auto it = fields.find(key);
      if (it == fields.end() || TrimWhitespace(it->second).empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         std::string(key) + " is required for " + std::string(spec.name) + " mail",
                         std::string(key));
      }
    }
  }
  mustache::data data;
  for (const auto& [key, value] : fields) {
    if (!Contains(kCommonRequired, key) && !Contains(kCommonOptional, key) &&
        !Contains(spec.required, key) && !Contains(spec.optional, key)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       key + " is not a field of " + std::string(spec.name) + " mail", key);
    }
    if (value.empty()) continue;  // an empty optional renders as absent
    if (key.size() > 4 && key.ends_with("_url")) {
      // Our own links; a bad one is a bug upstream, never something to repair.
      if (!IsSafeWebUrl(value)) {
        return MakeError(ErrorCode::kInvalidArgument, key + " must be an absolute http(s) URL",
                         key);
      }
      if (sanitise) data.set(key, value);
    } else if (!sanitise) {
      continue;
    } else if (Contains(kLineFields, key)) {
      data.set(key, SanitizeForMailHeader(value));
    } else {
      data.set(key, SanitizeForMail(value));
    }
  }
  return data;
}

// The headers a notification carries besides the rendered parts.
Result<Message> EnvelopeMessage(const NotificationEnvelope& envelope) {
  Message message;
  message.from = envelope.from;
  message.to = envelope.to;
  message.reply_to = envelope.reply_to;
  message.date = envelope.date;
  if (!envelope.unsubscribe_url.empty() || !envelope.unsubscribe_mailto.empty()) {
    MASTHEAD_RETURN_IF_ERROR(
        AddListUnsubscribe(message, envelope.unsubscribe_url, envelope.unsubscribe_mailto));
  }
  if (!envelope.message_id.empty()) {
    message.message_id = envelope.message_id;
  } else {
    auto id = NewMessageId(envelope.message_id_domain);
    if (!id) return tl::unexpected(id.error());
    message.message_id = std::move(*id);
  }
  return message;
}

}  // namespace

Result<NotificationKind> NotificationKindFromName(std::string_view name) {
  for (const KindSpec& spec : Specs()) {
    if (spec.name == name) return spec.kind;
  }
  return MakeError(ErrorCode::kInvalidArgument, "unknown notification kind", "kind");
}

namespace {

// The kind's own parts, before the layout: subject, text and escaped HTML.
Result<RenderedMail> RenderParts(const KindSpec& spec, const mustache::data& data) {
  RenderedMail parts;
  auto subject = Render(spec.subject, data, /*html=*/false);
  if (!subject) return tl::unexpected(subject.error());
  parts.subject = SanitizeForMailHeader(*subject, 250);
  auto text = Render(spec.text, data, /*html=*/false);
  if (!text) return tl::unexpected(text.error());
  auto html = Render(ReplaceAll(std::string(spec.html), "QUOTE", kQuoteStyle), data, true);
  if (!html) return tl::unexpected(html.error());
  parts.text_body = std::move(*text);
  parts.html_body = std::move(*html);
  return parts;
}

// Wraps rendered parts in the greeting and the settings footer every mail has.
Result<RenderedMail> ApplyLayout(mustache::data layout, RenderedMail parts) {
  layout.set("subject", parts.subject);
  layout.set("body", parts.text_body);
  auto text_body = Render(kTextLayout, layout, /*html=*/false);
  if (!text_body) return tl::unexpected(text_body.error());
  layout.set("body", parts.html_body);
  auto html_body = Render(kHtmlLayout, layout, /*html=*/true);
  if (!html_body) return tl::unexpected(html_body.error());
  parts.text_body = std::move(*text_body);
  parts.html_body = std::move(*html_body);
  return parts;
}

Result<Message> Assemble(RenderedMail rendered, const NotificationEnvelope& envelope) {
  auto message = EnvelopeMessage(envelope);
  if (!message) return tl::unexpected(message.error());
  message->subject = std::move(rendered.subject);
  message->text_body = std::move(rendered.text_body);
  message->html_body = std::move(rendered.html_body);
  MASTHEAD_RETURN_IF_ERROR(ValidateMessage(*message));
  return message;
}

}  // namespace

Result<RenderedMail> RenderNotification(NotificationKind kind, const NotificationFields& fields) {
  const KindSpec* spec = FindSpec(kind);
  if (spec == nullptr) return MakeError(ErrorCode::kInvalidArgument, "unknown kind", "kind");
  auto data = TemplateData(*spec, fields);
  if (!data) return tl::unexpected(data.error());
  auto parts = RenderParts(*spec, *data);
  if (!parts) return tl::unexpected(parts.error());
  return ApplyLayout(*data, std::move(*parts));
}

Status AddListUnsubscribe(Message& message, std::string_view https_url, std::string_view mailto) {
  bool https = StartsWith(ToLowerAscii(https_url), "https://");
  if (!IsSafeWebUrl(https_url) || (!https && !IsLoopbackHttp(https_url)) ||
      https_url.find(',') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unsubscribe_url must be an https URL (RFC 8058)", "unsubscribe_url");
  }
  std::string_view spec = mailto;
  if (!StartsWith(ToLowerAscii(spec), "mailto:")) {
    return MakeError(ErrorCode::kInvalidArgument, "unsubscribe_mailto must start with mailto:",
                     "unsubscribe_mailto");
  }
  spec.remove_prefix(7);
  std::size_t query = spec.find('?');
  MASTHEAD_RETURN_IF_ERROR(
      ValidateAddress(Address{"", std::string(spec.substr(0, query))}, "unsubscribe_mailto"));
  if (query != std::string_view::npos) {
    for (char c : spec.substr(query + 1)) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~%=&+").find(c) != std::string_view::npos;
      if (!ok) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "unsubscribe_mailto query must be percent-encoded", "unsubscribe_mailto");
      }
    }
  }
  message.headers.push_back(
      {"List-Unsubscribe", "<" + std::string(https_url) + ">, <" + std::string(mailto) + ">"});
  message.headers.push_back({"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"});
  return Ok();
}

Result<Message> ComposeNotification(NotificationKind kind, const NotificationFields& fields,
                                    const NotificationEnvelope& envelope) {
  auto rendered = RenderNotification(kind, fields);
  if (!rendered) return tl::unexpected(rendered.error());
  return Assemble(std::move(*rendered), envelope);
}

Result<Message> ComposeDigest(std::string_view period, const NotificationFields& common,
                              const std::vector<DigestEntry>& entries,
                              const NotificationEnvelope& envelope) {
  if (entries.empty()) return MakeError(ErrorCode::kInvalidArgument, "a digest needs entries", "entries");
  if (period != "hourly" && period != "daily") {
    return MakeError(ErrorCode::kInvalidArgument, "period must be hourly or daily", "period");
  }
  const KindSpec* test_spec = FindSpec(NotificationKind::kTest);  // common fields only
  auto layout = TemplateData(*test_spec, common);
  if (!layout) return tl::unexpected(layout.error());
  RenderedMail digest;
  for (const DigestEntry& entry : entries) {
    const KindSpec* spec = FindSpec(entry.kind);
    if (spec == nullptr) return MakeError(ErrorCode::kInvalidArgument, "unknown kind", "kind");
    auto data = TemplateData(*spec, entry.fields);
    if (!data) return tl::unexpected(data.error());
    auto parts = RenderParts(*spec, *data);
    if (!parts) return tl::unexpected(parts.error());
    if (!digest.text_body.empty()) {
      digest.text_body += "\n* * *\n\n";
      digest.html_body += "<hr>\n";
    }
    digest.text_body += parts->text_body;
    digest.html_body += parts->html_body;
  }
  const std::string count = std::to_string(entries.size());
  digest.subject = SanitizeForMailHeader(
      "Your " + std::string(period) + " digest from " + common.find("site_name")->second + ": " + count +
          (entries.size() == 1 ? " notification" : " notifications"),
      250);
  auto rendered = ApplyLayout(*layout, std::move(digest));
  if (!rendered) return tl::unexpected(rendered.error());
  return Assemble(std::move(*rendered), envelope);
}

Status ValidateNotification(NotificationKind kind, const NotificationFields& fields,
                            const NotificationEnvelope& envelope) {
  const KindSpec* spec = FindSpec(kind);
  if (spec == nullptr) return MakeError(ErrorCode::kInvalidArgument, "unknown kind", "kind");
  auto checked = TemplateData(*spec, fields, /*sanitise=*/false);
  if (!checked) return tl::unexpected(checked.error());
  auto message = EnvelopeMessage(envelope);
  if (!message) return tl::unexpected(message.error());
  // The parts are rendered later; a placeholder lets every header be checked now.
  message->text_body = " ";
  return ValidateMessage(*message);
}

}  // namespace masthead::mail
