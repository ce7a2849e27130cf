#include "pages/support_pages.h"

#include "base/network.h"
#include "base/time.h"
#include "base/utf8.h"
#include "http/status.h"
#include "ua/client_hints.h"
#include "ua/environment.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

std::optional<std::string> HeaderValue(const http::Request& request, std::string_view name) {
  const std::string_view value = request.Header(name);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

std::string Joined(const std::string& name, const std::string& version) {
  if (name.empty()) return "unknown";
  return version.empty() ? name : name + " " + version;
}

// What uap-core's rules and the client hints say about the request's browser;
// empty while the rules are still loading.
std::optional<ua::Environment> Describe(const http::Request& request, const ua::Parser* parser) {
  if (parser == nullptr) return std::nullopt;
  const std::string_view user_agent = request.Header("user-agent");
  ua::ClientHintHeaders headers;
  headers.ua = HeaderValue(request, ua::kHeaderUa);
  headers.full_version_list = HeaderValue(request, ua::kHeaderFullVersionList);
  headers.platform = HeaderValue(request, ua::kHeaderPlatform);
  headers.platform_version = HeaderValue(request, ua::kHeaderPlatformVersion);
  headers.model = HeaderValue(request, ua::kHeaderModel);
  headers.arch = HeaderValue(request, ua::kHeaderArch);
  headers.bitness = HeaderValue(request, ua::kHeaderBitness);
  headers.mobile = HeaderValue(request, ua::kHeaderMobile);
  return ua::DescribeEnvironment(user_agent, parser->Parse(user_agent), ua::ParseClientHints(headers));
}

std::string DeviceText(const ua::Environment& env) {
  std::string device(ua::DeviceTypeName(env.device_type));
  if (!env.device_model.empty()) device += " (" + Joined(env.device_brand, env.device_model) + ")";
  return device;
}

// The headers Client Hints arrive in, as "name: value" lines for the ticket.
std::string ClientHintLines(const http::Request& request) {
  std::string lines;
  for (std::string_view name : {ua::kHeaderUa, ua::kHeaderFullVersionList, ua::kHeaderPlatform,
                                ua::kHeaderPlatformVersion, ua::kHeaderModel, ua::kHeaderArch,
                                ua::kHeaderBitness, ua::kHeaderMobile}) {
    const std::string_view value = request.Header(name);
    if (!value.empty()) lines += std::string(name) + ": " + std::string(value) + "\n";
  }
  return lines;
}

Data Field(const std::string& name, const std::string& label, const std::string& value,
           const std::string& bad_field, const std::string& hint = "") {
  Data field;
  field.set("name", name);
  field.set("label", label);
  field.set("value", value);
  field.set("type", name == "email" ? "email" : "text");
  if (name == "email") field.set("autocomplete", "email");
  if (!hint.empty()) field.set("hint", hint);
  if (name == bad_field) field.set("invalid", true);
  return field;
}

// Filled in by browser.js when empty: what only the browser knows.
Data BrowserFilledField(const std::string& name, const std::string& label, const std::string& value,
                        const std::string& bad_field) {
  Data field = Field(name, label, value, bad_field);
  field.set("fill", name);
  return field;
}

}  // namespace

std::string_view AcceptClientHints() { return ua::kAcceptChHeaderValue; }

store::SupportEnvironment SupportPages::Detect(const http::Request& request) const {
  store::SupportEnvironment env;
  const std::string_view accept_language = request.Header("accept-language");
  env.language = std::string(accept_language.substr(0, 100));
  env.user_agent = support::KeepHeaderText(request.Header("user-agent"));
  env.client_hints = support::KeepHeaderText(ClientHintLines(request));
  if (auto described = Describe(request, parser_())) {
    env.device = DeviceText(*described);
    env.os = Joined(described->os_name, described->os_version);
    env.browser = Joined(described->browser_name, described->browser_version);
    env.detected = support::KeepHeaderText(described->Summary());
  } else {
    env.detected = "not detected (the detection rules were still loading)";
  }
  return env;
}

http::Response SupportPages::Page(int status, WebContext& context, const std::string& title,
                                  const std::string& name, Data& data) {
  web_.EnsureCsrf(context);
  data.set("csrf", context.csrf);
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage(name, data, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response SupportPages::MyBrowser(const http::Request& request) {
  const std::string user_agent(request.Header("user-agent"));
  Data page;
  page.set("user_agent", user_agent.empty() ? std::string("(none sent)") : user_agent);
  const auto accept_language = request.Header("accept-language");
  page.set("language", accept_language.empty() ? std::string("unknown") : std::string(accept_language.substr(0, 100)));
  if (auto env = Describe(request, parser_())) {
    page.set("device", DeviceText(*env));
    page.set("os", Joined(env->os_name, env->os_version));
    page.set("browser", Joined(env->browser_name, env->browser_version));
    page.set("summary", env->Summary());
    page.set("summary_encoded", http::PercentEncode(env->Summary()));
  } else {
    page.set("device", "not known yet (the detection rules are loading; reload in a moment)");
    page.set("os", "not known yet");
    page.set("browser", "not known yet");
    page.set("summary", user_agent);
    page.set("summary_encoded", http::PercentEncode(user_agent));
  }
  const auto query = http::ParseForm(request.query);
  if (auto shared = query.find("summary"); shared != query.end() && !shared->second.empty()) {
    page.set("shared", shared->second.substr(0, 500));  // escaped by the template
  }
  Data layout = site_.LayoutData("What is my browser? · " + site_.options().title, "");
  http::Response response = http::Response::Html(200, RenderPage("my_browser", page, layout));
  response.SetHeader("Accept-CH", std::string(ua::kAcceptChHeaderValue));
  // Chrome retries the request once with these hints when they are missing.
  response.SetHeader("Critical-CH", "Sec-CH-UA-Platform-Version, Sec-CH-UA-Full-Version-List");
  response.SetHeader("Vary", "User-Agent, Sec-CH-UA, Sec-CH-UA-Platform, Sec-CH-UA-Platform-Version, "
                             "Sec-CH-UA-Full-Version-List, Sec-CH-UA-Model, Sec-CH-UA-Mobile");
  response.SetHeader("Cache-Control", "private, no-store");
  return response;
}

namespace {

// The report form: empty but for the detected environment, or re-shown with
// everything as typed and the field at fault named. Values are escaped by the
// template; invalid UTF-8 is repaired only for showing.
Data ReportFormData(const support::Report& report, const std::string& article_headline,
                    const Error* error) {
  const std::string bad = error ? error->field : std::string();
  Data form;
  if (error) form.set("error", error->message);
  form.set("article", ReplaceInvalidUtf8(report.article));
  if (!article_headline.empty()) form.set("article_headline", article_headline);
  auto shown = [](const std::string& text) { return ReplaceInvalidUtf8(text); };
  Data fields{Data::type::list};
  Data problem = Field("problem", "What went wrong?", shown(report.problem), bad,
                       "What did you expect, and what happened instead? Quote any error message.");
  problem.set("textarea", true);
  fields.push_back(problem);
  Data steps = Field("steps", "What did you do just before?", shown(report.steps), bad,
                     "For example: opened the article from the front page, pressed Play on the video.");
  steps.set("textarea", true);
  fields.push_back(steps);
  fields.push_back(Field("email", "Your e-mail address (optional)", shown(report.email), bad,
                         "Only if you would like an answer. We send a confirmation with your ticket number."));
  form.set("fields", fields);
  const store::SupportEnvironment& env = report.environment;
  Data environment{Data::type::list};
  environment.push_back(Field("device", "Type of computer or mobile device", shown(env.device), bad));
  environment.push_back(Field("os", "Operating system and version", shown(env.os), bad));
  environment.push_back(Field("browser", "Browser and version", shown(env.browser), bad));
  environment.push_back(BrowserFilledField("screen", "Screen size", shown(env.screen), bad));
  environment.push_back(BrowserFilledField("window", "Window size", shown(env.window), bad));
  environment.push_back(BrowserFilledField("timezone", "Time zone", shown(env.timezone), bad));
  environment.push_back(BrowserFilledField("language", "Language", shown(env.language), bad));
  form.set("environment", environment);
  form.set("detected", env.detected);
  form.set("user_agent", env.user_agent.empty() ? std::string("(none sent)") : env.user_agent);
  return form;
}

}  // namespace

http::Response SupportPages::ReportForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  support::Report report;
  report.environment = Detect(request);
  const std::string slug = Get(http::ParseForm(request.query), "article");
  std::string headline;
  if (auto article = articles_.Published(slug); article) {
    report.article = slug;
    headline = article->fields.headline;
  }
  Data form = ReportFormData(report, headline, nullptr);
  http::Response response = Page(200, context, "Report a technical problem", "support_report", form);
  response.SetHeader("Accept-CH", std::string(ua::kAcceptChHeaderValue));
  return response;
}

http::Response SupportPages::Report(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  support::Report report;
  report.article = Get(input, "article");
  report.problem = Get(input, "problem");
  report.steps = Get(input, "steps");
  report.email = Get(input, "email");
  // The headers of this request are the evidence; the form's fields are what
  // the reader confirmed or corrected.
  report.environment = Detect(request);
  report.environment.device = Get(input, "device");
  report.environment.os = Get(input, "os");
  report.environment.browser = Get(input, "browser");
  report.environment.screen = Get(input, "screen");
  report.environment.window = Get(input, "window");
  report.environment.timezone = Get(input, "timezone");
  report.environment.language = Get(input, "language");
  report.network = NetworkOf(request.remote_address);
  std::string headline;
  if (auto article = articles_.Published(report.article); article) headline = article->fields.headline;

  if (!web_.IsGenuine(request, context, input)) {
    const Error expired{ErrorCode::kPermissionDenied,
                        "For your safety the report could not be accepted: the form was opened in another "
                        "session or came from another site. Nothing was sent; check the text below and send it again.",
                        ""};
    Data form = ReportFormData(report, headline, &expired);
    return Page(403, context, "Report a technical problem", "support_report", form);
  }
  auto ticket = tickets_.Submit(report);
  if (!ticket) {
    Data form = ReportFormData(report, headline, &ticket.error());
    const int status = http::StatusOfError(ticket.error().code);
    return Page(status >= 500 ? 503 : status, context, "Report a technical problem", "support_report", form);
  }
  http::Response response =
      http::Response::Redirect(303, "/support/report/sent?ticket=" + std::to_string(ticket->id));
  web_.Finish(response, context);
  return response;
}

http::Response SupportPages::ReportSent(const http::Request& request) {
  WebContext context = web_.Load(request);
  const std::string number = Get(http::ParseForm(request.query), "ticket");
  if (number.empty() || number.size() > 18 || number.find_first_not_of("0123456789") != std::string::npos) {
    return site_.NotFound();
  }
  Data page;
  page.set("heading", "Thank you: your report is ticket #" + number);
  page.set("notice", "Our support desk has your report and the details of your device. If you gave an e-mail "
                     "address, a confirmation with the ticket number is on its way. Mention the number when you write to us about it.");
  Data items{Data::type::list};
  Data home;
  home.set("href", "/");
  home.set("text", "Back to the front page");
  items.push_back(home);
  Data links;
  links.set("items", items);
  page.set("links", links);
  return Page(200, context, "Report sent", "form_page", page);
}

namespace {

std::string Excerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace

http::Response SupportPages::Queue(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form query = http::ParseForm(request.query);
  std::string status = Get(query, "status");
  if (status != "closed" && status != "all") status = "open";
  std::optional<std::int64_t> before;
  const std::string before_text = Get(query, "before");
  if (!before_text.empty() && before_text.size() <= 18 &&
      before_text.find_first_not_of("0123456789") == std::string::npos) {
    before = std::stoll(before_text);
  }
  constexpr int kPerPage = 50;
  auto tickets = tickets_.Queue(status == "all" ? "" : status, before, kPerPage);
  if (!tickets) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("status", status);
  data.set("is_" + status, true);
  Data rows{Data::type::list};
  for (const auto& ticket : *tickets) {
    Data row;
    row.set("id", std::to_string(ticket.id));
    row.set("created", FormatRfc3339(ticket.created_at));
    row.set("problem", Excerpt(ticket.problem, 160));
    row.set("environment", Excerpt(ticket.environment.browser + " · " + ticket.environment.os, 120));
    row.set("state", ticket.status);
    rows.push_back(row);
  }
  if (!tickets->empty()) data.set("has_tickets", true);
  data.set("tickets", rows);
  if (static_cast<int>(tickets->size()) == kPerPage) data.set("older", std::to_string(tickets->back().id));
  return Page(200, context, "Technical problems", "staff_support", data);
}

http::Response SupportPages::Ticket(const http::Request& request, std::int64_t id) {
  WebContext context = web_.Load(request);
  auto ticket = tickets_.Find(id);
  if (!ticket) {
    if (ticket.error().code == ErrorCode::kNotFound) return site_.NotFound();
    return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  }
  Data data;
  data.set("id", std::to_string(ticket->id));
  data.set("state", ticket->status);
  data.set(ticket->status == "open" ? "is_open" : "is_closed", true);
  data.set("created", FormatRfc3339(ticket->created_at));
  if (ticket->closed_at) data.set("closed", FormatRfc3339(*ticket->closed_at));
  if (!ticket->article.empty()) data.set("article", ticket->article);
  data.set("email", ticket->email.empty() ? std::string("(none given)") : ticket->email);
  if (!ticket->email.empty()) data.set("mailto", "mailto:" + ticket->email + "?subject=" +
                                                     http::PercentEncode("Your report, ticket #" + std::to_string(ticket->id)));
  data.set("network", ticket->network);
  data.set("problem", ticket->problem);
  data.set("steps", ticket->steps);
  const store::SupportEnvironment& env = ticket->environment;
  Data environment{Data::type::list};
  for (const auto& [label, value] : std::initializer_list<std::pair<const char*, const std::string*>>{
           {"Device", &env.device}, {"Operating system", &env.os}, {"Browser", &env.browser},
           {"Screen", &env.screen}, {"Window", &env.window}, {"Time zone", &env.timezone},
           {"Language", &env.language}}) {
    Data item;
    item.set("label", label);
    item.set("value", value->empty() ? std::string("(not given)") : *value);
    environment.push_back(item);
  }
  data.set("environment", environment);
  data.set("detected", env.detected);
  data.set("user_agent", env.user_agent.empty() ? std::string("(none sent)") : env.user_agent);
  data.set("client_hints", env.client_hints.empty() ? std::string("(none sent)") : env.client_hints);
  if (Get(http::ParseForm(request.query), "changed") == "1") data.set("notice", "Saved.");
  return Page(200, context, "Ticket #" + std::to_string(ticket->id), "staff_support_ticket", data);
}

http::Response SupportPages::SetOpen(const http::Request& request, std::int64_t id, bool open) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) {
    return site_.Error(403, "This form has expired", "Go back, reload the ticket and try again.");
  }
  auto changed = tickets_.SetOpen(id, open, context.viewer ? context.viewer->user.id : 0);
  if (!changed) {
    if (changed.error().code == ErrorCode::kNotFound) return site_.NotFound();
    return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  }
  http::Response response = http::Response::Redirect(303, "/staff/support/" + std::to_string(id) + "?changed=1");
  web_.Finish(response, context);
  return response;
}

}  // namespace masthead::pages
