// The national record on the server. Rules that hold for every table:
// - Nothing synced is deleted (CPIA): the change log, the materialised rows, conflicts and the audit chain refuse
//   DELETE, and the log and the audit chain refuse UPDATE too (a conflict is marked resolved, never removed).
// - The materialised rows are generic (entity, id, data, per-field clocks) and shaped by the registry of synced
//   entities (shared/sync/entities.ts), so the server and the desks cannot disagree on a table's columns. What the
//   server reasons about has its own typed table, kept current from the changes it accepts.
import { ROLES } from '../../shared/domain/vocabularies.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

const refuse = (table: string, what: 'UPDATE OR DELETE' | 'DELETE', message: string) => `
CREATE FUNCTION ${table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$;
CREATE TRIGGER ${table}_refuse BEFORE ${what} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_refuse();`;

export const sql = `
CREATE TABLE server_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE units (
  code   text PRIMARY KEY,
  name   text NOT NULL,
  kind   text NOT NULL CHECK (kind IN ('riu', 'lacat', 'nat', 'nsu')),
  region text,
  active boolean NOT NULL DEFAULT true
);

CREATE TABLE users (
  id                  text PRIMARY KEY,
  username            text NOT NULL,
  display_name        text NOT NULL,
  role                text NOT NULL CHECK (role IN (${list(ROLES)})),
  unit_code           text REFERENCES units(code),
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL,
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL,
  created_by          text,
  hlc                 text NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
${refuse('users', 'DELETE', 'accounts are never deleted: deactivate them')}

CREATE TABLE desks (
  id            text PRIMARY KEY,
  node          text NOT NULL UNIQUE,
  name          text NOT NULL,
  unit_code     text NOT NULL REFERENCES units(code),
  status        text NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'revoked')),
  token_hash    text NOT NULL UNIQUE,
  requested_at  timestamptz NOT NULL,
  requested_by  text REFERENCES users(id),
  decided_at    timestamptz,
  decided_by    text REFERENCES users(id),
  decision_note text,
  last_seq      bigint NOT NULL DEFAULT 0,
  last_push_at  timestamptz,
  last_pull_at  timestamptz
);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  desk_id      text REFERENCES desks(id),
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The people who have signed in at a desk: their changes may come from it, and its scope includes their work.
CREATE TABLE desk_users (
  desk_id    text NOT NULL REFERENCES desks(id),
  user_id    text NOT NULL REFERENCES users(id),
  first_at   timestamptz NOT NULL,
  last_at    timestamptz NOT NULL,
  PRIMARY KEY (desk_id, user_id)
);

-- The national order of changes. Every number is taken under the server's write lock, so a number that is
-- visible is never followed by a smaller one committed later: a desk's pull cursor never skips a change.
CREATE SEQUENCE change_seq;
CREATE TABLE change_log (
  seq            bigint PRIMARY KEY,
  desk_id        text REFERENCES desks(id),
  desk_seq       bigint,
  hlc            text NOT NULL,
  entity         text NOT NULL,
  entity_id      text NOT NULL,
  allegation_id  text,
  allegation_ids text[] NOT NULL,
  op             text NOT NULL CHECK (op IN ('insert', 'update', 'append')),
  fields         jsonb NOT NULL,
  user_id        text,
  content_hash   text NOT NULL,
  received_at    timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  reason         text,
  stale          text[] NOT NULL DEFAULT '{}',
  scope          text NOT NULL CHECK (scope IN ('allegation', 'national', 'user', 'nsu', 'nat')),
  scope_units    text[] NOT NULL DEFAULT '{}',
  scope_users    text[] NOT NULL DEFAULT '{}',
  enters_units   text[] NOT NULL DEFAULT '{}',
  enters_users   text[] NOT NULL DEFAULT '{}',
  leaves_units   text[] NOT NULL DEFAULT '{}',
  leaves_users   text[] NOT NULL DEFAULT '{}',
  UNIQUE (desk_id, desk_seq),
  CHECK ((desk_id IS NULL) = (desk_seq IS NULL)),
  CHECK ((status = 'rejected') = (reason IS NOT NULL))
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id);
${refuse('change_log', 'UPDATE OR DELETE', 'the change log is append-only')}

-- Every synced row as it stands, merged from the accepted changes.
CREATE TABLE entity_rows (
  entity         text NOT NULL,
  id             text NOT NULL,
  scope          text NOT NULL,
  allegation_ids text[] NOT NULL,
  owner_user     text,
  data           jsonb NOT NULL,
  clocks         jsonb NOT NULL,
  created_seq    bigint NOT NULL,
  updated_seq    bigint NOT NULL,
  PRIMARY KEY (entity, id)
);
CREATE INDEX entity_rows_allegations ON entity_rows USING gin (allegation_ids);
${refuse('entity_rows', 'DELETE', 'rows of the national record are never deleted')}

-- Where each allegation is: its unit and the people allocated to it (scope), its status and references.
CREATE TABLE allegation_scope (
  allegation_id   text PRIMARY KEY,
  unit_code       text,
  status          text,
  reference       text,
  allocated_users text[] NOT NULL DEFAULT '{}',
  updated_seq     bigint NOT NULL
);
CREATE INDEX allegation_scope_unit ON allegation_scope (unit_code, allegation_id);
CREATE INDEX allegation_scope_allocated ON allegation_scope USING gin (allocated_users);

CREATE TABLE allocations (
  id            text PRIMARY KEY,
  allegation_id text NOT NULL,
  user_id       text NOT NULL,
  allocated_at  text,
  allocated_by  text,
  ended_at      text,
  updated_seq   bigint NOT NULL
);
CREATE INDEX allocations_open ON allocations (user_id) WHERE ended_at IS NULL;
CREATE INDEX allocations_allegation ON allocations (allegation_id);

-- Allegations that came into a desk's scope without a change saying so (one of its people was already allocated
-- when they first signed in there): the next pull sends their rows.
CREATE TABLE desk_backfill (
  desk_id       text NOT NULL REFERENCES desks(id),
  allegation_id text NOT NULL,
  seq           bigint NOT NULL,
  PRIMARY KEY (desk_id, allegation_id, seq)
);

CREATE TABLE reference_sequences (
  year integer PRIMARY KEY,
  last integer NOT NULL
);
CREATE TABLE reference_aliases (
  alias         text PRIMARY KEY,
  allegation_id text NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX reference_aliases_allegation ON reference_aliases (allegation_id);

CREATE TABLE conflicts (
  id            bigserial PRIMARY KEY,
  change_seq    bigint NOT NULL UNIQUE REFERENCES change_log(seq),
  desk_id       text NOT NULL REFERENCES desks(id),
  user_id       text,
  allegation_id text,
  entity        text NOT NULL,
  entity_id     text NOT NULL,
  reason        text NOT NULL,
  created_at    timestamptz NOT NULL,
  resolved_at   timestamptz,
  resolved_by   text REFERENCES users(id),
  resolution    text CHECK (resolution IN ('reapplied', 'discarded')),
  note          text
);
CREATE INDEX conflicts_open ON conflicts (desk_id) WHERE resolved_at IS NULL;
${refuse('conflicts', 'DELETE', 'conflicts are resolved, never deleted')}

CREATE TABLE blobs (
  hash         text PRIMARY KEY,
  size         bigint NOT NULL,
  complete     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL,
  completed_at timestamptz,
  desk_id      text REFERENCES desks(id)
);
-- Which allegations hold a blob (attachments, their sanitised copies): a desk downloads only what its scope holds.
CREATE TABLE blob_refs (
  hash          text NOT NULL,
  allegation_id text NOT NULL,
  PRIMARY KEY (hash, allegation_id)
);

-- The server's own audit chain: each entry's MAC covers the previous one's, under a key the server holds.
CREATE TABLE server_audit (
  seq      bigint PRIMARY KEY,
  at       timestamptz NOT NULL,
  user_id  text,
  desk_id  text,
  action   text NOT NULL,
  details  jsonb NOT NULL,
  prev_mac text NOT NULL,
  mac      text NOT NULL
);
${refuse('server_audit', 'UPDATE OR DELETE', 'the audit chain is append-only')}
`;
