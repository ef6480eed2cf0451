// The work done on allegations after they arrive: creating one from the electronic form, amending it (every
// replaced value kept), allocating, reallocating to another unit with a reason, the initial assessment that sets
// the service standard, confirming or dismissing the time-critical flag, and appending notes.
import type { Emits, HasStore, HasVault, Routes } from './deps.ts';

/** What this module needs of the core. */
export type CasesDeps = Emits & HasStore & HasVault & Routes & LinksDeps;
import type { Mutation } from '../store/store.ts';
import { prepared } from '../store/db.ts';
import { readAllegation } from '../store/allegations.ts';
import { insertAllegation, readSourceForCore, SourceWithholder, writeOffences, writeSource, type AllegationContent } from '../store/allegation-write.ts';
import { ADDRESSES, BUSINESSES, EMAILS, insertPart, PHONES, removePart, SUBJECTS, TRAVEL, updatePart, VEHICLES, type PartSpec } from '../store/parts.ts';
import { contentFromForm } from './content.ts';
import { ACCOUNT, noteOrigin, planIntake } from './intake.ts';
import { applyTriage, raisedEvent, type Raised } from './triage.ts';
import { recordAccepted } from './suggestions.ts';
import { analyseText } from '../../shared/analysis/analyse-text.ts';
import { dismissAll, evidenceFrom, type Evidence } from '../../shared/analysis/triage.ts';
import type { SourceIdentifiersPayload } from '../store/allegation-write.ts';
import { fieldLabel, formProblems, heldValues, NOTHING_HELD, type AllegationForm, type HeldValues } from '../../shared/schemas/form.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { RiskRating } from '../../shared/domain/vocabularies.ts';
import { serviceStandardDueAt } from '../../shared/domain/clock.ts';
import { gradingCode, gradingProblems, type Grading } from '../../shared/domain/grading.ts';
import { writeGrading } from '../store/results.ts';
import { unitByCode, unitName } from '../../shared/domain/units.ts';
import type { UserRow } from './users.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import type { DetectedDeadline } from '../../shared/domain/deadlines.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { strongCandidate, writeJudgement, type LinksDeps } from './links.ts';
import { actorFor, allocationRefusal, loadCase, requireWork } from './access.ts';
import { probabilityText } from '../../shared/matching/strength.ts';

function record(core: CasesDeps, id: string): AllegationRecord {
  return readAllegation(core.store.db, id) as AllegationRecord;
}

function checkForm(core: CasesDeps, form: AllegationForm, held: HeldValues = NOTHING_HELD): void {
  const problems = formProblems(form, core.store.now(), held);
  const keys = Object.keys(problems);
  if (keys.length) {
    const first = keys[0] as string;
    throw new ApiError('bad_request', `${keys.length === 1 ? 'One thing needs' : `${keys.length} things need`} attention before saving, starting with: ${fieldLabel(first)} ${problems[first]}.`, problems);
  }
}

/** A reference for an allegation made on this desk: IMS-YEAR-NNNNNN-DESK, unique without asking the server. */
function nextReference(m: Mutation, receivedAt: string, desk: string): string {
  const year = Number(ukDate(new Date(receivedAt)).slice(0, 4));
  const row = prepared(m.db, 'INSERT INTO reference_sequences (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last').get(year) as { last: number };
  const suffix = desk.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase();
  return `IMS-${year}-${String(row.last).padStart(6, '0')}-${suffix}`;
}

export interface Created {
  id: string;
  reference: string;
  unit: string;
  unitName: string;
  routedBy: string;
  assessmentDueAt: string;
  timeCritical: boolean;
  deadline: Omit<DetectedDeadline, 'index'> | null;
}

/** What the person saving a new allegation made of the strong candidate shown to them, and why they went on. */
export interface LinkWarningAnswer {
  candidateId: string;
  choice: 'duplicate' | 'associated' | 'not_a_match' | 'undecided';
  reason: string;
}

export function createAllegation(core: CasesDeps, user: UserRow, form: AllegationForm, draftId?: string, linkWarning?: LinkWarningAnswer): Created {
  checkForm(core, form);
  // The intake warning (i2 iBase-style): a strong candidate is shown before saving, and going on needs a reason.
  const strong = strongCandidate(core, form);
  if (strong && linkWarning?.candidateId !== strong.allegationId) {
    throw new ApiError(
      'conflict',
      `${strong.reference} looks like ${strong.label === 'likely_duplicate' ? 'the same allegation' : 'a linked allegation'} (${probabilityText(strong.score)} likely the same: ${strong.summary}). Look at it before saving; to save anyway, say why.`,
      { linkWarning: strong.allegationId },
    );
  }
  if (linkWarning && !prepared(core.store.db, 'SELECT 1 FROM allegations WHERE id = ?').get(linkWarning.candidateId)) throw new ApiError('bad_request', 'The candidate shown is not in the store');
  const id = core.store.newId();
  const actor = actorFor(user);
  const details: Record<string, unknown> = { channel: form.channel };
  if (linkWarning) details.linkWarning = { candidate: linkWarning.candidateId, score: strong?.score ?? null, choice: linkWarning.choice, reason: linkWarning.reason };
  const created = core.store.mutate({ actor, action: 'allegation.create', entity: 'allegation', entityId: id, allegationId: id, details }, (m) => {
    const reference = nextReference(m, form.receivedAt, core.store.clientId);
    const content: AllegationContent = contentFromForm(form, reference);
    const plan = planIntake(core.routingTable(), content, 'entered', 'new', m.at);
    insertAllegation(m, { id, content, submissionHash: null, ...plan }, () => core.store.newId(), core.vault);
    if (draftId) prepared(m.db, 'DELETE FROM drafts WHERE id = ? AND user_id = ?').run(draftId, user.id);
    m.note({ reference, unit: plan.unit, timeCritical: Boolean(plan.timeCritical) });
    if (linkWarning) {
      m.append('intake_link_warning', {
        id: core.store.newId(),
        allegation_id: id,
        candidate_id: linkWarning.candidateId,
        score: strong?.score ?? 0,
        label: strong?.label ?? 'weak',
        choice: linkWarning.choice,
        reason: linkWarning.reason,
        decided_by: m.actor.name,
        decided_at: m.at,
      });
      if (linkWarning.choice !== 'undecided') writeJudgement(m, core, { allegationId: id, otherId: linkWarning.candidateId, judgement: linkWarning.choice, reason: linkWarning.reason, via: 'intake' });
    }
    const first = plan.deadlines[0];
    return {
      id,
      reference,
      unit: plan.unit,
      unitName: unitName(plan.unit),
      routedBy: plan.routedBy,
      assessmentDueAt: plan.assessmentDueAt,
      timeCritical: Boolean(plan.timeCritical),
      deadline: first ? { date: first.date, text: first.text, sentence: first.sentence, event: first.event, daysAfterReceipt: first.daysAfterReceipt } : null,
      raised: plan.timeCritical && first ? ({ allegationId: id, reference, unit: plan.unit, cause: (plan.timeCritical.evidence[0] as Evidence | undefined) ?? first, again: false } satisfies Raised) : null,
    };
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: created.reference });
  if (created.raised) core.emit(raisedEvent(created.raised));
  const { raised: _raised, ...out } = created;
  return out;
}

function diffParts<T extends { id?: string | undefined }>(
  m: Mutation,
  spec: PartSpec<Omit<T, 'id'>>,
  allegationId: string,
  current: string[],
  items: T[],
  newId: () => string,
  after?: (item: T, id: string, ordinal: number) => void,
): void {
  const kept = new Set<string>();
  items.forEach((item, ordinal) => {
    const { id, ...content } = item;
    if (id && current.includes(id)) {
      updatePart(m, spec, allegationId, id, ordinal, content);
      kept.add(id);
      after?.(item, id, ordinal);
    } else {
      const created = insertPart(m, spec, allegationId, ordinal, content, newId());
      after?.(item, created, ordinal);
    }
  });
  for (const id of current) if (!kept.has(id)) removePart(m, spec, allegationId, id);
}

export function updateAllegation(core: CasesDeps, user: UserRow, id: string, form: AllegationForm, draftId?: string): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  if (a.status === 'closed') throw new ApiError('conflict', `${a.reference} is closed; add a note instead of amending it`);
  checkForm(core, form, heldValues(record(core, id)));
  const newId = () => core.store.newId();
  let raised: Raised | null = null;
  core.store.mutate({ actor: actorFor(user), action: 'allegation.amend', entity: 'allegation', entityId: id, allegationId: id }, (m) => {
    // Suggestions the person put into this form, recorded as accepted with the amendment (suggestions.ts).
    const accepted = recordAccepted(m, newId, user, id, form.accepted);
    if (accepted) m.note({ acceptedSuggestions: accepted });
    const typedSource = form.source && Object.values(form.source).some((v) => v.trim()) ? { ...form.source } : null;
    if (typedSource) writeSource(m, core.vault, id, typedSource);
    const source = typedSource ?? (core.vault.unlocked ? readSourceForCore(m.db, core.vault, id) : null);
    const withheld = new SourceWithholder(source);
    // The account goes through the pipeline like every text: the source withheld, its deadlines read.
    const account = readText(form.freeText.trim(), form.receivedAt, source);
    const scalars: Record<string, string | null> = {
      channel: form.channel,
      reporter_type: form.reporterType,
      received_at: new Date(form.receivedAt).toISOString(),
      free_text: withheld.given('freeText', form.freeText.trim(), account.open),
      scan_missing_reason: form.scanMissingReason.trim() || null,
    };
    const after: Record<string, string | number | null> = {};
    for (const [k, v] of Object.entries(scalars)) {
      if ((a as unknown as Record<string, unknown>)[k] !== v) after[k] = v;
    }
    if (Object.keys(after).length) m.update('allegation', id, { ...after, updated_at: m.at });
    // An account read again (or a receipt time moved, which moves "on Friday") replaces the account's evidence.
    if ('free_text' in after || 'received_at' in after) raised = applyTriage(m, id, { replace: [ACCOUNT], found: evidenceFrom(account.deadlines, ACCOUNT, m.at) });
    withheld.flush(m, core.vault, id);
    // A case the National Allegations Team holds only because it had no usable location goes to its unit as soon
    // as an amendment gives it one (000 §3.4): routed as intake would have routed it, the move kept in its history.
    if (a.unit_code === 'NAT') {
      const plan = planIntake(core.routingTable(), contentFromForm(form, a.reference), 'entered');
      if (plan.unit !== 'NAT') {
        const reason = `routed on amendment: ${plan.routedBy}`;
        m.update('allegation', id, { unit_code: plan.unit, routed_by: reason, updated_at: m.at });
        m.append('unit_history', { id: core.store.newId(), allegation_id: id, from_unit: 'NAT', to_unit: plan.unit, reason, at: m.at, by_user: m.actor.name });
        // Allocations belong to the unit that held it, as on reallocation.
        for (const { id: allocationId } of prepared(m.db, 'SELECT id FROM allocations WHERE allegation_id = ? AND ended_at IS NULL').all(id) as Array<{ id: string }>) {
          m.update('allocation', allocationId, { ended_at: m.at });
        }
        m.note({ routedTo: plan.unit });
      }
    }
    writeOffences(m, id, form.offenceTypes);

    const ids = (table: string, extra = '') => (prepared(m.db, `SELECT id FROM ${table} WHERE allegation_id = ? AND removed_at IS NULL${extra}`).all(id) as Array<{ id: string }>).map((r) => r.id);
    diffParts(m, SUBJECTS, id, ids('subjects'), form.subjects.map((s) => ({ ...s, dob: s.dob || null, approxAge: s.dob ? null : s.approxAge })), newId);
    diffParts(m, ADDRESSES, id, ids('addresses', ' AND business_id IS NULL'), form.addresses, newId);
    const businessCount = form.addresses.length;
    diffParts(m, BUSINESSES, id, ids('businesses'), form.businesses.map(({ address: _a, ...b }, i) => ({ ...b, index: i })), newId, (item, businessId, ordinal) => {
      const address = form.businesses[(item as { index: number }).index]?.address ?? null;
      const existing = prepared(m.db, 'SELECT id FROM addresses WHERE business_id = ? AND removed_at IS NULL').get(businessId) as { id: string } | undefined;
      if (address && Object.values(address).some((v) => v.trim())) {
        const content = { ...address, type: 'business', businessId };
        if (existing) updatePart(m, ADDRESSES, id, existing.id, businessCount + ordinal, content);
        else insertPart(m, ADDRESSES, id, businessCount + ordinal, content, newId());
      } else if (existing) removePart(m, ADDRESSES, id, existing.id);
    });
    diffParts(m, PHONES, id, ids('phones'), form.phones, newId);
    diffParts(m, EMAILS, id, ids('emails'), form.emails, newId);
    diffParts(m, VEHICLES, id, ids('vehicles'), form.vehicles, newId);
    diffParts(m, TRAVEL, id, ids('travel'), form.travel.map((t) => ({ ...t, travelDate: t.travelDate || null })), newId);
    if (draftId) prepared(m.db, 'DELETE FROM drafts WHERE id = ? AND user_id = ?').run(draftId, user.id);
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  tell(core, raised);
  return record(core, id);
}

/** Tells the duty manager, once the mutation has committed, that an allegation has joined their queue. */
function tell(core: Emits, raised: Raised | null): void {
  if (raised) core.emit(raisedEvent(raised));
}

/** A text typed on the desk (the account, a note) through the pipeline: its open text and deadlines. */
function readText(text: string, receivedAt: string, source: SourceIdentifiersPayload | null) {
  const r = analyseText({ page: null, text, receivedAt, knownSource: source, readWriter: false, suggest: false });
  return { open: r.pages[0]?.open ?? text, deadlines: r.deadlines };
}

export function reallocate(core: CasesDeps, user: UserRow, id: string, unit: string, reason: string): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  if (!unitByCode(unit)) throw new ApiError('bad_request', `Unknown unit ${unit}`, { unit: 'choose a unit' });
  if (unit === a.unit_code) throw new ApiError('bad_request', `${a.reference} is already with ${unitName(unit)}`, { unit: 'choose another unit' });
  core.store.mutate({ actor: actorFor(user), action: 'allegation.reallocate', entity: 'allegation', entityId: id, allegationId: id, details: { from: a.unit_code, to: unit, reason } }, (m) => {
    m.update('allegation', id, { unit_code: unit, routed_by: `reallocated: ${reason}`, updated_at: m.at });
    m.append('unit_history', { id: core.store.newId(), allegation_id: id, from_unit: a.unit_code, to_unit: unit, reason, at: m.at, by_user: m.actor.name });
    // Allocations belong to the unit that held it; the new unit allocates its own people.
    for (const { id: allocationId } of prepared(m.db, 'SELECT id FROM allocations WHERE allegation_id = ? AND ended_at IS NULL').all(id) as Array<{ id: string }>) {
      m.update('allocation', allocationId, { ended_at: m.at });
    }
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  return record(core, id);
}

export function allocate(core: CasesDeps, user: UserRow, id: string, toUserId: string | undefined): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  const target = toUserId ?? user.id;
  const person = prepared(core.store.db, 'SELECT * FROM users WHERE id = ?').get(target) as UserRow | undefined;
  if (!person || person.active !== 1) throw new ApiError('bad_request', 'That person has no active account');
  // Allocation opens the case's source pane, so who may allocate whom is decided by role (access.ts).
  const refused = allocationRefusal(user, person, a);
  if (refused) throw new ApiError('forbidden', refused);
  if (prepared(core.store.db, 'SELECT 1 FROM allocations WHERE allegation_id = ? AND user_id = ? AND ended_at IS NULL').get(id, target)) return record(core, id);
  core.store.mutate({ actor: actorFor(user), action: 'allegation.allocate', entity: 'allegation', entityId: id, allegationId: id, details: { to: target } }, (m) => {
    m.insert('allocation', { id: core.store.newId(), allegation_id: id, user_id: target, allocated_at: m.at, allocated_by: m.actor.name, ended_at: null });
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  return record(core, id);
}

export function assess(core: CasesDeps, user: UserRow, id: string, rating: RiskRating, note: string, grading?: Grading): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  if (a.status !== 'new') throw new ApiError('conflict', `${a.reference} has already been assessed`);
  // Graded on assessment: refused whole, like a grading of its own, until complete and consistent.
  const conditions = grading?.conditions.trim() ?? '';
  const problems = grading ? gradingProblems({ ...grading, conditions }) : [];
  if (problems.length) throw new ApiError('bad_request', `The grading cannot be recorded: ${problems[0]?.message}`, Object.fromEntries(problems.map((p) => [p.field, p.message])));
  const graded = grading ? { grading: gradingCode(grading), harm: grading.harm, conditions } : {};
  const raisedByNote = core.store.mutate({ actor: actorFor(user), action: 'allegation.assess', entity: 'allegation', entityId: id, allegationId: id, details: { riskRating: rating, ...graded } }, (m) => {
    const due = serviceStandardDueAt(new Date(m.at), rating).toISOString();
    m.update('allegation', id, { status: 'triaged', risk_rating: rating, assessed_at: m.at, next_due_at: due, updated_at: m.at });
    if (grading) writeGrading(m, id, { grading_source: grading.source, grading_intelligence: grading.intelligence, grading_handling: grading.handling, grading_conditions: conditions, harm: grading.harm });
    return note ? appendNote(m, core, user, id, note, null).raised : null;
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  tell(core, raisedByNote);
  return record(core, id);
}

export function decideTimeCritical(core: CasesDeps, user: UserRow, id: string, decision: 'confirm' | 'dismiss', reason: string): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  // Dismissing takes a case out of the duty intelligence manager's queue: theirs to decide (000 §4.35). Anyone
  // working the case may confirm it, which only makes it more urgent.
  if (decision === 'dismiss' && !['duty_manager', 'manager'].includes(user.role)) {
    throw new ApiError('forbidden', 'Only a duty intelligence manager can dismiss a time-critical flag: confirm it, or leave it for them to decide');
  }
  if (a.status === 'closed') throw new ApiError('conflict', `${a.reference} is closed; its time-critical flag no longer needs a decision`);
  const state = decision === 'confirm' ? 'confirmed' : 'dismissed';
  core.store.mutate({ actor: actorFor(user), action: `allegation.time_critical.${decision}`, entity: 'allegation', entityId: id, allegationId: id, details: { reason } }, (m) => {
    const held = prepared(m.db, 'SELECT time_critical_due_at AS d, time_critical_evidence AS e FROM allegations WHERE id = ?').get(id) as { d: string | null; e: string };
    const dueAt = decision === 'confirm' ? held.d ?? new Date(Date.parse(m.at) + 24 * 3_600_000).toISOString() : null;
    // What is dismissed does not raise the flag again; evidence found later does (triage.ts).
    const evidence = JSON.parse(held.e || '[]') as Evidence[];
    m.update('allegation', id, {
      time_critical_evidence: JSON.stringify(decision === 'dismiss' ? dismissAll(evidence) : evidence),
      time_critical: decision === 'confirm' ? 1 : 0,
      time_critical_state: state,
      time_critical_due_at: dueAt,
      time_critical_decided_at: m.at,
      time_critical_decided_by: m.actor.name,
      time_critical_reason: reason,
      updated_at: m.at,
    });
  });
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  return record(core, id);
}

function appendNote(m: Mutation, core: CasesDeps, user: UserRow, allegationId: string, text: string, amends: string | null): { id: string; raised: Raised | null } {
  const id = core.store.newId();
  const source = core.vault.unlocked ? readSourceForCore(m.db, core.vault, allegationId) : null;
  const withheld = new SourceWithholder(source);
  const receivedAt = (prepared(m.db, 'SELECT received_at AS r FROM allegations WHERE id = ?').get(allegationId) as { r: string }).r;
  // A note goes through the pipeline too: a hearing date learnt on research raises the flag like one in the account.
  const read = readText(text, receivedAt, source);
  const noteDate = ukDate(new Date(m.at));
  m.append('note', {
    id,
    allegation_id: allegationId,
    note_date: noteDate,
    author_name: user.display_name,
    author_user_id: user.id,
    text: withheld.given(`note:${id}`, text, read.open),
    amends_note_id: amends,
    created_at: m.at,
  });
  withheld.flush(m, core.vault, allegationId);
  const origin = noteOrigin(id, noteDate, user.display_name);
  return { id, raised: applyTriage(m, allegationId, { replace: [origin], found: evidenceFrom(read.deadlines, origin, m.at) }) };
}

export function addNote(core: CasesDeps, user: UserRow, allegationId: string, text: string, amendsNoteId?: string): AllegationRecord {
  const a = loadCase(core.store.db, allegationId);
  requireWork(core.store.db, user, a);
  if (amendsNoteId && !prepared(core.store.db, 'SELECT 1 FROM notes WHERE id = ? AND allegation_id = ?').get(amendsNoteId, allegationId)) {
    throw new ApiError('bad_request', 'The note to amend is not on this allegation');
  }
  const { raised } = core.store.mutate({ actor: actorFor(user), action: amendsNoteId ? 'note.amend' : 'note.add', entity: 'allegation', entityId: allegationId, allegationId }, (m) =>
    appendNote(m, core, user, allegationId, text, amendsNoteId ?? null),
  );
  core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
  tell(core, raised);
  return record(core, allegationId);
}
