// The server's countersigning key: at every push that carries a desk's audit head, the server signs (Ed25519) the
// desk's id, the head's entry number and MAC, and the number of its own audit entry that recorded them. The desk
// keeps the countersignature and its verify checks that its chain still holds that entry as it was, so a log cut
// short or re-chained after a sync is caught even by someone holding the desk's own keys (they cannot sign as the
// server). Kept like the KEK: IMS_SERVER_COUNTERSIGN_KEY (PKCS#8, base64) or <data>/keys/countersign.key (0600); an
// HSM or KMS with Ed25519 (or ECDSA) signing implements the same interface.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { loadKeyFile } from './key-file.ts';

export interface CountersignService {
  readonly keyId: string;
  /** The public key, SPKI DER in base64: desks verify countersignatures with it. */
  readonly publicKey: string;
  sign(message: string): Promise<string>;
}

export class LocalCountersignKey implements CountersignService {
  readonly keyId: string;
  readonly publicKey: string;
  private readonly key: KeyObject;

  constructor(pkcs8: Buffer) {
    this.key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    if (this.key.asymmetricKeyType !== 'ed25519') throw new Error('The countersigning key must be an Ed25519 private key (PKCS#8, base64)');
    const spki = createPublicKey(this.key).export({ format: 'der', type: 'spki' });
    this.publicKey = spki.toString('base64');
    this.keyId = `local:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
  }

  static load(dataDir: string): LocalCountersignKey {
    return new LocalCountersignKey(loadKeyFile(dataDir, 'IMS_SERVER_COUNTERSIGN_KEY', 'countersign.key', () => generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' })));
  }

  async sign(message: string): Promise<string> {
    return sign(null, Buffer.from(message, 'utf8'), this.key).toString('base64');
  }
}
