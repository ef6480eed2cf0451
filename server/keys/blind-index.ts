// The server's blind-index key: source identifiers are turned into keyed digests (HMAC-SHA256) here and nowhere
// else. A desk holding this key could test guessed phone numbers against the index (a UK mobile number space is
// small), so it never leaves the server; desks keep their own key for working alone (DESIGN.md, "Matching").
// Behind the same kind of interface as the key encryption key (key-service.ts), so that a deployment can keep it in
// an HSM or a KMS (an HMAC key with a "generate MAC" operation) instead of the local key file.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { loadKeyFile } from './key-file.ts';

export interface BlindIndexService {
  /** Names the key (and its version), stored beside every digest, so a rotation knows what to recompute. */
  readonly keyId: string;
  /** The keyed digest of each normalised identifier, in order; equal inputs give equal digests. */
  digest(items: ReadonlyArray<{ kind: string; value: string }>): Promise<string[]>;
}

/** The embedded default: a 32-byte key from IMS_SERVER_BLIND_KEY or <data>/keys/blind-index.key (0600). */
export class LocalBlindIndexKey implements BlindIndexService {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The blind-index key must be 32 bytes (base64-encoded in IMS_SERVER_BLIND_KEY or keys/blind-index.key)');
    this.key = key;
    this.keyId = `local:${createHash('sha256').update('ims-blind-index-key-id').update(key).digest('hex').slice(0, 16)}`;
  }

  static load(dataDir: string): LocalBlindIndexKey {
    return new LocalBlindIndexKey(loadKeyFile(dataDir, 'IMS_SERVER_BLIND_KEY', 'blind-index.key', () => randomBytes(32)));
  }

  async digest(items: ReadonlyArray<{ kind: string; value: string }>): Promise<string[]> {
    return items.map((i) => createHmac('sha256', this.key).update(`${i.kind}\u0000${i.value}`).digest('base64url').slice(0, 32));
  }
}
