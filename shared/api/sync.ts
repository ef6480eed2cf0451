// The desk's side of syncing with the central server, as the screens see it: the state shown in the window
// (online, offline, changes waiting, last sync, conflicts), the server's address and this desk's registration,
// and the conflicts the server sent back for the people who made them to resolve.
import { z } from 'zod';
import { isoDateTime } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

export const REGISTRATIONS = ['none', 'unregistered', 'pending', 'approved', 'refused', 'revoked'] as const;

export const syncProblem = z.object({
  /** clock: this computer's date and time are too far from the server's; refused: the server turned this desk away. */
  kind: z.enum(['clock', 'refused', 'server', 'offline', 'too_large']),
  message: z.string(),
});

export const syncStatus = z.object({
  /** A server is configured (otherwise the desk works alone). */
  configured: z.boolean(),
  serverUrl: z.string().nullable(),
  deskName: z.string().nullable(),
  unit: z.string().nullable(),
  registration: z.enum(REGISTRATIONS),
  /** alone: no server; online: the last exchange worked; offline: the server could not be reached; syncing: now. */
  connection: z.enum(['alone', 'online', 'offline', 'syncing']),
  /** The live nudge is connected (otherwise the desk polls). */
  live: z.boolean(),
  /** This desk's changes the server has not yet answered. */
  waiting: z.number().int().min(0),
  /** Attachment files still to send or fetch. */
  filesWaiting: z.number().int().min(0),
  lastSyncAt: isoDateTime.nullable(),
  /** Set when the desk has not synced for a day or more: since when. */
  staleSince: isoDateTime.nullable(),
  /** Open conflicts on this desk, and those of the person asking. */
  conflicts: z.number().int().min(0),
  myConflicts: z.number().int().min(0),
  problem: syncProblem.nullable(),
  /** A new desk's first fill from the server: allegations received so far (null when not filling). */
  filling: z.object({ allegations: z.number().int().min(0) }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatus>;

export const conflictField = z.object({
  field: z.string(),
  label: z.string(),
  /** What the person's change made it. */
  yours: z.string(),
  /** What it is now, as the server holds it (null: the server holds no such row). */
  now: z.string().nullable(),
});

export const conflictChange = z.object({
  seq: z.number().int(),
  entity: z.string(),
  what: z.string(),
  op: z.enum(['insert', 'update', 'append']),
  fields: z.array(conflictField),
});

/** One mutation the server rejected (every change of it), as its author sees it. */
export const conflictGroup = z.object({
  /** The mutation's clock: names the group when resolving. */
  key: z.string(),
  allegationId: z.string().nullable(),
  reference: z.string().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  madeAt: isoDateTime,
  reason: z.string(),
  changes: z.array(conflictChange),
  resolvedAt: isoDateTime.nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.enum(['reapplied', 'discarded']).nullable(),
  note: z.string().nullable(),
  /** The server has been told of the resolution. */
  serverTold: z.boolean(),
  /** The person asking may resolve it (its author, or a duty manager, manager or administrator). */
  mayResolve: z.boolean(),
  /** Why redoing it would be refused again now, as far as this desk can tell (null: it looks possible). */
  redoProblem: z.string().nullable(),
});
export type ConflictGroup = z.infer<typeof conflictGroup>;

export const syncApi = {
  'sync.status': procedure({
    summary: 'The sync state shown in the window: online or offline, changes waiting, last sync, conflicts.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: syncStatus,
  }),
  'sync.configure': procedure({
    summary: "Point this desk at a central server (a new desk before anyone signs in; after that, an administrator).",
    access: 'public',
    mutates: true,
    input: z.object({
      url: z.string().trim().min(1, 'is required').max(300),
      deskName: z.string().trim().min(1, 'is required').max(120),
      unit: z.string().min(1, 'choose the unit this desk serves').max(16),
    }),
    output: syncStatus,
  }),
  'sync.now': procedure({
    summary: 'Sync now: send what waits, fetch what is new, and say how it went.',
    access: 'signed_in',
    mutates: true,
    input: z.object({}),
    output: syncStatus,
  }),
  'sync.conflicts': procedure({
    summary: 'Changes the server sent back: those of the person asking (all of them for managers and administrators).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ state: z.enum(['open', 'all']).default('open') }),
    output: z.object({ conflicts: z.array(conflictGroup) }),
  }),
  'sync.resolve': procedure({
    summary: "Resolve a conflict: accept the server's version, or make the change again on today's record.",
    access: 'signed_in',
    mutates: true,
    input: z.object({
      key: z.string().min(1).max(100),
      resolution: z.enum(['reapplied', 'discarded']),
      note: z.string().trim().max(2000).default(''),
    }),
    output: conflictGroup,
  }),
} as const;
