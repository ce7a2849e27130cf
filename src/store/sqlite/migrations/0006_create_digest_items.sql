-- Notifications held for a reader's hourly or daily digest: stored in the same
-- transaction as the change that caused them, sent and deleted together.
CREATE TABLE digest_items (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  period      TEXT NOT NULL,     -- 'hourly', 'daily'
  kind        TEXT NOT NULL,     -- the notification kind, e.g. 'reply'
  fields      TEXT NOT NULL,     -- the notification's fields as JSON
  created_at  INTEGER NOT NULL
);
CREATE INDEX digest_items_by_user ON digest_items (user_id, period, id);
CREATE INDEX digest_items_due ON digest_items (period, created_at);
