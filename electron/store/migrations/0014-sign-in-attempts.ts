// Issue 16: sign-in attempts counted, for back-off and lockout. (Stored files are readable by their owner only and
// scans not yet read are restricted like the source pane; sealing the files themselves with per-file keys is not
// in this migration: a later one adds the key columns with the code that writes them.)
// - sign_in_attempts: failed sign-ins per username, and for the whole desk ('*'), for back-off and lockout; this
//   desk's own (the server keeps its own count).
export const sql = `
CREATE TABLE sign_in_attempts (
  username         TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL DEFAULT 0,
  first_failure_at TEXT,
  last_failure_at  TEXT,
  refused          INTEGER NOT NULL DEFAULT 0,
  locked_at        TEXT,
  locked_until     TEXT
) STRICT, WITHOUT ROWID;
`;
