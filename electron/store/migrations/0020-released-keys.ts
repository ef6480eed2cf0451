// Issue 16: data keys the server released to a person at this desk (an allegation whose sealed details were made on
// another desk), kept so that work allocated to them continues offline until the expiry the server gave. The keys
// are sealed under a key derived from the person's own sign-in secret and the vault's master key (vault/released-keys.ts):
// neither the key ring alone nor the password alone opens them, and another person at the same desk cannot.
// The expiry and the server's audit entry are bound into the seal. A dropped key (reallocation, expiry, refusal)
// loses its sealed bytes at once; the row stays as the record of what was held and why it went.
export const sql = `
CREATE TABLE released_keys (
  user_id          TEXT NOT NULL,
  allegation_id    TEXT NOT NULL,
  sealed           BLOB,
  key_id           TEXT NOT NULL,
  released_at      TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  server_audit_seq INTEGER NOT NULL,
  dropped_at       TEXT,
  dropped_why      TEXT,
  PRIMARY KEY (user_id, allegation_id)
) STRICT;
CREATE INDEX released_keys_held ON released_keys (allegation_id) WHERE sealed IS NOT NULL;
`;
