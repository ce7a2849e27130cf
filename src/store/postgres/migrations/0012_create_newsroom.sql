-- The newsroom's side: who is working which inbox item, and accounts waiting
-- out their grace period before deletion.

-- One claim per item. A claim past expires_at counts as released: anyone may
-- take the item over without waiting for a clean-up.
CREATE TABLE inbox_claims (
  queue       TEXT NOT NULL,     -- the inbox queue's key, e.g. 'held', 'accuracy'
  item_id     BIGINT NOT NULL,  -- the id within that queue (comment, case, ticket ...)
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  claimed_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  PRIMARY KEY (queue, item_id)
);
CREATE INDEX inbox_claims_by_expiry ON inbox_claims (expires_at);

-- A requested deletion. Pending while completed_at is NULL; the row stays after
-- completion as the record that the account was anonymised, and when.
CREATE TABLE account_deletions (
  user_id       BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  requested_by  BIGINT NOT NULL,  -- the reader themself, or the admin who asked
  requested_at  BIGINT NOT NULL,
  final_at      BIGINT NOT NULL,  -- the end of the grace period
  completed_at  BIGINT
);
CREATE INDEX account_deletions_due ON account_deletions (completed_at, final_at);

-- The dashboard counts comments and reports by time.
CREATE INDEX comments_by_time ON comments (created_at);
CREATE INDEX comment_reports_by_time ON comment_reports (created_at);
CREATE INDEX comment_reports_by_reporter ON comment_reports (reporter_id, created_at);
