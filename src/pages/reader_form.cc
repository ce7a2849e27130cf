#include "pages/reader_form.h"

namespace masthead::pages {

std::optional<http::Response> OpenReaderForm(const WebSession& web, SitePages& site, const http::Request& request,
                                             WebContext& context,
                                             std::map<std::string, std::string, std::less<>>& input) {
  context = web.Load(request);
  if (!context.viewer) return http::Response::Redirect(303, "/login");
  input = http::ParseForm(request.body);
  if (!web.IsGenuine(request, context, input)) {
    return site.Error(403, "This form has expired", "Please reload the page and try again.");
  }
  return std::nullopt;
}

std::string FormValue(const std::map<std::string, std::string, std::less<>>& form, std::string_view key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

}  // namespace masthead::pages
