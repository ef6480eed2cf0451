// One set of marks for everything derived from an allegation: the triggers that mark an allegation for the
// search index (0006, 0009, 0010) now also mark it for the matching index, so that one mutation hook brings
// both up to date from their marks, whatever wrote the rows (a use-case, an import, sync applying another
// desk's changes, another connection), instead of each use-case remembering to re-index.
const tables = ['allegation_offences', 'subjects', 'businesses', 'addresses', 'phones', 'emails', 'vehicles', 'travel', 'notes', 'attachments'];

const markBoth = (key: string) => `
  INSERT INTO search_pending (allegation_id) SELECT ${key} WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_pending WHERE allegation_id = ${key});
  INSERT INTO match_pending (allegation_id) SELECT ${key} WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM match_pending WHERE allegation_id = ${key});`;

const remark = (table: string, key: string, events: Array<'insert' | 'update' | 'delete'> = ['insert', 'update']) =>
  events
    .map((e) => `DROP TRIGGER search_mark_${table}_${e};\nCREATE TRIGGER derived_mark_${table}_${e} AFTER ${e.toUpperCase()} ON ${table} BEGIN ${markBoth(key.replace('ROW', e === 'delete' ? 'OLD' : 'NEW'))} END;`)
    .join('\n');

const pageKey = '(SELECT allegation_id FROM attachments WHERE id = ROW.attachment_id)';

export const sql = `
-- Allegations whose matching profile is out of date, oldest first.
CREATE TABLE match_pending (
  seq           INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL UNIQUE,
  marked_at     REAL NOT NULL DEFAULT (unixepoch('subsec'))
) STRICT;

${remark('allegations', 'ROW.id')}
${tables.map((t) => remark(t, 'ROW.allegation_id')).join('\n')}
${remark('attachment_pages', pageKey, ['insert', 'update', 'delete'])}
`;
