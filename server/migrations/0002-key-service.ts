// Issue 16: the server's key service. Each allegation's data key, wrapped by the key encryption key named in
// kek_id (keys/key-service.ts); generated on the first release, never stored unwrapped.
export const sql = `
CREATE TABLE data_keys (
  allegation_id text PRIMARY KEY,
  kek_id        text NOT NULL,
  wrapped       text NOT NULL, -- base64: the same on PGlite and PostgreSQL drivers
  created_at    timestamptz NOT NULL
);
`;
