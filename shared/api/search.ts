import { z } from 'zod';
import { CHANNELS, OFFENCE_TYPES, STATUSES } from '../domain.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

/** Where in the record a hit matched: the form, a note, or a page of an attachment. */
export const hitPlace = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('form') }),
  z.object({ kind: z.literal('note'), noteId: uuid }),
  z.object({ kind: z.literal('attachment'), attachmentId: uuid, page: z.number().int().nullable(), fileName: z.string() }),
]);

export const searchHit = z.object({
  allegationId: uuid,
  reference,
  receivedAt: isoDateTime,
  status: z.enum(STATUSES),
  channel: z.enum(CHANNELS),
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  unit: z.string().nullable(),
  mainSubject: z.string(),
  score: z.number(),
  matches: z.array(z.object({ place: hitPlace, snippet: z.string() })),
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchApi = {
  'search.query': procedure({
    summary: 'Full-text search across the form, notes and attachment text.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ q: z.string().trim().min(1, 'type something to search for').max(500), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ total: z.number().int(), hits: z.array(searchHit), tookMs: z.number() }),
  }),
} as const;
