// Reads article files for `masthead import` and the demo content. Two formats:
//  - Markdown with a front matter block between "---" lines (key: value), body after;
//  - JSON: one article object or an array of them, keys as in front matter plus "body".
// Parsing checks form only (UTF-8, known keys, dates); ArticleService validates content.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace masthead::articles {

struct ImportedArticle {
  store::ArticleFields fields;
  std::string section_name;  // for a section that does not exist yet; may be empty
  std::string origin;        // "file.md:1", for error messages
};

// Errors name the file and the 1-based line, e.g. "bad.md:4: unknown key 'hedline'".
Result<std::vector<ImportedArticle>> ParseArticleFile(std::string_view file_name,
                                                      std::string_view content);

}  // namespace masthead::articles
