// Issue 20: management information over the national record. One fact per allegation (shared/mi/facts.ts, the
// desk's own function), worked out from the allegation's rows, and the change number the facts are current to: MI
// catches up from the change log when it is asked for (server/mi/facts.ts), so a push never waits for it. Facts are
// derived from the record, never part of it: rewritten as their allegation changes.
export const sql = `
CREATE TABLE mi_facts (
  allegation_id text PRIMARY KEY,
  unit          text,
  region        text,
  received_day  integer NOT NULL,
  fact          jsonb NOT NULL,
  updated_seq   bigint NOT NULL
);
CREATE INDEX mi_facts_region ON mi_facts (region, received_day);
CREATE INDEX mi_facts_unit ON mi_facts (unit, received_day);

CREATE TABLE mi_progress (
  id  integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL
);
INSERT INTO mi_progress (id, seq) VALUES (1, 0);
`;
