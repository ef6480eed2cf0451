// The duplicate/link panel's work in the core: candidates for a stored allegation or a form being typed, side by
// side with the current record; a person's judgement on a pair (stored with the evidence it was made on, in the
// same transaction as its audit entries — one on each record — and respected by candidate generation); the
// group that judgements link together, with its link chart; and the cross-check review that comes before an
// outcome. Nothing here links anything by itself (000 §4.13).
import type { Emits, HasMatching, HasStore, HasVault } from './deps.ts';

/** What this module needs of the core. */
export type LinksDeps = Emits & HasMatching & HasStore & HasVault;
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
import { parseUkPostcode } from '../../shared/text/normalise.ts';
import { redactSource } from '../../shared/sources/redact.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { unitName } from '../../shared/domain/units.ts';
import { STRONG_CANDIDATE, type CandidateView, type JudgementView, type LinkSide } from '../../shared/api/links.ts';
import type { AllegationForm } from '../../shared/schemas/form.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import type { LinkJudgement } from '../../shared/domain/vocabularies.ts';
import type { OpenCandidate } from '../../shared/domain/outcome.ts';

const ACCOUNT_EXCERPT = 600;

// ------------------------------------------------------------------------------------------- sides

export function subjectName(s: { forename: string; middleNames: string; surname: string; knownAs: string }): string {
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

export function recordOf(core: LinksDeps, id: string): AllegationRecord {
  const r = readAllegation(core.store.db, id);
  if (!r) throw new ApiError('not_found', 'No such allegation');
  return r;
}

// ------------------------------------------------------------------------------------------- candidates

function toView(core: LinksDeps, c: Candidate): CandidateView {
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
export function candidatesFor(core: LinksDeps, allegationId: string, options: { limit: number; includeWeak: boolean }): CandidateListView {
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
export function openCandidates(core: LinksDeps, allegationId: string): OpenCandidate[] {
  const r = findCandidates(core.store.db, core.matching, { id: allegationId, limit: OPEN_SCAN, includeWeak: false, includeLinked: false });
  return r.candidates.filter(isOpen).map((c) => ({ allegationId: c.allegationId, reference: c.reference, score: c.score, label: c.label, reproposed: c.reproposed }));
}

/**
 * What matching may read of a form being typed: the form's fields and the account with the reporter's
 * identifiers withheld (typed in the restricted section now, or already stored for an allegation being
 * amended). Source details themselves never reach matching.
 */
function draftForMatching(core: LinksDeps, form: AllegationForm, allegationId: string | undefined): { draft: AllegationDraft; account: string } {
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

export function draftCandidates(core: LinksDeps, form: AllegationForm, allegationId: string | undefined, limit: number): CandidateListView {
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
export function strongCandidate(core: LinksDeps, form: AllegationForm): Candidate | null {
  const { draft } = draftForMatching(core, form, undefined);
  const best = findCandidates(core.store.db, core.matching, { draft, limit: 1, includeWeak: false, includeLinked: false }).candidates[0];
  return best && best.score >= STRONG_CANDIDATE ? best : null;
}

// ------------------------------------------------------------------------------------------- judgements

/** The two allegations compared now, as stored (indexing either if it is missing). */
export function comparePair(core: LinksDeps, a: string, b: string) {
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

export function referenceOf(core: LinksDeps, id: string): string {
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
export function writeJudgement(m: Mutation, core: LinksDeps, input: JudgementInput): JudgementView {
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

export function judge(core: LinksDeps, user: UserRow, input: Omit<JudgementInput, 'via'>): JudgementView {
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

export interface JudgementRow {
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

function judgementRows(core: LinksDeps, allegationId: string): JudgementRow[] {
  return prepared(
    core.store.db,
    `SELECT id, allegation_a, allegation_b, judgement, reason, score, evidence, decided_by, decided_at FROM link_judgements
     WHERE allegation_a = ? OR allegation_b = ? ORDER BY decided_at, rowid`,
  ).all(allegationId, allegationId) as JudgementRow[];
}

/** Every judgement on a pair with this allegation, latest first; each pair's latest is the one in force. */
export function judgementsOf(core: LinksDeps, allegationId: string): JudgementView[] {
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
export function currentJudgements(core: LinksDeps, allegationId: string): Map<string, JudgementRow> {
  const out = new Map<string, JudgementRow>();
  for (const r of judgementRows(core, allegationId)) out.set(r.allegation_a === allegationId ? r.allegation_b : r.allegation_a, r);
  return out;
}

export function intakeWarningsOf(core: LinksDeps, allegationId: string) {
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

