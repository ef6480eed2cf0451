// NSU's repeat referrers across desks (issue 16): two desks of different units take referrals from the same
// letter-writer (no phone, no email, her address written two ways). Their syncs deposit the data keys with the
// server, which indexes the sealed details under a key no desk holds; the NSU desk's screen then shows one group
// "national, from the server", which neither desk's own view could find, and says "this desk only" when the server
// cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { signIn, tempDir } from '../helpers.ts';
import { joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
const dirs = [tempDir('ims-ref-nat-'), tempDir('ims-ref-wm-'), tempDir('ims-ref-nsu-')];
let nat: Core;
let wm: Core;
let nsuDesk: Core;
const ids: string[] = [];
let stopped = false;

const letter = (source: { name: string; address: string }, subject: string) => ({
  ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
  reporterType: 'public' as const,
  offenceTypes: ['illegal_working' as const],
  freeText: `${subject} works at the car wash on Soho Road and is paid cash.`,
  subjects: [{ role: 'main' as const, forename: subject.split(' ')[0] as string, surname: subject.split(' ')[1] as string, dob: '1985-02-11', gender: 'M' as const, nationality: 'Tunisian' }],
  addresses: [{ type: 'offence_location' as const, line1: '140 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LP' }],
  scanMissingReason: 'Letter scanned at the post room',
  source: { ...source, phone: '', email: '', relationship: 'neighbour', organisation: '' },
});

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('nsu.officer', 'nsu', 'NSU');
  nat = await joinDesk(s, (dirs[0] as { dir: string }).dir, 'NAT post room', 'NAT', 'nat.sifter');
  wm = await joinDesk(s, (dirs[1] as { dir: string }).dir, 'West Midlands 1', 'WMID', 'wm.analyst');
  nsuDesk = await joinDesk(s, (dirs[2] as { dir: string }).dir, 'NSU', 'NSU', 'nsu.officer');
  const sifter = await signIn(nat, 'nat.sifter');
  ids.push((await sifter.call('allegations.create', { form: letter({ name: 'Miss Rebecca White', address: '14 Orchard Road, Leeds, LS6 2AB' }, 'Akrem Haddad') })).id);
  const analyst = await signIn(wm, 'wm.analyst');
  ids.push((await analyst.call('allegations.create', { form: letter({ name: 'Rebecca White', address: '14 Orchard Rd, Leeds' }, 'Sami Haddad') })).id);
  await syncOk(nat);
  await syncOk(wm);
  await syncOk(nsuDesk);
}, 180_000);
afterAll(async () => {
  for (const c of [nat, wm, nsuDesk]) c?.close();
  if (!stopped) await s?.stop();
  for (const d of dirs) d.cleanup();
});

describe('national repeat referrers on the NSU desk', () => {
  it('each desk deposited the data key of the referral it sealed, and the server indexed both', async () => {
    for (const desk of [nat, wm]) expect(desk.store.db.prepare('SELECT count(*) AS n FROM server_key_deposits').get()).toEqual({ n: 1 });
    expect(await s.server.ctx.db.query('SELECT count(*)::int AS n FROM source_index_state WHERE problem IS NULL')).toEqual([{ n: 2 }]);
  });

  it('shows the letter-writer of two units as one group, national, from the server; no desk alone can', async () => {
    const nsu = await signIn(nsuDesk, 'nsu.officer');
    const view = await nsu.call('nsu.referrerView', { minCount: 2 });
    expect(view.scope).toBe('national');
    expect(view.note).toMatch(/^National, from the server/);
    expect(view.groups.map((g) => g.allegations.map((a) => a.id).sort())).toEqual([[...ids].sort()]);
    expect(view.groups[0]?.allegations.every((a) => /^IMS-\d{4}-\d{6}$/.test(a.reference))).toBe(true);
    expect(view.groups[0]?.units.sort()).toEqual(['WMID']);
    expect(view.groups[0]?.linkedBy).toContain('name_house');
    expect(JSON.stringify(view)).not.toMatch(/Rebecca|Orchard/i);
    // The desks' own views: each holds one referral; the NSU desk cannot open what the others sealed.
    for (const desk of [nat, wm, nsuDesk]) expect(desk.store.db.prepare('SELECT count(*) AS n FROM source_blind_index WHERE kind = ?').get('name_house')).toMatchObject({ n: desk === nsuDesk ? 0 : 1 });
    expect(await nsu.call('nsu.referrers', { minCount: 2 })).toEqual([]);
  });

  it('reveals the national group on the NSU desk: the server releases each key to NSU and audits it, the desk audits each reveal', async () => {
    const nsu = await signIn(nsuDesk, 'nsu.officer');
    const [group] = (await nsu.call('nsu.referrerView', { minCount: 2 })).groups;
    if (!group) throw new Error('no national group');
    const releasesBefore = (await s.server.ctx.db.query("SELECT count(*)::int AS n FROM server_audit WHERE action = 'key.release'")) as Array<{ n: number }>;
    const revealed = await nsu.call('nsu.reveal', { groupKey: group.groupKey, reason: 'Repeat referrer review' });
    expect(revealed.map((r) => r.allegationId).sort()).toEqual([...ids].sort());
    expect(revealed.map((r) => [r.details.name, r.details.address]).sort()).toEqual([
      ['Miss Rebecca White', '14 Orchard Road, Leeds, LS6 2AB'],
      ['Rebecca White', '14 Orchard Rd, Leeds'],
    ]);
    // Sealed at the NAT and West Midlands desks: both keys came from the server, which recorded each release first.
    const releases = await s.server.ctx.db.query<{ details: { allegationId: string; reason: string; role: string } }>("SELECT details FROM server_audit WHERE action = 'key.release' ORDER BY seq");
    expect(releases.length - (releasesBefore[0]?.n ?? 0)).toBe(2);
    expect(releases.slice(-2).map((r) => [r.details.allegationId, r.details.reason, r.details.role]).sort()).toEqual([...ids].sort().map((id) => [id, 'Repeat referrer review', 'nsu']));
    const reveals = nsuDesk.store.db.prepare("SELECT allegation_id FROM audit_log WHERE action = 'nsu.reveal' ORDER BY seq").all() as Array<{ allegation_id: string }>;
    expect(reveals.map((r) => r.allegation_id).sort()).toEqual([...ids].sort());
  });

  it('is refused to anyone but NSU', async () => {
    const sifter = await signIn(nat, 'nat.sifter');
    const r = await sifter.raw('nsu.referrerView', { minCount: 2 });
    expect(r.ok).toBe(false);
  });

  it('says "this desk only" when the server cannot be reached, and still shows the desk\'s own groups', async () => {
    const nsu = await signIn(nsuDesk, 'nsu.officer');
    await s.stop();
    stopped = true;
    const view = await nsu.call('nsu.referrerView', { minCount: 2 });
    expect(view.scope).toBe('desk');
    expect(view.note).toMatch(/^This desk only: the server cannot be reached/);
    expect(view.groups).toEqual([]);
  });
});
