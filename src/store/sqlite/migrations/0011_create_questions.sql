-- Reader questions. A question is a comment of kind 'question' (so it passes the
-- same posting checks and moderation as every comment); this table holds what
-- the newsroom does with it.
CREATE TABLE questions (
  comment_id            INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  article_id            INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  state                 TEXT NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open', 'answered', 'declined', 'merged', 'followup')),
  vote_count            INTEGER NOT NULL DEFAULT 0,
  answer_markdown       TEXT NOT NULL DEFAULT '',
  answered_by           INTEGER REFERENCES users(id) ON DELETE SET NULL,
  answered_at           INTEGER,
  decline_reason        TEXT NOT NULL DEFAULT '',
  merged_into           INTEGER REFERENCES questions(comment_id) ON DELETE SET NULL,
  followup_article_id   INTEGER REFERENCES articles(id) ON DELETE SET NULL,
  -- Set once, in the transaction that queues the follow-up mails: never twice.
  followup_notified_at  INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX questions_by_article ON questions (article_id, state, vote_count);
-- The staff queue across articles: open questions, oldest or most voted first.
CREATE INDEX questions_by_state ON questions (state, comment_id);
CREATE INDEX questions_by_followup ON questions (followup_article_id, followup_notified_at);

-- One up-vote per reader per question.
CREATE TABLE question_votes (
  question_id  INTEGER NOT NULL REFERENCES questions(comment_id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_id)
);

-- Who is mailed when the question is answered: the asker, voters, and the
-- askers and voters of duplicates merged into it.
CREATE TABLE question_watchers (
  question_id  INTEGER NOT NULL REFERENCES questions(comment_id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_id)
);

-- Experts an editor assigned to a story: they may answer its questions.
CREATE TABLE question_experts (
  article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (article_id, user_id)
);

-- The editor-curated "Open questions" box: what the newsroom is still finding out.
CREATE TABLE open_questions (
  id           INTEGER PRIMARY KEY,
  article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  body         TEXT NOT NULL,
  created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX open_questions_by_article ON open_questions (article_id, id);
