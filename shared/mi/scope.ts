// Who may see which management information, and what a request for it means: one set of rules for the desk (over
// its own store) and the server (over the national record), so a person sees the same scopes on both. A national
// role (manager, admin, NSU, SACU) sees any scope and starts at their own unit's region; anyone else sees their own
// unit only.
import { ApiError } from '../api/errors.ts';
import { NATIONAL_ROLES, type Role } from '../domain/vocabularies.ts';
import { REGION_LABELS, unitByCode, unitName, type Region } from '../domain/units.ts';
import type { MiScopeInput, MiScopeView } from '../api/mi.ts';
import type { Breakdown, DrillTarget } from './compute.ts';
import { breakdownLabel } from './compute.ts';
import { miGroup } from './measures.ts';

/** The person asking: their role and unit (null for the CLI, which sees exactly what it asks for). */
export interface MiViewer {
  role: Role;
  unitCode: string | null;
}

export interface MiScopeRequest {
  level?: MiScopeInput['level'];
  region?: Region | undefined;
  unit?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  by?: Breakdown | undefined;
}

/**
 * The scope a viewer asked for, or their default, or why they may not see it. `today` is the UK date now and
 * `firstDay` the earliest day of receipt held (the default start of the period).
 */
export function resolveMiScope(viewer: MiViewer | null, input: MiScopeRequest, days: { today: string; firstDay: string | null }): MiScopeView {
  const national = viewer ? NATIONAL_ROLES.includes(viewer.role) : true;
  const own = viewer?.unitCode ? unitByCode(viewer.unitCode) : undefined;
  let level = input.level ?? (input.unit ? 'unit' : input.region ? 'region' : national ? (own?.region ? 'region' : 'national') : 'unit');
  let region: Region | null = level === 'region' ? (input.region ?? own?.region ?? null) : null;
  let unit: string | null = level === 'unit' ? (input.unit ?? viewer?.unitCode ?? null) : null;
  if (level === 'region' && !region) level = 'national';
  if (level === 'unit' && !unit) throw new ApiError('bad_request', 'Your account has no unit: choose a unit or a region');
  if (unit && !unitByCode(unit)) throw new ApiError('bad_request', `There is no unit ${unit}`, { unit: 'choose a unit' });
  if (viewer && !national && (level !== 'unit' || unit !== viewer.unitCode)) {
    throw new ApiError('forbidden', `You can see the management information of your own unit (${unitName(viewer.unitCode)}); managers see other units, regions and national figures`);
  }
  if (level === 'national') {
    region = null;
    unit = null;
  }
  const from = input.from ?? days.firstDay ?? days.today;
  const to = input.to ?? (from > days.today ? from : days.today);
  const label = level === 'national' ? 'National' : level === 'region' ? `${REGION_LABELS[region as Region]} region` : unitName(unit);
  return { level, region, unit, label, from, to, by: input.by ?? 'unit' };
}

/** The title of a figure and its label (with the breakdown row's when the figure is one row's), or why there is none. */
export function figureTitle(target: DrillTarget): { title: string; label: string } {
  if (target.group === 'total') return { title: 'All allegations', label: 'All allegations' };
  const g = miGroup(target.group);
  if (!g || !g.keys.includes(target.key)) throw new ApiError('bad_request', `There is no figure ${target.group} / ${target.key}`, { target: 'choose a figure of the report' });
  const label = g.labels[target.key] ?? target.key;
  return { title: g.title, label: target.row ? `${label} — ${breakdownLabel(target.row.key, target.row.by)}` : label };
}
