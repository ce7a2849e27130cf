// Mustache templates compiled into the binary. {{x}} escapes HTML; the few
// {{{x}}} in templates carry a comment saying why that value is safe.
#pragma once

#include <kainjow/mustache.hpp>

#include <string>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace masthead::pages {

using Data = kainjow::mustache::data;

// Renders template `name` ("article" for templates/article.mustache) with the
// shared partials available. Thread-safe: each thread parses its own copies.
std::string RenderTemplate(std::string_view name, Data& data);

// A page: renders `name`, then puts the result into layout.mustache.
std::string RenderPage(std::string_view name, Data& page_data, Data& layout_data);

// The {{#links}} block of form_page: (href, text) pairs shown under the form.
Data FormLinks(std::initializer_list<std::pair<std::string, std::string>> links);

}  // namespace masthead::pages
