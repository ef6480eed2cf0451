// Time-critical triage over everything an allegation holds. Each text (the account, a note, a legacy attachment's
// text, a scan as its pages are read) is read by the one pipeline (analyse-text.ts); its deadlines become evidence
// named by where they came from, and replace that text's earlier evidence. What the flag becomes respects a duty
// manager's decision: a dismissed flag is not raised again by the evidence it was dismissed on, but new evidence
// (a page read later, a note, an amended account) raises it again and is shown as new; a confirmed flag keeps the
// evidence it was confirmed on and gains what is found since.
import type { DetectedDeadline } from '../domain/deadlines.ts';
import { timeCriticalDueAt } from '../domain/clock.ts';

export type EvidenceOriginKind = 'account' | 'note' | 'attachment';

export interface EvidenceOrigin {
  kind: EvidenceOriginKind;
  /** The note's or attachment's id; null for the account, and for notes and legacy text stored at intake. */
  id: string | null;
  /** How a person names it: "the account", "fax 14 March.tif", "note of 2026-03-04 by A. Khan". */
  label: string;
}

/** One imminent event found in the allegation's text, as the flag stores it. */
export interface Evidence extends Omit<DetectedDeadline, 'index'> {
  /** The page of a scan the sentence is on. */
  page?: number | null;
  origin?: EvidenceOrigin;
  /** When it was first found (a page read days after receipt says so). */
  foundAt?: string;
  /** Part of what a duty manager dismissed: it does not raise the flag again. */
  dismissed?: boolean;
}

export type FlagStateName = 'detected' | 'confirmed' | 'dismissed';

export interface Flag {
  timeCritical: boolean;
  state: FlagStateName | null;
  deadline: string | null;
  evidence: Evidence[];
  dueAt: string | null;
}

export interface TriageResult {
  next: Flag;
  /** The flag changed in any field (the caller writes it). */
  changed: boolean;
  /** The allegation joined the duty manager's queue now (first time, or again after a dismissal). */
  raised: boolean;
  /** Raised again over a duty manager's dismissal, by evidence they had not seen. */
  again: boolean;
  /** The evidence that raised it (the earliest event not dismissed), for telling the duty manager. */
  cause: Evidence | null;
}

/** Where a piece of evidence came from, as one key: the account, a note, or an attachment. */
export function originKey(o: EvidenceOrigin | undefined): string {
  // Flags stored before evidence said where it came from were read at intake, from the account.
  if (!o) return 'account:';
  return `${o.kind}:${o.id ?? o.label}`;
}

/** The same evidence: the same text, page, date and kind of event (the sentence may differ when OCR reads a page again). */
function sameEvidence(a: Evidence, b: Evidence): boolean {
  if (a.date !== b.date || a.event !== b.event) return false;
  // Evidence stored without its origin matches on the date and event alone.
  if (!a.origin || !b.origin) return true;
  return originKey(a.origin) === originKey(b.origin) && (a.page ?? null) === (b.page ?? null);
}

const byDate = (a: Evidence, b: Evidence) => a.date.localeCompare(b.date) || (a.page ?? 0) - (b.page ?? 0);

export interface TriageInput {
  /** The texts read now: their earlier evidence is replaced by `found`. */
  replace: readonly EvidenceOrigin[];
  found: readonly Evidence[];
  /** When this is decided (the mutation's time). */
  at: string;
  /** When the 24-hour standard starts if the flag is raised now (receipt, at intake; else `at`). */
  dueFrom?: string;
}

/** What the flag becomes once the texts in `replace` say `found`. */
export function triage(current: Flag, input: TriageInput): TriageResult {
  const replaced = new Set(input.replace.map(originKey));
  const kept = current.evidence.filter((e) => !replaced.has(originKey(e.origin)));
  const before = current.evidence.filter((e) => replaced.has(originKey(e.origin)));
  const fresh: Evidence[] = input.found.map((f) => {
    const held = current.evidence.find((e) => sameEvidence(e, f));
    const out: Evidence = { ...f, foundAt: held?.foundAt ?? f.foundAt ?? input.at };
    if (held?.dismissed) out.dismissed = true;
    else delete out.dismissed;
    return out;
  });
  // What was decided on is kept even when the text no longer says it (a page read again, an amended account).
  const vanished = before.filter((e) => !fresh.some((f) => sameEvidence(e, f)));
  const decided = current.state === 'confirmed' ? vanished : current.state !== null ? vanished.filter((e) => e.dismissed) : [];
  const evidence = [...kept, ...fresh, ...decided].sort(byDate);
  const live = evidence.filter((e) => !e.dismissed);
  const earliest = (list: Evidence[]) => list[0]?.date ?? null;

  let next: Flag;
  let raised = false;
  let again = false;
  if (current.state === 'confirmed') {
    next = { timeCritical: true, state: 'confirmed', deadline: earliest(live) ?? current.deadline, evidence, dueAt: current.dueAt };
  } else if (live.length === 0) {
    // Nothing undismissed: a dismissal stands; with no decision, the flag goes (the text no longer says it).
    const dismissedBefore = current.state === 'dismissed' || evidence.some((e) => e.dismissed);
    next = dismissedBefore
      ? { timeCritical: false, state: 'dismissed', deadline: current.deadline, evidence, dueAt: null }
      : { timeCritical: false, state: null, deadline: null, evidence: [], dueAt: null };
  } else {
    raised = !current.timeCritical;
    again = raised && (current.state === 'dismissed' || evidence.some((e) => e.dismissed));
    const dueAt = current.timeCritical && current.dueAt ? current.dueAt : timeCriticalDueAt(new Date(input.dueFrom ?? input.at)).toISOString();
    next = { timeCritical: true, state: 'detected', deadline: earliest(live), evidence, dueAt };
  }
  const changed =
    next.timeCritical !== current.timeCritical ||
    next.state !== current.state ||
    next.deadline !== current.deadline ||
    next.dueAt !== current.dueAt ||
    JSON.stringify(next.evidence) !== JSON.stringify(current.evidence);
  const newLive = live.filter((e) => !current.evidence.some((c) => sameEvidence(c, e)));
  return { next, changed, raised, again, cause: raised ? (newLive[0] ?? live[0] ?? null) : null };
}

/** The evidence as a duty manager dismissed it: none of it raises the flag again. */
export function dismissAll(evidence: readonly Evidence[]): Evidence[] {
  return evidence.map((e) => ({ ...e, dismissed: true }));
}

/** Evidence from one text's deadlines (the pipeline's), named by where they came from. */
export function evidenceFrom(deadlines: ReadonlyArray<DetectedDeadline & { page?: number | null }>, origin: EvidenceOrigin, at: string): Evidence[] {
  return deadlines.map(({ index: _index, ...d }) => ({ ...d, page: d.page ?? null, origin, foundAt: at }));
}

/** Where the evidence is, in words: "page 2 of fax.tif", "the account", "a note of 4 March". */
export function evidencePlace(e: Pick<Evidence, 'page' | 'origin'>): string {
  if (!e.origin) return 'the account';
  if (e.origin.kind === 'attachment') return e.page ? `page ${e.page} of ${e.origin.label}` : e.origin.label;
  return e.origin.label;
}
