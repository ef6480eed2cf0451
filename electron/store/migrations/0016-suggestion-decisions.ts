// What a person made of each field suggested from an allegation's texts (issue 17): accepted onto the form, or
// rejected, with who, when, and the words and page it came from. Append-only and synced: a later decision on
// the same suggestion supersedes an earlier one, and both stay in the history.
export const sql = `
CREATE TABLE suggestion_decisions (
  id             TEXT PRIMARY KEY,
  allegation_id  TEXT NOT NULL REFERENCES allegations(id),
  origin         TEXT NOT NULL CHECK (origin IN ('account', 'note', 'attachment')),
  origin_id      TEXT,
  origin_label   TEXT NOT NULL,
  suggestion_key TEXT NOT NULL,
  kind           TEXT NOT NULL,
  value          TEXT NOT NULL,
  page           INTEGER,
  words          TEXT NOT NULL,
  sentence       TEXT NOT NULL,
  decision       TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  reason         TEXT NOT NULL,
  field          TEXT,
  decided_by     TEXT NOT NULL,
  user_id        TEXT REFERENCES users(id),
  decided_at     TEXT NOT NULL,
  hlc            TEXT NOT NULL
) STRICT;
CREATE TRIGGER suggestion_decisions_no_update BEFORE UPDATE ON suggestion_decisions BEGIN SELECT RAISE(ABORT, 'suggestion_decisions is append-only'); END;
CREATE TRIGGER suggestion_decisions_no_delete BEFORE DELETE ON suggestion_decisions BEGIN SELECT RAISE(ABORT, 'suggestion_decisions is append-only'); END;
CREATE INDEX suggestion_decisions_allegation ON suggestion_decisions (allegation_id, decided_at);
`;
