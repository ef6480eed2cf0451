// The change log that sync can trust (issue 14). Every synced write now goes through the registry writer
// (store/registry.ts), so a change row says `{field: {from, to}}` with its clock, in one shape:
// - the old change log, whose rows came in several shapes and left inserts undescribed, is kept as
//   changes_legacy (never pushed) and a fresh log starts with a baseline: every synced row held, as an insert;
// - a field changed after its row was created keeps its own clock in field_clocks, so two desks editing
//   different fields of one allegation both win;
// - an allegation's offences are a set (one row per offence type, removed ones marked), so two desks adding
//   different offences both keep theirs;
// - tables that lacked a clock get one; the desk's own settings (the scan folder, a path on this machine) move
//   out of the synced settings table.
import { ENTITIES, entitySpec } from '../../../shared/sync/entities.ts';
import { formatHlc } from '../../../shared/sync/hlc.ts';
import { RowWriter, type Row } from '../registry.ts';
import type { Db } from '../db.ts';
import { LEGACY_PLAIN_FORMAT } from '../formats.ts';

const markOnce = (key: string) => `INSERT INTO search_pending (allegation_id) SELECT ${key} WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_pending WHERE allegation_id = ${key});`;

export const sql = `
ALTER TABLE changes RENAME TO changes_legacy;
DROP TRIGGER changes_no_delete;
DROP TRIGGER changes_only_mark_pushed;
DROP INDEX changes_unpushed;
CREATE TRIGGER changes_legacy_no_update BEFORE UPDATE ON changes_legacy BEGIN SELECT RAISE(ABORT, 'the legacy change log is kept as it was'); END;
CREATE TRIGGER changes_legacy_no_delete BEFORE DELETE ON changes_legacy BEGIN SELECT RAISE(ABORT, 'the legacy change log is kept as it was'); END;

-- One row per write of a synced row. data: {field: {from, to}} (bytes as {"b64": …}).
CREATE TABLE changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  hlc           TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  allegation_id TEXT,
  op            TEXT NOT NULL CHECK (op IN ('insert', 'update', 'append')),
  data          TEXT NOT NULL CHECK (json_valid(data)),
  user_id       TEXT,
  pushed_at     TEXT
) STRICT;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_only_mark_pushed BEFORE UPDATE ON changes
  WHEN NEW.seq IS NOT OLD.seq OR NEW.hlc IS NOT OLD.hlc OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
    OR NEW.allegation_id IS NOT OLD.allegation_id OR NEW.op IS NOT OLD.op OR NEW.data IS NOT OLD.data OR NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE INDEX changes_unpushed ON changes (seq) WHERE pushed_at IS NULL;

CREATE TABLE field_clocks (
  entity TEXT NOT NULL,
  id     TEXT NOT NULL,
  field  TEXT NOT NULL,
  hlc    TEXT NOT NULL,
  PRIMARY KEY (entity, id, field)
) STRICT, WITHOUT ROWID;

CREATE TABLE allegation_offences_v2 (
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  offence_type  TEXT NOT NULL,
  ordinal       INTEGER NOT NULL,
  removed_at    TEXT,
  hlc           TEXT NOT NULL,
  PRIMARY KEY (allegation_id, offence_type)
) STRICT, WITHOUT ROWID;
INSERT INTO allegation_offences_v2 (allegation_id, offence_type, ordinal, removed_at, hlc)
  SELECT o.allegation_id, o.offence_type, min(o.ordinal), NULL, a.hlc FROM allegation_offences o JOIN allegations a ON a.id = o.allegation_id
  GROUP BY o.allegation_id, o.offence_type;
DROP TABLE allegation_offences;
ALTER TABLE allegation_offences_v2 RENAME TO allegation_offences;
CREATE INDEX allegation_offences_type ON allegation_offences (offence_type) WHERE removed_at IS NULL;
CREATE TRIGGER allegation_offences_no_delete BEFORE DELETE ON allegation_offences BEGIN SELECT RAISE(ABORT, 'rows of allegation_offences are never deleted; set removed_at'); END;
CREATE TRIGGER search_mark_allegation_offences_insert AFTER INSERT ON allegation_offences BEGIN ${markOnce('NEW.allegation_id')} END;
CREATE TRIGGER search_mark_allegation_offences_update AFTER UPDATE ON allegation_offences BEGIN ${markOnce('NEW.allegation_id')} END;

ALTER TABLE attachment_pages ADD COLUMN hlc TEXT;
ALTER TABLE attachment_sanitised ADD COLUMN hlc TEXT;
ALTER TABLE settings ADD COLUMN hlc TEXT;
ALTER TABLE scan_inbox ADD COLUMN hlc TEXT;

CREATE TABLE desk_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL,
  updated_by TEXT
) STRICT;
INSERT INTO desk_settings (key, value, updated_at, updated_by) SELECT key, value, updated_at, updated_by FROM settings WHERE key = 'scanFolder';
DELETE FROM settings WHERE key = 'scanFolder';
`;

// A row still in the plaintext format of a store from before the vault is logged once the vault has sealed it.

/** The baseline: every synced row already held, logged as it stands, in an order in which it can be replayed. */
export function run(db: Db): void {
  const node = (db.prepare("SELECT value FROM meta WHERE key = 'client_id'").get() as { value: string } | undefined)?.value ?? 'desk';
  const baseline = formatHlc({ wall: Date.now(), counter: 0, node });
  const insert = db.prepare('INSERT INTO changes (hlc, entity, entity_id, allegation_id, op, data, user_id) VALUES (?, ?, ?, ?, ?, ?, NULL)');
  for (const e of ENTITIES) {
    const spec = entitySpec(e.entity);
    // The registry is today's: a table or column a later migration adds does not exist yet when this one runs
    // (its rows, if any, are logged by the code that writes them).
    const present = columnsOf(db, spec.table);
    if (!present.size) continue;
    const columns = spec.columns.filter((c) => present.has(c));
    db.prepare(`UPDATE ${spec.table} SET hlc = ? WHERE hlc IS NULL`).run(baseline);
    const plain = spec.restricted && spec.columns.includes('format') ? ` WHERE format IS NOT '${LEGACY_PLAIN_FORMAT}'` : '';
    const order = withoutRowid(db, spec.table) ? spec.key.join(', ') : 'rowid';
    const rows = db.prepare(`SELECT ${[...spec.key, 'hlc'].join(', ')} FROM ${spec.table}${plain} ORDER BY ${order}`);
    for (const row of rows.iterate() as IterableIterator<Row>) {
      const hlc = row.hlc as string;
      new RowWriter(db, hlc, (c) => insert.run(hlc, c.entity, c.id, c.allegationId, c.op, JSON.stringify(c.fields))).publish(e.entity, row, columns);
    }
  }
}

function columnsOf(db: Db, table: string): Set<string> {
  return new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((r) => r.name));
}

function withoutRowid(db: Db, table: string): boolean {
  const sqlText = (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
  return /WITHOUT ROWID\s*$/i.test(sqlText.trim());
}
