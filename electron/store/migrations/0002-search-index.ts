// The search index: one FTS5 document per place a hit can be reported (the form, each note, each attachment
// page), so results can say where they matched. It is derived data: `ims reindex` rebuilds it from the store.
export const sql = `
CREATE TABLE search_docs (
  doc_id        INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  place         TEXT NOT NULL CHECK (place IN ('form', 'note', 'attachment')),
  part_id       TEXT,
  page          INTEGER,
  label         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX search_docs_allegation ON search_docs (allegation_id);

-- body: the text as written (snippets come from it); keys: canonical identifiers (phones as national digits,
-- postcodes without the space, VRMs, flight numbers) so that any written format finds them.
CREATE VIRTUAL TABLE search_fts USING fts5(
  body,
  keys,
  tokenize = "unicode61 remove_diacritics 2"
);
`;
