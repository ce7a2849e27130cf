#include "pages/templates.h"

#include <map>
#include <memory>
#include <span>

#include "base/embedded.h"

namespace masthead {
std::span<const EmbeddedFile> PageTemplates();
}

namespace masthead::pages {
namespace {

std::string_view TemplateText(std::string_view name) {
  const std::string path = std::string(name) + ".mustache";
  auto text = FindEmbedded(PageTemplates(), path);
  return text ? *text : std::string_view("missing template");
}

kainjow::mustache::mustache& Compiled(std::string_view name) {
  // kainjow templates keep render state, so each thread owns its copies.
  thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>, std::less<>> cache;
  auto found = cache.find(name);
  if (found == cache.end()) {
    auto compiled = std::make_unique<kainjow::mustache::mustache>(std::string(TemplateText(name)));
    found = cache.emplace(std::string(name), std::move(compiled)).first;
  }
  return *found->second;
}

}  // namespace

std::string RenderTemplate(std::string_view name, Data& data) {
  data.set("story", kainjow::mustache::partial([] { return std::string(TemplateText("story")); }));
  data.set("comment", kainjow::mustache::partial([] { return std::string(TemplateText("comment")); }));
  auto& compiled = Compiled(name);
  if (!compiled.is_valid()) return "template error: " + compiled.error_message();
  return compiled.render(data);
}

std::string RenderPage(std::string_view name, Data& page_data, Data& layout_data) {
  layout_data.set("content", RenderTemplate(name, page_data));
  return RenderTemplate("layout", layout_data);
}

Data FormLinks(std::initializer_list<std::pair<std::string, std::string>> links) {
  Data items{Data::type::list};
  for (const auto& [href, text] : links) {
    Data item;
    item.set("href", href);
    item.set("text", text);
    items.push_back(item);
  }
  Data wrapper;
  wrapper.set("items", items);
  return wrapper;
}

}  // namespace masthead::pages
