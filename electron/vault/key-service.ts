// Who holds the keys that wrap each allegation's data key. Today the desk's own key ring does (keys/keyring.json,
// its master key wrapped by the passphrase or the OS keychain); with a server, the server's key service will: it
// releases a data key only to a user allocated to that case, or NSU, recording the release before it answers,
// and the desk keeps released keys sealed to the session with an expiry (docs/vault.md, "A server key service").
// The vault talks to keys only through this interface, so that the local ring can be swapped for the server's.
import { createHmac } from 'node:crypto';
import { open, seal } from './aead.ts';
import type { UnlockedKeys } from './keyring.ts';

/** Which ring (or which server key) sealed a store: recorded in the store and compared at every unlock. */
export interface RingIdentity {
  keyId: string;
  /** A keyed fingerprint of the wrapping key itself (HMAC with it), so a ring that merely reuses an id is told apart. */
  fingerprint: string;
}

export interface WrappedKey {
  /** The wrapping key that sealed it (the ring's key id). */
  keyId: string;
  wrapped: Buffer;
}

export interface KeyService {
  readonly kind: 'local-ring' | 'server';
  identity(): RingIdentity;
  /** Wraps a fresh data key for a scope ("allegation:<id>", "nsu", "drafts", "scans", "audit:<seq>"). */
  wrap(scope: string, key: Buffer): WrappedKey;
  /**
   * Releases the data key of a scope. The local ring unwraps it; a server key service checks the requester's
   * allocation, audits, and answers from the desk's sealed release cache when offline.
   */
  unwrap(scope: string, key: WrappedKey): Buffer;
  /** A keyed blind index of a normalised source identifier (with a server: computed there, never on a desk). */
  blindIndex(kind: string, value: string): string;
}

export function fingerprintOf(masterKey: Buffer, keyId: string): string {
  return createHmac('sha256', masterKey).update(`ims-desk key ring fingerprint\u0000${keyId}`).digest('hex');
}

/** The desk's own key ring as a key service: the embedded default, and what a desk without a server keeps. */
export class LocalKeyRing implements KeyService {
  readonly kind = 'local-ring' as const;
  private readonly keys: UnlockedKeys;
  private readonly fingerprint: string;

  constructor(keys: UnlockedKeys) {
    this.keys = keys;
    this.fingerprint = fingerprintOf(keys.masterKey, keys.keyId);
  }

  identity(): RingIdentity {
    return { keyId: this.keys.keyId, fingerprint: this.fingerprint };
  }

  wrap(scope: string, key: Buffer): WrappedKey {
    return { keyId: this.keys.keyId, wrapped: seal(this.keys.masterKey, key, `data key ${scope}`) };
  }

  unwrap(scope: string, key: WrappedKey): Buffer {
    return open(this.keys.masterKey, key.wrapped, `data key ${scope}`);
  }

  blindIndex(kind: string, value: string): string {
    return createHmac('sha256', this.keys.blindKey).update(`${kind}\u0000${value}`).digest('base64url').slice(0, 32);
  }

  /** The unlocked keys behind this ring (rotation re-wraps with them; nothing else reads them). */
  unlockedKeys(): UnlockedKeys {
    return this.keys;
  }
}
