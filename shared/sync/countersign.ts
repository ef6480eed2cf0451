// What the server signs when it countersigns a desk's audit head (server/keys/countersign.ts) and what the desk
// verifies: one message, built the same on both sides.
import { z } from 'zod';

export const countersignature = z.object({
  deskId: z.string().min(1).max(64),
  keyId: z.string().min(1).max(200),
  /** The server's public key (Ed25519, SPKI DER, base64). */
  publicKey: z.string().min(1).max(200),
  signature: z.string().min(1).max(200),
});
export type Countersignature = z.infer<typeof countersignature>;

export function countersignMessage(deskId: string, seq: number, hash: string, serverAuditSeq: number): string {
  return `ims desk audit head countersigned\u0000${deskId}\u0000${seq}\u0000${hash}\u0000${serverAuditSeq}`;
}

/** The latest head of a desk the server countersigned (GET /v1/sync/audit-head), or null before its first. */
export const countersignedHead = z.object({
  head: z
    .object({
      seq: z.number().int().positive(),
      hash: z.string(),
      serverAuditSeq: z.number().int().positive(),
      at: z.string(),
      countersign: countersignature,
    })
    .nullable(),
});
export type CountersignedHead = z.infer<typeof countersignedHead>;
