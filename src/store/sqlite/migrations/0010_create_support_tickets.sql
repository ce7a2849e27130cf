-- Technical-problem reports from readers. The id is the ticket number readers
-- are told; AUTOINCREMENT so that a number is never handed out twice, even
-- after the newest ticket is deleted.
CREATE TABLE support_tickets (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  article           TEXT NOT NULL DEFAULT '',
  problem           TEXT NOT NULL,
  steps             TEXT NOT NULL DEFAULT '',
  email             TEXT NOT NULL DEFAULT '',
  env_device        TEXT NOT NULL DEFAULT '',
  env_os            TEXT NOT NULL DEFAULT '',
  env_browser       TEXT NOT NULL DEFAULT '',
  env_screen        TEXT NOT NULL DEFAULT '',
  env_window        TEXT NOT NULL DEFAULT '',
  env_timezone      TEXT NOT NULL DEFAULT '',
  env_language      TEXT NOT NULL DEFAULT '',
  env_detected      TEXT NOT NULL DEFAULT '',
  env_user_agent    TEXT NOT NULL DEFAULT '',
  env_client_hints  TEXT NOT NULL DEFAULT '',
  network           TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  closed_at         INTEGER,
  closed_by         INTEGER REFERENCES users(id) ON DELETE SET NULL
);
-- The staff queue: newest first within a status.
CREATE INDEX support_tickets_by_status ON support_tickets (status, id DESC);
