// The server's key service, KMS-style: allegations' data keys are generated here and kept only wrapped by a key
// encryption key (KEK) the server holds; a data key is unwrapped only to be released (keys/release.ts). The
// interface is what a KMS or an HSM offers (wrap, unwrap, a key id), so a deployment swaps the local key file for
// one of those without touching anything else (docs/server.md, "Keys").
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { loadKeyFile } from './key-file.ts';

export interface KeyEncryptionService {
  /** Names the KEK (and its version), stored beside every key it wraps, so a rotation knows what to re-wrap. */
  readonly keyId: string;
  /** Wraps a data key, bound to `context` (the allegation it belongs to): unwrapping under another context fails. */
  wrap(dataKey: Buffer, context: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, context: string): Promise<Buffer>;
}

const VERSION = 1;

/** The embedded default: AES-256-GCM under a 32-byte key from IMS_SERVER_KEK or <data>/keys/kek.key (0600). */
export class LocalKeyFile implements KeyEncryptionService {
  readonly keyId: string;
  private readonly kek: Buffer;

  constructor(kek: Buffer) {
    if (kek.length !== 32) throw new Error('The key encryption key must be 32 bytes (base64-encoded in IMS_SERVER_KEK or keys/kek.key)');
    this.kek = kek;
    this.keyId = `local:${createHash('sha256').update('ims-kek-id').update(kek).digest('hex').slice(0, 16)}`;
  }

  static load(dataDir: string): LocalKeyFile {
    return new LocalKeyFile(loadKeyFile(dataDir, 'IMS_SERVER_KEK', 'kek.key', () => randomBytes(32)));
  }

  async wrap(dataKey: Buffer, context: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek, iv);
    c.setAAD(Buffer.from(`ims-data-key\u0000${context}`));
    const body = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
  }

  async unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    if (wrapped.length < 1 + 12 + 16 + 1 || wrapped[0] !== VERSION) throw new Error('A wrapped data key is damaged (unknown format)');
    const d = createDecipheriv('aes-256-gcm', this.kek, wrapped.subarray(1, 13));
    d.setAAD(Buffer.from(`ims-data-key\u0000${context}`));
    d.setAuthTag(wrapped.subarray(13, 29));
    try {
      return Buffer.concat([d.update(wrapped.subarray(29)), d.final()]);
    } catch {
      throw new Error(`The data key of ${context} does not unwrap under ${this.keyId}: it was wrapped by another key, or altered`);
    }
  }
}
