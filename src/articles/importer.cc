#include "articles/importer.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/text.h"
#include "base/time.h"
#include "base/utf8.h"

namespace masthead::articles {
namespace {

std::size_t LineOfOffset(std::string_view content, std::size_t offset) {
  offset = std::min(offset, content.size());
  return 1 + static_cast<std::size_t>(std::count(content.begin(), content.begin() + offset, '\n'));
}

tl::unexpected<Error> ErrorAt(std::string_view file_name, std::size_t line, std::string message,
                              std::string field = {}) {
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(file_name) + ":" + std::to_string(line) + ": " + message,
                   std::move(field));
}

// Applies one key to the article; false when the key is unknown or the value bad.
Status ApplyKey(ImportedArticle& article, std::string_view key, std::string value,
                std::string_view file_name, std::size_t line) {
  store::ArticleFields& f = article.fields;
  if (key == "slug") {
    f.slug = std::move(value);
  } else if (key == "section") {
    f.section_slug = std::move(value);
  } else if (key == "section_name") {
    article.section_name = std::move(value);
  } else if (key == "headline") {
    f.headline = std::move(value);
  } else if (key == "deck") {
    f.deck = std::move(value);
  } else if (key == "credit") {
    f.credit = std::move(value);
  } else if (key == "byline") {
    f.byline = std::move(value);
  } else if (key == "dateline") {
    f.dateline = std::move(value);
  } else if (key == "published" || key == "published_at") {
    if (value.empty()) {
      f.published_at.reset();
    } else {
      const auto when = ParseDateTime(value);
      if (!when) {
        return ErrorAt(file_name, line,
                       "'" + value + "' is not a date (use 2012-12-23 or 2012-12-23T09:30:00Z)",
                       "published");
      }
      f.published_at = *when;
    }
  } else if (key == "body") {
    f.body_markdown = std::move(value);
  } else {
    return ErrorAt(file_name, line, "unknown key '" + std::string(key) + "'", std::string(key));
  }
  return Ok();
}

std::string Unquote(std::string_view value) {
  if (value.size() >= 2 && ((value.front() == '"' && value.back() == '"') ||
                            (value.front() == '\'' && value.back() == '\''))) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

Result<std::vector<ImportedArticle>> ParseMarkdown(std::string_view file_name,
                                                   std::string_view content) {
  const auto lines = SplitLines(content);
  if (lines.empty() || TrimWhitespace(lines[0]) != "---") {
    return ErrorAt(file_name, 1, "expected a front matter block starting with '---'");
  }
  ImportedArticle article;
  article.origin = std::string(file_name) + ":1";
  std::size_t index = 1;
  bool closed = false;
  for (; index < lines.size(); ++index) {
    const std::string_view line = lines[index];
    if (TrimWhitespace(line) == "---") {
      closed = true;
      ++index;
      break;
    }
    if (TrimWhitespace(line).empty() || TrimWhitespace(line).front() == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return ErrorAt(file_name, index + 1, "expected 'key: value'");
    }
    const std::string_view key = TrimWhitespace(line.substr(0, colon));
    const std::string value = Unquote(TrimWhitespace(line.substr(colon + 1)));
    if (key == "body") return ErrorAt(file_name, index + 1, "the body goes after the front matter");
    MASTHEAD_RETURN_IF_ERROR(ApplyKey(article, key, value, file_name, index + 1));
  }
  if (!closed) return ErrorAt(file_name, lines.size(), "front matter is not closed with '---'");
  std::string body;
  for (; index < lines.size(); ++index) {
    body.append(lines[index]);
    body += '\n';
  }
  article.fields.body_markdown = std::string(TrimWhitespace(body));
  return std::vector<ImportedArticle>{std::move(article)};
}

// nlohmann keeps no source positions, so a key's line is found by looking for
// its quoted name after the start of the element being read.
std::size_t LineOfKey(std::string_view content, std::size_t from, const std::string& key) {
  const std::size_t found = content.find("\"" + key + "\"", from);
  return LineOfOffset(content, found == std::string_view::npos ? from : found);
}

Status ReadJsonArticle(const nlohmann::json& object, ImportedArticle& article,
                       std::string_view file_name, std::string_view content,
                       std::size_t& search_from) {
  if (!object.is_object()) {
    return ErrorAt(file_name, LineOfOffset(content, search_from), "expected an article object");
  }
  for (const auto& [key, value] : object.items()) {
    const std::size_t line = LineOfKey(content, search_from, key);
    if (value.is_null()) continue;
    if (!value.is_string()) {
      return ErrorAt(file_name, line, "'" + key + "' must be a string", key);
    }
    MASTHEAD_RETURN_IF_ERROR(ApplyKey(article, key, value.get<std::string>(), file_name, line));
  }
  return Ok();
}

Result<std::vector<ImportedArticle>> ParseJson(std::string_view file_name,
                                               std::string_view content) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(content.begin(), content.end());
  } catch (const nlohmann::json::parse_error& error) {
    std::string message = error.what();
    // Keep the part after "parse error at ...: " which says what was wrong.
    if (const auto colon = message.find(": syntax error"); colon != std::string::npos) {
      message = message.substr(colon + 2);
    }
    return ErrorAt(file_name, LineOfOffset(content, error.byte > 0 ? error.byte - 1 : 0),
                   "invalid JSON: " + message);
  } catch (const nlohmann::json::exception& error) {
    // Valid syntax holding a value we cannot represent, such as a number beyond a
    // double ("1E400", found by importer_fuzz): an error, not an uncaught throw.
    std::string message = error.what();
    if (const auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
    std::size_t offset = 0;
    if (const auto quote = message.find('\''), last = message.rfind('\''); quote != last) {
      offset = content.find(message.substr(quote + 1, last - quote - 1));
      if (offset == std::string_view::npos) offset = 0;
    }
    return ErrorAt(file_name, LineOfOffset(content, offset), "invalid JSON: " + message);
  }
  std::vector<ImportedArticle> articles;
  std::size_t search_from = 0;
  const auto read_one = [&](const nlohmann::json& object) -> Status {
    ImportedArticle article;
    const std::size_t start = content.find('{', search_from);
    search_from = start == std::string_view::npos ? search_from : start;
    article.origin = std::string(file_name) + ":" + std::to_string(LineOfOffset(content, search_from));
    MASTHEAD_RETURN_IF_ERROR(ReadJsonArticle(object, article, file_name, content, search_from));
    // The next element's '{' comes after this one's (a '{' inside a string value can
    // throw the line off; the message still names the right key).
    if (start != std::string_view::npos) search_from = start + 1;
    articles.push_back(std::move(article));
    return Ok();
  };
  if (document.is_array()) {
    for (const auto& element : document) MASTHEAD_RETURN_IF_ERROR(read_one(element));
  } else {
    MASTHEAD_RETURN_IF_ERROR(read_one(document));
  }
  return articles;
}

}  // namespace

Result<std::vector<ImportedArticle>> ParseArticleFile(std::string_view file_name,
                                                      std::string_view content) {
  if (const std::size_t bad = FindInvalidUtf8(content); bad != std::string_view::npos) {
    return ErrorAt(file_name, LineOfOffset(content, bad),
                   "invalid UTF-8 at byte " + std::to_string(bad));
  }
  std::string_view trimmed = TrimWhitespace(content);
  if (trimmed.empty()) return ErrorAt(file_name, 1, "the file is empty");
  const bool is_json = trimmed.front() == '{' || trimmed.front() == '[';
  return is_json ? ParseJson(file_name, content) : ParseMarkdown(file_name, content);
}

}  // namespace masthead::articles
