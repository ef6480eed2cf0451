// Finding 2 of issue 16: audit entries could be deleted without detection. The chain used a bare hash and
// accepted a missing or empty head signature: delete every source.open entry, renumber, recompute the chain, and
// `ims audit verify` said intact; cutting the tail and deleting the recorded head passed too. The chain is now
// under a keyed MAC whose key evolves at every entry (the desk keeps only the next one), the head is signed at
// every append, and a missing head signature is a failure. Each tampering below is one an attacker with the
// profile's files (but not the vault passphrase) can make; each is caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { verifyAuditTrail } from '../../electron/core/audit-trail.ts';

import { STORE_FILE } from '../../electron/store/db.ts';
import { auditHash, auditMac, GENESIS_HASH, headSignature, type AuditRow } from '../../electron/store/audit.ts';
import { AUDIT_KEY_FILE, evolveKey, readKeyState } from '../../electron/store/audit-key-state.ts';
import { addUser, CORPUS_1K, openCore, ROOT, signIn, tempDir, TEST_PASSPHRASE } from '../helpers.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
let tmp: ReturnType<typeof tempDir>;
let profile: string;
let keyedFrom: number;

function ims(dir: string, env: Record<string, string | undefined>, ...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', dir], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: undefined, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  // A desk used before its vault was ever unlocked writes hashed entries (as every store did before keyed chains).
  const early = Core.open(profile);
  await addUser(early, 'first.admin', 'admin', null);
  early.close();

  const core = await openCore(profile);
  keyedFrom = (core.store.db.prepare("SELECT seq FROM audit_log WHERE action = 'audit.keyed'").get() as { seq: number }).seq;
  const file = join(tmp.dir, 'twenty.jsonl');
  writeFileSync(file, `${readFileSync(CORPUS_1K, 'utf8').trim().split('\n').slice(0, 20).join('\n')}\n`);
  await importJsonl(core, file, { userId: null, name: 'test' });
  const withSource = (core.store.db.prepare('SELECT id, unit_code FROM allegations WHERE has_source = 1 LIMIT 3').all() as Array<{ id: string; unit_code: string }>);
  for (const [i, a] of withSource.entries()) {
    await addUser(core, `analyst.${i}`, 'analyst', a.unit_code);
    const analyst = await signIn(core, `analyst.${i}`);
    await analyst.call('allegations.allocate', { id: a.id });
    await analyst.call('source.open', { allegationId: a.id, reason: 'Recontact the reporter about the van' });
  }
  core.close();
  // Entries written while the vault is locked (a command without the passphrase) are keyed from the key file.
  expect(ims(profile, {}, 'search', 'Barking', '--csv').code).toBe(0);
}, 300_000);
afterAll(() => tmp.cleanup());

/** A copy of the profile, tampered with by `edit` on the raw database (triggers dropped, as an attacker would). */
function tampered(name: string, edit: (db: Database.Database, dir: string) => void): string {
  const dir = join(tmp.dir, name);
  const fold = new Database(join(profile, STORE_FILE));
  fold.pragma('wal_checkpoint(TRUNCATE)');
  fold.close();
  cpSync(profile, dir, { recursive: true });
  const db = new Database(join(dir, STORE_FILE));
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  edit(db, dir);
  db.close();
  return dir;
}

async function verify(dir: string) {
  const core = await Core.openUnlocked(dir, { kind: 'passphrase', passphrase: TEST_PASSPHRASE });
  try {
    return verifyAuditTrail(core);
  } finally {
    core.close();
  }
}

const rows = (db: Database.Database) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
const entryOf = (r: AuditRow) => ({ at: r.at, userId: r.user_id, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, allegationId: r.allegation_id, details: JSON.parse(r.details) as Record<string, unknown> });

/** Deletes every source.open entry and renumbers the rest, as in the finding. */
function dropSourceOpenings(db: Database.Database): void {
  db.prepare("DELETE FROM audit_log WHERE action = 'source.open'").run();
  const seqs = (db.prepare('SELECT seq FROM audit_log ORDER BY seq').all() as Array<{ seq: number }>).map((r) => r.seq);
  seqs.forEach((seq, i) => db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(-(i + 1), seq));
  db.prepare('UPDATE audit_log SET seq = -seq').run();
}

/** Recomputes every entry's hash and the head without any key: what defeated the old chain. */
function rechainUnkeyed(db: Database.Database): void {
  let prev = GENESIS_HASH;
  for (const r of rows(db)) {
    const hash = auditHash(r.seq, prev, entryOf(r));
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
  const last = rows(db).at(-1) as AuditRow;
  db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify({ seq: last.seq, hash: last.hash, sig: null }));
}

describe('the keyed audit chain', () => {
  it('verifies intact: hashed entries from before keying, keyed ones after, entries written while locked, a signed head', async () => {
    const r = ims(profile, { IMS_PASSPHRASE: TEST_PASSPHRASE }, 'audit', 'verify', '--json');
    expect(r.stderr).toBe('');
    const verdict = JSON.parse(r.stdout);
    expect(verdict).toMatchObject({ ok: true, keyedFrom, head: { signed: true } });
    expect(keyedFrom).toBeGreaterThan(1);
    const db = new Database(join(profile, STORE_FILE), { readonly: true });
    const all = rows(db);
    db.close();
    expect(verdict.entries).toBe(all.length);
    expect(all.at(-1)?.action).toBe('search.export');
    expect(all.filter((e) => e.action === 'source.open')).toHaveLength(3);
    // The re-keying is itself an entry, keyed, that pins the hashed part by its last hash.
    expect(entryOf(all[keyedFrom - 1] as AuditRow)).toMatchObject({ action: 'audit.keyed', details: { keyedFrom, hashedEntries: keyedFrom - 1, lastHash: all[keyedFrom - 2]?.hash } });
  });

  it('cannot be verified without the vault, and says so', () => {
    const r = ims(profile, {}, 'audit', 'verify');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/vault passphrase is needed/);
  });

  it('detects an edited entry', async () => {
    const dir = tampered('edit', (db) => db.prepare(`UPDATE audit_log SET details = json_set(details, '$.reason', 'routine') WHERE action = 'source.open'`).run());
    expect(await verify(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/does not match its MAC/) });
  });

  it('detects a deleted entry', async () => {
    const dir = tampered('delete', (db) => db.prepare(`DELETE FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log WHERE action = 'source.open')`).run());
    expect(await verify(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/entry \d+ is missing/) });
  });

  it('detects a reordering', async () => {
    const dir = tampered('reorder', (db) => {
      const [a, b] = (db.prepare("SELECT seq FROM audit_log WHERE action = 'source.open' ORDER BY seq LIMIT 2").all() as Array<{ seq: number }>).map((r) => r.seq);
      db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(a);
      db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(a, b);
      db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(b);
    });
    expect(await verify(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/does not follow the entry before it/) });
  });

  it('detects a truncation: the tail cut and the recorded head deleted', async () => {
    const dir = tampered('truncate', (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)').run();
      db.prepare("DELETE FROM meta WHERE key = 'audit_head'").run();
    });
    expect(await verify(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/signed head is missing/) });
  });

  it('detects a truncation whose head is rewritten unsigned, or signed with the key the desk holds now', async () => {
    const unsigned = tampered('truncate-unsigned', (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)').run();
      const last = rows(db).at(-1) as AuditRow;
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify({ seq: last.seq, hash: last.hash, sig: '' }));
    });
    expect(await verify(unsigned)).toMatchObject({ ok: false, problem: expect.stringMatching(/no signature: a missing signature is a failure/) });
    const stolen = tampered('truncate-stolen-key', (db, dir) => {
      const held = readKeyState(dir);
      db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)').run();
      const last = rows(db).at(-1) as AuditRow;
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify({ seq: last.seq, hash: last.hash, sig: headSignature(held?.key as Buffer, last.seq, last.hash) }));
    });
    expect(await verify(stolen)).toMatchObject({ ok: false, problem: expect.stringMatching(/signature does not verify/) });
  });

  it('detects the re-chaining of the finding: every source.open deleted, renumbered, the chain recomputed without the key', async () => {
    const dir = tampered('rechain', (db) => {
      dropSourceOpenings(db);
      rechainUnkeyed(db);
    });
    const cli = ims(dir, { IMS_PASSPHRASE: TEST_PASSPHRASE }, 'audit', 'verify');
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/the audit chain is broken at entry \d+/);
    expect(await verify(dir)).toMatchObject({ ok: false, firstBadSeq: keyedFrom });
  });

  it('detects a re-chaining by someone who copied the key the desk holds for the next entry', async () => {
    const dir = tampered('rechain-stolen-key', (db, d) => {
      const held = readKeyState(d);
      expect(readFileSync(join(d, AUDIT_KEY_FILE), 'latin1')).toMatch(/^ims-audit-key v1 /);
      dropSourceOpenings(db);
      // Whatever they do with the one key they hold (k for the next entry, and the keys after it), the entries
      // already written needed keys that are gone.
      let prev = (rows(db)[keyedFrom - 2] as AuditRow).hash;
      let key = held?.key as Buffer;
      for (const r of rows(db).slice(keyedFrom - 1)) {
        const mac = auditMac(key, r.seq, prev, entryOf(r));
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, mac, r.seq);
        prev = mac;
        key = evolveKey(key);
      }
      const last = rows(db).at(-1) as AuditRow;
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify({ seq: last.seq, hash: last.hash, sig: headSignature(key, last.seq, last.hash) }));
    });
    expect(await verify(dir)).toMatchObject({ ok: false, firstBadSeq: keyedFrom, problem: expect.stringMatching(/does not match its MAC/) });
  });

  it('detects tampering with the hashed entries of an upgraded store, which the keying entry pins', async () => {
    const edited = tampered('hashed-edit', (db) => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1").run());
    expect(await verify(edited)).toMatchObject({ ok: false, firstBadSeq: 1, problem: expect.stringMatching(/does not match its hash/) });
    const rehashed = tampered('hashed-rehash', (db) => {
      db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1").run();
      let prev = GENESIS_HASH;
      for (const r of rows(db).slice(0, keyedFrom - 1)) {
        const hash = auditHash(r.seq, prev, entryOf(r));
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
        prev = hash;
      }
    });
    expect(await verify(rehashed)).toMatchObject({ ok: false, firstBadSeq: keyedFrom, problem: expect.stringMatching(/does not follow the entry before it/) });
  });

  it("detects an edit of an entry written while the vault was locked", async () => {
    const dir = tampered('locked-edit', (db) => db.prepare("UPDATE audit_log SET details = json_set(details, '$.rows', 0) WHERE action = 'search.export'").run());
    expect(await verify(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/does not match its MAC/) });
  });

  it("refuses to re-key a chain whose sealed key was removed (which would bless a rewritten chain)", async () => {
    const dir = tampered('strip-key', (db) => {
      db.prepare("DELETE FROM data_keys WHERE scope LIKE 'audit:%'").run();
      dropSourceOpenings(db);
      rechainUnkeyed(db);
    });
    await expect(Core.openUnlocked(dir, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toThrow(/audit chain was keyed, but the chain's sealed key is missing/);
  });

  it('without its key file a locked desk refuses to write rather than write unkeyed; unlocking restores the file', async () => {
    const dir = tampered('no-key-file', (_db, d) => writeFileSync(join(d, AUDIT_KEY_FILE), ''));
    const locked = ims(dir, {}, 'search', 'Barking', '--csv');
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(/audit chain's key for entry \d+ is not held on this desk.*Nothing was changed/);
    expect(await verify(dir)).toMatchObject({ ok: true });
    expect(ims(dir, {}, 'search', 'Barking', '--csv').code).toBe(0);
    expect(await verify(dir)).toMatchObject({ ok: true });
  });
});
