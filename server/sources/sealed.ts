// Opening what a desk sealed (electron/vault/aead.ts writes it: version byte, 96-bit nonce, 16-byte tag, then the
// AES-256-GCM ciphertext, bound by its additional data to where it belongs). The server opens source details only
// in memory, to compute blind indexes; nothing opened is logged or stored.
import { createDecipheriv } from 'node:crypto';

/** The format name a desk stores beside a sealed payload (electron/store/formats.ts). */
export const SEALED_FORMAT = 'aes256gcm-v1';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The plaintext, or null when the key or the additional data is not the one it was sealed with (or it was altered). */
export function openSealed(key: Buffer, sealed: Buffer, aad: string): Buffer | null {
  if (key.length !== 32 || sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) return null;
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([d.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), d.final()]);
  } catch {
    return null;
  }
}
