// Matching's side tables: derived data, rebuilt from the store by MatchIndex.rebuild() (like the search index).
// - match_profiles: the compact form of each allegation that scoring reads (one row, one JSON document), with
//   a small integer handle so that the key table stays narrow.
// - match_keys: blocking keys (a 53-bit hash of the key text) -> allegations. WITHOUT ROWID, keyed by (key, n):
//   a lookup is one index range scan.
// - match_stats: how often each name, date of birth, postcode... occurs, for frequency-aware weights.
export const sql = `
CREATE TABLE match_profiles (
  n             INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL UNIQUE REFERENCES allegations(id),
  version       INTEGER NOT NULL,
  profile       TEXT NOT NULL CHECK (json_valid(profile))
) STRICT;

CREATE TABLE match_keys (
  key INTEGER NOT NULL,
  n   INTEGER NOT NULL,
  PRIMARY KEY (key, n)
) STRICT, WITHOUT ROWID;

CREATE TABLE match_stats (
  kind  TEXT NOT NULL,
  value TEXT NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;
`;
