// What intake decides about a new allegation before it is stored: its unit (routing by the postcode of the
// alleged offence), when initial assessment is due, and whether it is time-critical (an imminent event in the
// account or attachment text sends it to the duty intelligence manager with a 24-hour standard).
import type { AllegationContent, TimeCriticalPlan } from '../store/allegation-write.ts';
import { routeRecord, type RoutingTable } from '../../shared/domain/routing.ts';
import { assessmentDueAt, timeCriticalDueAt } from '../../shared/domain/clock.ts';
import { unitByCode } from '../../shared/domain/units.ts';
import { detectDeadlines, type DetectedDeadline } from '../../shared/domain/deadlines.ts';
import type { Status } from '../../shared/domain/vocabularies.ts';

export interface IntakePlan {
  status: Status;
  unit: string;
  routedBy: string;
  assessmentDueAt: string;
  nextDueAt: string | null;
  timeCritical: TimeCriticalPlan | null;
  deadlines: DetectedDeadline[];
}


/** The texts read for deadlines: the account, and text that came with the allegation. */
function triageText(content: AllegationContent): string {
  return [content.freeText, ...content.legacyAttachments.map((a) => a.text)].filter(Boolean).join('\n\n');
}

/**
 * `how`: 'imported' keeps the status the submission carried (legacy records arrive already worked);
 * 'entered' starts at new.
 */
export function planIntake(routing: RoutingTable, content: AllegationContent, how: 'imported' | 'entered', status: Status = 'new'): IntakePlan {
  const decision = routeRecord(routing, content);
  const unit = unitByCode(decision.unit);
  const received = new Date(content.receivedAt);
  const due = assessmentDueAt(received, unit?.holidays ?? 'england-wales');
  const deadlines = detectDeadlines(triageText(content), received);
  const first = deadlines[0];
  return {
    status: how === 'imported' ? status : 'new',
    unit: decision.unit,
    routedBy: decision.reason,
    assessmentDueAt: due.toISOString(),
    nextDueAt: null,
    timeCritical: first ? { deadline: first.date, evidence: deadlines.map(({ index: _i, ...d }) => d), dueAt: timeCriticalDueAt(received).toISOString() } : null,
    deadlines,
  };
}
