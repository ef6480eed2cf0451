// The one typed event channel from the core to the renderer: progress of long work and live changes.
import { z } from 'zod';
import { OCR_STATUSES } from '../domain/vocabularies.ts';
import { syncStatus } from './sync.ts';

export const coreEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('import.progress'),
    jobId: z.string(),
    done: z.number().int(),
    total: z.number().int().nullable(),
    imported: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    finished: z.boolean(),
  }),
  z.object({ type: z.literal('allegation.changed'), allegationId: z.string(), reference: z.string() }),
  z.object({ type: z.literal('search.reindex'), done: z.number().int(), total: z.number().int(), finished: z.boolean() }),
  // Reading an attachment: queued, started (pages counted), each page as it lands, finished, sanitised copy made.
  z.object({
    type: z.literal('attachment.progress'),
    attachmentId: z.string(),
    allegationId: z.string(),
    reference: z.string(),
    fileName: z.string(),
    stage: z.enum(['queued', 'started', 'page', 'finished', 'sanitised']),
    status: z.enum(OCR_STATUSES),
    pageCount: z.number().int(),
    pagesDone: z.number().int(),
    pagesFailed: z.number().int(),
    page: z.number().int().nullable(),
    finished: z.boolean(),
  }),
  // Something in the store changed (any committed mutation, by this window, another, the OCR pool or an import):
  // screens re-read what they show. Mutations in quick succession are sent as one event.
  z.object({ type: z.literal('store.changed'), allegationIds: z.array(z.string()), mutations: z.number().int() }),
  // An allegation joined the duty intelligence manager's queue (on receipt, or when a page, note or amendment
  // said something imminent), or joined it again over a dismissal because of evidence not seen before.
  z.object({
    type: z.literal('timecritical.raised'),
    allegationId: z.string(),
    reference: z.string(),
    unit: z.string().nullable(),
    /** The event and its date ("flight", "2026-03-06"), where it was found ("page 2 of fax.tif") and why, in words. */
    event: z.string(),
    date: z.string(),
    where: z.string(),
    reason: z.string(),
    again: z.boolean(),
  }),
  // The NAT scan inbox changed (a scan arrived from the watched folder, or was attached).
  z.object({ type: z.literal('scans.changed'), waiting: z.number().int() }),
  // Sync: the state shown in the window changed; records arrived from the server (screens showing them refresh).
  z.object({ type: z.literal('sync.status'), status: syncStatus }),
  z.object({ type: z.literal('sync.applied'), allegationIds: z.array(z.string()), more: z.boolean() }),
]);
export type CoreEvent = z.infer<typeof coreEvent>;
