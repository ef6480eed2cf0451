import { z } from 'zod';
import { CHANNELS, OFFENCE_TYPES, STATUSES } from '../domain/vocabularies.ts';
import { allegationRecord, queueRow } from '../schemas/record.ts';
import { reference, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

export const unitView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['riu', 'lacat', 'nat', 'nsu']),
  region: z.string().nullable(),
});

export const QUEUE_BUCKETS = ['all_open', 'new', 'awaiting_assessment', 'in_research', 'awaiting_compliance', 'closed'] as const;
export type QueueBucket = (typeof QUEUE_BUCKETS)[number];
/** unit: a unit's queue by bucket; time_critical: the duty intelligence manager's; mine: allocated to me. */
export const QUEUE_VIEWS = ['unit', 'time_critical', 'mine'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const statsView = z.object({
  allegations: z.number().int(),
  byStatus: z.record(z.enum(STATUSES), z.number().int()),
  byChannel: z.record(z.enum(CHANNELS), z.number().int()),
  byUnit: z.record(z.string(), z.number().int()),
  byOffence: z.record(z.enum(OFFENCE_TYPES), z.number().int()),
  subjects: z.number().int(),
  notes: z.number().int(),
  attachments: z.number().int(),
  withSource: z.number().int(),
});

export const casesApi = {
  'units.list': procedure({
    summary: 'The units allegations are routed to.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.array(unitView),
  }),
  'queue.list': procedure({
    summary: "A unit's work, most urgent first. Defaults to the signed-in user's unit.",
    access: 'signed_in',
    mutates: false,
    input: z.object({
      view: z.enum(QUEUE_VIEWS).default('unit'),
      unit: z.string().optional(),
      bucket: z.enum(QUEUE_BUCKETS).default('all_open'),
      limit: z.number().int().min(1).max(200_000).default(100_000),
    }),
    output: z.object({ view: z.enum(QUEUE_VIEWS), unit: z.string().nullable(), bucket: z.enum(QUEUE_BUCKETS), total: z.number().int(), rows: z.array(queueRow) }),
  }),
  'allegations.get': procedure({
    summary: 'Everything an allegation holds, by id or reference; source details are never included.',
    access: 'signed_in',
    mutates: false,
    input: z.union([z.object({ id: uuid }), z.object({ reference })]),
    output: allegationRecord,
  }),
  'stats.get': procedure({
    summary: 'Counts over the whole store.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: statsView,
  }),
} as const;
