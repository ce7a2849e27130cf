// SQL of the SQLite engine for spam and flood checks.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertFingerprint[] =
    "INSERT INTO comment_fingerprints (comment_id, author_id, fingerprint, created_at)"
    " VALUES (?1, ?2, ?3, ?4)";
// ?1 fingerprint, ?2 author, ?3 the author's idempotency key (a double submit
// is not a duplicate), ?4 since.
inline constexpr char kCountFingerprints[] =
    "SELECT count(*) FILTER (WHERE f.author_id = ?2 AND c.idempotency_key IS NOT ?3),"
    " count(DISTINCT f.author_id) FILTER (WHERE f.author_id != ?2)"
    " FROM comment_fingerprints f JOIN comments c ON c.id = f.comment_id"
    " WHERE f.fingerprint = ?1 AND f.created_at >= ?4 AND c.status != 'deleted'";

}  // namespace masthead::store::sqlite::sql
