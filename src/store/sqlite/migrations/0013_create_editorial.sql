-- The newsroom's tools: notes left where an article was unpublished, the record of
-- which publications were announced to subscribers, desks owning sections, the
-- mapping of imported items (so a re-import updates instead of duplicating) and
-- the outgoing webhook queue.

-- An unpublished article keeps its address: readers see this note instead of a 404.
CREATE TABLE article_withdrawals (
  article_id    INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  note          TEXT NOT NULL,
  withdrawn_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  withdrawn_at  INTEGER NOT NULL
);

-- One row per article once its publication was announced ("article published"
-- hook): the claim is the insert, so two nodes never announce an article twice.
CREATE TABLE article_announcements (
  article_id    INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  published_at  INTEGER NOT NULL,
  announced_at  INTEGER NOT NULL
);
-- Articles already public before this migration were announced long ago.
INSERT INTO article_announcements (article_id, published_at, announced_at)
  SELECT id, published_at, published_at FROM articles
  WHERE published_at IS NOT NULL AND published_at <= CAST(strftime('%s', 'now') AS INTEGER);

CREATE TABLE desks (
  id     INTEGER PRIMARY KEY,
  slug   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  email  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE section_desks (
  section_id  INTEGER PRIMARY KEY REFERENCES sections(id) ON DELETE CASCADE,
  desk_id     INTEGER NOT NULL REFERENCES desks(id) ON DELETE CASCADE
);

-- kind: "article", "comment", "user"; external_id as the source names it.
CREATE TABLE imported_items (
  source       TEXT NOT NULL,
  kind         TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  local_id     INTEGER NOT NULL,
  imported_at  INTEGER NOT NULL,
  PRIMARY KEY (source, kind, external_id)
);

-- status: pending, delivered, failed (gave up). Leased like the mail outbox.
CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY,
  url              TEXT NOT NULL,
  event            TEXT NOT NULL,
  payload          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  leased_until     INTEGER NOT NULL DEFAULT 0,
  last_code        INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
