-- Reply mails owed: a flag in the reply's own row, so that posting a reply
-- writes no extra page for its mail (each page of a commit costs the request);
-- a drain composes the mails afterwards (Store::PendingReplyMails).
ALTER TABLE comments ADD COLUMN reply_mail_pending INTEGER NOT NULL DEFAULT 0;

-- How far the drain got. SQLite commits comments in id order (one writer), so
-- every flagged reply at or below the cursor was handed over, and the drain's
-- scan starts above it instead of reading an index the posting would maintain.
CREATE TABLE reply_mail_cursor (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  last_comment_id  INTEGER NOT NULL
);
