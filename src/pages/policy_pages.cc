#include "pages/policy_pages.h"

#include "accounts/roles.h"
#include "http/status.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

Data Field(const std::string& name, const std::string& label, const std::string& value, bool textarea,
           bool invalid) {
  Data field;
  field.set("name", name);
  field.set("label", label);
  field.set("value", value);
  field.set("type", "text");
  if (textarea) field.set("textarea", true);
  if (invalid) field.set("invalid", true);
  return field;
}

}  // namespace

http::Response PolicyPages::Edit(const http::Request& request, const std::string& kind) {
  if (kind != "terms" && kind != "guidelines") return site_.NotFound();
  WebContext context = web_.Load(request);
  if (!context.viewer) return http::Response::Redirect(303, "/login?next=/staff/policies/" + kind);
  if (!accounts::HasRole(context.viewer->role, accounts::Role::kAdmin)) {
    return site_.Error(403, "Admins only", "Only an admin publishes new versions of the Terms and Guidelines.");
  }
  auto current = policies_.Current();
  if (!current) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  const store::PolicyVersion& shown = kind == "terms" ? current->terms : current->guidelines;
  const std::string title = kind == "terms" ? "Terms of Use" : "Community Guidelines";

  std::string summary = shown.summary;
  std::string body = shown.body_markdown;
  Data form;
  std::string invalid_field;
  int status = 200;
  if (request.method == "POST") {
    const Form input = http::ParseForm(request.body);
    if (!web_.IsGenuine(request, context, input)) {
      return site_.Error(403, "This form has expired", "Please reload the page and try again.");
    }
    summary = Get(input, "summary");
    body = Get(input, "body");
    auto published = policies_.Publish(kind, summary, body);
    if (published) {
      form.set("notice", "Version " + std::to_string(published->version) +
                             " is published. Every reader accepts it before their next comment.");
      summary = published->summary;
      body = published->body_markdown;
    } else {
      status = http::StatusOfError(published.error().code);
      form.set("error", published.error().message);
      invalid_field = published.error().field;
    }
  }
  auto latest = policies_.Current();
  const int version = latest ? (kind == "terms" ? latest->terms.version : latest->guidelines.version) : shown.version;
  form.set("heading", title);
  form.set("intro", "Version " + std::to_string(version) + " is in force. Publishing your text makes it version " +
                        std::to_string(version + 1) + "; every reader must accept it before they comment again.");
  form.set("show_form", true);
  form.set("action", "/staff/policies/" + kind);
  form.set("submit", "Publish a new version");
  form.set("csrf", context.csrf);
  Data fields{Data::type::list};
  fields.push_back(Field("summary", "Summary shown above every discussion", summary, false, invalid_field == "summary"));
  fields.push_back(Field("body", "Full text (Markdown)", body, true, invalid_field == "body"));
  form.set("fields", fields);
  form.set("links", FormLinks({{"/" + kind, "Read the version in force"},
                               {kind == "terms" ? "/staff/policies/guidelines" : "/staff/policies/terms",
                                kind == "terms" ? "Edit the Community Guidelines" : "Edit the Terms of Use"}}));
  Data layout = site_.LayoutData(title + " · Staff · " + site_.options().title, "");
  SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage("form_page", form, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

}  // namespace masthead::pages
