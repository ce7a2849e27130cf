-- Accuracy: readers' reports about an article become numbered cases that the
-- newsroom moves through states; resolved cases may publish a correction.
-- Invites are personal links to the form; messages to the editors are private
-- conversations about an article.
CREATE TABLE accuracy_invites (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles(id),
  case_id     INTEGER,                 -- the case the person is invited to add to, if any
  email       TEXT NOT NULL,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER                  -- a link files one report
);

CREATE TABLE accuracy_cases (
  id                INTEGER PRIMARY KEY,   -- the case number readers see
  article_id        INTEGER NOT NULL REFERENCES articles(id),
  relation          TEXT NOT NULL,         -- 'quoted', 'mentioned', 'other'
  passage_anchor    TEXT NOT NULL,         -- 'p3'; '' when no paragraph was picked
  quote             TEXT NOT NULL,         -- the exact words selected, may be ''
  wrong_text        TEXT NOT NULL,
  right_text        TEXT NOT NULL,
  evidence_url      TEXT NOT NULL,
  requester_name    TEXT NOT NULL,
  requester_email   TEXT NOT NULL,
  may_contact       INTEGER NOT NULL,
  invite_id         INTEGER REFERENCES accuracy_invites(id),
  state             TEXT NOT NULL DEFAULT 'new',  -- 'new', 'triaged', 'investigating', 'resolved'
  outcome           TEXT NOT NULL DEFAULT '',     -- when resolved: 'correction', 'clarification', 'editors_note', 'no_change'
  owner_id          INTEGER REFERENCES users(id),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  state_changed_at  INTEGER NOT NULL,
  reminded_at       INTEGER
);
CREATE INDEX accuracy_cases_state ON accuracy_cases (state, state_changed_at);

CREATE TABLE accuracy_events (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES accuracy_cases(id),
  actor_id    INTEGER REFERENCES users(id),   -- NULL: the requester or the system
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  note        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX accuracy_events_case ON accuracy_events (case_id, id);

CREATE TABLE corrections (
  id            INTEGER PRIMARY KEY,
  article_id    INTEGER NOT NULL REFERENCES articles(id),
  case_id       INTEGER REFERENCES accuracy_cases(id),
  kind          TEXT NOT NULL,     -- 'correction', 'clarification', 'editors_note'
  placement     TEXT NOT NULL,     -- 'top' (serious) or 'bottom'
  notice        TEXT NOT NULL,
  revision      INTEGER NOT NULL,  -- the article revision the notice was published with
  published_at  INTEGER NOT NULL
);
CREATE INDEX corrections_article ON corrections (article_id, published_at);
CREATE INDEX corrections_published ON corrections (published_at, id);

CREATE TABLE editor_messages (
  id            INTEGER PRIMARY KEY,
  article_id    INTEGER NOT NULL REFERENCES articles(id),
  desk          TEXT NOT NULL,     -- the address the message was routed to
  sender_name   TEXT NOT NULL,
  sender_email  TEXT NOT NULL,
  user_id       INTEGER REFERENCES users(id),
  body          TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open',   -- 'open', 'answered', 'case'
  case_id       INTEGER REFERENCES accuracy_cases(id),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX editor_messages_status ON editor_messages (status, id);

CREATE TABLE editor_message_replies (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES editor_messages(id),
  author_id   INTEGER NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX editor_message_replies_message ON editor_message_replies (message_id, id);
