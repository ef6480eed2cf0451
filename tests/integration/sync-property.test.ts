// The sync protocol as a property (fast-check): over random working days on three desks (the NAT post room and
// two West Midlands desks) — letters keyed, amendments of the same and different fields, notes — with the network
// partitioning desks, losing requests, losing answers after the server acted, and delivering requests twice, and
// desks failing part-way through a sync at every named point of a cycle, once the network heals and every desk
// has synced:
// - every desk equals the server within its scope (allegations and notes, field by field);
// - every change a desk made is on the server, accepted or rejected, exactly once (idempotent by desk and number);
// - every rejected change is a conflict on the desk of the person who made it;
// - every desk's audit chain and the server's verify.
// IMS_SYNC_PROPERTY_RUNS sets how many schedules run (at least 200 in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Core } from '../../electron/core/core.ts';
import type { CrashPoint } from '../../electron/sync/engine.ts';
import { rowFields } from '../../electron/store/registry.ts';
import { verifyAuditTrail } from '../../electron/core/audit-trail.ts';
import { verifyAudit } from '../../server/store/audit.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { signIn, tempDir } from '../helpers.ts';
import { joinDesk, startTestServer, type TestServer } from '../sync/fixtures.ts';
import { SimNetwork, type Fault } from '../sync/sim-network.ts';

const RUNS = Number(process.env.IMS_SYNC_PROPERTY_RUNS ?? 200);
const CRASH_POINTS: CrashPoint[] = ['push:answered', 'push:recorded', 'restore:answered', 'pull:answered', 'pull:applied', 'snapshot:answered'];
const DESKS = ['nat', 'wm1', 'wm2'] as const;
type DeskName = (typeof DESKS)[number];

type Step =
  | { kind: 'letter'; unit: 'WMID' | 'EMID'; text: string }
  | { kind: 'amend'; desk: 'wm1' | 'wm2'; pick: number; text: string }
  | { kind: 'note'; desk: 'wm1' | 'wm2'; pick: number; text: string }
  | { kind: 'sync'; desk: DeskName; faults: Fault[]; crash: CrashPoint | null }
  | { kind: 'partition'; desk: DeskName; on: boolean };

const words = fc.constantFrom('seen again', 'works nights', 'white van', 'new address', 'left the country', 'uses another name', 'cash in hand');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('letter' as const), unit: fc.constantFrom('WMID' as const, 'EMID' as const), text: words }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('amend' as const), desk: fc.constantFrom('wm1' as const, 'wm2' as const), pick: fc.nat(20), text: words }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('note' as const), desk: fc.constantFrom('wm1' as const, 'wm2' as const), pick: fc.nat(20), text: words }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      desk: fc.constantFrom(...DESKS),
      faults: fc.array(fc.constantFrom<Fault>('none', 'none', 'drop_request', 'drop_reply', 'duplicate'), { maxLength: 6 }),
      crash: fc.option(fc.constantFrom(...CRASH_POINTS), { freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), desk: fc.constantFrom(...DESKS), on: fc.boolean() }) },
);

const POSTCODES = { WMID: { town: 'Birmingham', postcode: 'B21 9LP' }, EMID: { town: 'Leicester', postcode: 'LE1 5AA' } };

describe('the sync protocol under a faulty network', () => {
  let s: TestServer;
  const net = new SimNetwork();
  const crashAt = new Map<DeskName, CrashPoint | null>();
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const desks = {} as Record<DeskName, Core>;
  const people = {} as Record<DeskName, Awaited<ReturnType<typeof signIn>>>;

  beforeAll(async () => {
    s = await startTestServer();
    await s.addUser('nat.sifter', 'sifter', 'NAT');
    await s.addUser('wm.a', 'analyst', 'WMID');
    await s.addUser('wm.b', 'analyst', 'WMID');
    const users: Record<DeskName, [string, string]> = { nat: ['nat.sifter', 'NAT'], wm1: ['wm.a', 'WMID'], wm2: ['wm.b', 'WMID'] };
    for (const name of DESKS) {
      const d = tempDir('ims-sync-prop-');
      dirs.push(d);
      const [user, unit] = users[name];
      desks[name] = await joinDesk(s, d.dir, name, unit, user, {
        sync: {
          transport: (url) => net.transport(name, url),
          crash: (point) => {
            if (crashAt.get(name) === point) {
              crashAt.set(name, null);
              throw new Error(`simulated crash of ${name} at ${point}`);
            }
          },
        },
      });
      people[name] = await signIn(desks[name], user);
    }
  }, 600_000);
  afterAll(async () => {
    for (const d of Object.values(desks)) d.close();
    await s?.stop();
    for (const d of dirs) d.cleanup();
  });

  function wmAllegations(core: Core): string[] {
    return (core.store.db.prepare("SELECT id FROM allegations WHERE unit_code = 'WMID' ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id);
  }

  async function run(st: Step): Promise<void> {
    switch (st.kind) {
      case 'letter': {
        const place = POSTCODES[st.unit];
        await people.nat.call('allegations.create', {
          form: {
            ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
            reporterType: 'public',
            offenceTypes: ['illegal_working'],
            freeText: `Letter: ${st.text}.`,
            addresses: [{ type: 'offence_location', line1: '1 High Street', line2: '', town: place.town, postcode: place.postcode }],
            scanMissingReason: 'Scanned at NAT',
          },
          // Letters about the same street are not duplicates here: the intake warning is answered.
        }).catch(async (e: { code?: string; fields?: Record<string, string> }) => {
          const candidateId = e.fields?.linkWarning;
          if (e.code !== 'conflict' || !candidateId) throw e;
          await people.nat.call('allegations.create', {
            form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'), reporterType: 'public', offenceTypes: ['illegal_working'], freeText: `Letter: ${st.text}.`, addresses: [{ type: 'offence_location', line1: '1 High Street', line2: '', town: place.town, postcode: place.postcode }], scanMissingReason: 'Scanned at NAT' },
            linkWarning: { candidateId, choice: 'undecided', reason: 'property test: another letter' },
          });
        });
        return;
      }
      case 'amend':
      case 'note': {
        const ids = wmAllegations(desks[st.desk]);
        const id = ids[st.pick % Math.max(1, ids.length)];
        if (!id) return;
        if (st.kind === 'note') {
          await people[st.desk].call('notes.add', { allegationId: id, text: `${st.desk}: ${st.text}` });
          return;
        }
        const { form } = await people[st.desk].call('allegations.form', { id });
        await people[st.desk].call('allegations.update', { id, form: { ...form, freeText: `${form.freeText.slice(0, 200)} ${st.desk}: ${st.text}.` } });
        return;
      }
      case 'partition':
        net.partition(st.desk, st.on);
        return;
      case 'sync':
        net.plan(st.desk, st.faults);
        crashAt.set(st.desk, st.crash);
        await desks[st.desk].sync.cycle();
        crashAt.set(st.desk, null);
        return;
    }
  }

  async function converge(): Promise<void> {
    net.heal();
    for (const d of DESKS) crashAt.set(d, null);
    for (let round = 0; round < 3; round++) {
      for (const d of DESKS) {
        const r = await desks[d].sync.cycle();
        if (r.failed) throw r.failed;
      }
    }
  }

  async function check(): Promise<void> {
    const db = s.server.ctx.db;
    for (const name of DESKS) {
      const core = desks[name];
      const deskId = core.sync.config?.deskId as string;
      // Every change made here reached the server exactly once.
      const made = (core.store.db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n;
      const [onServer] = await db.query<{ n: number; distinct_seq: number }>('SELECT count(*)::int AS n, count(DISTINCT desk_seq)::int AS distinct_seq FROM change_log WHERE desk_id = $1', [deskId]);
      expect(core.sync.status().waiting, `${name} has changes waiting`).toBe(0);
      expect(onServer?.n, `${name}'s changes on the server`).toBe(made);
      expect(onServer?.distinct_seq).toBe(made);
      // Every rejected change is a conflict for its author on this desk.
      const rejected = await db.query<{ desk_seq: number }>("SELECT desk_seq::int FROM change_log WHERE desk_id = $1 AND status = 'rejected' ORDER BY desk_seq", [deskId]);
      const conflicts = core.store.db.prepare('SELECT desk_seq FROM sync_conflicts ORDER BY desk_seq').all() as Array<{ desk_seq: number }>;
      expect(conflicts.map((c) => c.desk_seq)).toEqual(rejected.map((r) => r.desk_seq));
      // The desk equals the server within its scope.
      const scope = name === 'nat' ? null : 'WMID';
      const rows = await db.query<{ entity: string; id: string; data: Record<string, unknown> }>(
        `SELECT r.entity, r.id, r.data FROM entity_rows r WHERE r.entity IN ('allegation', 'note')
           AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM allegation_scope a WHERE a.allegation_id = ANY(r.allegation_ids) AND a.unit_code = $1))`,
        [scope],
      );
      for (const row of rows) {
        const held = rowFields(core.store.db, row.entity, row.id);
        expect(held, `${name} lacks ${row.entity} ${row.id}`).not.toBeNull();
        for (const [field, value] of Object.entries(row.data)) expect(held?.[field], `${name} ${row.entity}.${field}`).toEqual(value);
      }
      const held = (core.store.db.prepare(`SELECT count(*) AS n FROM allegations ${scope ? 'WHERE unit_code = ?' : ''}`).get(...(scope ? [scope] : [])) as { n: number }).n;
      expect(held).toBe(rows.filter((r) => r.entity === 'allegation').length);
      expect(verifyAuditTrail(core).ok, `${name}'s audit chain`).toBe(true);
    }
    expect(await verifyAudit(db, s.server.ctx.auditKey)).toBeNull();
  }

  it(`every desk equals the server within its scope after ${RUNS} random schedules`, async () => {
    let schedules = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        schedules++;
        for (const st of steps) await run(st);
        await converge();
        await check();
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(schedules).toBeGreaterThanOrEqual(RUNS);
    // The network did fail along the way (over this many schedules, faults are all but certain).
    if (RUNS >= 50) expect(net.lost).toBeGreaterThan(0);
  }, 3_600_000);
});
