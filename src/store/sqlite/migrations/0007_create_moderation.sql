-- The moderators' side of the no-bullying policy: readers' reports, the audit
-- log of every moderation action, sanctions, notes on readers and appeals.

-- One report per reader per comment (the primary key makes a repeat a no-op
-- the engine can detect). Reports are resolved when a moderator decides.
CREATE TABLE comment_reports (
  comment_id   INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  reporter_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason       TEXT NOT NULL,     -- 'harassment', 'hate', 'threat', 'spam', 'off_topic', 'other'
  detail       TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  PRIMARY KEY (comment_id, reporter_id)
);
CREATE INDEX comment_reports_open ON comment_reports (resolved_at, comment_id);

-- Every moderation action, automatic (actor_id NULL) or by staff: the audit
-- log, the "recently decided" queue and the transparency report read this.
CREATE TABLE moderation_actions (
  id               INTEGER PRIMARY KEY,
  actor_id         INTEGER REFERENCES users(id),
  action           TEXT NOT NULL,   -- 'approve', 'reject', 'report_hold', 'warning', 'suspension', 'ban', 'note', 'appeal_upheld', 'appeal_overturned'
  comment_id       INTEGER REFERENCES comments(id) ON DELETE SET NULL,
  subject_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  reason_code      TEXT NOT NULL DEFAULT '',  -- a Community Guidelines clause slug, or '' when none applies
  detail           TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL
);
CREATE INDEX moderation_actions_by_subject ON moderation_actions (subject_user_id, action, created_at);
CREATE INDEX moderation_actions_by_comment ON moderation_actions (comment_id, id);
CREATE INDEX moderation_actions_by_time ON moderation_actions (created_at);

CREATE TABLE sanctions (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,     -- 'warning', 'suspension', 'ban'
  action_id    INTEGER NOT NULL REFERENCES moderation_actions(id),
  reason_code  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  ends_at      INTEGER,           -- suspensions only
  lifted_at    INTEGER            -- set when an appeal overturns it
);
CREATE INDEX sanctions_by_user ON sanctions (user_id, id);

CREATE TABLE moderator_notes (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX moderator_notes_by_user ON moderator_notes (user_id, id);

-- One appeal per decision (a rejection or a sanction), decided by a moderator
-- other than the one who made the decision (checked by the service).
CREATE TABLE appeals (
  id            INTEGER PRIMARY KEY,
  action_id     INTEGER NOT NULL UNIQUE REFERENCES moderation_actions(id),
  appellant_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body          TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open',  -- 'open', 'upheld', 'overturned'
  decided_by    INTEGER REFERENCES users(id),
  decision_note TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  decided_at    INTEGER
);
CREATE INDEX appeals_by_status ON appeals (status, id);
