-- Spam and floods: a hash of each comment's normalised text, so the same text
-- posted again by one reader, or by many accounts at once, is recognised.
CREATE TABLE comment_fingerprints (
  comment_id   BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  author_id    BIGINT NOT NULL,
  fingerprint  TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE INDEX comment_fingerprints_by_text ON comment_fingerprints (fingerprint, created_at);
