// The one typed event channel from the core to the renderer: progress of long work and live changes.
import { z } from 'zod';

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
]);
export type CoreEvent = z.infer<typeof coreEvent>;
