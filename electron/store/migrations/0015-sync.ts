// Syncing with the central server (issue 15): what the desk keeps about its exchange with the server, all local.
// - sync_state: the server this desk is registered with, its credential, the cursors of push and pull, and the
//   latest clock it has seen from elsewhere (so that a restart never hands out a clock behind a change it applied);
// - sync_conflicts: changes of this desk the server rejected, until the person who made them resolves them;
// - sync_withdrawn: rows this desk wrote that the server does not hold, because the change that made them was
//   rejected (they stay, as CPIA wants; the screens and the comparison with the server know them);
// - sync_moved: allegations that left this desk's scope (reallocated away): kept as they stood, no longer updated;
// - sync_blobs: attachment files still to send or fetch, resumable;
// - offline_signins: until when a person may sign in here without the server, and when their password last changed;
// - reference_aliases: the provisional reference this desk gave an allegation, once the server numbered it.
//
// A link judgement, a warning at intake and an outcome's "duplicate of" name a second allegation, which may sit
// in another unit and so never reach this desk: their foreign key to it goes (the row's own allegation keeps its).
// SQLite changes a constraint only by rebuilding the table, with foreign keys off (migrate() does that for this
// migration and checks every key afterwards).
import { LINK_JUDGEMENTS } from '../../../shared/domain/vocabularies.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

const rebuild = (table: string, create: string, columns: string, after: string) => `
${create.replace(`CREATE TABLE ${table} (`, `CREATE TABLE ${table}_v2 (`)}
INSERT INTO ${table}_v2 (${columns}) SELECT ${columns} FROM ${table};
DROP TABLE ${table};
ALTER TABLE ${table}_v2 RENAME TO ${table};
${appendOnly(table)}
${after}`;

export const foreignKeysOff = true;

export const sql = `
${rebuild(
  'link_judgements',
  `CREATE TABLE link_judgements (
  id            TEXT PRIMARY KEY,
  allegation_a  TEXT NOT NULL,
  allegation_b  TEXT NOT NULL,
  judgement     TEXT NOT NULL CHECK (judgement IN (${list(LINK_JUDGEMENTS)})),
  reason        TEXT NOT NULL,
  score         REAL,
  evidence      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(evidence)),
  decided_by    TEXT NOT NULL,
  decided_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL,
  CHECK (allegation_a < allegation_b)
) STRICT;`,
  'id, allegation_a, allegation_b, judgement, reason, score, evidence, decided_by, decided_at, hlc',
  `CREATE INDEX link_judgements_a ON link_judgements (allegation_a, decided_at);
CREATE INDEX link_judgements_b ON link_judgements (allegation_b, decided_at);`,
)}
${rebuild(
  'intake_link_warnings',
  `CREATE TABLE intake_link_warnings (
  id             TEXT PRIMARY KEY,
  allegation_id  TEXT NOT NULL REFERENCES allegations(id),
  candidate_id   TEXT NOT NULL,
  score          REAL NOT NULL,
  label          TEXT NOT NULL,
  choice         TEXT NOT NULL CHECK (choice IN ('duplicate', 'associated', 'not_a_match', 'undecided')),
  reason         TEXT NOT NULL,
  decided_by     TEXT NOT NULL,
  decided_at     TEXT NOT NULL,
  hlc            TEXT NOT NULL
) STRICT;`,
  'id, allegation_id, candidate_id, score, label, choice, reason, decided_by, decided_at, hlc',
  `CREATE INDEX intake_link_warnings_allegation ON intake_link_warnings (allegation_id);
CREATE INDEX intake_link_warnings_candidate ON intake_link_warnings (candidate_id);`,
)}
${rebuild(
  'outcome_decisions',
  `CREATE TABLE outcome_decisions (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  outcome       TEXT NOT NULL,
  nfa_reason    TEXT,
  duplicate_of  TEXT,
  rationale     TEXT NOT NULL,
  review_id     TEXT REFERENCES link_reviews(id),
  checks        TEXT NOT NULL CHECK (json_valid(checks)),
  decided_by    TEXT NOT NULL,
  user_id       TEXT REFERENCES users(id),
  decided_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;`,
  'id, allegation_id, outcome, nfa_reason, duplicate_of, rationale, review_id, checks, decided_by, user_id, decided_at, hlc',
  'CREATE INDEX outcome_decisions_allegation ON outcome_decisions (allegation_id, decided_at);',
)}

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TABLE sync_conflicts (
  id            INTEGER PRIMARY KEY,
  server_id     INTEGER UNIQUE,
  desk_seq      INTEGER NOT NULL UNIQUE REFERENCES changes(seq),
  hlc           TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  allegation_id TEXT,
  user_id       TEXT,
  reason        TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  seen_at       TEXT,
  seen_by       TEXT,
  resolved_at   TEXT,
  resolved_by   TEXT,
  resolution    TEXT CHECK (resolution IN ('reapplied', 'discarded')),
  note          TEXT,
  -- when the rows the rejected change had written were put back as the server holds them
  restored_at   TEXT,
  server_resolved_at TEXT
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (user_id) WHERE resolved_at IS NULL;
CREATE TRIGGER sync_conflicts_no_delete BEFORE DELETE ON sync_conflicts BEGIN SELECT RAISE(ABORT, 'conflicts are resolved, never deleted'); END;

CREATE TABLE sync_withdrawn (
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  allegation_id TEXT,
  desk_seq      INTEGER NOT NULL REFERENCES changes(seq),
  withdrawn_at  TEXT NOT NULL,
  restored_at   TEXT,
  PRIMARY KEY (entity, entity_id)
) STRICT;
CREATE INDEX sync_withdrawn_allegation ON sync_withdrawn (allegation_id) WHERE restored_at IS NULL;

CREATE TABLE sync_moved (
  allegation_id TEXT PRIMARY KEY REFERENCES allegations(id),
  unit_code     TEXT,
  server_seq    INTEGER NOT NULL,
  moved_at      TEXT NOT NULL,
  returned_at   TEXT
) STRICT;

CREATE TABLE sync_blobs (
  hash      TEXT NOT NULL CHECK (length(hash) = 64),
  direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  size      INTEGER,
  done_at   TEXT,
  attempts  INTEGER NOT NULL DEFAULT 0,
  error     TEXT,
  queued_at TEXT NOT NULL,
  PRIMARY KEY (hash, direction)
) STRICT;
CREATE INDEX sync_blobs_waiting ON sync_blobs (direction, queued_at) WHERE done_at IS NULL;

CREATE TABLE offline_signins (
  user_id             TEXT PRIMARY KEY REFERENCES users(id),
  valid_until         TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  online_at           TEXT NOT NULL
) STRICT;

CREATE TABLE reference_aliases (
  alias         TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX reference_aliases_allegation ON reference_aliases (allegation_id);
`;
