#include "pages/support_pages.h"

#include "ua/client_hints.h"
#include "ua/environment.h"

namespace masthead::pages {
namespace {

std::optional<std::string> HeaderValue(const http::Request& request, std::string_view name) {
  const std::string_view value = request.Header(name);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

std::string Joined(const std::string& name, const std::string& version) {
  if (name.empty()) return "unknown";
  return version.empty() ? name : name + " " + version;
}

}  // namespace

std::string_view AcceptClientHints() { return ua::kAcceptChHeaderValue; }

http::Response SupportPages::MyBrowser(const http::Request& request) {
  const std::string user_agent(request.Header("user-agent"));
  Data page;
  page.set("user_agent", user_agent.empty() ? std::string("(none sent)") : user_agent);
  const auto accept_language = request.Header("accept-language");
  page.set("language", accept_language.empty() ? std::string("unknown") : std::string(accept_language.substr(0, 100)));
  if (const ua::Parser* parser = parser_()) {
    ua::ClientHintHeaders headers;
    headers.ua = HeaderValue(request, ua::kHeaderUa);
    headers.full_version_list = HeaderValue(request, ua::kHeaderFullVersionList);
    headers.platform = HeaderValue(request, ua::kHeaderPlatform);
    headers.platform_version = HeaderValue(request, ua::kHeaderPlatformVersion);
    headers.model = HeaderValue(request, ua::kHeaderModel);
    headers.arch = HeaderValue(request, ua::kHeaderArch);
    headers.bitness = HeaderValue(request, ua::kHeaderBitness);
    headers.mobile = HeaderValue(request, ua::kHeaderMobile);
    const ua::Environment env =
        ua::DescribeEnvironment(user_agent, parser->Parse(user_agent), ua::ParseClientHints(headers));
    std::string device(ua::DeviceTypeName(env.device_type));
    if (!env.device_model.empty()) device += " (" + Joined(env.device_brand, env.device_model) + ")";
    page.set("device", device);
    page.set("os", Joined(env.os_name, env.os_version));
    page.set("browser", Joined(env.browser_name, env.browser_version));
    page.set("summary", env.Summary());
    page.set("summary_encoded", http::PercentEncode(env.Summary()));
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

}  // namespace masthead::pages
