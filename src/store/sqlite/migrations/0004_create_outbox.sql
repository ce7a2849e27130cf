-- The durable mail outbox: a message is stored in the same transaction as the
-- change that caused it, and the delivery worker records every attempt.
CREATE TABLE mail_outbox (
  id               INTEGER PRIMARY KEY,
  message_id       TEXT NOT NULL UNIQUE,
  recipient        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  encoded          TEXT NOT NULL,        -- the message as mail::EncodeMessage wrote it
  status           TEXT NOT NULL DEFAULT 'pending',   -- 'pending', 'delivered', 'failed'
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,              -- claimed by a worker until then
  finished_at      INTEGER,
  last_code        INTEGER NOT NULL DEFAULT 0,
  last_reply       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

CREATE TABLE mail_attempts (
  outbox_id   INTEGER NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  outcome     TEXT NOT NULL,             -- 'delivered', 'temporary', 'permanent'
  code        INTEGER NOT NULL,
  reply       TEXT NOT NULL,
  PRIMARY KEY (outbox_id, attempt)
);
