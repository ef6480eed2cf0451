// After importing the 10k corpus: no source name, phone number or email appears in plaintext anywhere under the
// profile folder, and the NSU view finds the repeat referrers of the truth file from blind indexes alone. The profile
// is the run's one 10k import (shared-stores.ts: bulk, the search index caught up at the end, the store closed), copied
// here whole: the same import `ims import --bulk` makes, without paying 10k records again in this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { scoreClusters } from '../referrer-score.ts';
import { addUser, DATA, openCore, signIn, tempDir } from '../helpers.ts';
import { imported10k } from './shared-stores.ts';
import { corpus10k, findAll, sourceSecrets } from '../source-secrets.ts';

const records = corpus10k();
const truth = JSON.parse(readFileSync(join(DATA, 'corpus', 'truth-10k.json'), 'utf8')) as { referrerClusters: Array<{ clusterId: number; members: Array<{ id: number; ref: string }> }> };
const secrets = () => sourceSecrets(records);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let tmp: ReturnType<typeof tempDir>;
let profile: string;
let core: Core;
beforeAll(async () => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  expect(await imported10k(profile)).toMatchObject({ imported: 10_000, failed: 0 });
}, 900_000);
afterAll(() => {
  core?.close();
  tmp.cleanup();
});

describe('after importing the 10k corpus', () => {
  it('no source name, phone number or email is in plaintext anywhere under the profile (database, WAL, indexes, keys, logs)', () => {
    const wanted = secrets();
    expect(wanted.length).toBeGreaterThan(8000);
    // The scanner finds what it should, wherever a token boundary falls.
    expect([...findAll(`x (${wanted[0]}). y\n${wanted[1]},`, wanted)].sort()).toEqual([wanted[0], wanted[1]].sort());
    const files = filesUnder(profile);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    const found: string[] = [];
    // Case-folded, so "GARFIELD CLARKE" counts as much as "Garfield Clarke".
    for (const file of files) for (const hit of findAll(readFileSync(file).toString('latin1').toLowerCase(), wanted)) found.push(`${hit} in ${file.slice(profile.length)}`);
    expect(found.slice(0, 20)).toEqual([]);
  }, 300_000);

  it('the NSU view finds at least 99% of the repeat-referrer clusters whole, with no group of different people', async () => {
    core = await openCore(profile);
    await addUser(core, 'nsu.officer', 'nsu', null);
    const nsu = await signIn(core, 'nsu.officer');
    const groups = await nsu.call('nsu.referrers', { minCount: 2 });
    const person = new Map<string, number>();
    for (const c of truth.referrerClusters) for (const m of c.members) person.set(m.ref, c.clusterId);
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.allegations.forEach((a) => groupOf.set(a.reference, i)));
    const falseGroups = groups.filter((g) => new Set(g.allegations.map((a) => person.get(a.reference) ?? `single:${a.reference}`)).size > 1);
    const found = truth.referrerClusters.filter((c) => {
      const counts = new Map<number, number>();
      for (const m of c.members) {
        const g = groupOf.get(m.ref);
        if (g !== undefined) counts.set(g, (counts.get(g) ?? 0) + 1);
      }
      return Math.max(0, ...counts.values()) >= 2;
    });
    const score = scoreClusters(groups.map((g) => ({ refs: g.allegations.map((a) => a.reference) })), truth.referrerClusters);
    console.log(JSON.stringify({ name: 'desk-referrers-10k', ...score, wholeShare: +(score.whole / score.clusters).toFixed(4) }));
    expect(score.whole / score.clusters).toBeGreaterThanOrEqual(0.99);
    console.log(`[nsu] ${found.length}/${truth.referrerClusters.length} clusters found (${((100 * found.length) / truth.referrerClusters.length).toFixed(1)}%), ${groups.length} groups, ${falseGroups.length} false`);
    expect(falseGroups.map((g) => g.allegations.map((a) => a.reference))).toEqual([]);
    expect(found.length / truth.referrerClusters.length).toBeGreaterThanOrEqual(0.95);
    // The list shows no plaintext source details.
    const text = JSON.stringify(groups);
    for (const r of records.slice(0, 500)) if (r.source?.email) expect(text.includes(r.source.email)).toBe(false);
    // Revealing a group (this desk's own keys; no server) gives each referral's writer as recorded, and audits each.
    const group = groups.find((g) => g.count >= 3) ?? groups[0];
    if (!group) throw new Error('no group to reveal');
    const revealed = await nsu.call('nsu.reveal', { groupKey: group.groupKey, reason: 'Repeat referrer review' });
    const byReference = new Map(records.map((r) => [r.reference, r]));
    expect(revealed.map((r) => r.reference).sort()).toEqual(group.allegations.map((a) => a.reference).sort());
    for (const r of revealed) expect(r.details.name).toBe(byReference.get(r.reference)?.source?.name);
    const audited = core.store.db.prepare("SELECT allegation_id FROM audit_log WHERE action = 'nsu.reveal'").all() as Array<{ allegation_id: string }>;
    expect(audited.map((a) => a.allegation_id).sort()).toEqual(revealed.map((r) => r.allegationId).sort());
  });
});
