// The reading queue in the table (issue 14): which attachments this desk has still to read, and which pages,
// written in the same transaction as the attachment or the request to read pages again, so that work survives
// a restart and resumes where it stopped. seq counts requests: a request made while the attachment is being
// read stays queued after that reading ends. Local: another desk reads the files it holds itself.
export const sql = `
CREATE TABLE ocr_queue (
  attachment_id TEXT PRIMARY KEY REFERENCES attachments(id),
  seq           INTEGER NOT NULL,
  pages         TEXT CHECK (pages IS NULL OR json_valid(pages)),
  queued_at     TEXT NOT NULL
) STRICT;
CREATE INDEX ocr_queue_order ON ocr_queue (queued_at);

-- What an earlier version left unread: every page not yet read, or the whole file when none was opened.
INSERT INTO ocr_queue (attachment_id, seq, pages, queued_at)
  SELECT a.id, 1,
    (SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(p.page_no) END FROM attachment_pages p WHERE p.attachment_id = a.id AND p.status <> 'done'),
    a.added_at
  FROM attachments a WHERE a.ocr_status IN ('pending', 'running') AND a.content_hash IS NOT NULL;
`;
