// The watch list (issue 19): the allegations, people, phones, places and other entities a user follows, with
// what they had seen when they last looked, so the screen can say what is new. Removing one sets removed_at.
export const sql = `
CREATE TABLE watch_items (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL CHECK (kind IN ('allegation', 'person', 'phone', 'email', 'address', 'postcode', 'vehicle', 'business', 'flight')),
  value       TEXT NOT NULL,
  label       TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  removed_at  TEXT,
  seen_at     TEXT,
  seen_count  INTEGER NOT NULL DEFAULT 0,
  hlc         TEXT NOT NULL
) STRICT;
CREATE TRIGGER watch_items_no_delete BEFORE DELETE ON watch_items BEGIN SELECT RAISE(ABORT, 'watch list items are never deleted; set removed_at'); END;
CREATE UNIQUE INDEX watch_items_user_value ON watch_items (user_id, kind, value) WHERE removed_at IS NULL;
`;
