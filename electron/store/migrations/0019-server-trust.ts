// Issue 16: what this desk has handed to the server and what the server vouched for.
// - server_key_deposits: the allegations whose data key this desk has deposited with the server, so that the
//   server can index their sealed source details nationally under its own blind-index key (sent once each).
// - audit_countersigns: the server's countersignatures of this desk's audit head, one per push that carried it.
//   `ims audit verify` checks the chain still holds each countersigned entry as it was: a log cut short or
//   re-chained after a sync is caught even by someone holding the desk's own keys.
export const sql = `
CREATE TABLE server_key_deposits (
  allegation_id TEXT PRIMARY KEY,
  deposited_at  TEXT NOT NULL
) STRICT;

CREATE TABLE audit_countersigns (
  seq              INTEGER PRIMARY KEY,
  hash             TEXT NOT NULL,
  server_audit_seq INTEGER NOT NULL,
  desk_id          TEXT NOT NULL,
  key_id           TEXT NOT NULL,
  signature        TEXT NOT NULL,
  received_at      TEXT NOT NULL
) STRICT;
`;
