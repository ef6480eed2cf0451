// The duplicate/link panel's engine on the 1k corpus: planted re-reports and associates are found, strangers
// are not suggested, a record being typed finds the earlier report, and a person's "not a match" is respected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { findCandidates } from '../../electron/matching/candidates.ts';
import { findAllegationId } from '../../electron/store/allegations.ts';
import { corpusQuality } from '../../bench/_corpus-quality.ts';
import { SUGGEST_THRESHOLD } from '../../shared/matching/score.ts';
import { CORPUS_1K, DATA, openCore, tempDir } from '../helpers.ts';

const TRUTH_1K = join(DATA, 'corpus', 'truth-1k.json');
const truth = JSON.parse(readFileSync(TRUTH_1K, 'utf8')) as { duplicateClusters: Array<{ rootRef: string; members: Array<{ ref: string; kind: string; variations: string[] }> }> };

let tmp: ReturnType<typeof tempDir>;
let core: Core;
beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir);
  await importJsonl(core, CORPUS_1K, { userId: null, name: 'matching test' });
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

const idOf = (ref: string) => findAllegationId(core.store.db, { reference: ref }) as string;

describe('candidates on the 1k corpus', () => {
  it('indexes every allegation as it is imported', () => {
    expect(core.matching.count()).toBe(1000);
    expect(core.matching.catchUp()).toBe(0);
  });

  it('puts the true partner in the top 5 for ≥98% of re-reports and ≥90% of associates, and suggests nothing for ≥97% of the rest', () => {
    const q = corpusQuality(core, TRUTH_1K);
    expect(q.duplicates).toBeGreaterThan(50);
    expect(q.associates).toBeGreaterThan(10);
    expect(q.duplicateTop5).toBeGreaterThanOrEqual(0.98);
    expect(q.associateTop5).toBeGreaterThanOrEqual(0.9);
    expect(q.falseAlarmRate).toBeLessThanOrEqual(0.03);
  });

  it('labels a re-report of the same main subject a likely duplicate and explains why', () => {
    const cluster = truth.duplicateClusters.find((c) => c.members.some((m) => m.kind === 're-report' && m.variations.includes('swapped_names')));
    const member = cluster?.members.find((m) => m.variations.includes('swapped_names'));
    expect(member).toBeDefined();
    const r = findCandidates(core.store.db, core.matching, { id: idOf(member?.ref as string) });
    const root = r.candidates.find((c) => c.reference === cluster?.rootRef);
    expect(root?.label).toBe('likely_duplicate');
    expect(root?.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    expect(root?.explanation.find((l) => l.field === 'name_order')?.text).toMatch(/swapped/);
    expect(root?.summary).toMatch(/^Agree: /);
  });

  it('finds the earlier report while a new allegation is being typed', () => {
    const cluster = truth.duplicateClusters.find((c) => c.members.some((m) => m.kind === 're-report'));
    const root = core.store.db.prepare("SELECT forename, surname, dob FROM subjects WHERE allegation_id = ? AND role = 'main'").get(idOf(cluster?.rootRef as string)) as { forename: string; surname: string; dob: string | null };
    // The analyst has typed a name (with a transposed pair of letters) and nothing else yet.
    const surname = root.surname.length > 3 ? root.surname.slice(0, 1) + root.surname[2] + root.surname[1] + root.surname.slice(3) : root.surname;
    const r = findCandidates(core.store.db, core.matching, { draft: { subjects: [{ role: 'main', forename: root.forename, surname, dob: root.dob }] } });
    expect(r.candidates.map((c) => c.reference)).toContain(cluster?.rootRef);
  });

  it('does not propose again a pair judged "not a match" unless new evidence raises the score', () => {
    const member = truth.duplicateClusters.flatMap((c) => c.members.map((m) => ({ ...m, root: c.rootRef }))).find((m) => m.kind === 're-report') as { ref: string; root: string };
    const a = idOf(member.ref);
    const b = idOf(member.root);
    const before = findCandidates(core.store.db, core.matching, { id: a }).candidates.find((c) => c.allegationId === b);
    expect(before).toBeDefined();
    const judge = (score: number) =>
      core.store.mutate({ actor: { userId: null, name: 'test' }, action: 'link.judge' }, (m) => {
        const [x, y] = a < b ? [a, b] : [b, a];
        m.db
          .prepare("INSERT INTO link_judgements (id, allegation_a, allegation_b, judgement, reason, score, decided_by, decided_at, hlc) VALUES (?, ?, ?, 'not_a_match', 'different people', ?, 'analyst', ?, ?)")
          .run(core.store.newId(), x, y, score, new Date(Date.now() + Math.random()).toISOString(), m.hlc);
      });
    judge(before?.score as number);
    expect(findCandidates(core.store.db, core.matching, { id: a }).candidates.find((c) => c.allegationId === b)).toBeUndefined();
    expect(findCandidates(core.store.db, core.matching, { id: b }).candidates.find((c) => c.allegationId === a)).toBeUndefined();
    // Judged when the evidence was much weaker: what is there now is new, so the pair comes back, flagged.
    judge(0);
    const again = findCandidates(core.store.db, core.matching, { id: a }).candidates.find((c) => c.allegationId === b);
    expect(again?.reproposed).toBe(true);
    expect(again?.judgement?.judgement).toBe('not_a_match');
  });
});
