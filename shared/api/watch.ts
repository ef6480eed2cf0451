// The watch list: a user's allegations and entities to follow, each saying what is new since they last looked.
import { z } from 'zod';
import { STATUSES } from '../domain/vocabularies.ts';
import { ENTITY_KINDS } from '../entities/entity.ts';
import { isoDateTime, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

export const WATCH_KINDS = ['allegation', ...ENTITY_KINDS] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

export const watchItemView = z.object({
  id: uuid,
  kind: z.enum(WATCH_KINDS),
  /** An allegation's reference, or the entity's canonical value. */
  value: z.string(),
  label: z.string(),
  addedAt: isoDateTime,
  seenAt: isoDateTime.nullable(),
  /** Entities: allegations naming it now; allegations: 1. */
  allegations: z.number().int(),
  status: z.enum(STATUSES).nullable(),
  lastActivity: isoDateTime.nullable(),
  /** Entities: allegations naming it that were not there when last seen. */
  newAppearances: z.number().int(),
  changedSinceSeen: z.boolean(),
});
export type WatchItemView = z.infer<typeof watchItemView>;

const watchItem = z.object({ kind: z.enum(WATCH_KINDS), value: z.string().trim().min(1).max(300), label: z.string().trim().max(300).default('') });

export const watchApi = {
  'watch.list': procedure({
    summary: "The signed-in user's watch list, each item with what is new since they last looked.",
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.array(watchItemView),
  }),
  'watch.add': procedure({
    summary: 'Follow allegations or entities (one, or many rows of a queue or search at once).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ items: z.array(watchItem).min(1, 'choose something to watch').max(1000) }),
    output: z.object({ added: z.number().int(), already: z.number().int() }),
  }),
  'watch.remove': procedure({
    summary: 'Stop following an item (it is kept, marked removed).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ id: uuid }),
    output: z.object({}),
  }),
  'watch.seen': procedure({
    summary: 'Mark items as seen: what they show now is no longer new.',
    access: 'signed_in',
    mutates: true,
    input: z.object({ ids: z.array(uuid).min(1).max(1000) }),
    output: z.object({}),
  }),
} as const;
