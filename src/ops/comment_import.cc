#include "ops/comment_import.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "base/text.h"
#include "base/utf8.h"
#include "ops/html_to_markdown.h"

namespace masthead::ops {
namespace {

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

// The encoding the XML declaration names, lower-case; empty when none.
std::string DeclaredEncoding(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, std::min<std::size_t>(bytes.size(), 200));
  if (head.rfind("<?xml", 0) != 0 && head.rfind("\xEF\xBB\xBF<?xml", 0) != 0) return {};
  const auto end = head.find("?>");
  const auto at = head.find("encoding=");
  if (at == std::string_view::npos || (end != std::string_view::npos && at > end) || at + 10 > head.size()) return {};
  const char quote = head[at + 9];
  const auto close = head.find(quote, at + 10);
  if (close == std::string_view::npos) return {};
  std::string name(head.substr(at + 10, close - at - 10));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

Result<XmlDoc> ParseXml(std::string_view bytes) {
  const std::string encoding = DeclaredEncoding(bytes);
  std::string repaired;
  if (encoding.empty() || encoding == "utf-8" || encoding == "utf8") {
    repaired = RepairLegacyText(bytes);
    bytes = repaired;
  }
  // No entity substitution, no network, no DTD loading: an export cannot make
  // the importer read local files or fetch URLs.
  XmlDoc doc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "import.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                               XML_PARSE_NOWARNING),
             &xmlFreeDoc);
  if (!doc) {
    const xmlError* error = xmlGetLastError();
    std::string message = "not a well-formed XML file";
    if (error != nullptr) {
      std::string detail = error->message ? error->message : "";
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
      message = "line " + std::to_string(error->line) + ": " + detail;
    }
    return MakeError(ErrorCode::kInvalidArgument, message);
  }
  return doc;
}

bool Is(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

bool InNamespace(const xmlNode* node, std::string_view part) {
  return node->ns != nullptr && node->ns->href != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)).find(part) != std::string_view::npos;
}

xmlNode* Child(const xmlNode* node, const char* name, std::string_view ns_part = {}) {
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (Is(child, name) && (ns_part.empty() || InNamespace(child, ns_part))) return child;
  }
  return nullptr;
}

std::string TextOf(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  std::string text = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return std::string(TrimWhitespace(text));
}

std::string ChildText(const xmlNode* node, const char* name, std::string_view ns_part = {}) {
  return TextOf(Child(node, name, ns_part));
}

std::string Attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return {};
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string text = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return text;
}

// One line of plain text from HTML-ish text (titles, names).
std::string PlainLine(const std::string& html, std::size_t max_bytes) {
  std::string text = HtmlToMarkdown(html);
  // Escapes are Markdown's; a plain line wants the characters themselves.
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      plain += text[++i];
    } else if (text[i] == '\n') {
      plain += ' ';
    } else {
      plain += text[i];
    }
  }
  plain = std::string(TrimWhitespace(plain));
  if (plain.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(plain[cut]) & 0xC0) == 0x80) --cut;
    plain.resize(cut);
  }
  return plain;
}

// "2012-12-23 10:00:00" (WordPress) or RFC 3339 (Disqus); nullopt when empty or zero.
std::optional<UnixSeconds> ParseSourceDate(const std::string& text) {
  if (text.empty() || text.rfind("0000-00-00", 0) == 0) return std::nullopt;
  if (auto parsed = ParseDateTime(text)) return parsed;
  if (text.size() == 19 && text[10] == ' ') {
    auto minutes = ParseDateTime(text.substr(0, 16));
    if (minutes) return *minutes + std::stoi(text.substr(17, 2));
  }
  return std::nullopt;
}

}  // namespace

Result<ExternalArchive> ParseDisqus(std::string_view bytes) {
  auto doc = ParseXml(bytes);
  if (!doc) return tl::unexpected(doc.error());
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (root == nullptr || !Is(root, "disqus")) {
    return MakeError(ErrorCode::kInvalidArgument, "not a Disqus export (the root element is not <disqus>)");
  }
  ExternalArchive archive;
  archive.source = "disqus";
  for (xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (Is(node, "thread")) {
      ExternalThread thread;
      thread.id = Attribute(node, "id");
      thread.link = ChildText(node, "link");
      thread.title = PlainLine(ChildText(node, "title"), 300);
      thread.fields.published_at = ParseSourceDate(ChildText(node, "createdAt"));
      if (thread.id.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "line " + std::to_string(xmlGetLineNo(node)) + ": a <thread> without dsq:id");
      }
      archive.threads.push_back(std::move(thread));
    } else if (Is(node, "post")) {
      ExternalComment comment;
      comment.id = Attribute(node, "id");
      comment.thread_id = Attribute(Child(node, "thread"), "id");
      comment.parent_id = Attribute(Child(node, "parent"), "id");
      comment.body_markdown = HtmlToMarkdown(ChildText(node, "message"));
      comment.created_at = ParseSourceDate(ChildText(node, "createdAt")).value_or(0);
      if (xmlNode* author = Child(node, "author")) {
        comment.author.name = PlainLine(ChildText(author, "name"), 60);
        comment.author.email = ChildText(author, "email");
        comment.author.username = ChildText(author, "username");
      }
      if (ChildText(node, "isSpam") == "true") {
        comment.state = ExternalState::kSpam;
      } else if (ChildText(node, "isDeleted") == "true") {
        comment.state = ExternalState::kDeleted;
      }
      if (comment.id.empty() || comment.thread_id.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "line " + std::to_string(xmlGetLineNo(node)) +
                                                          ": a <post> without dsq:id or <thread dsq:id>");
      }
      archive.comments.push_back(std::move(comment));
    }
  }
  return archive;
}

Result<ExternalArchive> ParseWordPress(std::string_view bytes) {
  auto doc = ParseXml(bytes);
  if (!doc) return tl::unexpected(doc.error());
  xmlNode* root = xmlDocGetRootElement(doc->get());
  xmlNode* channel = root != nullptr && Is(root, "rss") ? Child(root, "channel") : nullptr;
  if (channel == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "not a WordPress export (no <rss><channel>)");
  }
  ExternalArchive archive;
  archive.source = "wordpress";
  std::map<std::string, std::string> author_names;  // login -> display name
  for (xmlNode* node = channel->children; node != nullptr; node = node->next) {
    if (Is(node, "author") && InNamespace(node, "wordpress.org")) {
      const std::string display = PlainLine(ChildText(node, "author_display_name"), 200);
      if (!display.empty()) author_names[ChildText(node, "author_login")] = display;
    }
  }
  for (xmlNode* item = channel->children; item != nullptr; item = item->next) {
    if (!Is(item, "item")) continue;
    const std::string type = ChildText(item, "post_type");
    if (type != "post") continue;  // pages, attachments, menus are not articles
    ExternalThread thread;
    thread.id = ChildText(item, "post_id");
    if (thread.id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "line " + std::to_string(xmlGetLineNo(item)) + ": an <item> without <wp:post_id>");
    }
    thread.link = ChildText(item, "link");
    thread.title = PlainLine(ChildText(item, "title"), 300);
    thread.has_article = true;
    store::ArticleFields& f = thread.fields;
    f.headline = thread.title.empty() ? "Untitled (" + thread.id + ")" : thread.title;
    const std::string post_name = ChildText(item, "post_name");
    f.slug = IsValidSlug(post_name) && post_name.size() <= 200 ? post_name : Slugify(f.headline);
    if (f.slug.empty()) f.slug = "post-" + thread.id;
    const std::string creator = ChildText(item, "creator");
    f.byline = PlainLine(author_names.count(creator) ? author_names[creator] : creator, 200);
    if (f.byline.empty()) f.byline = "Staff";
    f.deck = PlainLine(ChildText(item, "encoded", "excerpt"), 600);
    f.body_markdown = HtmlToMarkdown(ChildText(item, "encoded", "purl.org/rss/1.0/modules/content"));
    if (f.body_markdown.empty()) f.body_markdown = "(This article had no text.)";
    for (xmlNode* category = item->children; category != nullptr; category = category->next) {
      if (Is(category, "category") && Attribute(category, "domain") == "category") {
        const std::string nicename = Attribute(category, "nicename");
        f.section_slug = IsValidSlug(nicename) && nicename.size() <= 100 ? nicename : Slugify(TextOf(category));
        thread.section_name = PlainLine(TextOf(category), 100);
        break;
      }
    }
    if (f.section_slug.empty() || f.section_slug == "uncategorized") {
      f.section_slug = "archive";
      thread.section_name = "Archive";
    }
    auto date = ParseSourceDate(ChildText(item, "post_date_gmt"));
    if (!date) date = ParseSourceDate(ChildText(item, "post_date"));
    const std::string status = ChildText(item, "status");
    if (status == "publish" || status == "future") f.published_at = date;
    for (xmlNode* node = item->children; node != nullptr; node = node->next) {
      if (!Is(node, "comment") || !InNamespace(node, "wordpress.org")) continue;
      const std::string kind = ChildText(node, "comment_type");
      if (kind == "pingback" || kind == "trackback") continue;
      ExternalComment comment;
      comment.id = ChildText(node, "comment_id");
      comment.thread_id = thread.id;
      comment.parent_id = ChildText(node, "comment_parent");
      if (comment.parent_id == "0") comment.parent_id.clear();
      comment.author.name = PlainLine(ChildText(node, "comment_author"), 60);
      comment.author.email = ChildText(node, "comment_author_email");
      comment.body_markdown = HtmlToMarkdown(ChildText(node, "comment_content"));
      auto at = ParseSourceDate(ChildText(node, "comment_date_gmt"));
      if (!at) at = ParseSourceDate(ChildText(node, "comment_date"));
      comment.created_at = at.value_or(date.value_or(0));
      const std::string approved = ChildText(node, "comment_approved");
      if (approved == "spam") {
        comment.state = ExternalState::kSpam;
      } else if (approved != "1") {
        comment.state = ExternalState::kDeleted;  // unapproved or trashed: a tombstone at most
      }
      if (comment.id.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "line " + std::to_string(xmlGetLineNo(node)) + ": a <wp:comment> without <wp:comment_id>");
      }
      archive.comments.push_back(std::move(comment));
    }
    archive.threads.push_back(std::move(thread));
  }
  return archive;
}

namespace {

// Stable across runs and machines (std::hash is neither).
std::string Fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (int shift = 60; shift >= 0; shift -= 4) hex += digits[(hash >> shift) & 0xF];
  return hex;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool LooksLikeEmail(const std::string& email) {
  const auto at = email.find('@');
  return at != std::string::npos && at > 0 && at + 1 < email.size() && email.size() <= 254 &&
         email.find_first_of(" ,;<>\"\n") == std::string::npos && IsValidUtf8(email);
}

// The slug an original address ends with: "https://x.org/2012/12/some-story/" -> "some-story".
std::string SlugOfLink(std::string link) {
  link = link.substr(0, link.find_first_of("?#"));
  while (!link.empty() && link.back() == '/') link.pop_back();
  std::string last = link.substr(link.find_last_of('/') + 1);
  if (last.size() > 5 && last.ends_with(".html")) last.resize(last.size() - 5);
  return IsValidSlug(last) ? last : std::string();
}

class ArchiveImporter {
 public:
  ArchiveImporter(store::Store& store, articles::ArticleService& articles, const ExternalArchive& archive,
                  const ArchiveImportOptions& options, UnixSeconds now)
      : store_(store), articles_(articles), archive_(archive), options_(options), now_(now) {}

  Result<ArchiveImportReport> Run() {
    std::map<std::string, std::vector<const ExternalComment*>> by_thread;
    for (const auto& comment : archive_.comments) by_thread[comment.thread_id].push_back(&comment);
    ImportProgress progress{0, archive_.threads.size()};
    for (const auto& thread : archive_.threads) {
      // One transaction per article and its comments: the server keeps taking
      // writes between them, and an interrupted import resumes where it stopped.
      ArchiveImportReport before = report_;
      auto stored = store_.Transact([&](store::Store& tx) -> Status {
        auto article_id = ArticleFor(tx, thread);
        if (!article_id) return tl::unexpected(article_id.error());
        return Comments(tx, *article_id, by_thread[thread.id]);
      });
      if (!stored) {
        report_ = before;
        Error error = stored.error();
        error.message = "thread " + thread.id + " (" + thread.title + "): " + error.message;
        return tl::unexpected(error);
      }
      ++progress.done;
      if (options_.progress) options_.progress(progress);
    }
    articles_.MarkChanged();
    return report_;
  }

 private:
  store::ImportedItemKey Key(const char* kind, const std::string& id) const { return {archive_.source, kind, id}; }

  Result<std::int64_t> Known(store::Store& tx, const char* kind, const std::string& id) {
    auto found = tx.FindImportedItem(Key(kind, id));
    if (!found && found.error().code != ErrorCode::kNotFound) return tl::unexpected(found.error());
    return found ? *found : 0;
  }

  Result<std::int64_t> ArticleFor(store::Store& tx, const ExternalThread& thread) {
    auto known = Known(tx, "article", thread.id);
    if (!known) return known;
    if (*known > 0) {
      ++report_.articles_already;
      return known;
    }
    store::ArticleFields fields = thread.fields;
    std::string section_name = thread.section_name;
    if (!thread.has_article) {
      // Disqus knows only the title and address: an article already here at that
      // address (or with that headline's slug) takes the discussion.
      for (const std::string& slug : {SlugOfLink(thread.link), Slugify(thread.title)}) {
        if (slug.empty()) continue;
        auto existing = tx.FindArticle({.slug = slug, .include_unpublished = true, .now = now_});
        if (existing) {
          ++report_.articles_matched;
          MASTHEAD_RETURN_IF_ERROR(tx.RecordImportedItem(Key("article", thread.id), existing->id, now_));
          return existing->id;
        }
      }
      fields.headline = thread.title.empty() ? "Imported discussion " + thread.id : thread.title;
      fields.slug = SlugOfLink(thread.link);
      fields.section_slug = "archive";
      section_name = "Archive";
      fields.byline = "Archive";
      fields.body_markdown = "The discussion below was imported from the earlier site" +
                             (thread.link.rfind("http", 0) == 0 ? " (" + thread.link + ")." : std::string("."));
    } else if (auto existing = tx.FindArticle({.slug = fields.slug, .include_unpublished = true, .now = now_})) {
      ++report_.articles_matched;
      MASTHEAD_RETURN_IF_ERROR(tx.RecordImportedItem(Key("article", thread.id), existing->id, now_));
      return existing->id;
    }
    MASTHEAD_RETURN_IF_ERROR(articles_.Validate(fields));
    MASTHEAD_RETURN_IF_ERROR(EnsureSection(tx, fields.section_slug, section_name));
    auto created = tx.CreateArticle({fields, "import from " + archive_.source, now_});
    if (!created) return tl::unexpected(created.error());
    if (fields.published_at && *fields.published_at <= now_) {
      // Years-old stories are not news: no "article published" event for them.
      MASTHEAD_RETURN_IF_ERROR(tx.MarkPublicationAnnounced(created->id, *fields.published_at, now_));
    }
    MASTHEAD_RETURN_IF_ERROR(tx.RecordImportedItem(Key("article", thread.id), created->id, now_));
    ++report_.articles_created;
    return created->id;
  }

  Status EnsureSection(store::Store& tx, const std::string& slug, const std::string& name) {
    if (sections_.empty()) {
      auto sections = tx.ListSections();
      if (!sections) return tl::unexpected(sections.error());
      for (const auto& s : *sections) {
        sections_.insert(s.slug);
        next_position_ = std::max(next_position_, s.position + 1);
      }
    }
    if (sections_.count(slug)) return Ok();
    auto put = tx.PutSection({slug, name.empty() ? slug : name, next_position_++});
    if (!put) return tl::unexpected(put.error());
    sections_.insert(slug);
    return Ok();
  }

  // Parents before their replies, whatever order (or dates) the file has; a
  // cycle or a parent missing from the file leaves the reply at the top level.
  std::vector<const ExternalComment*> InThreadOrder(const std::vector<const ExternalComment*>& comments) {
    std::map<std::string, const ExternalComment*> by_id;
    for (const auto* c : comments) by_id[c->id] = c;
    std::vector<const ExternalComment*> sorted = comments;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto* a, const auto* b) { return a->created_at < b->created_at; });
    std::vector<const ExternalComment*> order;
    std::set<std::string> placed, visiting;
    std::function<void(const ExternalComment*)> place = [&](const ExternalComment* c) {
      if (placed.count(c->id) || visiting.count(c->id)) return;
      visiting.insert(c->id);
      if (auto parent = by_id.find(c->parent_id); !c->parent_id.empty() && parent != by_id.end()) place(parent->second);
      visiting.erase(c->id);
      if (placed.insert(c->id).second) order.push_back(c);
    };
    for (const auto* c : sorted) place(c);
    return order;
  }

  Status Comments(store::Store& tx, std::int64_t article_id, const std::vector<const ExternalComment*>& comments) {
    for (const ExternalComment* c : InThreadOrder(comments)) {
      if (c->state == ExternalState::kSpam) {
        ++report_.spam_skipped;
        continue;
      }
      auto known = Known(tx, "comment", c->id);
      if (!known) return tl::unexpected(known.error());
      if (*known > 0) {
        ++report_.comments_already;
        continue;
      }
      store::CreateCommentRequest create;
      create.article_id = article_id;
      create.kind = "comment";
      create.now = c->created_at > 0 ? c->created_at : now_;
      create.idempotency_key = "import:" + archive_.source + ":" + c->id;
      if (!c->parent_id.empty()) {
        auto parent_local = Known(tx, "comment", c->parent_id);
        if (!parent_local) return tl::unexpected(parent_local.error());
        std::optional<store::Comment> parent;
        if (*parent_local > 0) {
          auto found = tx.FindComment(*parent_local);
          if (!found) return tl::unexpected(found.error());
          // Too deep: attach at the deepest allowed level, as the site does.
          while (found->depth >= options_.max_depth && found->parent_id) {
            auto up = tx.FindComment(*found->parent_id);
            if (!up) return tl::unexpected(up.error());
            found = std::move(up);
          }
          if (found->article_id == article_id) parent = *found;
        }
        if (parent) {
          create.parent_id = parent->id;
          create.thread_id = parent->thread_id;
          create.depth = parent->depth + 1;
        } else {
          ++report_.comments_to_top_level;
        }
      }
      if (c->state == ExternalState::kDeleted) {
        create.status = store::CommentStatus::kDeleted;
        ++report_.comments_deleted;
      } else {
        create.body_markdown = c->body_markdown.empty() ? std::string("(empty)") : c->body_markdown;
        if (create.body_markdown.size() > 64 * 1024) create.body_markdown.resize(64 * 1024);
        while (!IsValidUtf8(create.body_markdown)) create.body_markdown.pop_back();
      }
      auto author = Author(tx, c->author);
      if (!author) return tl::unexpected(author.error());
      create.author_id = *author;
      auto created = tx.CreateComment(create);
      if (!created) return tl::unexpected(created.error());
      MASTHEAD_RETURN_IF_ERROR(tx.RecordImportedItem(Key("comment", c->id), created->id, now_));
      ++report_.comments_created;
    }
    return Ok();
  }

  // The reader an imported comment belongs to: the account with the same e-mail
  // address when there is one, else a new account that cannot log in until its
  // owner resets the password (when the address is real) or ever (anonymous).
  Result<std::int64_t> Author(store::Store& tx, const ExternalAuthor& author) {
    const std::string email = Lower(author.email);
    const bool real_email = LooksLikeEmail(email);
    const std::string name = author.name.empty() ? (author.username.empty() ? "Former reader" : author.username)
                                                 : author.name;
    const std::string key = real_email ? "email:" + email : "name:" + Lower(author.username.empty() ? name : author.username);
    auto known = Known(tx, "user", key);
    if (!known) return known;
    if (*known > 0) return known;
    std::int64_t id = 0;
    if (real_email) {
      auto existing = tx.FindUser({.email = email});
      if (existing) id = existing->id;
      else if (existing.error().code != ErrorCode::kNotFound) return tl::unexpected(existing.error());
    }
    if (id == 0) {
      store::CreateUserRequest create;
      create.email = real_email ? email : "imported-" + Fnv1a(archive_.source + ":" + key) + "@import.invalid";
      create.display_name = PlainLine(name, 60);
      if (create.display_name.empty()) create.display_name = "Former reader";
      create.password_hash = "";
      create.role = "reader";
      create.now = now_;
      auto user = tx.CreateUser(create);
      if (!user) return tl::unexpected(user.error());
      id = user->id;
      ++report_.readers_created;
    }
    MASTHEAD_RETURN_IF_ERROR(tx.RecordImportedItem(Key("user", key), id, now_));
    return id;
  }

  store::Store& store_;
  articles::ArticleService& articles_;
  const ExternalArchive& archive_;
  const ArchiveImportOptions& options_;
  UnixSeconds now_;
  ArchiveImportReport report_;
  std::set<std::string> sections_;
  int next_position_ = 1;
};

}  // namespace

Result<ArchiveImportReport> ImportArchive(store::Store& store, articles::ArticleService& articles,
                                          const ExternalArchive& archive, const ArchiveImportOptions& options,
                                          UnixSeconds now) {
  return ArchiveImporter(store, articles, archive, options, now).Run();
}

}  // namespace masthead::ops
