// Candidates for one allegation, stored or being typed: blocking keys looked up in the match index, the
// allegations sharing the most informative keys scored pairwise, judged pairs respected, the best returned
// with score, label and explanation.
import type { Db } from '../store/db.ts';
import { buildProfile, compareAllegations, prepareAllegation, type AllegationDraft, type LinkLabel, type MatchProfile, type PreparedAllegation } from '../../shared/matching/allegation.ts';
import { queryKeys } from '../../shared/matching/allegation-keys.ts';
import type { Evidence } from '../../shared/matching/evidence.ts';
import { explain, summarise, type ExplanationLine } from '../../shared/matching/explain.ts';
import { roundScore, SUGGEST_THRESHOLD, LIST_FLOOR_BITS } from '../../shared/matching/score.ts';
import type { LinkJudgement } from '../../shared/domain/vocabularies.ts';
import type { MatchIndex } from './match-index.ts';

/** A key holding more allegations than this says too little to be worth reading (a common surname alone). */
export const MAX_BLOCK = 1000;
/** How many allegations, ranked by the keys they share, are scored in full. */
export const SCORED = 60;
/**
 * How much sharing a key of each kind says, before block size: an identifier or a full postcode more than a
 * name's sound. Keys fall in families that say the same thing (every name key of a same-named stranger hits
 * at once), so a candidate counts the best key of each family, not the sum. This only ranks which allegations
 * get scored in full; the score itself comes from the comparison.
 */
const KEY_KINDS: Record<string, { family: number; weight: number }> = {
  s: { family: 0, weight: 1 },
  sk: { family: 0, weight: 1 },
  sf: { family: 0, weight: 1.5 },
  sy: { family: 0, weight: 1.5 },
  fy: { family: 0, weight: 1.5 },
  fi: { family: 0, weight: 1 },
  fd: { family: 0, weight: 1 },
  sd: { family: 0, weight: 1 },
  d: { family: 1, weight: 2 },
  pc: { family: 2, weight: 4 },
  sn: { family: 2, weight: 3 },
  ph: { family: 3, weight: 3 },
  em: { family: 3, weight: 3 },
  v: { family: 3, weight: 3 },
  fl: { family: 3, weight: 1 },
  b: { family: 4, weight: 3 },
};
const FAMILIES = 5;

/** A pair judged "not a match" comes back only if its score has risen by at least this much since... */
export const REPROPOSE_MARGIN = 0.1;
/**
 * ...or its evidence by at least this many bits (16 times likelier): near certainty the probability saturates,
 * and a phone number shared since would otherwise never bring back a pair judged at 0.97.
 */
export const REPROPOSE_MARGIN_BITS = 4;

export interface PriorJudgement {
  judgement: LinkJudgement;
  reason: string;
  score: number | null;
  /** Evidence in bits when judged, if recorded. */
  weight: number | null;
  decidedBy: string;
  decidedAt: string;
}

export interface Candidate {
  allegationId: string;
  reference: string;
  /** Probability of a link, with the prior set by the store's size (shared/matching/score.ts). */
  score: number;
  /** Total evidence in bits. */
  weight: number;
  label: LinkLabel;
  /** The subjects that agree best (indexes into each record's subjects), when any do. */
  subjects: { current: number; candidate: number; currentRole: string; candidateRole: string } | null;
  summary: string;
  explanation: ExplanationLine[];
  evidence: Evidence[];
  /** The latest judgement a person recorded on this pair, if any. */
  judgement: PriorJudgement | null;
  /** Judged "not a match" before, proposed again because new evidence raised the score. */
  reproposed: boolean;
}

export interface CandidateQuery {
  /** A stored allegation... */
  id?: string;
  /** ...or a record being typed (it may also carry the id of the stored record it is an edit of). */
  draft?: AllegationDraft;
  /** How many to return (default 5). */
  limit?: number;
  /** Include candidates below the suggestion threshold (labelled "weak"); default true. */
  includeWeak?: boolean;
  /** Include pairs already judged duplicate/associated (default true; they show as linked). */
  includeLinked?: boolean;
  /** Tuning (benchmarks): how many to score in full (default SCORED), largest block read (default MAX_BLOCK). */
  scored?: number;
  maxBlock?: number;
}

export interface CandidateResult {
  candidates: Candidate[];
  /** How many allegations were scored in full, and how long it took. */
  scored: number;
  tookMs: number;
}

/** Whether new evidence has raised a pair's score (or evidence) past the margin since it was judged. */
export function raisedSince(j: Pick<PriorJudgement, 'score' | 'weight'>, score: number, weight: number): boolean {
  if (j.score == null) return true;
  if (score >= j.score + REPROPOSE_MARGIN) return true;
  return j.weight != null && weight >= j.weight + REPROPOSE_MARGIN_BITS;
}

/** The latest judgement on each pair that includes this allegation (a later judgement supersedes). */
function latestJudgements(index: MatchIndex, id: string): Map<string, PriorJudgement> {
  const out = new Map<string, PriorJudgement>();
  for (const r of index.judgements(id)) out.set(r.a === id ? r.b : r.a, { judgement: r.judgement, reason: r.reason, score: r.score, weight: r.weight, decidedBy: r.decided_by, decidedAt: r.decided_at });
  return out;
}

/** Ranks allegations by the informative keys they share with the query (rarer keys count more). */
function blockingCandidates(index: MatchIndex, profile: MatchProfile, exclude: number | null, maxBlock: number, scored: number): number[] {
  const tally = new Map<number, number[]>();
  for (const key of queryKeys(profile)) {
    const ns = index.lookup(key, maxBlock + 1);
    if (!ns.length || ns.length > maxBlock) continue;
    const kind = KEY_KINDS[key.slice(0, key.indexOf(':'))] ?? { family: 0, weight: 1 };
    const w = kind.weight / Math.log2(2 + ns.length);
    for (const n of ns) {
      if (n === exclude) continue;
      let t = tally.get(n);
      if (!t) {
        t = new Array<number>(FAMILIES).fill(0);
        tally.set(n, t);
      }
      if (w > (t[kind.family] as number)) t[kind.family] = w;
    }
  }
  const ranked: Array<[number, number]> = [];
  for (const [n, t] of tally) ranked.push([n, t.reduce((a, b) => a + b, 0)]);
  return ranked
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, scored)
    .map(([n]) => n);
}

export function findCandidates(db: Db, index: MatchIndex, q: CandidateQuery): CandidateResult {
  const started = performance.now();
  const limit = q.limit ?? 5;
  index.beforeRead();
  let stored = q.id ? index.profileOf(q.id) : null;
  if (q.id && !stored) {
    // A store that predates the matching index, or an allegation written without it: index it now.
    const id = q.id;
    db.transaction(() => index.indexAllegation(id))();
    stored = index.profileOf(id);
  }
  const profile = q.draft ? buildProfile(q.draft) : stored?.profile;
  if (!profile) throw new Error(q.id ? `no allegation ${q.id} in the match index` : 'give an allegation id or a draft');
  const self = stored?.n ?? null;
  const current: PreparedAllegation = prepareAllegation(profile);
  const freq = index.frequencies();
  const population = index.population();
  const judged = q.id ? latestJudgements(index, q.id) : new Map<string, PriorJudgement>();

  const ns = blockingCandidates(index, profile, self, q.maxBlock ?? MAX_BLOCK, q.scored ?? SCORED);
  const out: Candidate[] = [];
  for (const n of ns) {
    const row = index.prepared(n);
    if (!row || row.allegationId === q.id) continue;
    const c = compareAllegations(current, row.prepared, freq, population);
    if (c.weight < LIST_FLOOR_BITS) continue;
    const judgement = judged.get(row.allegationId) ?? null;
    let reproposed = false;
    if (judgement?.judgement === 'not_a_match') {
      if (!raisedSince(judgement, c.score, c.weight)) continue;
      reproposed = true;
    } else if (judgement && q.includeLinked === false) continue;
    if (c.score < SUGGEST_THRESHOLD && q.includeWeak === false) continue;
    const link = c.subjects;
    out.push({
      allegationId: row.allegationId,
      reference: index.reference(row.allegationId),
      score: roundScore(c.score),
      weight: Math.round(c.weight * 100) / 100,
      label: c.label,
      subjects: link ? { current: link.a, candidate: link.b, currentRole: link.roleA, candidateRole: link.roleB } : null,
      summary: summarise(c.evidence),
      explanation: explain(c.evidence),
      evidence: c.evidence,
      judgement,
      reproposed,
    });
  }
  out.sort((x, y) => y.weight - x.weight || (x.reference < y.reference ? -1 : 1));
  return { candidates: out.slice(0, limit), scored: ns.length, tookMs: Math.round((performance.now() - started) * 100) / 100 };
}
