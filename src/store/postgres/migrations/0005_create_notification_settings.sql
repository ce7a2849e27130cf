-- What each reader wants to be mailed about; no row means the default.
CREATE TABLE notification_settings (
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,     -- 'replies', 'answers', 'decisions', 'digests'
  mode        TEXT NOT NULL,     -- 'immediately', 'hourly', 'daily', 'off'
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (user_id, kind)
);
