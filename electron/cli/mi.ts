// `ims mi`: the management information of the desk's record, as the MI screen shows it (the same figures from
// the same fact rows), for a region, a unit or the whole desk, over a period of receipt.
import { writeFileSync } from 'node:fs';
import type { Core } from '../core/core.ts';
import { miCsvFor, miReportFor, scopeView } from '../core/mi.ts';
import { miPdf } from '../core/mi-pdf.ts';
import { miScopeInput } from '../../shared/api/mi.ts';
import { bySection } from '../../shared/mi/compute.ts';
import { MI_GROUPS } from '../../shared/mi/measures.ts';

export interface MiOptions {
  region?: string | undefined;
  unit?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  by?: string | undefined;
  json?: boolean | undefined;
  csv?: boolean | undefined;
  pdf?: string | undefined;
}

export class MiUsageError extends Error {}

export async function miCommand(core: Core, opts: MiOptions, progress: (done: number, total: number) => void): Promise<string> {
  const parsed = miScopeInput.safeParse({
    ...(opts.unit ? { level: 'unit', unit: opts.unit.toUpperCase() } : opts.region ? { level: 'region', region: opts.region.toLowerCase() } : { level: 'national' }),
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.by ? { by: opts.by } : {}),
  });
  if (!parsed.success) throw new MiUsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'scope'}: ${i.message}`).join('; '));
  // A bulk import leaves the facts to be brought up to date; do it with progress rather than silently.
  if (core.mi.pendingCount() > 0) core.mi.catchUp(progress);
  const scope = scopeView(core, null, parsed.data);
  const report = miReportFor(core, scope);
  if (opts.pdf) {
    writeFileSync(opts.pdf, await miPdf(report, 'ims mi'));
    return opts.json ? JSON.stringify({ pdf: opts.pdf, scope: report.scope }, null, 2) : `wrote ${opts.pdf}`;
  }
  if (opts.csv) return miCsvFor(report).csv;
  const { groups, ...rest } = report;
  if (opts.json) return JSON.stringify({ ...rest, ...bySection(groups) }, null, 2);
  const lines = [`${scope.label}, received ${scope.from} to ${scope.to}: ${report.total} allegations (as of ${report.asOf})`];
  for (const g of MI_GROUPS) {
    const counts = groups[g.id] ?? {};
    lines.push('', g.title);
    for (const k of g.keys) if ((counts[k] ?? 0) > 0 || g.id === 'timeliness.buckets') lines.push(`  ${(g.labels[k] ?? k).padEnd(40)} ${String(counts[k] ?? 0).padStart(8)}`);
  }
  return lines.join('\n');
}
