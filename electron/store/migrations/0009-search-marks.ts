// The search marks again, safe under an upsert. SQLite applies the conflict policy of the statement that fires a
// trigger to the statements inside it, so "INSERT OR IGNORE" in a trigger fired by "INSERT … ON CONFLICT DO
// UPDATE" (how a page's OCR result is recorded) failed on an allegation already marked, and the page was lost.
// The marks now insert only what is not there, which no outer policy can turn into a conflict.
const parts = ['allegation_offences', 'subjects', 'businesses', 'addresses', 'phones', 'emails', 'vehicles', 'travel', 'notes', 'attachments'];

const markOnce = (key: string) => `INSERT INTO search_pending (allegation_id) SELECT ${key} WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_pending WHERE allegation_id = ${key});`;

const mark = (table: string, key: string) => `
DROP TRIGGER search_mark_${table}_insert;
DROP TRIGGER search_mark_${table}_update;
CREATE TRIGGER search_mark_${table}_insert AFTER INSERT ON ${table} BEGIN ${markOnce(key)} END;
CREATE TRIGGER search_mark_${table}_update AFTER UPDATE ON ${table} BEGIN ${markOnce(key)} END;`;

const pageKey = (row: 'NEW' | 'OLD') => `(SELECT allegation_id FROM attachments WHERE id = ${row}.attachment_id)`;

export const sql = `
${mark('allegations', 'NEW.id')}
${parts.map((t) => mark(t, 'NEW.allegation_id')).join('\n')}
${mark('attachment_pages', pageKey('NEW'))}
DROP TRIGGER search_mark_attachment_pages_delete;
CREATE TRIGGER search_mark_attachment_pages_delete AFTER DELETE ON attachment_pages BEGIN ${markOnce(pageKey('OLD'))} END;
`;
