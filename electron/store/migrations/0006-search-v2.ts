// Search, second form (issue 5). One full-text document per allegation with a column per kind of place, so a
// query's words may be found in different places of one record (a name on the form, a flight in a fax) and
// name fields can be searched apart from text; where each hit matched is worked out for the top results only.
// The full-text table is contentless (the text lives once, in the store); the store keeps, per allegation, a
// stable document number and a small profile (names, form identifiers) used to rank candidates.
// Triggers mark an allegation for re-indexing whenever any part of it is written, by whatever code path or
// connection, so the index cannot silently fall behind; the core indexes marked allegations within the same
// transaction (Store.mutate), on a timer, and before each search.
const parts = ['allegation_offences', 'subjects', 'businesses', 'addresses', 'phones', 'emails', 'vehicles', 'travel', 'notes', 'attachments'];

const mark = (table: string, key: string) => `
CREATE TRIGGER search_mark_${table}_insert AFTER INSERT ON ${table} BEGIN INSERT OR IGNORE INTO search_pending (allegation_id) VALUES (${key}); END;
CREATE TRIGGER search_mark_${table}_update AFTER UPDATE ON ${table} BEGIN INSERT OR IGNORE INTO search_pending (allegation_id) VALUES (${key}); END;`;

const pageKey = (row: 'NEW' | 'OLD') => `(SELECT allegation_id FROM attachments WHERE id = ${row}.attachment_id)`;

export const sql = `
DROP TABLE search_fts;
DROP TABLE search_docs;

-- doc: the allegation's number in the full-text index (stable: a rebuild keeps it; VACUUM cannot renumber an
-- INTEGER PRIMARY KEY). names: "given;surname|given;surname" folded, per subject. keys: JSON of the form's
-- canonical identifiers (postcodes, districts, areas, phones, VRMs, flights, emails). display: JSON of what a
-- result shows and the text of each form field, so a page of results reads one row per hit.
CREATE TABLE search_docs (
  doc           INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL UNIQUE REFERENCES allegations(id),
  received_at   TEXT NOT NULL,
  names         TEXT NOT NULL DEFAULT '',
  keys          TEXT NOT NULL DEFAULT '{}',
  display       TEXT NOT NULL DEFAULT '{}',
  in_fts        INTEGER NOT NULL DEFAULT 0 CHECK (in_fts IN (0, 1)),
  indexed_at    TEXT
) STRICT;
CREATE INDEX search_docs_received ON search_docs (received_at);

-- sname: surnames; gname: forenames, middle names, known-as names, aliases (folded tokens). form: the rest of
-- the form; biz: business names; body: the reporter's account; notes; attach: attachment text; keys: canonical
-- identifiers from everywhere (form and text); facets: channel, status, unit, offences, outcome, DOB tokens.
CREATE VIRTUAL TABLE search_fts USING fts5(
  sname, gname, form, biz, body, notes, attach, keys, facets,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 2"
);

-- Every name token of the allegation's subjects, without positions: name lookups (with their spelling variants)
-- read only the doclists of names, not of every word of every text that happens to be spelt the same ("No",
-- "Son", "Lee"). It also holds the form's place as blocking tokens (pdN13 district, pcareaN area, pcnone when
-- there is no postcode), so near matches of a person are found with one cheap query per block.
CREATE VIRTUAL TABLE search_names_fts USING fts5(
  names,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = "unicode61 remove_diacritics 2"
);

-- Allegations whose index entry is out of date, oldest first.
CREATE TABLE search_pending (
  seq           INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL UNIQUE,
  marked_at     REAL NOT NULL DEFAULT (unixepoch('subsec'))
) STRICT;

-- The vocabulary of name tokens with how many allegations hold each (for corrections and fuzzy names).
CREATE TABLE search_names (
  term TEXT PRIMARY KEY,
  n    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A user's saved searches. seen_docs: the matches when the user last looked (sorted document numbers, 4 bytes
-- each), so a re-run can say how many are new since then. Removing one sets removed_at (rows are kept).
CREATE TABLE saved_searches (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id),
  name        TEXT NOT NULL,
  query       TEXT NOT NULL CHECK (json_valid(query)),
  created_at  TEXT NOT NULL,
  seen_at     TEXT,
  seen_docs   BLOB,
  seen_count  INTEGER NOT NULL DEFAULT 0,
  removed_at  TEXT,
  hlc         TEXT NOT NULL
) STRICT;
CREATE TRIGGER saved_searches_no_delete BEFORE DELETE ON saved_searches BEGIN SELECT RAISE(ABORT, 'saved searches are never deleted; set removed_at'); END;
CREATE INDEX saved_searches_user ON saved_searches (user_id, created_at) WHERE removed_at IS NULL;

${mark('allegations', 'NEW.id')}
${parts.map((t) => mark(t, 'NEW.allegation_id')).join('\n')}
CREATE TRIGGER search_mark_attachment_pages_insert AFTER INSERT ON attachment_pages BEGIN INSERT OR IGNORE INTO search_pending (allegation_id) SELECT ${pageKey('NEW')} WHERE ${pageKey('NEW')} IS NOT NULL; END;
CREATE TRIGGER search_mark_attachment_pages_update AFTER UPDATE ON attachment_pages BEGIN INSERT OR IGNORE INTO search_pending (allegation_id) SELECT ${pageKey('NEW')} WHERE ${pageKey('NEW')} IS NOT NULL; END;
CREATE TRIGGER search_mark_attachment_pages_delete AFTER DELETE ON attachment_pages BEGIN INSERT OR IGNORE INTO search_pending (allegation_id) SELECT ${pageKey('OLD')} WHERE ${pageKey('OLD')} IS NOT NULL; END;

-- Everything already held is indexed again in the new form, oldest first.
INSERT INTO search_pending (allegation_id) SELECT id FROM allegations ORDER BY received_at, rowid;
`;
