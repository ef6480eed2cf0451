import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Store } from '../../electron/store/store.ts';
import { STORE_FILE, schemaVersion } from '../../electron/store/db.ts';
import { MIGRATIONS } from '../../electron/store/migrations/index.ts';
import { tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = new Store(tmp.dir);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const actor = { userId: null, name: 'test' };

describe('the local case store', () => {
  it('opens in WAL mode with foreign keys on and every migration applied', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.at(-1)?.version);
  });

  it('declares every table STRICT', () => {
    const tables = store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search%fts%'").all() as Array<{ name: string; sql: string }>;
    expect(tables.length).toBeGreaterThan(20);
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT/);
  });

  it('holds the whole data model of the domain', () => {
    const names = new Set((store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    for (const t of ['allegations', 'allegation_offences', 'subjects', 'addresses', 'businesses', 'phones', 'emails', 'vehicles', 'travel', 'notes', 'attachments', 'attachment_pages', 'link_judgements', 'checks', 'disseminations', 'outcome_actions', 'source_details', 'restricted_texts', 'users', 'allocations', 'unit_history', 'changes', 'audit_log', 'units', 'settings']) {
      expect(names.has(t), t).toBe(true);
    }
  });

  it('seeds the 19 RIUs plus LACAT, NAT and NSU', () => {
    const units = store.db.prepare('SELECT kind, count(*) AS n FROM units GROUP BY kind').all() as Array<{ kind: string; n: number }>;
    expect(Object.fromEntries(units.map((u) => [u.kind, u.n]))).toEqual({ riu: 19, lacat: 1, nat: 1, nsu: 1 });
  });

  it('writes one change row and one audit entry with each mutation, in one transaction', () => {
    store.mutate({ actor, action: 'test.setting' }, (m) => {
      m.insert('setting', { key: 'x', value: '1', updated_at: m.at, updated_by: null });
    });
    expect(store.db.prepare('SELECT count(*) AS n FROM changes').get()).toEqual({ n: 1 });
    const audit = store.db.prepare('SELECT action, details FROM audit_log').all() as Array<{ action: string; details: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('test.setting');
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ changes: 1 });
  });

  it('keeps nothing of a mutation that fails', () => {
    expect(() =>
      store.mutate({ actor, action: 'test.fail' }, (m) => {
        m.insert('setting', { key: 'y', value: '1', updated_at: m.at, updated_by: null });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.db.prepare("SELECT count(*) AS n FROM settings WHERE key = 'y'").get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM changes').get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('refuses to delete allegations or edit notes, the change log or the audit log', () => {
    store.mutate({ actor, action: 'test.seed' }, (m) => {
      m.insert('allegation', { id: 'a1', reference: 'IMS-2026-000001', channel: 'email', reporter_type: 'public', received_at: m.at, status: 'new', created_at: m.at, updated_at: m.at });
      m.append('note', { id: 'n1', allegation_id: 'a1', note_date: '2026-01-01', author_name: 'me', text: 'first', created_at: m.at });
    });
    expect(() => store.db.prepare("DELETE FROM allegations WHERE id = 'a1'").run()).toThrow(/never deleted/);
    expect(() => store.db.prepare("UPDATE notes SET text = 'changed' WHERE id = 'n1'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM changes').run()).toThrow(/append-only/);
    expect(() => store.db.prepare(`UPDATE changes SET data = '{"x":1}'`).run()).toThrow(/append-only/);
    expect(() => store.db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    // Marking a change as pushed is the one update the change log allows.
    store.db.prepare("UPDATE changes SET pushed_at = '2026-01-01T00:00:00Z'").run();
  });

  it('detects an edited, deleted or reordered audit entry', () => {
    for (let i = 0; i < 5; i++) store.mutate({ actor, action: `test.step${i}` }, (m) => m.insert('setting', { key: `k${i}`, value: String(i), updated_at: m.at, updated_by: null }));
    expect(store.audit.verify()).toMatchObject({ ok: true, entries: 5, firstBadSeq: null, problem: null, keyedFrom: null });
    store.close();

    const raw = new Database(join(tmp.dir, STORE_FILE));
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.prepare("UPDATE audit_log SET action = 'test.forged' WHERE seq = 3").run();
    raw.close();
    store = new Store(tmp.dir);
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
    store.close();

    const raw2 = new Database(join(tmp.dir, STORE_FILE));
    raw2.prepare("UPDATE audit_log SET action = 'test.step2' WHERE seq = 3").run();
    raw2.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    raw2.close();
    store = new Store(tmp.dir);
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'entry 2 is missing' });
  });

  it('gives a clear error for a file that is not a case store', async () => {
    const other = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(other.dir, STORE_FILE), 'this is not a database, just text that happens to be long enough to look like a header');
    expect(() => new Store(other.dir)).toThrow(/Cannot open the case store .*not a case store/);
    other.cleanup();
  });

  it('refuses a store written by a newer version rather than damaging it', () => {
    store.db.pragma('user_version = 999');
    store.close();
    expect(() => new Store(tmp.dir)).toThrow(/newer IMS Desk/);
    const raw = new Database(join(tmp.dir, STORE_FILE));
    raw.pragma(`user_version = ${MIGRATIONS.at(-1)?.version}`);
    raw.close();
    store = new Store(tmp.dir);
  });
});
