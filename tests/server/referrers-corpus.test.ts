// Acceptance (issue 16): on the default-seed 10k corpus, NSU's national referrer view finds at least 99% of the
// true repeat-referrer clusters whole, with no group of different people. Measured through the server path: three
// desks of different units push their referrals with source details sealed as the vault seals them, deposit their
// data keys, and NSU reads GET /v1/nsu/referrers; the server opened and indexed every referral itself.
// One database: PostgreSQL when IMS_TEST_POSTGRES_URL is given, else PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, POSTGRES_URL, type TestDesk } from './harness.ts';
import { sealedReferral, type Sealed } from './referrals.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { MAX_PUSH } from '../../shared/sync/protocol.ts';
import type { NationalReferrers } from '../../shared/server/nsu.ts';
import { DATA } from '../helpers.ts';
import { scoreClusters, type ReferrerTruth } from '../referrer-score.ts';

interface Rec {
  reference: string;
  receivedAt: string;
  subjects: Array<{ forename: string; surname: string }>;
  addresses: Array<{ postcode: string }>;
  source: { name: string; phone: string; email: string; address: string; relationship: string; organisation: string } | null;
}

const records = readFileSync(join(DATA, 'corpus', 'allegations-10k.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec).filter((r) => r.source);
const truth = JSON.parse(readFileSync(join(DATA, 'corpus', 'truth-10k.json'), 'utf8')) as ReferrerTruth;
const UNITS = ['WMID', 'WALES', 'SCOT'];

describe(`national repeat referrers on the 10k corpus, through the server [${POSTGRES_URL ? 'PostgreSQL' : 'PGlite'}]`, () => {
  const h = new Harness(POSTGRES_URL ? 'PostgreSQL' : 'PGlite');
  const byId = new Map<string, string>();
  let result: NationalReferrers;
  const seconds = { push: 0, deposit: 0, read: 0 };

  beforeAll(async () => {
    await h.start();
    const desks: TestDesk[] = [];
    const users: string[] = [];
    for (const unit of UNITS) {
      const u = await h.addUser(`${unit.toLowerCase()}.analyst`, 'analyst', unit);
      users.push(u.id);
      desks.push(await h.desk(`${unit} desk`, unit, [u]));
    }
    await h.addUser('nsu.officer', 'nsu', null);
    const sealed: Sealed[][] = UNITS.map(() => []);
    records.forEach((r, i) => {
      const d = i % UNITS.length;
      const desk = desks[d] as TestDesk;
      const s = sealedReferral(desk, users[d] as string, {
        unit: UNITS[d] as string,
        receivedAt: r.receivedAt,
        source: r.source ?? {},
        subjects: r.subjects.map((x) => ({ forename: x.forename, surname: x.surname })),
        postcodes: r.addresses.map((a) => a.postcode).filter(Boolean),
      });
      byId.set(s.allegationId, r.reference);
      (sealed[d] as Sealed[]).push(s);
    });
    let t = Date.now();
    for (const [d, desk] of desks.entries()) {
      let batch: ChangeRow[] = [];
      const send = async () => {
        const r = await desk.push(batch);
        if (r.status !== 200 || r.body.results.some((x) => x.status !== 'accepted')) throw new Error(`push failed: ${JSON.stringify(r.body).slice(0, 500)}`);
        batch = [];
      };
      for (const s of sealed[d] as Sealed[]) {
        if (batch.length + s.changes.length > MAX_PUSH) await send();
        batch.push(...s.changes);
      }
      if (batch.length) await send();
    }
    seconds.push = (Date.now() - t) / 1000;
    t = Date.now();
    for (const [d, desk] of desks.entries()) {
      const list = sealed[d] as Sealed[];
      for (let i = 0; i < list.length; i += 500) {
        const r = await h.request('POST', '/v1/keys/deposit', { desk: desk.token, body: { keys: list.slice(i, i + 500).map((s) => ({ allegationId: s.allegationId, dataKey: s.dataKey })) } });
        if (r.status !== 200) throw new Error(`deposit failed: ${JSON.stringify(r.body)}`);
      }
    }
    seconds.deposit = (Date.now() - t) / 1000;
    t = Date.now();
    const r = await h.request<NationalReferrers>('GET', '/v1/nsu/referrers', { token: await h.signIn('nsu.officer') });
    if (r.status !== 200) throw new Error(`reading failed: ${JSON.stringify(r.body)}`);
    seconds.read = (Date.now() - t) / 1000;
    result = r.body;
  }, 1_800_000);
  afterAll(() => h.stop(), 120_000);

  it('finds at least 99% of the true clusters whole, with no false group, across three units', () => {
    expect(result.indexed).toBe(records.length);
    expect(result.waiting).toBe(0);
    const score = scoreClusters(
      result.groups.map((g) => ({ refs: g.allegations.map((a) => byId.get(a.id) as string) })),
      truth.referrerClusters,
    );
    console.log(JSON.stringify({ name: 'national-referrers-10k', database: h.kind, referrals: records.length, ...score, wholeShare: +(score.whole / score.clusters).toFixed(4), pushSeconds: seconds.push, depositAndIndexSeconds: seconds.deposit, readSeconds: seconds.read }));
    expect(score.falseGroups).toBe(0);
    expect(score.whole / score.clusters).toBeGreaterThanOrEqual(0.99);
    // Groups span units: the national view is what no single desk could see.
    expect(result.groups.some((g) => new Set(g.allegations.map((a) => a.unit)).size > 1)).toBe(true);
  });
});
