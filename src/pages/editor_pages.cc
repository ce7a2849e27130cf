#include "pages/editor_pages.h"

#include <algorithm>
#include <cstdio>

#include "accounts/roles.h"
#include "articles/markdown.h"
#include "base/utf8.h"
#include "http/status.h"
#include "pages/reader_form.h"

namespace masthead::pages {
namespace {

using FormFields = std::map<std::string, std::string, std::less<>>;

// "2026-11-28T09:30" as a datetime-local input shows it (the editor works in UTC).
std::string LocalInput(UnixSeconds t) { return FormatRfc3339(t).substr(0, 16); }

std::string TimeText(UnixSeconds t) { return FormatLongDate(t) + " at " + FormatRfc3339(t).substr(11, 5) + " UTC"; }

// The publication date typed into the form; nullopt with an error for nonsense.
Result<std::optional<UnixSeconds>> ParsePublishAt(const std::string& text) {
  if (text.empty()) return std::optional<UnixSeconds>();
  std::string value = text;
  // datetime-local sends "2026-11-28T09:30" (or with ":05" seconds) and no zone:
  // UTC, as the label says.
  if (value.size() > 10 && value[10] == 'T' && value.find_first_of("Z+", 10) == std::string::npos &&
      value.find('-', 10) == std::string::npos) {
    value += value.size() == 16 ? ":00Z" : "Z";
  }
  auto parsed = ParseDateTime(value);
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidArgument, "the publication date is not a date (use 2026-11-28 09:30, UTC)",
                     "publish_at");
  }
  return std::optional<UnixSeconds>(*parsed);
}

std::optional<int> ParseRevision(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(text);
}

const char* StateOf(const store::EditorArticle& row, UnixSeconds now) {
  if (row.withdrawn) return "unpublished";
  if (row.draft) return "draft";
  return row.article.published_at > now ? "scheduled" : "published";
}

}  // namespace

std::optional<http::Response> EditorPages::Editor(const http::Request& request, WebContext& context) {
  context = web_.Load(request);
  if (!context.viewer) {
    http::Response response = http::Response::Redirect(303, "/login?next=" + http::PercentEncode(request.path));
    return response;
  }
  if (!accounts::HasRole(context.viewer->role, accounts::Role::kEditor)) {
    return site_.Error(403, "Editors only", "Articles, sections and desks are managed by editors.");
  }
  if (request.method == "POST" && !web_.IsGenuine(request, context, http::ParseForm(request.body))) {
    return site_.Error(403, "This form has expired",
                       "Nothing was saved. Go back, copy your text if you need it, reload the page and try again.");
  }
  return std::nullopt;
}

http::Response EditorPages::Page(int status, WebContext& context, const std::string& title,
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

http::Response EditorPages::List(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields query = http::ParseForm(request.query);
  std::string state = FormValue(query, "state");
  if (state != "draft" && state != "scheduled" && state != "published" && state != "withdrawn") state.clear();
  auto rows = articles_.EditorList(state, "");
  if (!rows) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  const UnixSeconds now = articles_.Now();
  Data data;
  Data filters{Data::type::list};
  for (const auto& [value, label] : {std::pair{"", "All"}, std::pair{"draft", "Drafts"},
                                     std::pair{"scheduled", "Scheduled"}, std::pair{"published", "Published"},
                                     std::pair{"withdrawn", "Unpublished"}}) {
    Data item;
    item.set("state", value);
    item.set("label", label);
    if (state == value) item.set("current", true);
    filters.push_back(item);
  }
  data.set("filters", filters);
  Data list{Data::type::list};
  for (const auto& row : *rows) {
    Data item;
    item.set("id", std::to_string(row.article.id));
    item.set("headline", row.article.headline);
    item.set("slug", row.article.slug);
    item.set("section", row.article.section_name);
    const char* row_state = StateOf(row, now);
    item.set("state", row_state);
    if (std::string_view(row_state) == "published") item.set("public", true);
    item.set("when", row.draft ? std::string("—") : TimeText(row.article.published_at));
    item.set("updated", TimeText(row.article.updated_at));
    list.push_back(item);
  }
  if (!rows->empty()) data.set("has_articles", true);
  data.set("articles", list);
  return Page(200, context, "Articles", "editor_list", data);
}

namespace {

// The form's data from stored or typed fields.
Data FormData(const store::ArticleFields& f, const std::string& publish_at_text, bool publish,
              const std::vector<store::Section>& sections) {
  Data data;
  data.set("headline", ReplaceInvalidUtf8(f.headline));
  data.set("deck", ReplaceInvalidUtf8(f.deck));
  data.set("credit", ReplaceInvalidUtf8(f.credit));
  data.set("byline", ReplaceInvalidUtf8(f.byline));
  data.set("dateline", ReplaceInvalidUtf8(f.dateline));
  data.set("slug", ReplaceInvalidUtf8(f.slug));
  data.set("body", ReplaceInvalidUtf8(f.body_markdown));
  data.set("publish_at", ReplaceInvalidUtf8(publish_at_text));
  data.set(publish ? "status_publish" : "status_draft", true);
  Data options{Data::type::list};
  for (const auto& section : sections) {
    Data option;
    option.set("slug", section.slug);
    option.set("name", section.name);
    if (section.slug == f.section_slug) option.set("selected", true);
    options.push_back(option);
  }
  data.set("sections", options);
  return data;
}

void MarkInvalid(Data& data, const Error& error) {
  data.set("error", error.message);
  if (!error.field.empty()) data.set("invalid_" + (error.field == "section" ? std::string("section") : error.field), true);
}

}  // namespace

http::Response EditorPages::Form(const http::Request& request, std::int64_t id) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  auto sections = articles_.Sections();
  if (!sections) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  if (id == 0) {
    store::ArticleFields empty;
    if (!sections->empty()) empty.section_slug = sections->front().slug;
    data = FormData(empty, "", false, *sections);
    data.set("action", "/staff/articles");
    data.set("heading", "New article");
    return Page(200, context, "New article", "editor_form", data);
  }
  auto article = articles_.ForEditor(id);
  if (!article) {
    if (article.error().code == ErrorCode::kNotFound) return site_.NotFound();
    return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  }
  const auto& f = article->fields;
  data = FormData(f, f.published_at ? LocalInput(*f.published_at) : "", f.published_at.has_value(), *sections);
  data.set("action", "/staff/articles/" + std::to_string(id));
  data.set("heading", "Edit: " + f.headline);
  data.set("id", std::to_string(id));
  data.set("revision", std::to_string(article->revision));
  const UnixSeconds now = articles_.Now();
  if (f.published_at) {
    data.set("can_unpublish", true);
    if (*f.published_at <= now) data.set("public_url", "/articles/" + f.slug);
  }
  const std::string saved = FormValue(http::ParseForm(request.query), "saved");
  if (saved == "published") data.set("notice", "Published. It is on the site now.");
  if (saved == "scheduled") data.set("notice", "Scheduled: it appears on " + TimeText(*f.published_at) + ".");
  if (saved == "draft") data.set("notice", "Saved as a draft. Readers do not see it.");
  if (saved == "unpublished") {
    data.set("notice", "Unpublished. Readers at its address see your note.");
    data.set("withdrawn_url", "/articles/" + f.slug);
  }
  return Page(200, context, "Edit article", "editor_form", data);
}

http::Response EditorPages::Save(const http::Request& request, std::int64_t id) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  auto sections = articles_.Sections();
  if (!sections) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  store::ArticleFields f;
  f.headline = FormValue(input, "headline");
  f.deck = FormValue(input, "deck");
  f.credit = FormValue(input, "credit");
  f.byline = FormValue(input, "byline");
  f.dateline = FormValue(input, "dateline");
  f.section_slug = FormValue(input, "section");
  f.slug = FormValue(input, "slug");
  f.body_markdown = FormValue(input, "body");
  const bool publish = FormValue(input, "status") == "publish";
  const std::string publish_at_text = FormValue(input, "publish_at");
  const std::string action = FormValue(input, "action");
  const int expected_revision = ParseRevision(FormValue(input, "revision")).value_or(0);

  const auto reshow = [&](int status, const Error* error, bool preview) {
    Data data = FormData(f, publish_at_text, publish, *sections);
    data.set("action", id == 0 ? std::string("/staff/articles") : "/staff/articles/" + std::to_string(id));
    data.set("heading", id == 0 ? std::string("New article") : "Edit: " + ReplaceInvalidUtf8(f.headline));
    if (id != 0) {
      data.set("id", std::to_string(id));
      data.set("revision", std::to_string(expected_revision));
    }
    if (error != nullptr) MarkInvalid(data, *error);
    if (preview) {
      Data p;
      p.set("headline", ReplaceInvalidUtf8(f.headline));
      if (!f.deck.empty()) p.set("deck", ReplaceInvalidUtf8(f.deck));
      if (!f.credit.empty()) p.set("credit", ReplaceInvalidUtf8(f.credit));
      if (!f.byline.empty()) p.set("byline", ReplaceInvalidUtf8(f.byline));
      auto when = ParsePublishAt(publish_at_text);
      const UnixSeconds shown_date = when && *when ? **when : articles_.Now();
      p.set("published_long", FormatLongDate(shown_date));
      p.set("published_iso", FormatRfc3339(shown_date));
      // The same safe renderer as the article page: raw HTML dropped, unsafe links removed.
      p.set("body_html", articles::RenderArticleBody(ReplaceInvalidUtf8(f.body_markdown), ReplaceInvalidUtf8(f.dateline)).html);
      data.set("preview", p);
    }
    return Page(status, context, id == 0 ? "New article" : "Edit article", "editor_form", data);
  };

  if (action == "preview") return reshow(200, nullptr, true);

  auto when = ParsePublishAt(publish_at_text);
  if (!when) return reshow(400, &when.error(), false);
  const UnixSeconds now = articles_.Now();
  f.published_at = publish ? std::optional<UnixSeconds>(when->value_or(now)) : std::nullopt;
  if (id != 0 && !publish) {
    // Taking a public article down silently would leave readers a bare 404.
    auto current = articles_.ForEditor(id);
    if (current && current->fields.published_at && *current->fields.published_at <= now) {
      const Error error{ErrorCode::kInvalidArgument,
                        "this article is public: use \"Unpublish\" below, which leaves a note for readers", "status"};
      return reshow(409, &error, false);
    }
  }
  auto saved = articles_.Save(id, expected_revision, f, id == 0 ? "created in the editor" : "edited in the editor");
  if (!saved) {
    Error error = saved.error();
    if (error.code == ErrorCode::kConflict) {
      error.message = "someone else changed this article meanwhile; your text is below, reload to see theirs";
    } else if (error.code == ErrorCode::kAlreadyExists) {
      error.message = "another article already has this address (slug)";
      error.field = "slug";
    } else if (error.code == ErrorCode::kNotFound && error.field.empty()) {
      return site_.NotFound();
    }
    // An unknown section is a bad field of this form, not a missing page.
    const int status = error.code == ErrorCode::kNotFound ? 400 : http::StatusOfError(error.code);
    return reshow(status >= 500 ? 503 : status, &error, false);
  }
  std::string outcome = "draft";
  if (saved->fields.published_at) {
    outcome = *saved->fields.published_at <= now ? "published" : "scheduled";
    // Subscribers hear about it now rather than at the next periodic check, even
    // when the editor gave it an earlier date than the periodic look-back covers.
    const UnixSeconds look_back = std::max<UnixSeconds>(30 * 86400, now - *saved->fields.published_at + 60);
    if (auto announced = articles_.AnnounceDuePublications(look_back); !announced) {
      std::fprintf(stderr, "masthead: article published hook: %s\n", announced.error().ToString().c_str());
    }
  }
  http::Response response =
      http::Response::Redirect(303, "/staff/articles/" + std::to_string(saved->id) + "?saved=" + outcome);
  web_.Finish(response, context);
  return response;
}

http::Response EditorPages::Unpublish(const http::Request& request, std::int64_t id) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  auto unpublished = articles_.Unpublish(id, ParseRevision(FormValue(input, "revision")).value_or(0), FormValue(input, "note"),
                                         context.viewer->user.id);
  if (!unpublished) {
    const Error& error = unpublished.error();
    if (error.code == ErrorCode::kNotFound) return site_.NotFound();
    const int status = http::StatusOfError(error.code);
    return site_.Error(status >= 500 ? 503 : status, "The article was not unpublished",
                       error.code == ErrorCode::kConflict
                           ? "Someone else changed this article meanwhile. Reload it and try again."
                           : error.message);
  }
  http::Response response = http::Response::Redirect(303, "/staff/articles/" + std::to_string(id) + "?saved=unpublished");
  web_.Finish(response, context);
  return response;
}

http::Response EditorPages::SectionsPage(int status, WebContext& context, const Error* error) {
  auto sections = articles_.Sections();
  auto desks = articles_.Desks();
  if (!sections || !desks) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  std::map<std::string, std::string> desk_of;
  for (const auto& desk : *desks) {
    for (const auto& slug : desk.section_slugs) desk_of[slug] = desk.slug;
  }
  Data data;
  Data section_rows{Data::type::list};
  for (const auto& section : *sections) {
    Data row;
    row.set("slug", section.slug);
    row.set("name", section.name);
    row.set("position", std::to_string(section.position));
    Data options{Data::type::list};
    for (const auto& desk : *desks) {
      Data option;
      option.set("slug", desk.slug);
      option.set("name", desk.name);
      if (desk_of[section.slug] == desk.slug) option.set("selected", true);
      options.push_back(option);
    }
    row.set("desks", options);
    section_rows.push_back(row);
  }
  data.set("sections", section_rows);
  Data desk_rows{Data::type::list};
  for (const auto& desk : *desks) {
    Data row;
    row.set("slug", desk.slug);
    row.set("name", desk.name);
    row.set("email", desk.email);
    std::string owned;
    for (const auto& slug : desk.section_slugs) owned += (owned.empty() ? "" : ", ") + slug;
    row.set("sections", owned.empty() ? std::string("(none)") : owned);
    desk_rows.push_back(row);
  }
  data.set("desks", desk_rows);
  data.set("next_position", std::to_string(sections->empty() ? 1 : sections->back().position + 1));
  if (error != nullptr) data.set("error", error->message);
  return Page(status, context, "Sections and desks", "editor_sections", data);
}

http::Response EditorPages::Sections(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  return SectionsPage(200, context, nullptr);
}

http::Response EditorPages::PutSection(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  const auto position = ParseRevision(FormValue(input, "position"));
  if (!position) {
    const Error error{ErrorCode::kInvalidArgument, "the position is a whole number (1 comes first)", "position"};
    return SectionsPage(400, context, &error);
  }
  auto section = articles_.PutSection({FormValue(input, "slug"), FormValue(input, "name"), *position});
  if (!section) return SectionsPage(400, context, &section.error());
  if (auto desk = articles_.SetSectionDesk(section->slug, FormValue(input, "desk")); !desk) {
    return SectionsPage(400, context, &desk.error());
  }
  http::Response response = http::Response::Redirect(303, "/staff/sections");
  web_.Finish(response, context);
  return response;
}

http::Response EditorPages::PutDesk(const http::Request& request) {
  WebContext context;
  if (auto refused = Editor(request, context)) return *refused;
  const FormFields input = http::ParseForm(request.body);
  auto desk = articles_.PutDesk({FormValue(input, "slug"), FormValue(input, "name"), FormValue(input, "email")});
  if (!desk) return SectionsPage(400, context, &desk.error());
  http::Response response = http::Response::Redirect(303, "/staff/sections");
  web_.Finish(response, context);
  return response;
}

}  // namespace masthead::pages
