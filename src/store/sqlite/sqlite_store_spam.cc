// The SQLite engine's comment fingerprints (spam and flood checks).
#include "store/sqlite/statements_spam.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {

Status SqliteStore::RecordCommentFingerprint(const CommentFingerprint& fingerprint) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kInsertFingerprint);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, fingerprint.comment_id);
    s.Bind(2, fingerprint.author_id);
    s.Bind(3, fingerprint.fingerprint);
    s.Bind(4, fingerprint.created_at);
    return s.Run();
  });
}

Result<FingerprintCounts> SqliteStore::CountCommentFingerprints(const CountFingerprintsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<FingerprintCounts> {
    auto statement = connection.Prepare(sql::kCountFingerprints);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.fingerprint);
    s.Bind(2, request.author_id);
    // Stored keys are never empty (no key is NULL), so "" excludes nothing.
    s.Bind(3, request.idempotency_key);
    s.Bind(4, request.since);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    FingerprintCounts counts;
    if (*row) {
      counts.by_author = static_cast<int>(s.Int(0));
      counts.other_authors = static_cast<int>(s.Int(1));
    }
    return counts;
  });
}

}  // namespace masthead::store::sqlite
