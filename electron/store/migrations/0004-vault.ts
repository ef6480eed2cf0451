// The vault: per-scope data keys (one per allegation, one for NSU notes, one for drafts) wrapped by the master
// key; keyed blind indexes of source identifiers for finding repeat referrers without decrypting anyone; the
// contact log with sources; NSU decisions.
const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

export const sql = `
CREATE TABLE data_keys (
  scope        TEXT PRIMARY KEY,
  key_id       TEXT NOT NULL,
  wrapped      BLOB NOT NULL,
  created_at   TEXT NOT NULL,
  rewrapped_at TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE source_blind_index (
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  kind          TEXT NOT NULL,
  digest        TEXT NOT NULL,
  PRIMARY KEY (allegation_id, kind, digest)
) STRICT, WITHOUT ROWID;
CREATE INDEX source_blind_index_digest ON source_blind_index (kind, digest);

-- Contact with a source: when, by whom, how; what was said is sealed. 'tasking' marks an entry in which staff
-- asked the source to find something out (a CHIS indicator), decided when the entry was written.
CREATE TABLE source_contacts (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  at            TEXT NOT NULL,
  by_user       TEXT NOT NULL,
  method        TEXT NOT NULL,
  direction     TEXT NOT NULL CHECK (direction IN ('from_source', 'to_source')),
  tasking       INTEGER NOT NULL DEFAULT 0 CHECK (tasking IN (0, 1)),
  format        TEXT NOT NULL,
  payload       BLOB NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('source_contacts')}
CREATE INDEX source_contacts_allegation ON source_contacts (allegation_id, at);

CREATE TABLE nsu_decisions (
  id             TEXT PRIMARY KEY,
  group_key      TEXT NOT NULL,
  allegation_ids TEXT NOT NULL CHECK (json_valid(allegation_ids)),
  decision       TEXT NOT NULL CHECK (decision IN ('same_person_noted', 'chis_review', 'not_same_person', 'no_action')),
  format         TEXT NOT NULL,
  note           BLOB NOT NULL,
  decided_by     TEXT NOT NULL,
  decided_at     TEXT NOT NULL,
  hlc            TEXT NOT NULL
) STRICT;
${appendOnly('nsu_decisions')}
CREATE INDEX nsu_decisions_group ON nsu_decisions (group_key, decided_at);
`;
