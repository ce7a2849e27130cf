// `masthead import --from disqus|wordpress FILE`: articles, comments and threads
// from a Disqus export or a WordPress WXR export. Parsing and storing are apart:
// an archive is parsed whole first (a broken file stores nothing), then stored
// one article (with its comments) per transaction, each item recorded with its
// source id so a second run creates nothing twice and an interrupted run resumes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article_service.h"
#include "base/result.h"
#include "store/store.h"

namespace masthead::ops {

struct ExternalAuthor {
  std::string name;
  std::string email;     // may be empty (anonymous)
  std::string username;  // the source's account name; may be empty
};

struct ExternalThread {
  std::string id;     // the source's id (Disqus thread dsq:id, WordPress post id)
  std::string link;   // the original address
  std::string title;
  // WordPress: the whole article. Disqus exports carry no article text: only a
  // title and link, matched to an article already here or kept as a stub.
  bool has_article = false;
  store::ArticleFields fields;
  std::string section_name;
};

enum class ExternalState { kPublished, kDeleted, kSpam };

struct ExternalComment {
  std::string id;
  std::string thread_id;
  std::string parent_id;  // empty: top level
  ExternalAuthor author;
  std::string body_markdown;
  UnixSeconds created_at = 0;
  ExternalState state = ExternalState::kPublished;
};

struct ExternalArchive {
  std::string source;  // "disqus" or "wordpress"
  std::vector<ExternalThread> threads;
  std::vector<ExternalComment> comments;
};

// Errors name the line. Encodings: what the XML declaration says (libxml2 reads
// ISO-8859-1, Windows-1252, UTF-16 ...); a file said or assumed to be UTF-8 that
// holds other bytes is repaired byte by byte as Windows-1252 first.
Result<ExternalArchive> ParseDisqus(std::string_view bytes);
Result<ExternalArchive> ParseWordPress(std::string_view bytes);

struct ImportProgress {
  std::size_t done = 0;   // threads stored so far
  std::size_t total = 0;
};

struct ArchiveImportOptions {
  int max_depth = 3;  // deeper replies attach at the deepest level, as when posted
  std::function<void(const ImportProgress&)> progress;
};

struct ArchiveImportReport {
  int articles_created = 0;
  int articles_matched = 0;   // an article already here (same address) took the thread
  int articles_already = 0;   // imported by an earlier run
  int comments_created = 0;
  int comments_already = 0;
  int comments_to_top_level = 0;  // their parent was missing from the file
  int comments_deleted = 0;       // kept as tombstones so their replies keep a thread
  int spam_skipped = 0;
  int readers_created = 0;
};

Result<ArchiveImportReport> ImportArchive(store::Store& store, articles::ArticleService& articles,
                                          const ExternalArchive& archive, const ArchiveImportOptions& options,
                                          UnixSeconds now);

}  // namespace masthead::ops
