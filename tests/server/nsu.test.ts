// National repeat referrers (issue 16): desks deposit their data keys; the server opens sealed source details in
// memory, keeps only blind indexes under a key no desk holds, and NSU reads groups that span every unit. Each
// reading and each refusal is in the server's audit chain; no plaintext source detail is stored anywhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eachDatabase, type TestDesk } from './harness.ts';
import { sealedReferral, type Referral, type Sealed } from './referrals.ts';
import { LocalBlindIndexKey } from '../../server/keys/blind-index.ts';
import { verifyAudit } from '../../server/store/audit.ts';
import type { NationalReferrers } from '../../shared/server/nsu.ts';

describe('the local blind-index key', () => {
  it('gives equal digests for equal identifiers and different ones under another key', async () => {
    const a = new LocalBlindIndexKey(randomBytes(32));
    const [x, y, z] = await a.digest([{ kind: 'phone', value: '+447700900123' }, { kind: 'phone', value: '+447700900123' }, { kind: 'email', value: '+447700900123' }]);
    expect(x).toBe(y);
    expect(z).not.toBe(x);
    expect((await new LocalBlindIndexKey(randomBytes(32)).digest([{ kind: 'phone', value: '+447700900123' }]))[0]).not.toBe(x);
    expect(() => new LocalBlindIndexKey(randomBytes(16))).toThrow(/must be 32 bytes/);
  });
});

eachDatabase('national repeat referrers', (h) => {
  let wmid: TestDesk;
  let wales: TestDesk;
  let nsuToken: string;
  let sa = '';
  const sent: Array<Sealed & { label: string; desk: TestDesk }> = [];
  const secrets = ['Rebecca White', '14 Orchard Road', 'marsh.family@gmail.com', '07700 900123', '447700900123', 'David Marsh', 'Sarah Marsh'];

  const referrals: Array<{ label: string; at: 'wmid' | 'wales'; r: Referral }> = [
    // Miss Rebecca White writes letters to two units: no phone, no email, her address written differently.
    { label: 'white-1', at: 'wmid', r: { unit: 'WMID', source: { name: 'Miss Rebecca White', address: '14 Orchard Road, Leeds, LS6 2AB', relationship: 'neighbour' }, subjects: [{ forename: 'Ion', surname: 'Popa' }] } },
    { label: 'white-2', at: 'wales', r: { unit: 'WALES', source: { name: 'Rebecca White', address: '14 Orchard Rd, Leeds', relationship: 'neighbour' }, subjects: [{ forename: 'Ali', surname: 'Khan' }] } },
    { label: 'white-3', at: 'wales', r: { unit: 'WALES', source: { name: 'Miss Rebecca White', address: 'Flat 2, 14 orchard road, LS62AB', relationship: 'neighbour' }, subjects: [{ forename: 'Jon', surname: 'Snow' }] } },
    // Two people of one family sharing an email address, and nothing else: not one person.
    { label: 'marsh-david', at: 'wmid', r: { unit: 'WMID', source: { name: 'David Marsh', email: 'marsh.family@gmail.com', relationship: 'customer' }, subjects: [{ forename: 'Bo', surname: 'Li' }] } },
    { label: 'marsh-sarah', at: 'wales', r: { unit: 'WALES', source: { name: 'Sarah Marsh', email: 'Marsh.Family@gmail.com', relationship: 'ex-partner' }, subjects: [{ forename: 'Ed', surname: 'Hale' }] } },
    // One caller by phone, in two formats, to two units.
    { label: 'phone-1', at: 'wmid', r: { unit: 'WMID', source: { name: 'Tom Baker', phone: '07700 900123', relationship: 'colleague' } } },
    { label: 'phone-2', at: 'wales', r: { unit: 'WALES', source: { name: 'T. Baker', phone: '+44 7700 900 123', relationship: 'colleague' } } },
  ];

  const read = (token = nsuToken, q = '') => h.request<NationalReferrers & { message?: string }>('GET', `/v1/nsu/referrers${q}`, { token });
  const labelsOf = (body: NationalReferrers) => body.groups.map((g) => g.allegations.map((a) => sent.find((s) => s.allegationId === a.id)?.label).sort()).sort();

  beforeAll(async () => {
    const wa = await h.addUser('w.analyst', 'analyst', 'WMID');
    const walesAnalyst = await h.addUser('s.analyst', 'analyst', 'WALES');
    sa = walesAnalyst.id;
    await h.addUser('nsu.officer', 'nsu', null);
    await h.addUser('w.manager', 'manager', null);
    wmid = await h.desk('West Midlands', 'WMID', [wa]);
    wales = await h.desk('Wales', 'WALES', [walesAnalyst]);
    nsuToken = await h.signIn('nsu.officer');
    for (const { label, at, r } of referrals) {
      const desk = at === 'wmid' ? wmid : wales;
      const s = sealedReferral(desk, at === 'wmid' ? wa.id : sa, r);
      const pushed = await desk.push(s.changes);
      expect(pushed.status).toBe(200);
      expect(pushed.body.results.every((x) => x.status === 'accepted')).toBe(true);
      sent.push({ ...s, label, desk });
    }
  });

  it('cannot index what no desk has deposited a key for, and says how many are waiting', async () => {
    const r = await read();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ scope: 'national', indexed: 0, waiting: referrals.length, groups: [] });
  });

  it('refuses a malformed deposit, or one that does not come from a desk', async () => {
    const bad = await h.request<{ message: string }>('POST', '/v1/keys/deposit', { desk: wmid.token, body: { keys: [{ allegationId: sent[0]?.allegationId, dataKey: 'short' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/32-byte key/);
    expect((await h.request('POST', '/v1/keys/deposit', { body: { keys: [{ allegationId: sent[0]?.allegationId, dataKey: sent[0]?.dataKey }] } })).status).toBe(401);
  });

  it('groups referrals across units once the desks deposit their keys: a name-only letter-writer by name and address, a caller by phone, never a family on its shared email', async () => {
    for (const desk of [wmid, wales]) {
      const mine = sent.filter((s) => s.desk === desk);
      const r = await h.request<{ deposited: number; indexed: number }>('POST', '/v1/keys/deposit', { desk: desk.token, body: { keys: mine.map((s) => ({ allegationId: s.allegationId, dataKey: s.dataKey })) } });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ deposited: mine.length, indexed: mine.length });
    }
    const r = await read();
    expect(r.status).toBe(200);
    expect(r.body.indexed).toBe(referrals.length);
    expect(r.body.waiting).toBe(0);
    expect(labelsOf(r.body)).toEqual([
      ['phone-1', 'phone-2'],
      ['white-1', 'white-2', 'white-3'],
    ]);
    const white = r.body.groups.find((g) => g.allegations.length === 3);
    expect(new Set(white?.allegations.map((a) => a.unit))).toEqual(new Set(['WMID', 'WALES']));
    expect(white?.linkedBy).toEqual(expect.arrayContaining(['name_house']));
    expect(white?.groupKey).toBe(white?.allegations[0]?.id);
    // No plaintext in the answer.
    const text = JSON.stringify(r.body).toLowerCase();
    for (const s of secrets) expect(text).not.toContain(s.toLowerCase());
  });

  it('re-indexes source details changed later, from the change log', async () => {
    // Sarah Marsh's desk corrects her details: she is David Marsh after all (same name, same email).
    const s = sent.find((x) => x.label === 'marsh-sarah') as Sealed & { desk: TestDesk };
    const { seal } = await import('../../electron/vault/aead.ts');
    const payload = seal(Buffer.from(s.dataKey, 'base64'), Buffer.from(JSON.stringify({ name: 'David Marsh', email: 'marsh.family@gmail.com', relationship: 'customer' })), `allegation:${s.allegationId}|source`);
    const changes = wales.mutation(sa, (m) => m.update('source_details', s.allegationId, { payload: [null, { b64: payload.toString('base64') }] }, s.allegationId));
    const pushed = await wales.push(changes);
    expect(pushed.body.results.map((x) => x.status)).toEqual(['accepted']);
    const r = await read();
    expect(labelsOf(r.body)).toContainEqual(['marsh-david', 'marsh-sarah']);
  });

  it('is for NSU only: a manager and an analyst are refused, and every reading and refusal is in the verified audit chain', async () => {
    for (const who of ['w.manager', 'w.analyst']) {
      const r = await read(await h.signIn(who));
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(/Only the National Source Unit/);
    }
    const entries = await h.server.ctx.db.query<{ action: string; details: Record<string, unknown> }>("SELECT action, details FROM server_audit WHERE action LIKE 'nsu.%' OR action = 'key.deposit' ORDER BY seq");
    expect(entries.map((e) => e.action)).toEqual(['nsu.referrers', 'key.deposit', 'key.deposit', 'nsu.referrers', 'nsu.referrers', 'nsu.referrers_refused', 'nsu.referrers_refused']);
    expect(await verifyAudit(h.server.ctx.db, h.server.ctx.auditKey)).toBeNull();
    expect((await read(nsuToken, '?minCount=1')).status).toBe(400);
  });

  it('stores no source detail in plaintext in any table, keeps deposited keys wrapped, and its blind-index key in a 0600 file of its own', async () => {
    const tables = await h.server.ctx.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    let dump = '';
    for (const t of tables) for (const row of await h.server.ctx.db.query(`SELECT row_to_json(x)::text AS j FROM "${t.table_name}" x`)) dump += `${(row as { j: string }).j}\n`;
    dump = dump.toLowerCase();
    expect(dump).toContain('source_details');
    for (const s of secrets) expect(dump).not.toContain(s.toLowerCase());
    for (const s of sent) expect(dump).not.toContain(s.dataKey.toLowerCase());
    const keyFile = join(h.dataDir, 'keys', 'blind-index.key');
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect(readFileSync(keyFile, 'utf8').trim()).not.toBe(readFileSync(join(h.dataDir, 'keys', 'kek.key'), 'utf8').trim());
  });
});
