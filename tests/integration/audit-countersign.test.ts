// The server countersigns a desk's audit head at every push (issue 16), and the desk's verify checks its chain
// still holds each countersigned entry. Someone holding the desk's own keys (its passphrase, so the chain's sealed
// first key) can cut or re-chain the log so that it verifies by itself; they cannot make the server sign it.
// Tested: a truncation after a countersign, a re-chaining with the desk key after a countersign, and the same cut
// with the desk's stored countersignatures deleted too (the server gives its latest one back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { verifyAuditTrail, verifyAuditTrailWithServer } from '../../electron/core/audit-trail.ts';
import { STORE_FILE } from '../../electron/store/db.ts';
import { auditMac, GENESIS_HASH, headSignature, type AuditRow, type ChainRoot } from '../../electron/store/audit.ts';
import { evolveKey } from '../../electron/store/audit-key-state.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { openCore, signIn, tempDir, TEST_PASSWORD } from '../helpers.ts';
import { joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
const home = tempDir('ims-countersign-');
const profile = join(home.dir, 'desk');
let root: ChainRoot;
let countersignedSeq = 0;
let openedId = '';

const FORENAMES = ['Akrem', 'Bogdan', 'Chen', 'Dariusz', 'Emeka', 'Farid', 'Goran'];
const POSTCODES = ['B21 9LP', 'B8 1JB', 'B11 1AA', 'B12 0XY', 'B19 2QQ', 'B6 7EU', 'B10 0HJ'];
let made = 0;

async function work(core: Core, n: number): Promise<void> {
  const analyst = await signIn(core, 'wm.analyst');
  for (let k = 0; k < n; k++) {
    const i = made++;
    await analyst.call('allegations.create', {
      form: {
        ...emptyForm(new Date(Date.now() - 3_600_000), 'telephone'),
        reporterType: 'public',
        offenceTypes: ['illegal_working'],
        freeText: `Call ${i}: the car wash on Soho Road pays cash to men with no papers.`,
        subjects: [{ role: 'main', forename: FORENAMES[i] as string, surname: ['Haddad', 'Novak', 'Wei', 'Kowal', 'Obi', 'Rahimi', 'Petrovic'][i] as string, dob: `19${70 + i}-0${1 + i}-1${i}`, gender: 'M', nationality: 'Tunisian' }],
        addresses: [{ type: 'offence_location', line1: `${10 + i} Soho Road`, line2: '', town: 'Birmingham', postcode: POSTCODES[i] as string }],
      },
    });
  }
}

const rows = (db: Database.Database) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
const entryOf = (r: AuditRow) => ({ at: r.at, userId: r.user_id, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, allegationId: r.allegation_id, details: JSON.parse(r.details) as Record<string, unknown> });

/** Recomputes every keyed entry from the chain's first key and signs the head: what the desk's own keys allow. */
function rechainWithDeskKey(db: Database.Database): void {
  let key = root.key;
  let prev = root.from > 1 ? (rows(db)[root.from - 2] as AuditRow).hash : GENESIS_HASH;
  for (const r of rows(db).slice(root.from - 1)) {
    if (r.seq > root.from) key = evolveKey(key);
    const mac = auditMac(key, r.seq, prev, entryOf(r));
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, mac, r.seq);
    prev = mac;
  }
  const last = rows(db).at(-1) as AuditRow;
  db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify({ seq: last.seq, hash: last.hash, sig: headSignature(evolveKey(key), last.seq, last.hash) }));
}

/** A copy of the desk's profile, tampered with on the raw database (triggers dropped, as an attacker would). */
function tampered(name: string, edit: (db: Database.Database) => void): string {
  const dir = join(home.dir, name);
  cpSync(profile, dir, { recursive: true });
  const db = new Database(join(dir, STORE_FILE));
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  edit(db);
  db.close();
  return dir;
}

async function verifyCopy(dir: string, withServer: boolean) {
  const core = await openCore(dir);
  try {
    // The copy is the same desk, with the same credential: the server answers for it.
    return withServer ? await verifyAuditTrailWithServer(core) : verifyAuditTrail(core);
  } finally {
    core.close();
  }
}

/** The verdict of the chain alone, as the desk's own keys see it (no countersignatures). */
async function chainAlone(dir: string) {
  const core = await openCore(dir);
  try {
    return core.store.audit.verify(core.vault.auditRoot());
  } finally {
    core.close();
  }
}

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('sacu.officer', 'sacu', null);
  const core = await joinDesk(s, profile, 'West Midlands 1', 'WMID', 'wm.analyst');
  await work(core, 3);
  // The analyst opens a source pane, giving a reason: an entry SACU must be able to read from the server.
  const analyst = await signIn(core, 'wm.analyst');
  const withSource = await analyst.call('allegations.create', {
    form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'telephone'), reporterType: 'public', offenceTypes: ['illegal_working'], freeText: 'A caller about the nail bar on Ladypool Road.', subjects: [{ role: 'main', forename: 'Thi', surname: 'Nguyen', dob: '1992-05-01', gender: 'F', nationality: 'Vietnamese' }], addresses: [{ type: 'offence_location', line1: '5 Ladypool Road', line2: '', town: 'Birmingham', postcode: 'B12 8JP' }], source: { name: 'Garfield Clarke', phone: '07813 382035', email: '', address: '', relationship: 'neighbour', organisation: '' } },
  });
  openedId = withSource.id;
  await analyst.call('allegations.allocate', { id: withSource.id });
  await analyst.call('source.open', { allegationId: withSource.id, reason: 'Recontact the caller about the rota' });
  await syncOk(core);
  countersignedSeq = (core.store.db.prepare('SELECT max(seq) AS seq FROM audit_countersigns').get() as { seq: number }).seq;
  // Work after the last sync: entries the server has not seen, free to be verified by the desk's chain alone.
  await work(core, 1);
  root = core.vault.auditRoot() as ChainRoot;
  core.close();
}, 180_000);
afterAll(async () => {
  await s?.stop();
  home.cleanup();
});

describe("the server's countersignature of the desk's audit head", () => {
  it('is kept at every push, and verify reports the chain holds the latest countersigned entry', async () => {
    expect(countersignedSeq).toBeGreaterThan(root.from + 2);
    const verdict = await verifyCopy(profile, true);
    expect(verdict).toMatchObject({ ok: true, server: 'checked', countersigned: { seq: countersignedSeq } });
    // The server's own chain recorded the head it signed.
    const [entry] = await s.server.ctx.db.query<{ details: { deskAuditHead: { seq: number } } }>("SELECT details FROM server_audit WHERE action = 'sync.push' ORDER BY seq DESC LIMIT 1");
    expect(entry?.details.deskAuditHead.seq).toBe(countersignedSeq);
  });

  it('detects a truncation after a countersign, though the cut chain verifies with the desk key', async () => {
    const dir = tampered('truncated', (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(countersignedSeq - 2);
      rechainWithDeskKey(db);
    });
    expect(await chainAlone(dir)).toMatchObject({ ok: true });
    expect(await verifyCopy(dir, false)).toMatchObject({ ok: false, firstBadSeq: countersignedSeq - 1, problem: expect.stringMatching(new RegExp(`server countersigned entry ${countersignedSeq} .*log now ends at entry ${countersignedSeq - 2}: entries were cut after they were synced`)) });
  });

  it('detects a re-chaining with the desk key after a countersign: an entry deleted, the rest renumbered and re-keyed', async () => {
    const dir = tampered('rechained', (db) => {
      const victim = (rows(db).find((r) => r.seq > root.from && r.action !== 'audit.keyed') as AuditRow).seq;
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(victim);
      const seqs = rows(db).map((r) => r.seq);
      seqs.forEach((seq, i) => db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(-(i + 1), seq));
      db.prepare('UPDATE audit_log SET seq = -seq').run();
      rechainWithDeskKey(db);
    });
    expect(await chainAlone(dir)).toMatchObject({ ok: true });
    expect(await verifyCopy(dir, false)).toMatchObject({ ok: false, firstBadSeq: countersignedSeq, problem: expect.stringMatching(/is not the entry the server countersigned at sync .*rewritten/) });
  });

  it('detects the cut even with the stored countersignatures deleted too: the server gives back its latest', async () => {
    const dir = tampered('truncated-and-forgotten', (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(countersignedSeq - 2);
      rechainWithDeskKey(db);
      db.prepare('DELETE FROM audit_countersigns').run();
    });
    expect(await verifyCopy(dir, false)).toMatchObject({ ok: true, countersigned: null });
    expect(await verifyCopy(dir, true)).toMatchObject({ ok: false, server: 'checked', problem: expect.stringMatching(/entries were cut after they were synced/) });
  });

  it('refuses a countersignature that is not the server’s', async () => {
    const dir = tampered('forged', (db) => {
      db.prepare("UPDATE audit_countersigns SET signature = ? WHERE seq = (SELECT max(seq) FROM audit_countersigns)").run(Buffer.alloc(64, 1).toString('base64'));
    });
    expect(await verifyCopy(dir, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/countersignature of entry \d+ does not verify/) });
  });
});

describe('source-pane openings across desks', () => {
  it('reach the server with the sync, and SACU reads who opened which pane, when and why (the reading audited)', async () => {
    const sacu = await s.request<{ sessionToken: string }>('POST', '/v1/auth/sign-in', { username: 'sacu.officer', password: TEST_PASSWORD });
    const r = await s.request<{ entries: Array<{ deskName: string; actor: string; action: string; allegationId: string; reference: string; reason: string; at: string }>; auditSeq: number }>('GET', `/v1/audit/source-access?allegationId=${openedId}`, undefined, sacu.body.sessionToken);
    expect(r.status).toBe(200);
    expect(r.body.entries).toEqual([expect.objectContaining({ deskName: 'West Midlands 1', action: 'source.open', allegationId: openedId, reason: 'Recontact the caller about the rota', reference: expect.stringMatching(/^IMS-\d{4}-\d{6}$/) })]);
    expect(r.body.entries[0]?.actor).toMatch(/wm analyst/i);
    const [read] = await s.server.ctx.db.query<{ action: string }>('SELECT action FROM server_audit WHERE seq = $1', [r.body.auditSeq]);
    expect(read?.action).toBe('audit.source_access_read');
    const analyst = await s.request<{ sessionToken: string }>('POST', '/v1/auth/sign-in', { username: 'wm.analyst', password: TEST_PASSWORD });
    expect((await s.request('GET', '/v1/audit/source-access', undefined, analyst.body.sessionToken)).status).toBe(403);
  });
});
