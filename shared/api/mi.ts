// Management information (000 §6.5-6.6; 004 §7.18-7.24): the figures of a scope (national, a region or a unit)
// over a period of receipt, with a breakdown by unit, region or month; the records behind any figure; the
// figures as CSV and as a printable PDF report.
import { z } from 'zod';
import { REGIONS } from '../domain/units.ts';
import { BREAKDOWNS } from '../mi/compute.ts';
import { queueRow } from '../schemas/record.ts';
import { isoDate, isoDateTime } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

/** Managers see any scope; compliance officers and duty managers their own unit's. */
export const MI_ROLES = ['manager', 'admin', 'compliance_officer', 'duty_manager'] as const;

export const miScopeInput = z
  .object({
    /** National, a region or a unit; by default a manager's own region (their unit's), anyone else's unit. */
    level: z.enum(['national', 'region', 'unit']).optional(),
    region: z.enum(REGIONS).optional(),
    unit: z.string().max(20).optional(),
    /** UK dates of receipt, inclusive; by default everything held up to today. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    by: z.enum(BREAKDOWNS).default('unit'),
  })
  .strict()
  .refine((s) => !(s.region && s.unit), { message: 'choose a region or a unit, not both', path: ['unit'] })
  .refine((s) => !s.from || !s.to || s.from <= s.to, { message: 'the period must end on or after its start', path: ['to'] });
export type MiScopeInput = z.input<typeof miScopeInput>;

export const miScopeView = z.object({
  level: z.enum(['national', 'region', 'unit']),
  region: z.enum(REGIONS).nullable(),
  unit: z.string().nullable(),
  label: z.string(),
  from: isoDate,
  to: isoDate,
  by: z.enum(BREAKDOWNS),
});
export type MiScopeView = z.infer<typeof miScopeView>;

const counts = z.record(z.string(), z.number().int());

export const miReport = z.object({
  scope: miScopeView,
  asOf: isoDateTime,
  total: z.number().int(),
  /** group id ("timeliness.buckets") -> key ("3-5") -> allegations. */
  groups: z.record(z.string(), counts),
  breakdown: z.array(z.object({ key: z.string(), label: z.string(), total: z.number().int(), cells: counts })),
  /** How many facts were brought up to date before answering, and how long the answer took. */
  caughtUp: z.number().int(),
  tookMs: z.number(),
});
export type MiReportView = z.infer<typeof miReport>;

export const miTarget = z
  .object({
    group: z.string().min(1).max(64),
    key: z.string().min(1).max(64),
    row: z.object({ by: z.enum(BREAKDOWNS), key: z.string().min(1).max(64) }).optional(),
  })
  .strict();

export const miRecordsInput = z.object({ scope: miScopeInput, target: miTarget, limit: z.number().int().min(1).max(100_000).default(20_000) }).strict();

/** The server's answer for the records behind a national figure: the allegations, by reference and unit. */
export const miNationalRecords = z.object({
  scope: miScopeView,
  title: z.string(),
  label: z.string(),
  total: z.number().int(),
  records: z.array(z.object({ allegationId: z.string(), reference: z.string().nullable(), unit: z.string().nullable() })),
});
export type MiNationalRecords = z.infer<typeof miNationalRecords>;

export const miApi = {
  'mi.report': procedure({
    summary: 'Management information for a scope and period: timeliness (Figure 8), service standards, outcomes and actions, reporters and channels, data quality, grading, assurance and follow-ups.',
    access: MI_ROLES,
    mutates: false,
    input: miScopeInput,
    output: miReport,
  }),
  'mi.records': procedure({
    summary: 'The allegations behind one figure of the management information, most urgent first.',
    access: MI_ROLES,
    mutates: false,
    input: miRecordsInput,
    output: z.object({ scope: miScopeView, title: z.string(), label: z.string(), total: z.number().int(), rows: z.array(queueRow) }),
  }),
  'mi.national': procedure({
    summary: 'Management information over the national record, from the central server (with the same access rules); when the desk has no server, or cannot reach it, says why so that the screen shows the desk’s own figures.',
    access: MI_ROLES,
    mutates: false,
    input: miScopeInput,
    output: z.discriminatedUnion('available', [
      z.object({ available: z.literal(true), report: miReport, server: z.string() }),
      z.object({ available: z.literal(false), reason: z.string(), connected: z.boolean() }),
    ]),
  }),
  'mi.nationalRecords': procedure({
    summary: 'The allegations behind one national figure, from the central server: their references and units.',
    access: MI_ROLES,
    mutates: false,
    input: miRecordsInput,
    output: miNationalRecords,
  }),
  'mi.export': procedure({
    summary: 'The management information as CSV (every figure, and the breakdown); the export is audited.',
    access: MI_ROLES,
    mutates: false,
    input: miScopeInput,
    output: z.object({ fileName: z.string(), csv: z.string() }),
  }),
  'mi.pdf': procedure({
    summary: 'The management information as a printable PDF report; the export is audited.',
    access: MI_ROLES,
    mutates: false,
    input: miScopeInput,
    output: z.object({ fileName: z.string(), pdfBase64: z.string() }),
  }),
} as const;
