// National repeat referrers through the server: desks deposit their data keys so that the server can index sealed
// source details under a key only it holds, and NSU reads the groups found across every unit (no plaintext).
import { z } from 'zod';

const base64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a 32-byte key, base64');

export const depositKeysRequest = z
  .object({
    keys: z
      .array(z.object({ allegationId: z.string().uuid(), dataKey: base64Key }).strict())
      .min(1)
      .max(500),
  })
  .strict();
export type DepositKeysRequest = z.infer<typeof depositKeysRequest>;

export const depositKeysResponse = z.object({
  /** Keys this desk had not deposited before. */
  deposited: z.number().int().min(0),
  /** Allegations whose source details the server could index with them. */
  indexed: z.number().int().min(0),
});

export const nationalReferrersQuery = z.object({ minCount: z.coerce.number().int().min(2).max(100).default(2) }).strict();

export const nationalReferrerGroup = z.object({
  /** The earliest allegation's id (as the desk names a group, so NSU decisions recorded on a desk still apply). */
  groupKey: z.string(),
  allegations: z.array(z.object({ id: z.string(), reference: z.string().nullable(), unit: z.string().nullable(), receivedAt: z.string().nullable() })),
  /** Which kinds of identifier agreed (never their values). */
  linkedBy: z.array(z.string()),
});
export type NationalReferrerGroup = z.infer<typeof nationalReferrerGroup>;

export const nationalReferrers = z.object({
  scope: z.literal('national'),
  computedAt: z.string(),
  /** Allegations with source details the server has indexed. */
  indexed: z.number().int().min(0),
  /** Allegations with source details it cannot index yet (their desk has not deposited its key). */
  waiting: z.number().int().min(0),
  groups: z.array(nationalReferrerGroup),
  /** The server's audit entry for this reading. */
  auditSeq: z.number().int().positive(),
});
export type NationalReferrers = z.infer<typeof nationalReferrers>;

/** A desk's source-access audit entries, sent after its pushes for SACU's view across desks. */
export const SOURCE_ACCESS_ACTIONS = ['source.open', 'source.open_refused', 'nsu.reveal', 'nsu.reveal_refused', 'source.update', 'source.contact'] as const;
export const deskSourceAccessEntry = z
  .object({
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().datetime({ offset: true }),
    userId: z.string().max(64).nullable(),
    actor: z.string().max(200),
    action: z.enum(SOURCE_ACCESS_ACTIONS),
    allegationId: z.string().max(64).nullable(),
    reference: z.string().max(64).nullable(),
    reason: z.string().max(2000).nullable(),
  })
  .strict();
export const deskSourceAccessRequest = z.object({ entries: z.array(deskSourceAccessEntry).min(1).max(1000) }).strict();
export const deskSourceAccessResponse = z.object({ received: z.number().int().min(0), upTo: z.number().int().min(0) });

export const sourceAccessQuery = z
  .object({
    user: z.string().trim().max(100).optional(),
    allegationId: z.string().max(64).optional(),
    desk: z.string().max(64).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();
export const sourceAccessRow = z.object({
  deskId: z.string(),
  deskName: z.string().nullable(),
  deskSeq: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  allegationId: z.string().nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
});
export const sourceAccessResponse = z.object({ entries: z.array(sourceAccessRow), auditSeq: z.number().int().positive() });
