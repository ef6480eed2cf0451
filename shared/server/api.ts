// The central server's HTTP API outside sync (shared/sync/protocol.ts): first run, sign-in, accounts, desks,
// references and the server's audit trail. Every request and response is validated with these schemas.
import { z } from 'zod';
import { ROLES } from '../domain/vocabularies.ts';
import { password, username } from '../api/auth.ts';

export const API_PREFIX = '/v1';

/** How long a sign-in lasts on the server, and how long a desk may sign its user in offline after it. */
export const SESSION_HOURS = 12;
export const SESSION_IDLE_HOURS = 8;
export const OFFLINE_DAYS = 14;

export const serverUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unit: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type ServerUser = z.infer<typeof serverUser>;

export const health = z.object({
  ok: z.literal(true),
  database: z.enum(['pglite', 'postgres']),
  /** No administrator yet: create the first with the bootstrap token the server printed. */
  needsBootstrap: z.boolean(),
  latestSeq: z.number().int().min(0),
});

export const bootstrapRequest = z
  .object({
    token: z.string().min(16).max(200),
    username,
    displayName: z.string().trim().min(1).max(120),
    password,
  })
  .strict();

/**
 * What a desk needs to sign this person in when the server cannot be reached: the scrypt parameters to derive its
 * own verifier from the password just typed (with its own salt; the server's hash never leaves the server), and
 * until when offline sign-in stays allowed before the person must sign in against the server again.
 */
export const offlineSignIn = z.object({
  scheme: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  keyLength: z.number().int().positive(),
  validUntil: z.string(),
  /** When the password last changed: a desk's verifier made before this is out of date. */
  passwordChangedAt: z.string(),
});

export const signInRequest = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(200),
  })
  .strict();

export const signInResponse = z.object({
  sessionToken: z.string(),
  expiresAt: z.string(),
  user: serverUser,
  offline: offlineSignIn,
});

export const newServerUser = z
  .object({
    username,
    displayName: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    unit: z.string().nullable(),
    password,
  })
  .strict();

export const updateServerUser = z
  .object({
    displayName: z.string().trim().min(1).max(120).optional(),
    role: z.enum(ROLES).optional(),
    unit: z.string().nullable().optional(),
    active: z.boolean().optional(),
    password: password.optional(),
  })
  .strict();

export const DESK_STATUSES = ['pending', 'approved', 'refused', 'revoked'] as const;

export const deskView = z.object({
  id: z.string(),
  node: z.string(),
  name: z.string(),
  unit: z.string(),
  status: z.enum(DESK_STATUSES),
  requestedAt: z.string(),
  requestedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  nextSeq: z.number().int().positive(),
  lastPushAt: z.string().nullable(),
  lastPullAt: z.string().nullable(),
});
export type DeskView = z.infer<typeof deskView>;

export const registerDesk = z
  .object({
    /** The desk's clock node id (its changes carry it in their clocks). */
    node: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().trim().min(1).max(120),
    unit: z.string().min(1).max(16),
  })
  .strict();

export const registerDeskResponse = z.object({
  desk: deskView,
  /** The desk's credential: shown once, kept by the desk; useless until an administrator approves the desk. */
  deskToken: z.string(),
});

export const decideDesk = z
  .object({
    decision: z.enum(['approve', 'refuse', 'revoke']),
    note: z.string().trim().max(500).default(''),
  })
  .strict();

export const referenceView = z.object({
  allegationId: z.string(),
  reference: z.string(),
  aliases: z.array(z.string()),
  unit: z.string().nullable(),
});

export const auditEntry = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  userId: z.string().nullable(),
  deskId: z.string().nullable(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const auditQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict();
export const auditResponse = z.object({ entries: z.array(auditEntry), verified: z.boolean(), problem: z.string().nullable() });

export const idParam = z.object({ id: z.string().min(1).max(64) }).strict();
export const empty = z.object({}).strict();
