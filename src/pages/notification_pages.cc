#include "pages/notification_pages.h"

#include "http/status.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

std::string Label(const std::string& kind) {
  if (kind == "replies") return "Replies to your comments";
  if (kind == "answers") return "Answers to questions you asked or voted for";
  if (kind == accounts::kDigestsKind) return "Your hourly and daily digests";
  return "Moderation decisions about your comments";
}

std::string ModeLabel(const std::string& mode) {
  if (mode == "immediately") return "Each one as it happens";
  if (mode == "hourly") return "Collected in an hourly digest";
  if (mode == "daily") return "Collected in a daily digest";
  return "Never";
}

}  // namespace

http::Response NotificationPages::Settings(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return http::Response::Redirect(303, "/login?next=/account/notifications");
  Data form;
  form.set("heading", "Mail notifications");
  form.set("intro", "Choose what we mail you about. Each mail also has a one-click unsubscribe link.");
  int status = 200;
  if (request.method == "POST") {
    const Form input = http::ParseForm(request.body);
    if (!web_.IsGenuine(request, context, input)) {
      return site_.Error(403, "This form has expired", "Please reload the page and try again.");
    }
    for (const char* kind : accounts::kNotificationKinds) {
      // A field left out (an unchecked box of an older form) means no mail.
      const std::string chosen = Get(input, kind);
      const std::string mode = accounts::IsNotificationMode(chosen) ? chosen : "off";
      if (auto saved = store_.SetNotificationSetting(context.viewer->user.id, kind, mode, NowSeconds()); !saved) {
        return site_.Error(http::StatusOfError(saved.error().code), "Not saved", saved.error().message);
      }
    }
    form.set("notice", "Your choices were saved.");
  }
  std::map<std::string, std::string> current;
  if (auto settings = store_.NotificationSettings(context.viewer->user.id)) {
    for (const auto& [kind, mode] : *settings) current[kind] = mode;
  }
  form.set("show_form", true);
  form.set("action", "/account/notifications");
  form.set("submit", "Save");
  form.set("csrf", context.csrf);
  Data selects{Data::type::list};
  for (const char* kind : accounts::kNotificationKinds) {
    const std::string mode = current.count(kind) == 0 ? "immediately" : current[kind];
    Data select;
    select.set("name", kind);
    select.set("label", Label(kind));
    Data options{Data::type::list};
    for (const char* option_mode : accounts::kNotificationModes) {
      Data option;
      option.set("value", option_mode);
      option.set("text", ModeLabel(option_mode));
      if (mode == option_mode) option.set("selected", true);
      options.push_back(option);
    }
    select.set("options", options);
    selects.push_back(select);
  }
  form.set("selects", selects);
  Data layout = site_.LayoutData("Mail notifications · " + site_.options().title, "");
  SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage("form_page", form, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response NotificationPages::Unsubscribe(const http::Request& request) {
  const Form query = http::ParseForm(request.query);
  const std::string kind = Get(query, "k");
  const std::string user_text = Get(query, "u");
  std::int64_t user_id = 0;
  try {
    user_id = std::stoll(user_text);
  } catch (const std::exception&) {
  }
  if (user_id <= 0 || !signer_.Verify(user_id, kind, Get(query, "t"))) {
    return site_.Error(404, "This unsubscribe link does not work",
                       "It may be incomplete. You can change what we mail you in your account's settings.");
  }
  Data form;
  form.set("heading", "Unsubscribe");
  if (request.method == "POST") {
    // RFC 8058: the mail client's POST carries "List-Unsubscribe=One-Click" and
    // no cookie; the signed link is the proof.
    // A digest's link stops every kind the reader had collected into digests.
    std::vector<std::string> kinds = {kind};
    if (kind == accounts::kDigestsKind) {
      kinds.clear();
      auto settings = store_.NotificationSettings(user_id);
      if (!settings) return site_.Error(503, "Not unsubscribed", "Please try again in a moment.");
      for (const auto& [setting_kind, mode] : *settings) {
        if (accounts::IsDigestMode(mode)) kinds.push_back(setting_kind);
      }
    }
    for (const std::string& off : kinds) {
      if (auto saved = store_.SetNotificationSetting(user_id, off, "off", NowSeconds()); !saved) {
        return site_.Error(http::StatusOfError(saved.error().code), "Not unsubscribed", saved.error().message);
      }
    }
    form.set("notice", "Done: no more mail about “" + Label(kind) + "”.");
  } else {
    form.set("intro", "Stop mail about “" + Label(kind) + "”?");
    form.set("show_form", true);
    form.set("action", "/mail/unsubscribe?" + request.query);
    form.set("submit", "Unsubscribe");
    Data hidden{Data::type::list};
    Data one_click;
    one_click.set("name", "List-Unsubscribe");
    one_click.set("value", "One-Click");
    hidden.push_back(one_click);
    form.set("hidden", hidden);
  }
  Data layout = site_.LayoutData("Unsubscribe · " + site_.options().title, "");
  http::Response response = http::Response::Html(200, RenderPage("form_page", form, layout));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace masthead::pages
