-- Reader comments (and, later, questions) under articles, as threads.
CREATE TABLE comments (
  id               INTEGER PRIMARY KEY,
  article_id       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  parent_id        INTEGER REFERENCES comments(id),
  thread_id        INTEGER NOT NULL,          -- the top-level comment; itself when top-level
  depth            INTEGER NOT NULL,          -- 0 for top-level
  author_id        INTEGER NOT NULL REFERENCES users(id),
  kind             TEXT NOT NULL DEFAULT 'comment',
  body_markdown    TEXT NOT NULL,
  status           TEXT NOT NULL,             -- 'published', 'held', 'rejected', 'deleted'
  created_at       INTEGER NOT NULL,
  edited_at        INTEGER,
  respect_count    INTEGER NOT NULL DEFAULT 0,
  reply_count      INTEGER NOT NULL DEFAULT 0, -- on top-level comments: replies in the thread
  featured_at      INTEGER,
  idempotency_key  TEXT
);
-- A double-submitted form carries the same key: the second insert is refused.
CREATE UNIQUE INDEX comments_idempotency ON comments (author_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- Keyset pages of top-level threads, by age and by respect.
CREATE INDEX comments_threads_by_id ON comments (article_id, depth, id);
CREATE INDEX comments_threads_by_respect ON comments (article_id, depth, respect_count, id);
CREATE INDEX comments_by_thread ON comments (thread_id, id);
CREATE INDEX comments_by_author ON comments (author_id, id);

CREATE TABLE comment_reactions (
  comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE ignored_users (
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ignored_user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (user_id, ignored_user_id)
);

-- Per-article discussion state and the published-comment counter shown on lists.
CREATE TABLE discussions (
  article_id     INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  comment_count  INTEGER NOT NULL DEFAULT 0,
  closed_at      INTEGER,          -- closed by an editor
  reopened_at    INTEGER           -- reopened by an editor after the automatic close
);
