#include "pages/accuracy_pages.h"

#include "accounts/roles.h"
#include "accuracy/word_diff.h"
#include "articles/markdown.h"
#include "base/html.h"
#include "base/network.h"
#include "base/utf8.h"
#include "http/status.h"
#include "pages/reader_form.h"

namespace masthead::pages {
namespace {

using FormFields = std::map<std::string, std::string, std::less<>>;

std::string TimeText(UnixSeconds t) { return FormatLongDate(t) + " at " + FormatRfc3339(t).substr(11, 5) + " UTC"; }

std::optional<int> ParseNumber(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(text);
}

Data DiffData(const std::vector<accuracy::DiffPiece>& pieces) {
  Data list{Data::type::list};
  for (const auto& piece : pieces) {
    Data item;
    item.set("text", piece.text);
    item.set(piece.kind == accuracy::DiffPiece::Kind::kSame      ? "same"
             : piece.kind == accuracy::DiffPiece::Kind::kRemoved ? "removed"
                                                                 : "added",
             true);
    list.push_back(item);
  }
  return list;
}

bool Changed(const std::vector<accuracy::DiffPiece>& pieces) {
  for (const auto& piece : pieces) {
    if (piece.kind != accuracy::DiffPiece::Kind::kSame) return true;
  }
  return false;
}

http::Response SeeOther(const std::string& location) { return http::Response::Redirect(303, location); }

// A reader's form whose token did not check out: shown again with what they typed.
const Error kExpiredForm{ErrorCode::kPermissionDenied,
                         "This form had expired or did not come from this site. Nothing was sent; what you "
                         "typed is below: please send it again.",
                         ""};

// What the page after an action says. Links carry only the code, so nobody can
// put words of their own on a staff page.
std::string DoneText(const std::string& code) {
  if (code == "state") return "The state was changed; the requester was mailed.";
  if (code == "correction") return "The notice was published and the case resolved; the requester was mailed.";
  if (code == "invite") return "A personal link was mailed.";
  if (code == "opened") return "The case was opened from a message; the sender was mailed.";
  if (code == "reply") return "Your answer was mailed.";
  return "";
}

}  // namespace

http::Response AccuracyPages::Page(WebContext& context, const std::string& name, Data& data,
                                   const std::string& title, int status) {
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  data.set("asset_version", layout.get("asset_version") ? *layout.get("asset_version") : Data(""));
  http::Response response = http::Response::Html(status, RenderPage(name, data, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

// --- The accuracy form -------------------------------------------------------------

http::Response AccuracyPages::RenderForm(WebContext& context, const std::string& slug, const FormFields& input,
                                         const Error* error, const std::string& sent) {
  auto article = articles_.Published(slug);
  if (!article) return site_.NotFound();
  web_.EnsureCsrf(context);
  Data data;
  data.set("slug", article->fields.slug);
  data.set("headline", article->fields.headline);
  data.set("csrf", context.csrf);
  if (!sent.empty()) {
    data.set("sent", sent);
    return Page(context, "accuracy_form", data, "Accuracy form", 200);
  }
  const std::string bad = error ? error->field : std::string();
  if (error) data.set("error", error->message);
  if (!bad.empty()) data.set("invalid_" + bad, true);
  Data relations{Data::type::list};
  for (const auto& [value, label] : {std::pair{"quoted", "I was quoted in it"},
                                     std::pair{"mentioned", "I was mentioned in it"},
                                     std::pair{"other", "Other"}}) {
    Data item;
    item.set("value", value);
    item.set("label", label);
    if (FormValue(input, "relation") == value) item.set("checked", true);
    if (bad == "relation") item.set("invalid", true);
    relations.push_back(item);
  }
  data.set("relations", relations);
  Data paragraphs{Data::type::list};
  for (const auto& paragraph :
       articles::RenderArticleBody(article->fields.body_markdown, article->fields.dateline).paragraphs) {
    Data item;
    item.set("anchor", paragraph.anchor);
    item.set("text", paragraph.text);
    if (FormValue(input, "passage") == paragraph.anchor) item.set("checked", true);
    if (bad == "passage") item.set("invalid", true);
    paragraphs.push_back(item);
  }
  data.set("paragraphs", paragraphs);
  for (const char* field : {"quote", "wrong", "right", "evidence_url", "name", "email"}) {
    data.set(field, ReplaceInvalidUtf8(FormValue(input, field)));
  }
  if (context.viewer) {
    if (FormValue(input, "name").empty()) data.set("name", context.viewer->user.display_name);
    if (FormValue(input, "email").empty()) data.set("email", context.viewer->user.email);
  }
  if (!FormValue(input, "may_contact").empty()) data.set("may_contact", true);
  if (const std::string token = FormValue(input, "invite"); !token.empty()) {
    if (auto invite = accuracy_.CheckInvite(token, article->id)) {
      Data bound;
      bound.set("token", token);
      bound.set("name", invite->invite.name);
      bound.set("email", invite->invite.email);
      data.set("invite", bound);
    }
  }
  return Page(context, "accuracy_form", data, "Accuracy form",
              error ? http::StatusOfError(error->code) : 200);
}

http::Response AccuracyPages::Form(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  const FormFields query = http::ParseForm(request.query);
  if (auto sent = ParseNumber(FormValue(query, "sent"))) return RenderForm(context, slug, {}, nullptr, std::to_string(*sent));
  FormFields input;
  if (const std::string token = FormValue(query, "invite"); !token.empty()) {
    auto article = articles_.Published(slug);
    if (!article) return site_.NotFound();
    auto invite = accuracy_.CheckInvite(token, article->id);
    if (!invite) {
      return site_.Error(http::StatusOfError(invite.error().code), "This invitation cannot be used",
                         "Sorry: " + invite.error().message);
    }
    input["invite"] = token;
    input["relation"] = "quoted";
  }
  return RenderForm(context, slug, input, nullptr, "");
}

http::Response AccuracyPages::Submit(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  const FormFields input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) {
    return RenderForm(context, slug, input, &kExpiredForm, "");
  }
  accuracy::ReportInput report;
  report.relation = FormValue(input, "relation");
  report.passage = FormValue(input, "passage");
  report.quote = FormValue(input, "quote");
  report.wrong = FormValue(input, "wrong");
  report.right = FormValue(input, "right");
  report.evidence_url = FormValue(input, "evidence_url");
  report.name = FormValue(input, "name");
  report.email = FormValue(input, "email");
  report.may_contact = !FormValue(input, "may_contact").empty();
  report.invite_token = FormValue(input, "invite");
  report.network = NetworkOf(request.remote_address);
  auto filed = accuracy_.File(slug, report);
  if (!filed) {
    if (filed.error().code == ErrorCode::kNotFound && filed.error().field.empty()) return site_.NotFound();
    return RenderForm(context, slug, input, &filed.error(), "");
  }
  return SeeOther("/articles/" + filed->article_slug + "/accuracy?sent=" + std::to_string(filed->id));
}

// --- Messages to the editors ---------------------------------------------------------

http::Response AccuracyPages::RenderContact(WebContext& context, const std::string& slug, const FormFields& input,
                                            const Error* error, bool sent) {
  auto article = articles_.Published(slug);
  if (!article) return site_.NotFound();
  web_.EnsureCsrf(context);
  Data data;
  data.set("slug", article->fields.slug);
  data.set("headline", article->fields.headline);
  data.set("section_name", article->section_name);
  data.set("csrf", context.csrf);
  if (sent) data.set("sent", true);
  if (error) {
    data.set("error", error->message);
    if (!error->field.empty()) data.set("invalid_" + error->field, true);
  }
  for (const char* field : {"name", "email", "body"}) data.set(field, ReplaceInvalidUtf8(FormValue(input, field)));
  if (context.viewer) {
    if (FormValue(input, "name").empty()) data.set("name", context.viewer->user.display_name);
    if (FormValue(input, "email").empty()) data.set("email", context.viewer->user.email);
  }
  return Page(context, "contact_editors", data, "Write to the editors",
              error ? http::StatusOfError(error->code) : 200);
}

http::Response AccuracyPages::Contact(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  if (request.method != "POST") {
    return RenderContact(context, slug, {}, nullptr, http::ParseForm(request.query).count("sent") > 0);
  }
  const FormFields input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) {
    return RenderContact(context, slug, input, &kExpiredForm, false);
  }
  accuracy::MessageInput message{FormValue(input, "name"), FormValue(input, "email"), FormValue(input, "body"), std::nullopt,
                                 NetworkOf(request.remote_address)};
  if (context.viewer) message.user_id = context.viewer->user.id;
  auto sent = accuracy_.SendMessage(slug, message);
  if (!sent) {
    if (sent.error().code == ErrorCode::kNotFound && sent.error().field.empty()) return site_.NotFound();
    return RenderContact(context, slug, input, &sent.error(), false);
  }
  return SeeOther("/articles/" + sent->article_slug + "/contact-editors?sent=1");
}

// --- History and corrections -----------------------------------------------------------

http::Response AccuracyPages::History(const http::Request& request, const std::string& slug) {
  auto article = articles_.Published(slug);
  if (!article) return site_.NotFound();
  auto revisions = articles_.Revisions(slug);
  if (!revisions) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("slug", article->fields.slug);
  data.set("headline", article->fields.headline);
  Data list{Data::type::list};
  for (const auto& revision : *revisions) {
    Data item;
    item.set("number", std::to_string(revision.number));
    item.set("created_iso", FormatRfc3339(revision.created_at));
    item.set("created_text", "Revision " + std::to_string(revision.number) + ", " + TimeText(revision.created_at));
    if (!revision.note.empty()) item.set("note", revision.note);
    list.push_back(item);
  }
  data.set("revisions", list);
  const int count = static_cast<int>(revisions->size());
  if (count >= 2) {
    const FormFields query = http::ParseForm(request.query);
    int to = ParseNumber(FormValue(query, "to")).value_or(count);
    int from = ParseNumber(FormValue(query, "from")).value_or(to - 1);
    if (to < 1 || to > count || from < 1 || from > count) {
      return site_.Error(400, "No such revision", "This story has revisions 1 to " + std::to_string(count) + ".");
    }
    const store::Revision& before = (*revisions)[from - 1];
    const store::Revision& after = (*revisions)[to - 1];
    data.set("can_compare", true);
    data.set("from", std::to_string(from));
    data.set("to", std::to_string(to));
    Data from_options{Data::type::list};
    Data to_options{Data::type::list};
    for (int n = 1; n <= count; ++n) {
      Data a;
      a.set("number", std::to_string(n));
      Data b = a;
      if (n == from) a.set("selected", true);
      if (n == to) b.set("selected", true);
      from_options.push_back(a);
      to_options.push_back(b);
    }
    data.set("from_options", from_options);
    data.set("to_options", to_options);
    const auto pieces = accuracy::DiffWords(before.fields.body_markdown, after.fields.body_markdown);
    const auto headline = accuracy::DiffWords(before.fields.headline, after.fields.headline);
    data.set("pieces", DiffData(pieces));
    if (Changed(headline)) {
      data.set("headline_changed", true);
      data.set("headline_pieces", DiffData(headline));
    }
    if (Changed(pieces) || Changed(headline)) data.set("changed", true);
  }
  Data layout = site_.LayoutData("History: " + article->fields.headline + " · " + site_.options().title, "");
  layout.set("canonical", site_.options().base_url + "/articles/" + article->fields.slug + "/history");
  http::Response response = http::Response::Html(200, RenderPage("history", data, layout));
  response.SetHeader("Cache-Control", "public, max-age=60");
  return response;
}

http::Response AccuracyPages::Corrections() {
  auto corrections = accuracy_.LatestCorrections(200);
  if (!corrections) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data list{Data::type::list};
  for (const auto& correction : *corrections) {
    Data item;
    item.set("slug", correction.article_slug);
    item.set("headline", correction.article_headline);
    item.set("label", accuracy::NoticeLabel(correction.kind));
    item.set("text", correction.notice);
    item.set("published_iso", FormatRfc3339(correction.published_at));
    item.set("published_long", FormatLongDate(correction.published_at));
    list.push_back(item);
  }
  Data data;
  data.set("corrections", list);
  Data layout = site_.LayoutData("Corrections · " + site_.options().title, "");
  layout.set("canonical", site_.options().base_url + "/corrections");
  http::Response response = http::Response::Html(200, RenderPage("corrections", data, layout));
  response.SetHeader("Cache-Control", "public, max-age=60");
  return response;
}

http::Response AccuracyPages::CorrectionsFeed() {
  auto corrections = accuracy_.LatestCorrections(50);
  if (!corrections) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  const std::string base = site_.options().base_url;
  const UnixSeconds updated = corrections->empty() ? 0 : corrections->front().published_at;
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  xml += "<title>" + EscapeHtml("Corrections · " + site_.options().title) + "</title>\n";
  xml += "<id>" + EscapeHtml(base + "/corrections") + "</id>\n";
  xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeHtml(base + "/corrections") + "\"/>\n";
  xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + EscapeHtml(base + "/corrections/feed.atom") + "\"/>\n";
  xml += "<updated>" + FormatRfc3339(updated) + "</updated>\n";
  xml += "<author><name>" + EscapeHtml(site_.options().title) + "</name></author>\n";
  for (const auto& correction : *corrections) {
    const std::string url = base + "/articles/" + correction.article_slug;
    const std::string label = accuracy::NoticeLabel(correction.kind);
    xml += "<entry>\n<title>" + EscapeHtml(label + ": " + correction.article_headline) + "</title>\n";
    xml += "<id>" + EscapeHtml(base + "/corrections#c" + std::to_string(correction.id)) + "</id>\n";
    xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeHtml(url) + "\"/>\n";
    xml += "<updated>" + FormatRfc3339(correction.published_at) + "</updated>\n";
    xml += "<content type=\"text\">" + EscapeHtml(label + ": " + correction.notice) + "</content>\n</entry>\n";
  }
  xml += "</feed>\n";
  http::Response response = http::Response::Html(200, xml);
  response.content_type = "application/atom+xml; charset=utf-8";
  response.SetHeader("Cache-Control", "public, max-age=60");
  return response;
}

// --- Editors --------------------------------------------------------------------------

std::optional<http::Response> AccuracyPages::Editor(const http::Request& request, WebContext& context) {
  context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=" + http::PercentEncode(request.path));
  if (!accounts::HasRole(context.viewer->role, accounts::Role::kEditor)) {
    return site_.Error(403, "Editors only", "Accuracy cases and messages to the editors are handled by editors.");
  }
  if (request.method == "POST" && !web_.IsGenuine(request, context, http::ParseForm(request.body))) {
    return site_.Error(403, "This form has expired", "Nothing was changed. Please reload the page and try again.");
  }
  return std::nullopt;
}

http::Response AccuracyPages::Cases(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const std::string state = FormValue(http::ParseForm(request.query), "state");
  auto cases = accuracy_.Cases(state == "open" ? "" : state);
  if (!cases) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  Data filters{Data::type::list};
  for (const auto& [value, label] : {std::pair{"", "All"}, std::pair{"new", "New"}, std::pair{"triaged", "Triaged"},
                                     std::pair{"investigating", "Investigating"}, std::pair{"resolved", "Resolved"}}) {
    Data item;
    item.set("state", value);
    item.set("label", label);
    if (state == value) item.set("current", true);
    filters.push_back(item);
  }
  data.set("filters", filters);
  Data rows{Data::type::list};
  for (const auto& c : *cases) {
    Data row;
    row.set("id", std::to_string(c.id));
    row.set("headline", c.article_headline);
    row.set("state", c.state);
    if (!c.outcome.empty()) row.set("outcome", accuracy::OutcomeText(c.outcome));
    row.set("owner", c.owner_name.empty() ? std::string("nobody yet") : c.owner_name);
    row.set("since", FormatLongDate(c.state_changed_at));
    row.set("requester", c.requester_name);
    rows.push_back(row);
  }
  if (!cases->empty()) data.set("has_cases", true);
  data.set("cases", rows);
  return Page(context, "staff_accuracy", data, "Accuracy cases", 200);
}

http::Response AccuracyPages::RenderCase(WebContext& context, std::int64_t id, const std::string& notice,
                                         const Error* error) {
  auto c = accuracy_.Case(id);
  if (!c) return site_.NotFound();
  auto events = accuracy_.Events(id);
  auto article = articles_.Published(c->article_slug);
  if (!events || !article) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("id", std::to_string(c->id));
  data.set("csrf", context.csrf);
  if (!notice.empty()) data.set("notice", notice);
  if (error) data.set("error", error->message);
  data.set("slug", c->article_slug);
  data.set("anchor", c->passage_anchor);
  data.set("headline", c->article_headline);
  data.set("state", c->state);
  if (!c->outcome.empty()) data.set("outcome", accuracy::OutcomeText(c->outcome));
  data.set("owner", c->owner_name.empty() ? std::string("nobody yet") : c->owner_name);
  data.set("requester_name", c->requester_name);
  data.set("requester_email", c->requester_email);
  data.set("relation", c->relation);
  if (c->may_contact) data.set("may_contact", true);
  for (const auto& paragraph :
       articles::RenderArticleBody(article->fields.body_markdown, article->fields.dateline).paragraphs) {
    if (paragraph.anchor == c->passage_anchor) data.set("paragraph", paragraph.text);
  }
  if (!c->quote.empty()) data.set("quote", c->quote);
  data.set("wrong", c->wrong_text);
  data.set("right", c->right_text);
  if (!c->evidence_url.empty()) data.set("evidence_url", c->evidence_url);
  Data event_rows{Data::type::list};
  for (const auto& event : *events) {
    Data row;
    row.set("at_iso", FormatRfc3339(event.created_at));
    row.set("at", TimeText(event.created_at));
    row.set("from", event.from_state.empty() ? std::string("filed") : event.from_state);
    row.set("to", event.to_state);
    if (!event.actor_name.empty()) row.set("actor", event.actor_name);
    if (!event.note.empty()) row.set("note", event.note);
    event_rows.push_back(row);
  }
  data.set("events", event_rows);
  if (c->state != "resolved") {
    data.set("open", true);
    Data next{Data::type::list};
    bool later = false;
    for (const char* state : accuracy::kStates) {
      if (later) {
        Data option;
        option.set("value", state);
        option.set("label", std::string(state) == "resolved" ? std::string("resolved: no change") : std::string(state));
        next.push_back(option);
      }
      if (c->state == state) later = true;
    }
    data.set("next_states", next);
    data.set("revision", std::to_string(article->revision));
    data.set("body", article->fields.body_markdown);
  }
  return Page(context, "staff_case", data, "Case #" + std::to_string(id),
              error ? http::StatusOfError(error->code) : 200);
}

http::Response AccuracyPages::Case(const http::Request& request, std::int64_t id) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  return RenderCase(context, id, DoneText(FormValue(http::ParseForm(request.query), "done")), nullptr);
}

http::Response AccuracyPages::CaseAction(const http::Request& request, std::int64_t id, const std::string& action) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  const accounts::Viewer& editor = *context.viewer;
  Status result = Ok();
  if (action == "state") {
    auto moved = accuracy_.Move(editor, id, FormValue(input, "expected_state"), FormValue(input, "state"),
                                !FormValue(input, "take").empty(), FormValue(input, "note"));
    if (!moved) result = tl::unexpected(moved.error());
  } else if (action == "correction") {
    accuracy::CorrectionInput correction;
    correction.kind = FormValue(input, "kind");
    correction.placement = FormValue(input, "placement");
    correction.notice = FormValue(input, "notice");
    if (input.count("body")) correction.new_body = FormValue(input, "body");
    correction.expected_revision = ParseNumber(FormValue(input, "expected_revision")).value_or(0);
    auto published = accuracy_.PublishCorrection(editor, id, correction);
    if (!published) result = tl::unexpected(published.error());
  } else if (action == "invite") {
    auto c = accuracy_.Case(id);
    if (!c) return site_.NotFound();
    auto link = accuracy_.Invite(c->article_slug, FormValue(input, "email"), FormValue(input, "name"), id);
    if (!link) result = tl::unexpected(link.error());
  } else {
    return site_.NotFound();
  }
  if (!result) {
    if (result.error().code == ErrorCode::kNotFound && result.error().field.empty()) return site_.NotFound();
    return RenderCase(context, id, "", &result.error());
  }
  return SeeOther("/staff/accuracy/" + std::to_string(id) + "?done=" + action);
}

http::Response AccuracyPages::Messages(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  auto messages = accuracy_.Messages("");
  if (!messages) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data rows{Data::type::list};
  for (const auto& m : *messages) {
    Data row;
    row.set("id", std::to_string(m.id));
    row.set("headline", m.article_headline);
    row.set("desk", m.desk);
    row.set("sender", m.sender_name);
    row.set("status", m.status);
    rows.push_back(row);
  }
  Data data;
  if (!messages->empty()) data.set("has_messages", true);
  data.set("messages", rows);
  return Page(context, "staff_messages", data, "Messages to the editors", 200);
}

http::Response AccuracyPages::RenderMessage(WebContext& context, std::int64_t id, const std::string& notice,
                                            const Error* error, const std::string& draft) {
  auto message = accuracy_.Message(id);
  if (!message) return site_.NotFound();
  auto replies = accuracy_.Replies(id);
  if (!replies) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("id", std::to_string(message->id));
  data.set("csrf", context.csrf);
  if (!notice.empty()) data.set("notice", notice);
  if (error) {
    data.set("error", error->message);
    if (error->field == "body") data.set("invalid_body", true);
  }
  data.set("draft", ReplaceInvalidUtf8(draft));
  data.set("slug", message->article_slug);
  data.set("headline", message->article_headline);
  data.set("desk", message->desk);
  data.set("sender_name", message->sender_name);
  data.set("sender_email", message->sender_email);
  data.set("status", message->status);
  if (message->case_id) data.set("case_id", std::to_string(*message->case_id));
  data.set("created_iso", FormatRfc3339(message->created_at));
  data.set("created", TimeText(message->created_at));
  data.set("body", message->body);
  Data rows{Data::type::list};
  for (const auto& reply : *replies) {
    Data row;
    row.set("author", reply.author_name);
    row.set("at_iso", FormatRfc3339(reply.created_at));
    row.set("at", TimeText(reply.created_at));
    row.set("body", reply.body);
    rows.push_back(row);
  }
  data.set("replies", rows);
  return Page(context, "staff_message", data, "Message #" + std::to_string(id),
              error ? http::StatusOfError(error->code) : 200);
}

http::Response AccuracyPages::Message(const http::Request& request, std::int64_t id) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  return RenderMessage(context, id, DoneText(FormValue(http::ParseForm(request.query), "done")), nullptr, "");
}

http::Response AccuracyPages::MessageAction(const http::Request& request, std::int64_t id,
                                            const std::string& action) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  if (action == "reply") {
    auto reply = accuracy_.Reply(*context.viewer, id, FormValue(input, "body"));
    if (!reply) {
      if (reply.error().code == ErrorCode::kNotFound) return site_.NotFound();
      return RenderMessage(context, id, "", &reply.error(), FormValue(input, "body"));
    }
    return SeeOther("/staff/messages/" + std::to_string(id) + "?done=reply");
  }
  if (action == "case") {
    auto made = accuracy_.MessageToCase(*context.viewer, id);
    if (!made) {
      if (made.error().code == ErrorCode::kNotFound) return site_.NotFound();
      return RenderMessage(context, id, "", &made.error(), "");
    }
    return SeeOther("/staff/accuracy/" + std::to_string(made->id) + "?done=opened");
  }
  return site_.NotFound();
}

}  // namespace masthead::pages
