// The server's key release: a desk asks for an allegation's data key for the signed-in person, with a reason.
import { z } from 'zod';

export const releaseKeyRequest = z
  .object({
    allegationId: z.string().uuid(),
    reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(1000),
  })
  .strict();

export const releasedKey = z.object({
  allegationId: z.string().uuid(),
  keyId: z.string(),
  /** The data key the server made and holds for the allegation, base64; the desk seals it to the person's session and forgets it at expiresAt. */
  dataKey: z.string(),
  /**
   * The data keys desks deposited for this allegation (base64, oldest deposit first): the keys that sealed the
   * details those desks recorded, which is what another desk needs to open them. Same expiry, same sealing.
   */
  depositedKeys: z.array(z.string()).max(100).default([]),
  expiresAt: z.string(),
  /** The server's audit entry written before the key left. */
  auditSeq: z.number().int().positive(),
});
export type ReleasedKey = z.infer<typeof releasedKey>;
