// Issue 16: national repeat referrers. Desks deposit each allegation's data key with the server (kept wrapped by
// the KEK, like data_keys), so the server can open the sealed source details it receives, in memory only, and
// keep blind indexes of them under its own blind-index key (keys/blind-index.ts). The index is derived data,
// recomputed whenever the details change: it is replaced, not appended.
export const sql = `
CREATE TABLE deposited_keys (
  allegation_id text NOT NULL,
  desk_id       text NOT NULL REFERENCES desks(id),
  kek_id        text NOT NULL,
  wrapped       text NOT NULL, -- base64
  deposited_at  timestamptz NOT NULL,
  PRIMARY KEY (allegation_id, desk_id)
);

CREATE TABLE source_index (
  allegation_id text NOT NULL,
  kind          text NOT NULL,
  digest        text NOT NULL,
  PRIMARY KEY (allegation_id, kind, digest)
);
CREATE INDEX source_index_digest ON source_index (kind, digest);

-- Per allegation with sealed source details: whether the server could index them, and if not why (no key
-- deposited yet, or none that opens them).
CREATE TABLE source_index_state (
  allegation_id text PRIMARY KEY,
  key_id        text,
  indexed_at    timestamptz NOT NULL,
  -- Every change up to this number was in the rows the index was computed from.
  indexed_seq   bigint NOT NULL,
  problem       text
);
`;

// Who opened which source pane, when and why, as each desk recorded it in its own (countersigned) audit chain and
// sent after its pushes: SACU reads it across every desk. One row per desk entry (idempotent by desk and entry).
export const sourceAccessSql = `
CREATE TABLE desk_source_access (
  desk_id       text NOT NULL REFERENCES desks(id),
  desk_seq      bigint NOT NULL,
  desk_hash     text NOT NULL,
  at            timestamptz NOT NULL,
  user_id       text,
  actor         text NOT NULL,
  action        text NOT NULL,
  allegation_id text,
  reference     text,
  reason        text,
  received_at   timestamptz NOT NULL,
  server_seq    bigint NOT NULL,
  PRIMARY KEY (desk_id, desk_seq)
);
CREATE INDEX desk_source_access_at ON desk_source_access (at);
CREATE INDEX desk_source_access_allegation ON desk_source_access (allegation_id);
`;
