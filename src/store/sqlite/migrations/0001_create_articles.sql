-- Sections, articles, their revisions, and the full-text index over them.
CREATE TABLE sections (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
  id             INTEGER PRIMARY KEY,
  slug           TEXT NOT NULL UNIQUE,
  section_id     INTEGER NOT NULL REFERENCES sections(id),
  headline       TEXT NOT NULL,
  deck           TEXT NOT NULL DEFAULT '',
  credit         TEXT NOT NULL DEFAULT '',
  byline         TEXT NOT NULL DEFAULT '',
  dateline       TEXT NOT NULL DEFAULT '',
  body_markdown  TEXT NOT NULL,
  published_at   INTEGER,            -- NULL: draft
  revision       INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX articles_by_publication ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC, id DESC);

CREATE TABLE article_revisions (
  article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  number         INTEGER NOT NULL,
  slug           TEXT NOT NULL,
  section_slug   TEXT NOT NULL,
  headline       TEXT NOT NULL,
  deck           TEXT NOT NULL,
  credit         TEXT NOT NULL,
  byline         TEXT NOT NULL,
  dateline       TEXT NOT NULL,
  body_markdown  TEXT NOT NULL,
  published_at   INTEGER,
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (article_id, number)
);

-- External-content FTS5 index kept in step by triggers, so no writer can forget it.
CREATE VIRTUAL TABLE articles_fts USING fts5(
  headline, deck, body_markdown,
  content='articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, headline, deck, body_markdown)
  VALUES (new.id, new.headline, new.deck, new.body_markdown);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, headline, deck, body_markdown)
  VALUES ('delete', old.id, old.headline, old.deck, old.body_markdown);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, deck, body_markdown ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, headline, deck, body_markdown)
  VALUES ('delete', old.id, old.headline, old.deck, old.body_markdown);
  INSERT INTO articles_fts(rowid, headline, deck, body_markdown)
  VALUES (new.id, new.headline, new.deck, new.body_markdown);
END;
