// Issue 15 (push throughput): pushes read, judge and write at the same time, each under locks on the allegations
// and rows it touches, with no lock for ordering (server/sync/push.ts).
// - A change's number is its transaction's id times 65,536 plus its place in the transaction (sync/numbering.ts),
//   given as it is written; the sequence change_seq is no longer used. Numbers already given stay as they are: each
//   is smaller than the base of any transaction from now on (a transaction numbered far fewer than 65,536 changes).
// - Rows no longer carry change numbers: they would have to be rewritten once the numbers are known. Nothing read
//   these columns: which changes made a row, and their numbers, stay in the change log, which is append-only.
// - A push queues its audit entry in its own transaction; a chaining run gives it its place and MAC in the chain
//   after the commit (store/audit-queue.ts). queued_id says which queued entry an entry of the chain was.
export const sql = `
ALTER TABLE entity_rows DROP COLUMN created_seq, DROP COLUMN updated_seq;
ALTER TABLE allegation_scope DROP COLUMN updated_seq;
ALTER TABLE allocations DROP COLUMN updated_seq;

CREATE TABLE server_audit_queue (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL,
  user_id text,
  desk_id text,
  action  text NOT NULL,
  details jsonb NOT NULL
);
ALTER TABLE server_audit ADD COLUMN queued_id bigint UNIQUE;
`;
