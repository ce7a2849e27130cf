#include "store/postgres/dialect.h"

#include <cctype>
#include <unordered_map>

#include "store/postgres/statements_postgres.h"

namespace masthead::store::postgres {

namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Upper(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// The position after the whitespace at `i`.
std::size_t SkipSpace(std::string_view sql, std::size_t i) {
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  return i;
}

// The word at `i` (empty when none) in upper case.
std::string WordAt(std::string_view sql, std::size_t i) {
  std::size_t end = i;
  while (end < sql.size() && IsWordChar(sql[end])) ++end;
  return Upper(sql.substr(i, end - i));
}

}  // namespace

TranslatedSql TranslateFromSqlite(std::string_view sql) {
  TranslatedSql out;
  bool insert_or_ignore = false;
  std::size_t returning_at = std::string::npos;  // in out.text
  int depth = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted name, copied as is
      std::size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      out.text.append(sql.substr(i, end + 1 - i));
      i = end + 1;
      continue;
    }
    if (c == '?') {
      std::size_t end = i + 1;
      int number = 0;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) {
        number = number * 10 + (sql[end] - '0');
        ++end;
      }
      out.text += '$';
      out.text += std::to_string(number);
      if (number > out.parameter_count) out.parameter_count = number;
      if (number > 0) {
        if (out.used.size() < static_cast<std::size_t>(number)) out.used.resize(static_cast<std::size_t>(number));
        out.used[static_cast<std::size_t>(number - 1)] = true;
      }
      i = end;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (IsWordChar(c) && (i == 0 || !IsWordChar(sql[i - 1]))) {
      std::size_t end = i;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
      const std::string word = Upper(sql.substr(i, end - i));
      if (word == "INSERT" && WordAt(sql, SkipSpace(sql, end)) == "OR") {
        const std::size_t after_or = SkipSpace(sql, SkipSpace(sql, end) + 2);
        if (WordAt(sql, after_or) == "IGNORE") {
          out.text.append(sql.substr(i, end - i));
          insert_or_ignore = true;
          i = after_or + 6;
          continue;
        }
      }
      if (word == "IS") {
        const std::size_t next = SkipSpace(sql, end);
        if (next < sql.size() && sql[next] == '?') {
          out.text += "IS NOT DISTINCT FROM ";
          i = next;
          continue;
        }
        if (WordAt(sql, next) == "NOT") {
          const std::size_t operand = SkipSpace(sql, next + 3);
          if (operand < sql.size() && sql[operand] == '?') {
            out.text += "IS DISTINCT FROM ";
            i = operand;
            continue;
          }
        }
      }
      const std::size_t next = SkipSpace(sql, end);
      const bool call = next < sql.size() && sql[next] == '(';
      if (word == "CHAR" && call) {
        out.text += "chr";
        i = end;
        continue;
      }
      if (word == "JSON_EACH" && call) {
        out.text += "masthead_json_each";
        i = end;
        continue;
      }
      if (word == "RETURNING" && depth == 0) returning_at = out.text.size();
      out.text.append(sql.substr(i, end - i));
      i = end;
      continue;
    }
    out.text += c;
    ++i;
  }
  if (insert_or_ignore) {
    if (returning_at == std::string::npos) {
      out.text += " ON CONFLICT DO NOTHING";
    } else {
      out.text.insert(returning_at, "ON CONFLICT DO NOTHING ");
    }
  }
  return out;
}

TranslatedSql PostgresSqlFor(const char* sqlite_sql) {
  static const std::unordered_map<const char*, const char*> overrides = StatementOverrides();
  const auto found = overrides.find(sqlite_sql);
  return TranslateFromSqlite(found != overrides.end() ? found->second : sqlite_sql);
}

}  // namespace masthead::store::postgres
