// Attachments as files: what the OCR found per page (the page image's size, the words and their boxes, sealed
// because raw scan text can reveal the source), why an attachment could not be read, the analysis offered to
// the analyst (suggested fields and where the scan reveals its writer, with no source text in it), the
// sanitised copy's pages, and the NAT scan inbox: scans dropped in the watched folder, waiting for a sifter to
// make them an allegation or attach them to one.
const noDelete = (table: string) => `
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'rows of ${table} are never deleted'); END;`;

export const sql = `
ALTER TABLE attachments ADD COLUMN kind TEXT CHECK (kind IN ('pdf', 'tiff', 'jpeg', 'png'));
ALTER TABLE attachments ADD COLUMN error_code TEXT;
ALTER TABLE attachments ADD COLUMN error TEXT;
ALTER TABLE attachments ADD COLUMN analysis TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(analysis));
ALTER TABLE attachments ADD COLUMN source_moved_at TEXT;
ALTER TABLE attachments ADD COLUMN source_moved_by TEXT;

ALTER TABLE attachment_pages ADD COLUMN width INTEGER;
ALTER TABLE attachment_pages ADD COLUMN height INTEGER;
ALTER TABLE attachment_pages ADD COLUMN error_code TEXT;
ALTER TABLE attachment_pages ADD COLUMN reveals_source INTEGER NOT NULL DEFAULT 0 CHECK (reveals_source IN (0, 1));
-- The page as read (text, words with boxes), sealed with the allegation's data key.
ALTER TABLE attachment_pages ADD COLUMN data_format TEXT;
ALTER TABLE attachment_pages ADD COLUMN data BLOB;

CREATE TABLE attachment_sanitised (
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  page_no       INTEGER NOT NULL CHECK (page_no >= 1),
  blob_hash     TEXT NOT NULL,
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  boxes         INTEGER NOT NULL,
  made_at       TEXT NOT NULL,
  PRIMARY KEY (attachment_id, page_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE scan_inbox (
  id            TEXT PRIMARY KEY,
  file_name     TEXT NOT NULL,
  source_path   TEXT NOT NULL,
  source_mtime  TEXT,
  content_hash  TEXT,
  byte_size     INTEGER,
  kind          TEXT,
  mime_type     TEXT,
  pages         INTEGER,
  status        TEXT NOT NULL CHECK (status IN ('waiting', 'attached', 'refused')),
  error         TEXT,
  found_at      TEXT NOT NULL,
  attachment_id TEXT REFERENCES attachments(id),
  allegation_id TEXT REFERENCES allegations(id),
  attached_at   TEXT,
  attached_by   TEXT
) STRICT;
${noDelete('scan_inbox')}
CREATE INDEX scan_inbox_status ON scan_inbox (status, found_at);
CREATE UNIQUE INDEX scan_inbox_seen ON scan_inbox (source_path, source_mtime, byte_size);
`;
