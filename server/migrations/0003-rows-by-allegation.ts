// Issue 15: a desk's snapshot and the allegations entering its scope read the rows of up to a thousand allegations
// at once. `allegation_ids && $1` with a long list compares every row's list with every id (no index plan beats it,
// and on PGlite a 100k-allegation snapshot took minutes). Nearly every row belongs to one allegation: an index on
// the first one answers `allegation_ids[1] = ANY($1)` by lookups, and the few rows of several allegations (links)
// keep a small index of their own.
export const sql = `
CREATE INDEX entity_rows_first_allegation ON entity_rows ((allegation_ids[1]));
CREATE INDEX entity_rows_several_allegations ON entity_rows USING gin (allegation_ids) WHERE cardinality(allegation_ids) > 1;
`;
