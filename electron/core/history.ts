// An allegation's history as its audit entries tell it: who did what and when, with what changed. Access to the
// restricted source pane is left out: that record is SACU's (the Source access screen).
import type { HasStore } from './deps.ts';
import { prepared } from '../store/db.ts';

const LABELS: Record<string, string> = {
  'allegation.import': 'Imported',
  'allegation.create': 'Created',
  'allegation.update': 'Form amended',
  'allegation.assess': 'Initial assessment',
  'allegation.allocate': 'Allocated',
  'allegation.reallocate': 'Reallocated',
  'allegation.time_critical.confirm': 'Time-critical confirmed',
  'allegation.time_critical.dismiss': 'Time-critical dismissed',
  'allegation.grade': 'Graded',
  'allegation.regrade': 'Regraded',
  'allegation.outcome': 'Outcome chosen',
  'allegation.report': 'Intelligence report produced',
  'compliance.approve': 'Compliance: approved and closed',
  'compliance.return': 'Compliance: returned',
  'check.add': 'Background check recorded',
  'note.add': 'Note added',
  'note.amend': 'Note amended',
  'link.judge': 'Link judged',
  'links.review': 'Cross-check recorded',
  'action.record': 'Action recorded',
  'action.result': 'Result recorded',
  'feedback.debrief': 'Debrief attached',
  'qa.check': 'Sample check recorded',
};

function summary(action: string, d: Record<string, unknown>): string {
  const s = (k: string) => (d[k] === undefined || d[k] === null ? '' : String(d[k]));
  switch (action) {
    case 'allegation.grade':
      return `${s('grading')}, ${s('harm')} harm${s('conditions') ? `; conditions: ${s('conditions')}` : ''}`;
    case 'allegation.regrade':
      return `${s('was')} (${s('wasHarm')} harm) → ${s('grading')} (${s('harm')} harm)${s('conditions') ? `; conditions: ${s('conditions')}` : ''}`;
    case 'allegation.assess':
      return `risk rating ${s('riskRating').replace(/_/g, ' ')}${s('grading') ? `; graded ${s('grading')}, ${s('harm')} harm${s('conditions') ? `; conditions: ${s('conditions')}` : ''}` : ''}`;
    case 'allegation.outcome':
      return [s('outcome').replace(/_/g, ' '), s('nfaReason').replace(/_/g, ' '), Array.isArray(d.actions) ? (d.actions as string[]).join(', ').replace(/_/g, ' ') : ''].filter(Boolean).join(' — ');
    case 'action.record':
      return `${s('action').replace(/_/g, ' ')} to ${s('recipient')}${s('grading') ? ` (graded ${s('grading')})` : ''}; follow up by ${s('followUpDue')}`;
    case 'action.result':
      return `${s('recipient')}: ${s('result').replace(/_/g, ' ')}${s('detail') ? ` — ${s('detail')}` : ''}`;
    case 'allegation.reallocate':
      return `${s('from')} → ${s('to')}${s('reason') ? `: ${s('reason')}` : ''}`;
    case 'compliance.return':
    case 'compliance.approve':
      return s('note');
    case 'qa.check':
      return `${s('result').replace(/_/g, ' ')}${s('note') ? `: ${s('note')}` : ''}`;
    default:
      return '';
  }
}

export function allegationHistory(core: HasStore, allegationId: string) {
  const rows = prepared(
    core.store.db,
    "SELECT at, actor, action, details FROM audit_log WHERE allegation_id = ? AND action NOT LIKE 'source.%' AND action NOT LIKE 'attachment.original%' ORDER BY seq",
  ).all(allegationId) as Array<{ at: string; actor: string; action: string; details: string }>;
  return rows.map((r) => {
    const details = JSON.parse(r.details) as Record<string, unknown>;
    return { at: r.at, actor: r.actor, action: r.action, label: LABELS[r.action] ?? r.action, summary: summary(r.action, details) };
  });
}
