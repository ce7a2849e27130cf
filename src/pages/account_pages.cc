#include "pages/account_pages.h"

#include "base/network.h"
#include "http/status.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

Data Field(const std::string& name, const std::string& label, const std::string& type,
           const std::string& value, const std::string& autocomplete, const std::string& error_field,
           const std::string& hint = "") {
  Data field;
  field.set("name", name);
  field.set("label", label);
  field.set("type", type);
  field.set("value", type == "password" ? std::string() : value);
  field.set("autocomplete", autocomplete);
  if (!hint.empty()) field.set("hint", hint);
  if (error_field == name) field.set("invalid", true);
  return field;
}

Data Hidden(const std::string& name, const std::string& value) {
  Data hidden;
  hidden.set("name", name);
  hidden.set("value", value);
  return hidden;
}

http::Response SeeOther(const std::string& location) { return http::Response::Redirect(303, location); }

// The registration form, empty or re-shown with what was typed (never the
// password) and the faulty field marked.
Data RegistrationForm(const Form& input, const Error* error) {
  const std::string bad = error ? error->field : std::string();
  Data form;
  form.set("heading", "Create an account");
  if (error) {
    form.set("error", error->message);
  } else {
    form.set("intro", "An account lets you join the discussion under every article. We will send you a link to confirm your e-mail address.");
    form.set("links", FormLinks({{"/login", "Already registered? Log in"}}));
  }
  form.set("show_form", true);
  form.set("action", "/register");
  form.set("submit", "Create account");
  Data fields{Data::type::list};
  fields.push_back(Field("email", "E-mail address", "email", Get(input, "email"), "email", bad));
  fields.push_back(Field("display_name", "Name shown with your comments", "text", Get(input, "display_name"), "nickname", bad));
  fields.push_back(Field("password", "Password", "password", "", "new-password", bad, "At least 10 characters."));
  form.set("fields", fields);
  return form;
}

// The log-in form, empty or re-shown with the address typed.
Data LoginFormData(const Form& input, const Error* error) {
  Data form;
  form.set("heading", "Log in");
  if (error) form.set("error", error->message);
  form.set("show_form", true);
  form.set("action", "/login");
  form.set("submit", "Log in");
  Data hidden{Data::type::list};
  hidden.push_back(Hidden("next", SafeNext(Get(input, "next"))));
  form.set("hidden", hidden);
  Data fields{Data::type::list};
  fields.push_back(Field("email", "E-mail address", "email", Get(input, "email"), "email", error ? "email" : ""));
  fields.push_back(Field("password", "Password", "password", "", "current-password", ""));
  form.set("fields", fields);
  form.set("links", error ? FormLinks({{"/account/forgot", "Forgot your password?"}})
                          : FormLinks({{"/register", "Create an account"}, {"/account/forgot", "Forgot your password?"}}));
  return form;
}

// The new-password form of a reset link; `bad_field` marks the field at fault.
void AddResetForm(Data& form, const std::string& token, const std::string& bad_field) {
  form.set("show_form", true);
  form.set("action", "/account/reset");
  form.set("submit", "Save the new password");
  Data hidden{Data::type::list};
  hidden.push_back(Hidden("token", token));
  form.set("hidden", hidden);
  Data fields{Data::type::list};
  fields.push_back(Field("password", "New password", "password", "", "new-password", bad_field, "At least 10 characters."));
  form.set("fields", fields);
}

}  // namespace

std::string SafeNext(const std::string& next) {
  if (next.empty() || next.front() != '/' || next.rfind("//", 0) == 0 || next.rfind("/\\", 0) == 0 ||
      next.find_first_of("\r\n") != std::string::npos || next.size() > 500) {
    return "/";
  }
  return next;
}

http::Response AccountPages::Page(int status, WebContext& context, const std::string& title, Data& form) {
  web_.EnsureCsrf(context);
  form.set("csrf", context.csrf);
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage("form_page", form, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response AccountPages::Forged(WebContext& context) {
  Data form;
  form.set("heading", "This form has expired");
  form.set("error", "For your safety the form could not be accepted: it was opened in another session "
                    "or came from another site. Please go back, reload the page and send it again.");
  return Page(403, context, "Form expired", form);
}

http::Response AccountPages::RegisterForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  Data form = RegistrationForm({}, nullptr);
  return Page(200, context, "Create an account", form);
}

http::Response AccountPages::Register(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto user = accounts_.Register({Get(input, "email"), Get(input, "display_name"), Get(input, "password"),
                                  NetworkOf(request.remote_address)});
  if (!user) {
    Data form = RegistrationForm(input, &user.error());
    return Page(http::StatusOfError(user.error().code), context, "Create an account", form);
  }
  // Registered readers are logged in at once; posting waits for the confirmation.
  auto login = accounts_.Login({user->email, Get(input, "password"), NetworkOf(request.remote_address),
                                std::string(request.Header("user-agent"))});
  Data form;
  form.set("heading", "Check your mail");
  form.set("notice", "We sent a confirmation link to " + user->email + ". Open it to start commenting.");
  http::Response response = Page(201, context, "Check your mail", form);
  if (login) {
    web_.StartSession(response, context, *login);
    web_.Finish(response, context);
  }
  return response;
}

http::Response AccountPages::LoginForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  Data form = LoginFormData(http::ParseForm(request.query), nullptr);
  return Page(200, context, "Log in", form);
}

http::Response AccountPages::Login(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto login = accounts_.Login({Get(input, "email"), Get(input, "password"), NetworkOf(request.remote_address),
                                std::string(request.Header("user-agent"))});
  if (!login) {
    Data form = LoginFormData(input, &login.error());
    return Page(http::StatusOfError(login.error().code), context, "Log in", form);
  }
  // Rotation: whatever session cookie came in, a new one goes out.
  http::Response response = SeeOther(SafeNext(Get(input, "next")));
  web_.StartSession(response, context, *login);
  web_.Finish(response, context);
  return response;
}

http::Response AccountPages::Logout(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  http::Response response = SeeOther("/");
  web_.EndSession(response, context);
  web_.Finish(response, context);
  return response;
}

http::Response AccountPages::ConfirmForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form query = http::ParseForm(request.query);
  // A button, not a GET side effect: mail scanners that open links must not use
  // up the token.
  Data form;
  form.set("heading", "Confirm your e-mail address");
  form.set("show_form", true);
  form.set("action", "/account/confirm");
  form.set("submit", "Confirm my address");
  Data hidden{Data::type::list};
  hidden.push_back(Hidden("token", Get(query, "token")));
  form.set("hidden", hidden);
  return Page(200, context, "Confirm your address", form);
}

http::Response AccountPages::Confirm(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto user = accounts_.ConfirmEmail(Get(input, "token"));
  Data form;
  form.set("heading", user ? "Address confirmed" : "This link does not work");
  if (user) {
    form.set("notice", "Thank you, " + user->display_name + ". You can now join the discussion.");
    form.set("links", FormLinks({{"/", "Go to the front page"}}));
  } else {
    form.set("error", user.error().message);
    form.set("links", FormLinks({{"/account", "Send a new link from your account page"}}));
  }
  return Page(user ? 200 : 404, context, "Confirm your address", form);
}

http::Response AccountPages::ResendConfirmation(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!context.viewer) return SeeOther("/login?next=/account");
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto sent = accounts_.ResendConfirmation(context.viewer->user.id);
  Data form;
  form.set("heading", "Confirm your e-mail address");
  if (sent) {
    form.set("notice", "We sent a new link to " + context.viewer->user.email + ".");
  } else {
    form.set("error", sent.error().message);
  }
  return Page(sent ? 200 : http::StatusOfError(sent.error().code), context, "Confirm your address", form);
}

http::Response AccountPages::ForgotForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  Data form;
  form.set("heading", "Forgot your password?");
  form.set("intro", "Enter your e-mail address and we will send you a link to choose a new password.");
  form.set("show_form", true);
  form.set("action", "/account/forgot");
  form.set("submit", "Send the link");
  Data fields{Data::type::list};
  fields.push_back(Field("email", "E-mail address", "email", "", "email", ""));
  form.set("fields", fields);
  return Page(200, context, "Forgot your password", form);
}

http::Response AccountPages::Forgot(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto sent = accounts_.RequestPasswordReset(Get(input, "email"));
  Data form;
  form.set("heading", "Forgot your password?");
  if (sent) {
    // Same answer whether or not the address has an account.
    form.set("notice", "If an account uses that address, a link to choose a new password is on its way.");
  } else {
    form.set("error", sent.error().message);
  }
  return Page(sent ? 200 : http::StatusOfError(sent.error().code), context, "Forgot your password", form);
}

http::Response AccountPages::ResetForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  Data form;
  form.set("heading", "Choose a new password");
  AddResetForm(form, Get(http::ParseForm(request.query), "token"), "");
  return Page(200, context, "New password", form);
}

http::Response AccountPages::Reset(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto user = accounts_.ResetPassword(Get(input, "token"), Get(input, "password"));
  Data form;
  form.set("heading", "Choose a new password");
  if (user) {
    form.set("notice", "Your password was changed. Every session was logged out; log in with the new password.");
    form.set("links", FormLinks({{"/login", "Log in"}}));
    return Page(200, context, "New password", form);
  }
  form.set("error", user.error().message);
  if (user.error().field == "password") {
    AddResetForm(form, Get(input, "token"), "password");
  } else {
    form.set("links", FormLinks({{"/account/forgot", "Ask for a new link"}}));
  }
  return Page(http::StatusOfError(user.error().code), context, "New password", form);
}

http::Response AccountPages::Settings(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account");
  const store::User& user = context.viewer->user;
  Data form;
  form.set("heading", "Your account");
  form.set("intro", "Logged in as " + user.email + (user.email_confirmed_at ? " (confirmed)." : " (not confirmed yet)."));
  form.set("show_form", true);
  form.set("action", "/account/name");
  form.set("submit", "Save name");
  Data fields{Data::type::list};
  fields.push_back(Field("display_name", "Name shown with your comments", "text", user.display_name, "nickname", ""));
  form.set("fields", fields);
  form.set("links", FormLinks({{"/account/password", "Change your password"},
                               {"/account/notifications", "Mail notifications"},
                               {"/account/ignored", "Readers you ignore"},
                               {"/account/moderation", "Moderation decisions about you"},
                               {"/account/data", "Your data: download it, or delete your account"}}));
  if (!user.email_confirmed_at) {
    form.set("notice", "Your address is not confirmed yet: use the link we mailed you, or send a new one below.");
  }
  http::Response response = Page(200, context, "Your account", form);
  return response;
}

http::Response AccountPages::ChangeName(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account");
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  auto user = accounts_.ChangeDisplayName(context.viewer->user.id, Get(input, "display_name"));
  if (user) return SeeOther("/account");
  Data form;
  form.set("heading", "Your account");
  form.set("error", user.error().message);
  form.set("show_form", true);
  form.set("action", "/account/name");
  form.set("submit", "Save name");
  Data fields{Data::type::list};
  fields.push_back(Field("display_name", "Name shown with your comments", "text", Get(input, "display_name"), "nickname", "display_name"));
  form.set("fields", fields);
  return Page(http::StatusOfError(user.error().code), context, "Your account", form);
}

http::Response AccountPages::ChangePassword(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/password");
  Data form;
  form.set("heading", "Change your password");
  form.set("show_form", true);
  form.set("action", "/account/password");
  form.set("submit", "Change password");
  std::string error_field;
  int status = 200;
  if (request.method == "POST") {
    const Form input = http::ParseForm(request.body);
    if (!web_.IsGenuine(request, context, input)) return Forged(context);
    auto changed = accounts_.ChangePassword(*context.viewer, Get(input, "current_password"), Get(input, "password"));
    if (changed) {
      form.set("notice", "Your password was changed and your other sessions were logged out.");
      form.set("show_form", false);
    } else {
      form.set("error", changed.error().message);
      error_field = changed.error().field;
      status = http::StatusOfError(changed.error().code);
    }
  }
  Data fields{Data::type::list};
  fields.push_back(Field("current_password", "Current password", "password", "", "current-password", error_field));
  fields.push_back(Field("password", "New password", "password", "", "new-password", error_field, "At least 10 characters."));
  form.set("fields", fields);
  return Page(status, context, "Change your password", form);
}

http::Response AccountPages::TermsBeforePosting(WebContext& context, const std::string& next,
                                                const Form& carried) {
  auto current = policies_.Current();
  Data form;
  form.set("heading", "Before you post: our Terms of Use");
  form.set("intro", "To take part in the discussion, please read and accept the current Terms of Use and Community Guidelines. Your comment is kept and will be posted once you accept.");
  form.set("show_form", true);
  form.set("action", "/account/terms");
  form.set("submit", "Accept and continue");
  Data hidden{Data::type::list};
  hidden.push_back(Hidden("next", SafeNext(next)));
  if (current) {
    hidden.push_back(Hidden("terms_version", std::to_string(current->terms.version)));
    hidden.push_back(Hidden("guidelines_version", std::to_string(current->guidelines.version)));
    Data policies;
    policies.set("terms_version", std::to_string(current->terms.version));
    policies.set("terms_summary", current->terms.summary);
    policies.set("guidelines_version", std::to_string(current->guidelines.version));
    policies.set("guidelines_summary", current->guidelines.summary);
    form.set("policies", policies);
  }
  for (const auto& [name, value] : carried) {
    if (name == "csrf") continue;
    hidden.push_back(Hidden("carry_" + name, value));
  }
  form.set("hidden", hidden);
  Data checkbox;
  checkbox.set("name", "accept");
  checkbox.set("label", "I have read and accept the Terms of Use and the Community Guidelines");
  form.set("checkbox", checkbox);
  return Page(200, context, "Terms of Use", form);
}

http::Response AccountPages::TermsForm(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/terms");
  return TermsBeforePosting(context, SafeNext(Get(http::ParseForm(request.query), "next")), {});
}

http::Response AccountPages::AcceptTerms(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/terms");
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) return Forged(context);
  Form carried;
  for (const auto& [name, value] : input) {
    if (name.rfind("carry_", 0) == 0) carried[name.substr(6)] = value;
  }
  if (Get(input, "accept") != "yes") {
    http::Response response = TermsBeforePosting(context, Get(input, "next"), carried);
    response.status = 400;
    return response;
  }
  int terms = 0, guidelines = 0;
  try {
    terms = std::stoi(Get(input, "terms_version"));
    guidelines = std::stoi(Get(input, "guidelines_version"));
  } catch (const std::exception&) {
  }
  auto accepted = policies_.Accept(context.viewer->user.id, terms, guidelines);
  if (!accepted) {
    http::Response response = TermsBeforePosting(context, Get(input, "next"), carried);
    response.status = http::StatusOfError(accepted.error().code);
    return response;
  }
  // A comment waiting for the acceptance goes to the comment handler as a
  // repost (307 keeps POST and its body would be lost across hosts; the form
  // below is sent by the reader's browser with one click instead).
  if (!carried.empty()) {
    Data form;
    form.set("heading", "Thank you");
    form.set("notice", "You accepted the Terms of Use. Post your comment now:");
    form.set("show_form", true);
    form.set("action", SafeNext(Get(input, "next")));
    form.set("submit", "Post comment");
    Data hidden{Data::type::list};
    for (const auto& [name, value] : carried) {
      if (name != "body") hidden.push_back(Hidden(name, value));
    }
    form.set("hidden", hidden);
    Data fields{Data::type::list};
    Data body = Field("body", "Your comment", "text", Get(carried, "body"), "off", "");
    body.set("textarea", true);
    fields.push_back(body);
    form.set("fields", fields);
    return Page(200, context, "Post your comment", form);
  }
  return SeeOther(SafeNext(Get(input, "next")));
}

}  // namespace masthead::pages
