// Issue 15 (push throughput): the GIN index on every row's list of allegations is dropped. Since 0003 nothing reads
// rows through it: a snapshot and the allegations entering a desk's scope look rows up by their first allegation
// (entity_rows_first_allegation) and the few rows of several allegations through the partial index of those
// (entity_rows_several_allegations); a push reads rows by their key. Every new row still paid for an entry in it.
export const sql = `
DROP INDEX IF EXISTS entity_rows_allegations;
`;
