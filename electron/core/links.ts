// The duplicate/link panel's work in the core: candidates for a stored allegation or a form being typed, side by
// side with the current record; a person's judgement on a pair (stored with the evidence it was made on, in the
// same transaction as its audit entries — one on each record — and respected by candidate generation); the
// group that judgements link together, with its link chart; and the cross-check review that comes before an
// outcome. Nothing here links anything by itself (000 §4.13).
import type { Core } from './core.ts';
import type { Mutation } from '../store/store.ts';
import { prepared } from '../store/db.ts';
import { readAllegation } from '../store/allegations.ts';
import { readSourceForCore } from '../store/allegation-write.ts';
import { actorFor, canWork } from './access.ts';
import type { UserRow } from './users.ts';
import { findCandidates, type Candidate } from '../matching/candidates.ts';
import { draftFromStore } from '../matching/store-profile.ts';
import { compareAllegations, prepareAllegation, type AllegationDraft } from '../../shared/matching/allegation.ts';
import { explain, summarise } from '../../shared/matching/explain.ts';
import { roundScore, SUGGEST_THRESHOLD } from '../../shared/matching/score.ts';
import { businessKey } from '../../shared/matching/business.ts';
import { compareDob, parseDob } from '../../shared/matching/dates.ts';
import { bestTokenMatch, nameTokens, significantTokens } from '../../shared/matching/names.ts';
import { foldName, parseUkPostcode } from '../../shared/text/normalise.ts';
import { redactSource } from '../../shared/sources/redact.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { unitName } from '../../shared/domain/units.ts';
import { STRONG_CANDIDATE, type CandidateView, type GroupView, type JudgementView, type LinkSide } from '../../shared/api/links.ts';
import type { AllegationForm } from '../../shared/schemas/form.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import type { LinkJudgement } from '../../shared/domain/vocabularies.ts';
import type { OpenCandidate } from '../../shared/domain/outcome.ts';

const ACCOUNT_EXCERPT = 600;

// ------------------------------------------------------------------------------------------- sides

function subjectName(s: { forename: string; middleNames: string; surname: string; knownAs: string }): string {
  const name = [s.forename, s.middleNames, s.surname].map((x) => x.trim()).filter(Boolean).join(' ');
  if (name && s.knownAs) return `${name} (known as ${s.knownAs})`;
  return name || (s.knownAs ? `known as ${s.knownAs}` : '(no name)');
}

function addressText(a: { line1: string; line2: string; town: string; postcode: string }): string {
  const pc = parseUkPostcode(a.postcode).postcode ?? a.postcode.trim();
  return [a.line1, a.line2, a.town, pc].map((x) => x.trim()).filter(Boolean).join(', ');
}

export function sideFromRecord(r: AllegationRecord): LinkSide {
  return {
    id: r.id,
    reference: r.reference,
    receivedAt: r.receivedAt,
    status: r.status,
    unit: r.unit,
    outcome: r.outcome,
    offenceTypes: r.offenceTypes,
    subjects: r.subjects.map((s) => ({ name: subjectName(s), role: s.role, dob: s.dob, approxAge: s.approxAge, nationality: s.nationality })),
    addresses: r.addresses.map(addressText),
    businesses: r.businesses.map((b) => (b.address ? `${b.name} — ${addressText(b.address)}` : b.name)),
    phones: r.phones.map((p) => p.number),
    emails: r.emails.map((e) => e.email),
    vehicles: r.vehicles.map((v) => v.normalised || v.vrm),
    flights: r.travel.map((t) => [t.flightNumber ?? t.flight, t.travelDate].filter(Boolean).join(' ')),
    account: r.freeText.length > ACCOUNT_EXCERPT ? `${r.freeText.slice(0, ACCOUNT_EXCERPT)}…` : r.freeText,
  };
}

function sideFromForm(form: AllegationForm, account: string, stored: AllegationRecord | null): LinkSide {
  const nonEmpty = (xs: string[]) => xs.map((x) => x.trim()).filter(Boolean);
  return {
    id: stored?.id ?? null,
    reference: stored?.reference ?? null,
    receivedAt: form.receivedAt,
    status: stored?.status ?? null,
    unit: stored?.unit ?? null,
    outcome: stored?.outcome ?? null,
    offenceTypes: form.offenceTypes,
    subjects: form.subjects
      .filter((s) => s.forename || s.surname || s.knownAs || s.dob)
      .map((s) => ({ name: subjectName(s), role: s.role, dob: s.dob || null, approxAge: s.dob ? null : s.approxAge, nationality: s.nationality })),
    addresses: nonEmpty(form.addresses.map(addressText)),
    businesses: nonEmpty(form.businesses.map((b) => (b.address && addressText(b.address) ? `${b.name} — ${addressText(b.address)}` : b.name))),
    phones: nonEmpty(form.phones.map((p) => p.number)),
    emails: nonEmpty(form.emails.map((e) => e.email)),
    vehicles: nonEmpty(form.vehicles.map((v) => v.vrm)),
    flights: nonEmpty(form.travel.map((t) => [t.flight, t.travelDate].filter(Boolean).join(' '))),
    account: account.length > ACCOUNT_EXCERPT ? `${account.slice(0, ACCOUNT_EXCERPT)}…` : account,
  };
}

function recordOf(core: Core, id: string): AllegationRecord {
  const r = readAllegation(core.store.db, id);
  if (!r) throw new ApiError('not_found', 'No such allegation');
  return r;
}

// ------------------------------------------------------------------------------------------- candidates

function toView(core: Core, c: Candidate): CandidateView {
  return {
    allegationId: c.allegationId,
    reference: c.reference,
    score: c.score,
    weight: c.weight,
    label: c.label,
    suggested: c.score >= SUGGEST_THRESHOLD,
    subjects: c.subjects,
    summary: c.summary,
    explanation: c.explanation,
    judgement: c.judgement ? { judgement: c.judgement.judgement, reason: c.judgement.reason, score: c.judgement.score, decidedBy: c.judgement.decidedBy, decidedAt: c.judgement.decidedAt } : null,
    reproposed: c.reproposed,
    side: sideFromRecord(recordOf(core, c.allegationId)),
  };
}

/** Suggestions no person has judged yet, or that came back after a "not a match" because the score rose. */
const isOpen = (c: Candidate) => c.score >= SUGGEST_THRESHOLD && (!c.judgement || c.reproposed);

/** How many candidates are considered for the open count (the list shown is shorter). */
const OPEN_SCAN = 50;

export interface CandidateListView {
  current: LinkSide;
  candidates: CandidateView[];
  threshold: number;
  strong: number;
  open: number;
  scored: number;
  tookMs: number;
}

/** Candidates for a stored allegation; pairs already linked show in the group, not here. */
export function candidatesFor(core: Core, allegationId: string, options: { limit: number; includeWeak: boolean }): CandidateListView {
  const record = recordOf(core, allegationId);
  const r = findCandidates(core.store.db, core.matching, { id: allegationId, limit: OPEN_SCAN, includeWeak: options.includeWeak, includeLinked: false });
  return {
    current: sideFromRecord(record),
    candidates: r.candidates.slice(0, options.limit).map((c) => toView(core, c)),
    threshold: SUGGEST_THRESHOLD,
    strong: STRONG_CANDIDATE,
    open: r.candidates.filter(isOpen).length,
    scored: r.scored,
    tookMs: r.tookMs,
  };
}

/** The suggested candidates of a stored allegation that still need a person's judgement. */
export function openCandidates(core: Core, allegationId: string): OpenCandidate[] {
  const r = findCandidates(core.store.db, core.matching, { id: allegationId, limit: OPEN_SCAN, includeWeak: false, includeLinked: false });
  return r.candidates.filter(isOpen).map((c) => ({ allegationId: c.allegationId, reference: c.reference, score: c.score, label: c.label, reproposed: c.reproposed }));
}

/**
 * What matching may read of a form being typed: the form's fields and the account with the reporter's
 * identifiers withheld (typed in the restricted section now, or already stored for an allegation being
 * amended). Source details themselves never reach matching.
 */
function draftForMatching(core: Core, form: AllegationForm, allegationId: string | undefined): { draft: AllegationDraft; account: string } {
  let account = form.freeText.trim();
  const typed = form.source && Object.values(form.source).some((v) => v.trim()) ? form.source : null;
  if (typed) account = redactSource(account, typed).text;
  const stored = allegationId && core.vault.unlocked ? readSourceForCore(core.store.db, core.vault, allegationId) : null;
  if (stored) account = redactSource(account, stored).text;
  // An allegation being amended keeps its notes and attachment text, which the form does not carry.
  const kept = allegationId ? draftFromStore(core.store.db, allegationId) : null;
  const draft: AllegationDraft = {
    receivedAt: form.receivedAt,
    subjects: form.subjects.map((s) => ({ ...s, dob: s.dob || null, approxAge: s.dob ? null : s.approxAge })),
    addresses: form.addresses,
    businesses: form.businesses.filter((b) => b.name.trim()),
    phones: form.phones.map((p) => p.number).filter(Boolean),
    emails: form.emails.map((e) => e.email).filter(Boolean),
    vehicles: form.vehicles.map((v) => v.vrm).filter(Boolean),
    flights: form.travel.map((t) => t.flight).filter(Boolean),
    freeText: account,
    notes: kept?.notes ?? [],
    attachmentTexts: kept?.attachmentTexts ?? [],
  };
  return { draft, account };
}

export function draftCandidates(core: Core, form: AllegationForm, allegationId: string | undefined, limit: number): CandidateListView {
  const stored = allegationId ? recordOf(core, allegationId) : null;
  const { draft, account } = draftForMatching(core, form, allegationId);
  const r = findCandidates(core.store.db, core.matching, { draft, ...(allegationId ? { id: allegationId } : {}), limit: OPEN_SCAN, includeWeak: true, includeLinked: false });
  return {
    current: sideFromForm(form, account, stored),
    candidates: r.candidates.slice(0, limit).map((c) => toView(core, c)),
    threshold: SUGGEST_THRESHOLD,
    strong: STRONG_CANDIDATE,
    open: r.candidates.filter(isOpen).length,
    scored: r.scored,
    tookMs: r.tookMs,
  };
}

/** The best candidate of a new allegation's form when it is strong enough to show before saving. */
export function strongCandidate(core: Core, form: AllegationForm): Candidate | null {
  const { draft } = draftForMatching(core, form, undefined);
  const best = findCandidates(core.store.db, core.matching, { draft, limit: 1, includeWeak: false, includeLinked: false }).candidates[0];
  return best && best.score >= STRONG_CANDIDATE ? best : null;
}

// ------------------------------------------------------------------------------------------- judgements

/** The two allegations compared now, as stored (indexing either if it is missing). */
export function comparePair(core: Core, a: string, b: string) {
  const index = core.matching;
  const profile = (id: string) => {
    let p = index.profileOf(id);
    if (!p) {
      index.indexAllegation(id);
      p = index.profileOf(id);
    }
    if (!p) throw new ApiError('not_found', 'No such allegation');
    return p.profile;
  };
  const c = compareAllegations(prepareAllegation(profile(a)), prepareAllegation(profile(b)), index.frequencies(), index.population());
  return { score: roundScore(c.score), weight: Math.round(c.weight * 100) / 100, label: c.label, summary: summarise(c.evidence), explanation: explain(c.evidence) };
}

function referenceOf(core: Core, id: string): string {
  const row = prepared(core.store.db, 'SELECT reference FROM allegations WHERE id = ?').get(id) as { reference: string } | undefined;
  if (!row) throw new ApiError('not_found', 'No such allegation');
  return row.reference;
}

export interface JudgementInput {
  allegationId: string;
  otherId: string;
  judgement: LinkJudgement;
  reason: string;
  /** Where it was made: the panel, or the warning shown when a new allegation was saved. */
  via: 'panel' | 'intake';
}

/**
 * Appends a judgement inside a mutation: the pair's score and evidence now (so a later "not a match" can be
 * weighed against new evidence), the change for sync, and an audit entry on the other record too (the
 * mutation's own entry is on the one being worked).
 */
export function writeJudgement(m: Mutation, core: Core, input: JudgementInput): JudgementView {
  const { allegationId, otherId } = input;
  const pair = comparePair(core, allegationId, otherId);
  const [a, b] = allegationId < otherId ? [allegationId, otherId] : [otherId, allegationId];
  const id = core.store.newId();
  const evidence = { weight: pair.weight, label: pair.label, summary: pair.summary, explanation: pair.explanation, via: input.via };
  m.append('link_judgement', { id, allegation_a: a, allegation_b: b, judgement: input.judgement, reason: input.reason, score: pair.score, evidence: JSON.stringify(evidence), decided_by: m.actor.name, decided_at: m.at });
  const otherReference = referenceOf(core, otherId);
  const reference = referenceOf(core, allegationId);
  core.store.audit.append({
    at: m.at,
    userId: m.actor.userId,
    actor: m.actor.name,
    action: 'link.judge',
    entity: 'link_judgement',
    entityId: id,
    allegationId: otherId,
    details: { other: allegationId, otherReference: reference, judgement: input.judgement, reason: input.reason, score: pair.score, via: input.via },
  });
  m.note({ judgementId: id, other: otherId, otherReference, judgement: input.judgement, reason: input.reason, score: pair.score, via: input.via });
  return { id, otherId, otherReference, judgement: input.judgement, reason: input.reason, score: pair.score, summary: pair.summary, decidedBy: m.actor.name, decidedAt: m.at, superseded: false };
}

export function judge(core: Core, user: UserRow, input: Omit<JudgementInput, 'via'>): JudgementView {
  if (input.allegationId === input.otherId) throw new ApiError('bad_request', 'An allegation cannot be judged against itself');
  const a = prepared(core.store.db, 'SELECT id, reference, unit_code FROM allegations WHERE id = ?').get(input.allegationId) as { id: string; reference: string; unit_code: string | null } | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  const otherReference = referenceOf(core, input.otherId);
  if (!canWork(core.store.db, user, a)) throw new ApiError('forbidden', `${a.reference} belongs to ${unitName(a.unit_code)}; ask that unit to allocate it to you`);
  const view = core.store.mutate({ actor: actorFor(user), action: 'link.judge', entity: 'link_judgement', allegationId: input.allegationId }, (m) => writeJudgement(m, core, { ...input, via: 'panel' }));
  core.emit({ type: 'allegation.changed', allegationId: a.id, reference: a.reference });
  core.emit({ type: 'allegation.changed', allegationId: input.otherId, reference: otherReference });
  return view;
}

interface JudgementRow {
  id: string;
  allegation_a: string;
  allegation_b: string;
  judgement: LinkJudgement;
  reason: string;
  score: number | null;
  evidence: string;
  decided_by: string;
  decided_at: string;
}

function judgementRows(core: Core, allegationId: string): JudgementRow[] {
  return prepared(
    core.store.db,
    `SELECT id, allegation_a, allegation_b, judgement, reason, score, evidence, decided_by, decided_at FROM link_judgements
     WHERE allegation_a = ? OR allegation_b = ? ORDER BY decided_at, rowid`,
  ).all(allegationId, allegationId) as JudgementRow[];
}

/** Every judgement on a pair with this allegation, latest first; each pair's latest is the one in force. */
export function judgementsOf(core: Core, allegationId: string): JudgementView[] {
  const rows = judgementRows(core, allegationId);
  const latest = new Map<string, string>();
  for (const r of rows) latest.set(r.allegation_a === allegationId ? r.allegation_b : r.allegation_a, r.id);
  return rows.reverse().map((r) => {
    const otherId = r.allegation_a === allegationId ? r.allegation_b : r.allegation_a;
    const evidence = JSON.parse(r.evidence) as { summary?: string };
    return {
      id: r.id,
      otherId,
      otherReference: referenceOf(core, otherId),
      judgement: r.judgement,
      reason: r.reason,
      score: r.score,
      summary: evidence.summary ?? '',
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      superseded: latest.get(otherId) !== r.id,
    };
  });
}

/** The judgement in force on each pair with this allegation. */
export function currentJudgements(core: Core, allegationId: string): Map<string, JudgementRow> {
  const out = new Map<string, JudgementRow>();
  for (const r of judgementRows(core, allegationId)) out.set(r.allegation_a === allegationId ? r.allegation_b : r.allegation_a, r);
  return out;
}

export function intakeWarningsOf(core: Core, allegationId: string) {
  const rows = prepared(
    core.store.db,
    `SELECT w.allegation_id, a.reference, w.candidate_id, c.reference AS candidate_reference, w.score, w.label, w.choice, w.reason, w.decided_by, w.decided_at
     FROM intake_link_warnings w JOIN allegations a ON a.id = w.allegation_id JOIN allegations c ON c.id = w.candidate_id
     WHERE w.allegation_id = ? OR w.candidate_id = ? ORDER BY w.decided_at DESC`,
  ).all(allegationId, allegationId) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    allegationId: r.allegation_id as string,
    reference: r.reference as string,
    candidateId: r.candidate_id as string,
    candidateReference: r.candidate_reference as string,
    score: r.score as number,
    label: r.label as string,
    choice: r.choice as 'duplicate' | 'associated' | 'not_a_match' | 'undecided',
    reason: r.reason as string,
    decidedBy: r.decided_by as string,
    decidedAt: r.decided_at as string,
  }));
}

// ------------------------------------------------------------------------------------------- groups

/** A group larger than this is shown in part (a chart of hundreds of records helps nobody decide). */
export const GROUP_LIMIT = 60;

/** Allegations joined by judgements in force of "duplicate" or "associated", through any chain. */
function groupMembers(core: Core, allegationId: string): { ids: string[]; links: JudgementRow[]; truncated: boolean } {
  const seen = new Set<string>([allegationId]);
  const queue = [allegationId];
  const links = new Map<string, JudgementRow>();
  let truncated = false;
  while (queue.length) {
    const id = queue.shift() as string;
    for (const [other, row] of currentJudgements(core, id)) {
      if (row.judgement === 'not_a_match') continue;
      if (!seen.has(other)) {
        if (seen.size >= GROUP_LIMIT) {
          truncated = true;
          continue;
        }
        seen.add(other);
        queue.push(other);
      }
      links.set(row.id, row);
    }
  }
  return { ids: [...seen], links: [...links.values()].filter((l) => seen.has(l.allegation_a) && seen.has(l.allegation_b)), truncated };
}

/** Birth dates that could be one person's as reporters write it (swapped day and month, a mistyped digit). */
function sameBirth(a: string | null, b: string | null): boolean {
  const x = parseDob(a);
  const y = parseDob(b);
  if (!x || !y) return true;
  return ['exact', 'day_month_swapped', 'one_part_differs', 'digits_transposed'].includes(compareDob(x, y));
}

type Subject = AllegationRecord['subjects'][number];

const CLOSE = new Set(['exact', 'equivalent', 'typo', 'variant']);
const close = (x: string[], y: string[]) => {
  const m = x.length && y.length ? bestTokenMatch(x, y) : null;
  return !!m && CLOSE.has(m.level);
};

/**
 * One person in the chart: names that agree as matching reads them (a typo, a nickname, a transliteration, the
 * order swapped) and birth dates that could be one person's. Records judged linked often spell a name two ways.
 */
function samePerson(a: Subject, b: Subject): boolean {
  if (!sameBirth(a.dob, b.dob)) return false;
  const sa = significantTokens(nameTokens(a.surname));
  const sb = significantTokens(nameTokens(b.surname));
  const fa = nameTokens(a.forename);
  const fb = nameTokens(b.forename);
  if (!sa.length || !sb.length) return foldName(a.knownAs || a.forename) !== '' && foldName(a.knownAs || a.forename) === foldName(b.knownAs || b.forename);
  const direct = close(sa, sb) && (!fa.length || !fb.length || close(fa, fb));
  const swapped = fa.length > 0 && fb.length > 0 && close(sa, fb) && close(fa, sb);
  return direct || swapped;
}

export function linkGroup(core: Core, allegationId: string): GroupView {
  recordOf(core, allegationId);
  const { ids, links, truncated } = groupMembers(core, allegationId);
  const records = ids.map((id) => recordOf(core, id)).sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : x.receivedAt > y.receivedAt ? 1 : x.reference < y.reference ? -1 : 1));
  const refOf = new Map(records.map((r) => [r.id, r.reference]));

  type Node = GroupView['chart']['nodes'][number];
  const nodes = new Map<string, Node>();
  const edges = new Map<string, GroupView['chart']['edges'][number]>();
  const node = (id: string, kind: Node['kind'], label: string, reference: string) => {
    const n = nodes.get(id) ?? { id, kind, label, allegations: [] };
    if (!n.allegations.includes(reference)) n.allegations.push(reference);
    nodes.set(id, n);
    return n;
  };
  const edge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, label });
  };
  // People who are plainly the same person are one node (the first spelling met names it).
  const people: Array<{ subject: Subject; id: string }> = [];
  for (const r of records) {
    const a = `allegation:${r.id}`;
    node(a, 'allegation', r.reference, r.reference);
    for (const s of r.subjects) {
      if (!foldName([s.forename, s.surname, s.knownAs].join(' '))) continue;
      let match = people.find((p) => samePerson(p.subject, s));
      if (!match) {
        match = { subject: s, id: `person:${people.length}` };
        people.push(match);
      } else if (!match.subject.dob && s.dob) match.subject = { ...match.subject, dob: s.dob };
      const label = [s.forename, s.surname].filter(Boolean).join(' ') || s.knownAs;
      const n = node(match.id, 'person', label, r.reference);
      if (match.subject.dob && !n.label.includes('(')) n.label = `${n.label} (${match.subject.dob})`;
      edge(a, match.id, s.role);
    }
    for (const d of r.addresses) {
      const pc = d.postcodeNormalised;
      const line = foldName(d.line1);
      const key = pc ? `${pc}|${line.match(/^\d+[a-z]?/)?.[0] ?? line}` : `${line}|${foldName(d.town)}`;
      if (key === '|') continue;
      edge(a, node(`address:${key}`, 'address', [d.line1, d.town, pc ?? d.postcode].filter(Boolean).join(', '), r.reference).id, d.type.replace(/_/g, ' '));
    }
    for (const b of r.businesses) {
      const key = businessKey(b.name);
      if (!key) continue;
      edge(a, node(`business:${key}`, 'business', b.name, r.reference).id, b.type || 'business');
    }
    for (const p of r.phones) {
      if (!p.national) continue;
      edge(a, node(`phone:${p.national}`, 'phone', p.number, r.reference).id, 'phone');
    }
  }
  for (const l of links) edge(`allegation:${l.allegation_a}`, `allegation:${l.allegation_b}`, l.judgement === 'duplicate' ? 'same allegation' : 'associated');

  return {
    allegationId,
    members: records.map((r) => {
      const main = r.subjects.find((s) => s.role === 'main') ?? r.subjects[0];
      return { id: r.id, reference: r.reference, receivedAt: r.receivedAt, status: r.status, unit: r.unit, outcome: r.outcome, mainSubject: main ? subjectName(main) : '' };
    }),
    links: links.map((l) => ({
      a: l.allegation_a,
      b: l.allegation_b,
      aReference: refOf.get(l.allegation_a) ?? referenceOf(core, l.allegation_a),
      bReference: refOf.get(l.allegation_b) ?? referenceOf(core, l.allegation_b),
      judgement: l.judgement as 'duplicate' | 'associated',
      reason: l.reason,
      decidedBy: l.decided_by,
      decidedAt: l.decided_at,
    })),
    chart: { nodes: [...nodes.values()], edges: [...edges.values()] },
    truncated,
  };
}

// ------------------------------------------------------------------------------------------- review

export interface ReviewRow {
  id: string;
  reviewedAt: string;
  reviewedBy: string;
  note: string;
  candidates: Array<{ allegationId: string; reference: string; score: number; judgement: LinkJudgement | null }>;
}

export function latestReview(core: Core, allegationId: string): ReviewRow | null {
  const r = prepared(core.store.db, 'SELECT id, reviewed_at, reviewed_by, note, candidates FROM link_reviews WHERE allegation_id = ? ORDER BY reviewed_at DESC, rowid DESC LIMIT 1').get(allegationId) as
    | { id: string; reviewed_at: string; reviewed_by: string; note: string; candidates: string }
    | undefined;
  return r ? { id: r.id, reviewedAt: r.reviewed_at, reviewedBy: r.reviewed_by, note: r.note, candidates: JSON.parse(r.candidates) as ReviewRow['candidates'] } : null;
}

/**
 * Records that a person cross-checked the candidates. Refused while a suggested candidate has no judgement: the
 * review says every strong candidate was decided, not merely that the panel was opened.
 */
export function recordReview(core: Core, user: UserRow, allegationId: string, note: string): ReviewRow {
  const a = prepared(core.store.db, 'SELECT id, reference, unit_code, status FROM allegations WHERE id = ?').get(allegationId) as { id: string; reference: string; unit_code: string | null; status: string } | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  if (!canWork(core.store.db, user, a)) throw new ApiError('forbidden', `${a.reference} belongs to ${unitName(a.unit_code)}; ask that unit to allocate it to you`);
  const open = openCandidates(core, allegationId);
  if (open.length) {
    throw new ApiError('conflict', `Judge ${open.map((c) => c.reference).join(', ')} first: ${open.length === 1 ? 'it is' : 'they are'} suggested and not yet decided.`, { candidates: open.map((c) => c.reference).join(', ') });
  }
  const shown = findCandidates(core.store.db, core.matching, { id: allegationId, limit: 10, includeWeak: true, includeLinked: true }).candidates;
  const candidates = shown.map((c) => ({ allegationId: c.allegationId, reference: c.reference, score: c.score, judgement: c.judgement?.judgement ?? null }));
  const id = core.store.newId();
  const row = core.store.mutate({ actor: actorFor(user), action: 'link.review', entity: 'link_review', entityId: id, allegationId, details: { candidates: candidates.length, note } }, (m) => {
    m.append('link_review', { id, allegation_id: allegationId, reviewed_at: m.at, reviewed_by: m.actor.name, user_id: user.id, candidates: JSON.stringify(candidates), note });
    return { id, reviewedAt: m.at, reviewedBy: m.actor.name, note, candidates };
  });
  core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
  return row;
}
