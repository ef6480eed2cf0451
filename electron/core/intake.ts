// What intake decides about a new allegation before it is stored: its unit (routing by the postcode of the
// alleged offence), when initial assessment is due, the open text of what came with it, and whether it is
// time-critical. Every text it arrives with (the account, notes, text a legacy system read from its attachments)
// goes through the one analysis pipeline (shared/analysis/analyse-text.ts): the known source, and a letter's
// writer, are withheld from the open text, and the deadlines found become the flag's evidence (triage.ts).
import type { AllegationContent, TimeCriticalPlan } from '../store/allegation-write.ts';
import { routeRecord, type RoutingTable } from '../../shared/domain/routing.ts';
import { assessmentDueAt } from '../../shared/domain/clock.ts';
import { unitByCode } from '../../shared/domain/units.ts';
import { analyseText } from '../../shared/analysis/analyse-text.ts';
import { evidenceFrom, triage, type Evidence, type EvidenceOrigin } from '../../shared/analysis/triage.ts';
import type { Status } from '../../shared/domain/vocabularies.ts';

export interface IntakePlan {
  status: Status;
  unit: string;
  routedBy: string;
  assessmentDueAt: string;
  nextDueAt: string | null;
  timeCritical: TimeCriticalPlan | null;
  /** Every imminent event found, earliest first, with where it was found. */
  deadlines: Evidence[];
  /** The texts as the pipeline leaves them to be stored openly (source and writer withheld). */
  open: { freeText: string; notes: string[]; legacy: string[] };
}

export const ACCOUNT: EvidenceOrigin = { kind: 'account', id: null, label: 'the account' };

export const noteOrigin = (id: string | null, date: string, author: string): EvidenceOrigin => ({ kind: 'note', id, label: `a note of ${date} by ${author}` });

/**
 * `how`: 'imported' keeps the status the submission carried (legacy records arrive already worked);
 * 'entered' starts at new. `at`: when it is being stored (evidence found at intake says so).
 */
export function planIntake(routing: RoutingTable, content: AllegationContent, how: 'imported' | 'entered', status: Status = 'new', at: string = new Date(content.receivedAt).toISOString()): IntakePlan {
  const decision = routeRecord(routing, content);
  const unit = unitByCode(decision.unit);
  const received = new Date(content.receivedAt);
  const due = assessmentDueAt(received, unit?.holidays ?? 'england-wales');
  const read = (text: string, readWriter: boolean) => analyseText({ page: null, text, receivedAt: received, knownSource: content.source, readWriter, suggest: false });
  const found: Evidence[] = [];
  const account = read(content.freeText, false);
  found.push(...evidenceFrom(account.deadlines, ACCOUNT, at));
  const notes = content.notes.map((n) => {
    const r = read(n.text, false);
    found.push(...evidenceFrom(r.deadlines, noteOrigin(null, n.date, n.author), at));
    return r.pages[0]?.open ?? n.text;
  });
  // Text a legacy system read from a letter can give its writer away like a scan does.
  const legacy = content.legacyAttachments.map((a) => {
    const r = read(a.text, true);
    found.push(...evidenceFrom(r.deadlines, { kind: 'attachment', id: null, label: a.fileName }, at));
    return r.pages[0]?.open ?? a.text;
  });
  const flag = triage({ timeCritical: false, state: null, deadline: null, evidence: [], dueAt: null }, { replace: [], found, at, dueFrom: received.toISOString() }).next;
  return {
    status: how === 'imported' ? status : 'new',
    unit: decision.unit,
    routedBy: decision.reason,
    assessmentDueAt: due.toISOString(),
    nextDueAt: null,
    timeCritical: flag.timeCritical && flag.deadline && flag.dueAt ? { deadline: flag.deadline, evidence: flag.evidence, dueAt: flag.dueAt } : null,
    deadlines: flag.evidence,
    open: { freeText: account.pages[0]?.open ?? content.freeText, notes, legacy },
  };
}
