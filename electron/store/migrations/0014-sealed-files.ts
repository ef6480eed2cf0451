// Issue 16: files sealed at rest, and sign-in attempts counted.
// - Every stored file (an attachment's original, its sanitised pages and PDF, a scan waiting in the NAT inbox) is
//   encrypted with its own content key; the rows that name the file carry that key sealed with the data key of
//   the allegation (or of the scan inbox), so the file opens only through that allegation's key. Files stored
//   before this are sealed, and their keys written, on the vault's next unlock.
// - sign_in_attempts: failed sign-ins per username, and for the whole desk ('*'), for back-off and lockout; this
//   desk's own (the server keeps its own count).
export const sql = `
ALTER TABLE attachments ADD COLUMN content_key BLOB;
ALTER TABLE attachments ADD COLUMN sanitised_key BLOB;
ALTER TABLE attachment_sanitised ADD COLUMN blob_key BLOB;
ALTER TABLE scan_inbox ADD COLUMN content_key BLOB;

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
