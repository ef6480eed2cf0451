// Management information for the desk's scope: who may see which scope, the figures (shared/mi/compute.ts over
// the fact rows the MI index keeps current), the records behind one figure, and the figures as CSV.
import type { HasMi, HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { queueRows } from '../store/queues.ts';
import { csvCell } from '../search/csv.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { computeMi, inFigure, miNow, type DrillTarget } from '../../shared/mi/compute.ts';
import { BREAKDOWN_COLUMNS, MI_GROUPS } from '../../shared/mi/measures.ts';
import { figureTitle, resolveMiScope } from '../../shared/mi/scope.ts';
import type { MiScopeInput, MiScopeView, MiReportView } from '../../shared/api/mi.ts';
import type { z } from 'zod';
import type { miScopeInput } from '../../shared/api/mi.ts';
import type { QueueRow } from '../../shared/schemas/record.ts';

type ScopeInput = z.output<typeof miScopeInput>;

/** What this module needs of the core: the store (queues, audit) and the MI facts. */
export type MiDeps = HasStore & HasMi;

/**
 * The scope a user asked for, or their default: a national role (manager) sees any scope and starts at their own
 * unit's region; anyone else sees their own unit only.
 */
export function resolveScope(core: MiDeps, user: UserRow, input: ScopeInput | MiScopeInput): MiScopeView {
  return scopeView(core, user, input);
}

/** The scope view: with a user, what they may see (shared/mi/scope.ts); without one (the CLI), exactly what was asked. */
export function scopeView(core: MiDeps, user: UserRow | null, input: ScopeInput | MiScopeInput): MiScopeView {
  return resolveMiScope(user ? { role: user.role, unitCode: user.unit_code } : null, input, { today: ukDate(core.store.now()), firstDay: core.mi.span().first });
}

function factsOf(core: MiDeps, scope: MiScopeView, withIds = false) {
  return core.mi.facts({ region: scope.region ?? undefined, unit: scope.unit ?? undefined, from: scope.from, to: scope.to }, withIds);
}

export function miReport(core: MiDeps, user: UserRow, input: ScopeInput): MiReportView {
  return miReportFor(core, resolveScope(core, user, input));
}

/** The figures of a scope already resolved (the CLI resolves its own, without a user). */
export function miReportFor(core: MiDeps, scope: MiScopeView): MiReportView {
  const started = performance.now();
  const pending = core.mi.pendingCount();
  const figures = computeMi(factsOf(core, scope), miNow(core.store.now()), scope.by);
  return { scope, asOf: core.store.now().toISOString(), ...figures, caughtUp: pending, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

/** The allegations behind one figure: the facts the figure's own test counts, shown as a queue. */
export function miRecords(core: MiDeps, user: UserRow, input: ScopeInput, target: DrillTarget, limit: number): { scope: MiScopeView; title: string; label: string; total: number; rows: QueueRow[] } {
  const scope = resolveScope(core, user, input);
  const { title, label } = figureTitle(target);
  const now = miNow(core.store.now());
  const ids = factsOf(core, scope, true).filter((f) => inFigure(f, target, now)).map((f) => f.allegationId);
  const { rows } = queueRows(core.store.db, { unit: null, statuses: [], ids, limit });
  return { scope, title, label, total: ids.length, rows };
}

export function miCsv(core: MiDeps, user: UserRow, input: ScopeInput): { fileName: string; csv: string } {
  const report = miReport(core, user, input);
  auditExport(core, user, 'mi.export', report.scope);
  return miCsvFor(report);
}

export function miCsvFor(report: MiReportView): { fileName: string; csv: string } {
  const s = report.scope;
  const lines: string[][] = [
    ['IMS Desk management information'],
    ['Scope', s.label],
    ['Received from', s.from],
    ['Received to', s.to],
    ['As of', report.asOf],
    ['Allegations', String(report.total)],
    [],
    ['Group', 'Figure', 'Key', 'Allegations', 'Definition'],
  ];
  for (const g of MI_GROUPS) {
    const counts = report.groups[g.id] ?? {};
    for (const k of g.keys) lines.push([g.title, g.labels[k] ?? k, `${g.id}:${k}`, String(counts[k] ?? 0), g.definition]);
  }
  lines.push([], [`By ${s.by}`, 'Allegations', ...BREAKDOWN_COLUMNS.map((c) => c.label)]);
  for (const r of report.breakdown) lines.push([r.label, String(r.total), ...BREAKDOWN_COLUMNS.map((c) => String(r.cells[c.id] ?? 0))]);
  const stamp = report.asOf.slice(0, 10);
  return { fileName: `ims-mi-${slug(s.label)}-${s.from}-to-${s.to}-${stamp}.csv`, csv: `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n` };
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function auditExport(core: MiDeps, user: UserRow, action: string, scope: MiScopeView): void {
  core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action, entity: null, entityId: null, allegationId: null, details: { scope: scope.label, from: scope.from, to: scope.to } });
}
