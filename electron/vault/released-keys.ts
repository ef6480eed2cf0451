// Data keys the server released to a person, as this desk keeps them between releases: sealed under a key that
// needs both the person's sign-in secret (scrypt of their password, derived at each sign-in and held only in that
// session's memory) and the vault's master key. The key ring alone (a copied profile with its passphrase), or the
// password alone, opens nothing; nor can another person signed in at the same desk. The additional data binds each
// sealed set to its person, allegation, expiry and the server's audit entry, so a row's expiry cannot be extended
// by editing it.
import { createHmac, scrypt } from 'node:crypto';
import { open, seal } from './aead.ts';

/** scrypt at 2^14 (16 MB, some tens of milliseconds): the password's own verifier is the costly check. */
const SECRET_PARAMS = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** The person's sign-in secret at this desk: the same at every sign-in with the same password. */
export function derivePersonSecret(password: string, deskNode: string, userId: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), `ims-desk released keys\u0000${deskNode}\u0000${userId}`, 32, SECRET_PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface ReleaseBinding {
  userId: string;
  allegationId: string;
  expiresAt: string;
  serverAuditSeq: number;
}

const aadOf = (b: ReleaseBinding) => `released keys\u0000${b.userId}\u0000${b.allegationId}\u0000${b.expiresAt}\u0000${b.serverAuditSeq}`;

/** The sealing key: the master key's release-cache key, keyed again with the person's secret. */
export function releaseSealKey(masterKey: Buffer, personSecret: Buffer, userId: string): Buffer {
  const cacheKey = createHmac('sha256', masterKey).update('ims-desk released-key cache').digest();
  return createHmac('sha256', cacheKey).update(userId).update('\u0000').update(personSecret).digest();
}

export function sealReleased(sealKey: Buffer, binding: ReleaseBinding, keys: readonly Buffer[]): Buffer {
  return seal(sealKey, Buffer.from(JSON.stringify(keys.map((k) => k.toString('base64'))), 'utf8'), aadOf(binding));
}

/** The released keys, or a DecryptionError (another person, another password, another ring, or an edited row). */
export function openReleased(sealKey: Buffer, binding: ReleaseBinding, sealed: Buffer): Buffer[] {
  const list = JSON.parse(open(sealKey, sealed, aadOf(binding)).toString('utf8')) as string[];
  return list.map((k) => Buffer.from(k, 'base64'));
}
