// After importing the 10k corpus: no source name, phone number or email appears in plaintext anywhere under the
// profile folder, and the NSU view finds the repeat referrers of the truth file from blind indexes alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { scoreClusters } from '../referrer-score.ts';
import { addUser, CORPUS_10K, DATA, openCore, ROOT, signIn, tempDir, TEST_PASSPHRASE } from '../helpers.ts';

interface Rec {
  id: number;
  reference: string;
  source: { name: string; phone: string; email: string } | null;
  [k: string]: unknown;
}

const records = readFileSync(CORPUS_10K, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const truth = JSON.parse(readFileSync(join(DATA, 'corpus', 'truth-10k.json'), 'utf8')) as { referrerClusters: Array<{ clusterId: number; members: Array<{ id: number; ref: string }> }> };

/**
 * The identifiers that must not appear. A value that is also someone else's open data (a source whose name is a
 * subject's name in another allegation) is not the source's secret, and is left out.
 */
function secrets(): string[] {
  const open = records
    .map((r) => {
      const { source, ...rest } = r;
      // Subjects' names as the record shows them (forename and surname side by side) are open data too.
      const names = ((rest.subjects ?? []) as Array<{ forename: string; middleNames: string; surname: string }>).flatMap((x) => [`${x.forename} ${x.surname}`, [x.forename, x.middleNames, x.surname].filter(Boolean).join(' ')]);
      let text = `${strings(rest).join('\n')}\n${names.join('\n')}`;
      text = text.toLowerCase();
      for (const v of [source?.name, source?.phone, source?.email]) if (v) text = text.split(v.toLowerCase()).join(' ');
      return text;
    })
    .join('\n');
  const all = new Set<string>();
  for (const r of records) for (const v of [r.source?.name, r.source?.phone, r.source?.email]) if (v && v.length >= 6) all.add(v.toLowerCase());
  const alsoOpen = findAll(open, [...all]);
  return [...all].filter((v) => !alsoOpen.has(v));
}

/** Every needle found in the text: each whitespace-separated token is looked up by the needle's first word. */
function findAll(text: string, needles: string[]): Set<string> {
  const strip = (w: string) => w.replace(/^[("'[]+/, '').replace(/[.,;:!?)"'\]]+$/, '');
  const byFirst = new Map<string, string[]>();
  for (const n of needles) {
    const key = strip(n.split(' ')[0] as string);
    byFirst.set(key, [...(byFirst.get(key) ?? []), n]);
  }
  const found = new Set<string>();
  for (const m of text.matchAll(/\S+/g)) {
    const token = m[0];
    const candidates = byFirst.get(strip(token));
    if (!candidates) continue;
    const at = m.index ?? 0;
    const lead = token.length - token.replace(/^[("'[]+/, '').length;
    // A whole word or number: "andrew james" is not in "andrew jameson".
    const whole = (i: number, c: string) => text.startsWith(c, i) && !/[a-z0-9]/.test(text[i + c.length] ?? '');
    for (const c of candidates) if (whole(at, c) || whole(at + lead, c)) found.add(c);
  }
  return found;
}

/** Every string value in a record, as written (JSON would escape the line breaks that separate words). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let tmp: ReturnType<typeof tempDir>;
let profile: string;
let core: Core;
beforeAll(() => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'import', CORPUS_10K, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  expect(JSON.parse(r.stdout)).toMatchObject({ imported: 10_000, failed: 0 });
}, 600_000);
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
  });
});
