// Opening sealed details another desk made (issue 16, "Key service on the server", the desk's side). The NAT post
// room keys letters with their writers' details, sealed under its own data keys, and deposits the keys with the
// server at sync. The letters go to West Midlands, whose analyst takes them on another desk: that desk holds only
// ciphertext, asks the server to release the keys (the server audits first), and keeps them sealed to the analyst's
// sign-in until the server's expiry, so the work continues offline; reallocation away drops them at the next pull,
// and a release the server refuses is said so, specifically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { signIn, tempDir } from '../helpers.ts';
import { allocateOnArrival, joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';
import { SimNetwork } from '../sync/sim-network.ts';

const HOUR = 3_600_000;
let s: TestServer;
const net = new SimNetwork();
const dirs = { nat: tempDir('ims-keys-nat-'), wm: tempDir('ims-keys-wm-'), nsu: tempDir('ims-keys-nsu-') };
let nat: Core;
let wm: Core;
let nsuDesk: Core;
/** West Midlands desk's clock, moved forward to pass the release's expiry. */
let wmOffset = 0;
const writers = [
  { name: 'Garfield Clarke', address: '53 Tottenham High Road, London N15 4RX', phone: '07813 382035', email: 'clarkeg@example.org' },
  { name: 'Rebecca White', address: '14 Orchard Road, Leeds LS6 2AB', phone: '0113 496 0123', email: 'rwhite@example.org' },
  { name: 'Amrit Sandhu', address: '9 Rookery Road, Handsworth B21 9NN', phone: '07700 900412', email: 'amrit.s@example.org' },
];
const ids: string[] = [];
const refs: string[] = [];

const places = [
  { line1: '140 Soho Road', postcode: 'B21 9LP', work: 'the car wash on Soho Road' },
  { line1: '22 Lozells Road', postcode: 'B19 2TJ', work: 'the bakery on Lozells Road' },
  { line1: '310 Stratford Road', postcode: 'B11 1AA', work: 'the phone shop on Stratford Road' },
];

const letter = (w: (typeof writers)[number], subject: string, place: (typeof places)[number]) => ({
  ...emptyForm(new Date(Date.now() - HOUR), 'letter'),
  reporterType: 'public' as const,
  offenceTypes: ['illegal_working' as const],
  freeText: `${subject} works at ${place.work} and is paid cash.`,
  subjects: [{ role: 'main' as const, forename: subject.split(' ')[0] as string, surname: subject.split(' ')[1] as string, dob: '1985-02-11', gender: 'M' as const, nationality: 'Tunisian' }],
  addresses: [{ type: 'offence_location' as const, line1: place.line1, line2: '', town: 'Birmingham', postcode: place.postcode }],
  scanMissingReason: 'Letter scanned at the post room',
  source: { ...w, relationship: 'neighbour', organisation: '' },
});

const serverAudit = (action: string) =>
  s.server.ctx.db.query<{ seq: number; user_id: string; details: { allegationId: string; depositedBy?: string[] } }>('SELECT seq, user_id, details FROM server_audit WHERE action = $1 ORDER BY seq', [action]);
const localAudit = (core: Core, action: string, allegationId: string) =>
  core.store.db.prepare('SELECT seq, details FROM audit_log WHERE action = ? AND allegation_id = ? ORDER BY seq').all(action, allegationId) as Array<{ seq: number; details: string }>;
const held = (allegationId: string) =>
  wm.store.db.prepare('SELECT sealed, expires_at, dropped_why FROM released_keys WHERE allegation_id = ?').get(allegationId) as { sealed: Buffer | null; expires_at: string; dropped_why: string | null } | undefined;
const open = (who: Awaited<ReturnType<typeof signIn>>, i: number, reason = 'Recontact the writer about the rota') => who.raw('source.open', { allegationId: ids[i], reason });

let analystId = '';

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  analystId = (await s.addUser('wm.analyst', 'analyst', 'WMID')).id;
  await s.addUser('wm.other', 'analyst', 'WMID');
  await s.addUser('a.manager', 'manager', null);
  await s.addUser('nsu.officer', 'nsu', 'NSU');
  nat = await joinDesk(s, dirs.nat.dir, 'NAT post room', 'NAT', 'nat.sifter');
  wm = await joinDesk(s, dirs.wm.dir, 'West Midlands 1', 'WMID', 'wm.analyst', { now: () => Date.now() + wmOffset, sync: { transport: (url: string) => net.transport('wm', url) } });
  nsuDesk = await joinDesk(s, dirs.nsu.dir, 'NSU', 'NSU', 'nsu.officer');
  const sifter = await signIn(nat, 'nat.sifter');
  for (const [i, w] of writers.entries()) {
    const made = await sifter.call('allegations.create', { form: letter(w, ['Akrem Haddad', 'Yusuf Okafor', 'Karim Nasser'][i] as string, places[i] as (typeof places)[number]) });
    ids.push(made.id);
  }
  await syncOk(nat);
  await allocateOnArrival(wm, 'wm.analyst', ids, [nat, nsuDesk]);
  for (const id of ids) refs.push((wm.store.db.prepare('SELECT reference FROM allegations WHERE id = ?').get(id) as { reference: string }).reference);
}, 240_000);

afterAll(async () => {
  for (const c of [nat, wm, nsuDesk]) c?.close();
  await s?.stop();
  for (const d of Object.values(dirs)) d.cleanup();
});

describe('a desk opening sealed details another desk made', () => {
  it('holds only ciphertext of the letters the NAT desk sealed, and the NAT desk deposited their keys', () => {
    expect(wm.store.db.prepare('SELECT count(*) AS n FROM source_details WHERE allegation_id IN (?, ?, ?)').get(...ids)).toEqual({ n: 3 });
    expect(wm.store.db.prepare("SELECT count(*) AS n FROM data_keys WHERE scope LIKE 'allegation:%'").get()).toEqual({ n: 0 });
    expect(nat.store.db.prepare('SELECT count(*) AS n FROM server_key_deposits').get()).toEqual({ n: 3 });
  });

  it('asks the server, which audits the release before the key leaves, and shows the allocated analyst the details', async () => {
    const analyst = await signIn(wm, 'wm.analyst');
    for (const i of [0, 1, 2]) {
      const r = await open(analyst, i);
      expect(r.ok).toBe(true);
      const pane = (r as { value: { details: { name: string; phone: string }; auditEntry: number } }).value;
      expect(pane.details.name).toBe(writers[i]?.name);
      expect(pane.details.phone).toBe(writers[i]?.phone);
    }
    const releases = (await serverAudit('key.release')).filter((e) => e.details.allegationId === ids[0]);
    expect(releases).toHaveLength(1);
    expect(releases[0]?.user_id).toBe(analystId);
    expect(releases[0]?.details.depositedBy).toEqual([nat.sync.config?.deskId]);
    // This desk's record: the release it received (naming the server's entry), then its own opening, in that order.
    const received = localAudit(wm, 'key.released', ids[0] as string);
    const opened = localAudit(wm, 'source.open', ids[0] as string);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]?.details ?? '{}')).toMatchObject({ serverAuditSeq: releases[0]?.seq });
    expect(opened).toHaveLength(1);
    expect(opened[0]?.seq).toBeGreaterThan(received[0]?.seq ?? Infinity);
    expect(JSON.parse(opened[0]?.details ?? '{}')).toMatchObject({ reason: 'Recontact the writer about the rota', reference: refs[0] });
    // Kept with the server's expiry, twelve hours on.
    const row = held(ids[0] as string);
    expect(row?.sealed).toBeInstanceOf(Buffer);
    expect(Date.parse(row?.expires_at ?? '') - Date.now()).toBeGreaterThan(11.9 * HOUR);
  });

  it('keeps the released keys nowhere in plaintext in the desk profile', async () => {
    const secrets: Buffer[] = [];
    for (const id of ids) {
      secrets.push(nat.vault.dataKey(`allegation:${id}`, false));
      const [row] = await s.server.ctx.db.query<{ wrapped: string }>('SELECT wrapped FROM data_keys WHERE allegation_id = $1', [id]);
      secrets.push(await s.server.ctx.keys.unwrap(Buffer.from(row?.wrapped ?? '', 'base64'), id));
    }
    const needles = secrets.flatMap((k) => [k, Buffer.from(k.toString('base64')), Buffer.from(k.toString('base64url')), Buffer.from(k.toString('hex')), Buffer.from(k.toString('hex').toUpperCase())]);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(dirs.wm.dir);
    expect(files.some((f) => f.endsWith('.db') || f.endsWith('.sqlite'))).toBe(true);
    const hits = files.filter((f) => {
      const bytes = readFileSync(f);
      return needles.some((n) => bytes.includes(n));
    });
    expect(hits).toEqual([]);
  });

  it('refuses someone the desk does not allocate, before asking the server', async () => {
    const other = await signIn(wm, 'wm.other');
    const r = await open(other, 0);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect(!r.ok && r.error.message).toMatch(/open only to staff allocated to the case and to the National Source Unit/);
    expect(localAudit(wm, 'source.open_refused', ids[0] as string)).toHaveLength(1);
  });

  it("releases to an NSU officer on the national desk, who was never allocated", async () => {
    const nsu = await signIn(nsuDesk, 'nsu.officer');
    const r = await nsu.call('source.open', { allegationId: ids[1] as string, reason: 'Repeat referrer review' });
    expect(r.details.name).toBe(writers[1]?.name);
    expect((await serverAudit('key.release')).filter((e) => e.details.allegationId === ids[1])).toHaveLength(2);
  });

  it('when the case is reallocated on another desk, the server refuses the next release, said specifically, and the kept key goes', async () => {
    const manager = await signIn(nat, 'a.manager');
    await manager.call('allegations.reallocate', { id: ids[2] as string, unit: 'NEAST', reason: 'The subject moved to Newcastle' });
    await syncOk(nat);
    // West Midlands has not pulled yet: its own record still says allocated, so it asks; the server says no.
    const analyst = await signIn(wm, 'wm.analyst');
    const r = await open(analyst, 2);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^The server refused to release the key to the sealed details of ${refs[2]}: .*released only to staff allocated to it and to the National Source Unit.*The refusal is recorded on the server`));
    const refused = (await serverAudit('key.release_refused')).filter((e) => e.details.allegationId === ids[2]);
    expect(refused.map((e) => e.user_id)).toEqual([analystId]);
    expect(held(ids[2] as string)).toMatchObject({ sealed: null, dropped_why: 'refused by the server' });
    expect(localAudit(wm, 'source.open_refused', ids[2] as string)).toHaveLength(1);
    expect(localAudit(wm, 'source.open', ids[2] as string)).toHaveLength(1);
  });

  it('drops the kept key at the next pull when the case is reallocated away, audited here', async () => {
    expect(held(ids[1] as string)?.sealed).toBeInstanceOf(Buffer);
    const manager = await signIn(nat, 'a.manager');
    await manager.call('allegations.reallocate', { id: ids[1] as string, unit: 'NEAST', reason: 'The subject moved to Newcastle' });
    await syncOk(nat);
    await syncOk(wm);
    const row = held(ids[1] as string);
    expect(row?.sealed).toBeNull();
    expect(row?.dropped_why).toMatch(/moved to another unit|no longer allocated/);
    const dropped = localAudit(wm, 'key.release_dropped', ids[1] as string);
    expect(dropped).toHaveLength(1);
    expect(JSON.parse(dropped[0]?.details ?? '{}')).toMatchObject({ userId: analystId });
  });

  it('opens offline from the kept key within the expiry, without asking the server', async () => {
    const releasesBefore = (await serverAudit('key.release')).length;
    const analyst = await signIn(wm, 'wm.analyst');
    net.partition('wm', true);
    const r = await analyst.call('source.open', { allegationId: ids[0] as string, reason: 'Second look while offline' });
    expect(r.details.name).toBe(writers[0]?.name);
    expect(localAudit(wm, 'source.open', ids[0] as string)).toHaveLength(2);
    expect((await serverAudit('key.release')).length).toBe(releasesBefore);
  });

  it('opens offline after signing in again offline (a restarted desk), still within the expiry', async () => {
    wmOffset = 2 * HOUR;
    const again = await signIn(wm, 'wm.analyst');
    const r = await again.call('source.open', { allegationId: ids[0] as string, reason: 'Back after lunch, still offline' });
    expect(r.details.email).toBe(writers[0]?.email);
  });

  it('says specifically why it cannot open once the expiry has passed, and drops the key', async () => {
    wmOffset = 13 * HOUR;
    const analyst = await signIn(wm, 'wm.analyst');
    const r = await open(analyst, 0, 'Third look, the next morning');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('unavailable');
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^The sealed details of ${refs[0]} were made on another desk\\. The key the server released to you for them expired at .* UTC, and you signed in while the server could not be reached .*Connect to the server to open them again\\.$`));
    expect(held(ids[0] as string)).toMatchObject({ sealed: null, dropped_why: 'expired' });
    // No opening was recorded for the attempt: nothing was opened.
    expect(localAudit(wm, 'source.open', ids[0] as string)).toHaveLength(3);
  });

  it('says specifically that it needs the server when it never held the key', async () => {
    const other = await signIn(wm, 'wm.other');
    // wm.other is allocated here while offline; the desk holds no key released to them.
    await other.call('allegations.allocate', { id: ids[0] as string });
    const r = await open(other, 0);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^The sealed details of ${refs[0]} were made on another desk, and you signed in while the server could not be reached .*: this desk needs the server to release their key to you\\. Connect to the server to open them\\.$`));
  });

  it('back online, says the server refused and why it may have: the allocation made offline has not been sent yet', async () => {
    net.partition('wm', false);
    const other = await signIn(wm, 'wm.other');
    const r = await open(other, 0, 'Taking over the case from a colleague');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect(!r.ok && r.error.message).toMatch(/^The server refused to release the key to the sealed details of .*The refusal is recorded on the server\. This desk has not yet sent the server its latest allocation of the case: sync, then open it again\.$/);
  });
});
