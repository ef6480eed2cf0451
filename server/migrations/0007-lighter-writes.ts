// Issue 15 (push throughput): less work for the database on every change a push writes.
// - The change log's index on (entity, entity_id) is dropped. Nothing looks changes up by their row: pulls read the
//   log by number, a push's replays by (desk, desk_seq), MI by number, and a row as it stands is read from
//   entity_rows. Every change paid for the index on its way in.
// - The materialised rows and the allegations' places leave room in each page (fillfactor 80). An amended row
//   changes none of its indexed columns (entity, id, its allegations), so with room beside it PostgreSQL writes the
//   new version in the same page and touches no index (a HOT update). With full pages every amendment added an
//   entry to each of the row's four indexes, and the dead versions piled up in them: a push's reads of the rows it
//   names went through every dead version of an often-amended allegation.
export const sql = `
DROP INDEX IF EXISTS change_log_entity;
ALTER TABLE entity_rows SET (fillfactor = 80);
ALTER TABLE allegation_scope SET (fillfactor = 80);
`;
