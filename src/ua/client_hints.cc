#include "ua/client_hints.h"

namespace masthead::ua {
namespace {

// A cursor over one header value, following RFC 8941 section 4.2.
class SfReader {
 public:
  explicit SfReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpaces() {
    while (!AtEnd() && text_[pos_] == ' ') ++pos_;
  }
  void SkipOws() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  // sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, printable ASCII.
  std::optional<std::string> String() {
    if (!Consume('"')) return std::nullopt;
    std::string out;
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '\\') {
        if (AtEnd() || (Peek() != '"' && Peek() != '\\')) return std::nullopt;
        out.push_back(text_[pos_++]);
      } else if (c == '"') {
        return out;
      } else if (c < 0x20 || c > 0x7e) {
        return std::nullopt;
      } else {
        out.push_back(c);
      }
    }
    return std::nullopt;  // no closing quote
  }

  // sf-token or key, enough to skip parameters we do not use.
  std::optional<std::string> Key() {
    const std::size_t start = pos_;
    while (!AtEnd()) {
      const char c = text_[pos_];
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                      c == '.' || c == '*' || (pos_ > start && c >= 'A' && c <= 'Z');
      if (!ok) break;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return std::string(text_.substr(start, pos_ - start));
  }

  // A bare item we do not interpret (token, number, boolean): skipped.
  bool SkipBareItem() {
    if (Peek() == '"') return String().has_value();
    const std::size_t start = pos_;
    while (!AtEnd() && Peek() != ';' && Peek() != ',' && Peek() != ' ' && Peek() != '\t') ++pos_;
    return pos_ > start;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

tl::unexpected<Error> Malformed(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "malformed " + std::string(what) + " hint");
}

}  // namespace

bool ClientHints::empty() const {
  return brands.empty() && full_version_list.empty() && !platform && !platform_version && !model &&
         !arch && !bitness && !mobile;
}

Result<std::string> ParseSfString(std::string_view value) {
  if (value.size() > kMaxHintBytes) return MakeError(ErrorCode::kTooLarge, "hint too long");
  SfReader reader(value);
  reader.SkipSpaces();
  auto out = reader.String();
  reader.SkipSpaces();
  if (!out || !reader.AtEnd()) return Malformed("string");
  return *out;
}

Result<bool> ParseSfBoolean(std::string_view value) {
  if (value.size() > kMaxHintBytes) return MakeError(ErrorCode::kTooLarge, "hint too long");
  SfReader reader(value);
  reader.SkipSpaces();
  if (!reader.Consume('?')) return Malformed("boolean");
  bool result = false;
  if (reader.Consume('1')) {
    result = true;
  } else if (!reader.Consume('0')) {
    return Malformed("boolean");
  }
  reader.SkipSpaces();
  if (!reader.AtEnd()) return Malformed("boolean");
  return result;
}

Result<std::vector<BrandVersion>> ParseBrandList(std::string_view value) {
  if (value.size() > kMaxHintBytes) return MakeError(ErrorCode::kTooLarge, "hint too long");
  std::vector<BrandVersion> out;
  SfReader reader(value);
  reader.SkipSpaces();
  while (!reader.AtEnd()) {
    auto brand = reader.String();
    if (!brand) return Malformed("brand list");
    BrandVersion member{std::move(*brand), ""};
    while (reader.Consume(';')) {  // parameters: ;key[=bare-item]
      reader.SkipSpaces();
      auto key = reader.Key();
      if (!key) return Malformed("brand list");
      if (!reader.Consume('=')) continue;  // boolean parameter
      if (*key == "v") {
        auto version = reader.String();
        if (!version) return Malformed("brand list");
        member.version = std::move(*version);
      } else if (!reader.SkipBareItem()) {
        return Malformed("brand list");
      }
    }
    out.push_back(std::move(member));
    reader.SkipOws();
    if (reader.AtEnd()) break;
    if (!reader.Consume(',')) return Malformed("brand list");
    reader.SkipOws();
    if (reader.AtEnd()) return Malformed("brand list");  // trailing comma
  }
  return out;
}

ClientHints ParseClientHints(const ClientHintHeaders& headers) {
  ClientHints hints;
  auto list = [](const std::optional<std::string>& raw) {
    if (!raw) return std::vector<BrandVersion>{};
    return ParseBrandList(*raw).value_or(std::vector<BrandVersion>{});
  };
  auto string = [](const std::optional<std::string>& raw) -> std::optional<std::string> {
    if (!raw) return std::nullopt;
    auto value = ParseSfString(*raw);
    if (!value) return std::nullopt;
    return *value;
  };
  hints.brands = list(headers.ua);
  hints.full_version_list = list(headers.full_version_list);
  hints.platform = string(headers.platform);
  hints.platform_version = string(headers.platform_version);
  hints.model = string(headers.model);
  hints.arch = string(headers.arch);
  hints.bitness = string(headers.bitness);
  if (headers.mobile) {
    if (auto mobile = ParseSfBoolean(*headers.mobile)) hints.mobile = *mobile;
  }
  return hints;
}

bool IsGreaseBrand(std::string_view brand) {
  // Chromium's GREASE brands all contain "Not" plus a punctuation character
  // from " ():-./;=?_" around "A" and "Brand".
  if (brand.find("Not") == std::string_view::npos) return false;
  if (brand.find("Brand") == std::string_view::npos) return false;
  return true;
}

}  // namespace masthead::ua
