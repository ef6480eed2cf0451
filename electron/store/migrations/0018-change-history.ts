// An allegation's form history is read from the change log by allegation (issue 19): without this index, each
// history read scans the whole log, which at 100k allegations is millions of rows.
export const sql = `
CREATE INDEX changes_allegation ON changes (allegation_id, seq) WHERE allegation_id IS NOT NULL;
`;
