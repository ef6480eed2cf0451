// Management information from fact rows: one pass over the facts in scope counts every figure of every group
// (shared/mi/measures.ts) and the breakdown by unit, region or month; the records behind a figure are the facts
// the same group function counts under that key. Pure: the desk runs it over its store, the server over the
// national record.
import { REGION_LABELS, unitName } from '../domain/units.ts';
import { ukDate } from '../domain/uk-time.ts';
import { dayNumber, type MiFact } from './facts.ts';
import { BREAKDOWN_COLUMNS, MI_GROUPS, miGroup, type MiNow } from './measures.ts';

export const BREAKDOWNS = ['unit', 'region', 'month'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Allegations without a region: those held by the national teams (NAT, NSU) or not yet routed. */
export const NATIONAL_TEAMS = 'national_teams';

export function miNow(at: Date): MiNow {
  return { iso: at.toISOString(), ms: at.getTime(), day: dayNumber(ukDate(at)) };
}

const months = new Map<number, string>();
/** "2026-03" for a day of March 2026 (yyyymmdd); one string per month, not per fact. */
function monthOf(day: number): string {
  const m = Math.floor(day / 100);
  let s = months.get(m);
  if (!s) {
    s = `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`;
    months.set(m, s);
  }
  return s;
}

/** The row of the breakdown a fact falls in. */
export function breakdownKey(f: Pick<MiFact, 'unit' | 'region' | 'receivedDay'>, by: Breakdown): string {
  if (by === 'unit') return f.unit ?? 'unrouted';
  if (by === 'region') return f.region ?? NATIONAL_TEAMS;
  return monthOf(f.receivedDay);
}

export function breakdownLabel(key: string, by: Breakdown): string {
  if (by === 'unit') return key === 'unrouted' ? 'Not routed' : unitName(key);
  if (by === 'region') return key === NATIONAL_TEAMS ? 'National teams (NAT, NSU)' : (REGION_LABELS as Record<string, string>)[key] ?? key;
  return key;
}

export interface MiBreakdownRow {
  key: string;
  label: string;
  total: number;
  cells: Record<string, number>;
}

export interface MiFigures {
  total: number;
  /** Every group's figures: group id -> key -> count. */
  groups: Record<string, Record<string, number>>;
  breakdown: MiBreakdownRow[];
}

export function computeMi(facts: Iterable<MiFact>, now: MiNow, by: Breakdown): MiFigures {
  const groups: Record<string, Record<string, number>> = {};
  for (const g of MI_GROUPS) groups[g.id] = Object.fromEntries(g.keys.map((k) => [k, 0]));
  const rows = new Map<string, MiBreakdownRow>();
  // One plan entry per group, resolved once: the hot loop below runs groups x facts times.
  const plan = MI_GROUPS.map((g) => ({
    of: g.of,
    counts: groups[g.id] as Record<string, number>,
    columns: BREAKDOWN_COLUMNS.filter((c) => c.group === g.id).map((c) => ({ id: c.id, key: c.key })),
  }));
  let total = 0;
  for (const f of facts) {
    total++;
    const key = breakdownKey(f, by);
    let row = rows.get(key);
    if (!row) {
      row = { key, label: breakdownLabel(key, by), total: 0, cells: Object.fromEntries(BREAKDOWN_COLUMNS.map((c) => [c.id, 0])) };
      rows.set(key, row);
    }
    row.total++;
    const cells = row.cells;
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i] as (typeof plan)[number];
      const ks = p.of(f, now);
      for (let j = 0; j < ks.length; j++) {
        const k = ks[j] as string;
        p.counts[k] = (p.counts[k] ?? 0) + 1;
        for (let c = 0; c < p.columns.length; c++) {
          const col = p.columns[c] as { id: string; key: string };
          if (col.key === k) cells[col.id] = (cells[col.id] ?? 0) + 1;
        }
      }
    }
  }
  const breakdown = [...rows.values()].sort((a, b) => (by === 'month' ? a.key.localeCompare(b.key) : a.label.localeCompare(b.label)));
  return { total, groups, breakdown };
}

/** Figures arranged by section ("timeliness" -> "buckets" -> "3-5" -> n), as `ims mi --json` prints them. */
export function bySection(groups: Record<string, Record<string, number>>): Record<string, Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const [id, counts] of Object.entries(groups)) {
    const [section, name] = id.split('.') as [string, string];
    (out[section] ??= {})[name] = counts;
  }
  return out;
}

export interface DrillTarget {
  group: string;
  key: string;
  /** Only the facts of one breakdown row (a unit, region or month). */
  row?: { by: Breakdown; key: string } | undefined;
}

/** Whether a fact is one of the records behind a figure: the very test that counted it. */
export function inFigure(f: MiFact, target: DrillTarget, now: MiNow): boolean {
  if (target.row && breakdownKey(f, target.row.by) !== target.row.key) return false;
  if (target.group === 'total') return true;
  const g = miGroup(target.group);
  if (!g) throw new Error(`There is no MI figure group called ${target.group}`);
  return g.of(f, now).includes(target.key);
}
