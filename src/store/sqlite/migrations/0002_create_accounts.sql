-- Readers and staff, their sessions and one-time tokens, rate-limit counters,
-- versioned policy documents with acceptances, and server settings.
CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  email               TEXT NOT NULL UNIQUE,      -- normalised by the accounts service
  display_name        TEXT NOT NULL,
  password_hash       TEXT NOT NULL,
  role                TEXT NOT NULL DEFAULT 'reader',
  email_confirmed_at  INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

-- Only a hash of each session cookie is stored.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- E-mail confirmation and password-reset links (hashed), each usable once.
CREATE TABLE user_tokens (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);

-- Fixed-window counters; shared by every node that uses this database.
CREATE TABLE rate_limits (
  key           TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL
);

CREATE TABLE policy_versions (
  kind           TEXT NOT NULL,               -- 'terms' or 'guidelines'
  version        INTEGER NOT NULL,
  summary        TEXT NOT NULL,
  body_markdown  TEXT NOT NULL,
  published_at   INTEGER NOT NULL,
  PRIMARY KEY (kind, version)
);

CREATE TABLE policy_acceptances (
  user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  terms_version       INTEGER NOT NULL,
  guidelines_version  INTEGER NOT NULL,
  accepted_at         INTEGER NOT NULL,
  PRIMARY KEY (user_id, terms_version, guidelines_version)
);

CREATE TABLE settings (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
