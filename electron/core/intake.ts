// What intake decides about a new allegation before it is stored: its unit (routing by the postcode of the
// alleged offence), when initial assessment is due, and whether it is time-critical.
import type { Core } from './core.ts';
import type { SubmissionRecord } from '../../shared/schemas/submission.ts';
import { routeRecord } from '../../shared/routing.ts';
import { assessmentDueAt } from '../../shared/clock.ts';
import { unitByCode } from '../../shared/units.ts';
import type { Status } from '../../shared/domain.ts';

export interface IntakePlan {
  status: Status;
  unit: string;
  routedBy: string;
  assessmentDueAt: string | null;
  nextDueAt: string | null;
  timeCritical: boolean;
}

export function planIntake(core: Core, record: SubmissionRecord): IntakePlan {
  const decision = routeRecord(core.routingTable(), record);
  const unit = unitByCode(decision.unit);
  const received = new Date(record.receivedAt);
  const due = assessmentDueAt(received, unit?.holidays ?? 'england-wales');
  return {
    status: record.status,
    unit: decision.unit,
    routedBy: decision.reason,
    assessmentDueAt: due.toISOString(),
    nextDueAt: null,
    timeCritical: false,
  };
}
