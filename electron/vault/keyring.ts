// The desk's key ring: a master key that wraps every allegation's data key, and a separate key for blind
// indexes. The master key itself is wrapped — by a passphrase-derived key (scrypt) in the browser host and the
// CLI, or by Electron's safeStorage (the OS keychain) in the desktop app. Rotation replaces the master key and
// re-wraps the data keys; it never re-encrypts the data itself.
import { randomBytes, randomUUID, scrypt, type ScryptOptions } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DecryptionError, open, seal } from './aead.ts';

export const KEYRING_FILE = join('keys', 'keyring.json');
const SCRYPT = { N: 1 << 17, r: 8, p: 1 };

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
const keyringFile = z.object({
  version: z.literal(1),
  keyId: z.string().min(8),
  createdAt: z.string(),
  wrap: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64, masterKey: b64 }),
    z.object({ kind: z.literal('os-keychain'), masterKey: b64 }),
  ]),
  /** The blind-index key, sealed with the master key. */
  blindKey: b64,
  /** A value sealed with the master key, to tell a wrong passphrase from damaged data. */
  check: b64,
});
export type KeyringFile = z.infer<typeof keyringFile>;

export class KeyError extends Error {
  readonly kind: 'wrong_passphrase' | 'missing' | 'corrupt' | 'exists' | 'wrong_ring';
  constructor(kind: KeyError['kind'], message: string) {
    super(message);
    this.name = 'KeyError';
    this.kind = kind;
  }
}

export interface UnlockedKeys {
  keyId: string;
  masterKey: Buffer;
  blindKey: Buffer;
}

/** How the master key is wrapped: a passphrase, or the OS keychain (Electron safeStorage), given as functions. */
export type KeyWrapper = { kind: 'passphrase'; passphrase: string } | { kind: 'os-keychain'; encrypt(plain: Buffer): Promise<Buffer>; decrypt(wrapped: Buffer): Promise<Buffer> };

function deriveKek(passphrase: string, salt: Buffer, params = SCRYPT): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFKC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export function keyringPath(profileDir: string): string {
  return join(profileDir, KEYRING_FILE);
}

export function keyringExists(profileDir: string): boolean {
  return existsSync(keyringPath(profileDir));
}

function readKeyring(path: string): KeyringFile {
  if (!existsSync(path)) throw new KeyError('missing', `The vault's key ring is missing (${path}). Restore it from backup: without it no source details can be read.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KeyError('corrupt', `The vault's key ring (${path}) is damaged: it is not readable JSON. Restore it from backup.`);
  }
  const parsed = keyringFile.safeParse(raw);
  if (!parsed.success) throw new KeyError('corrupt', `The vault's key ring (${path}) is damaged or from an unknown version. Restore it from backup.`);
  return parsed.data;
}

function writeKeyring(profileDir: string, file: KeyringFile): void {
  const path = keyringPath(profileDir);
  mkdirSync(join(profileDir, 'keys'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

async function wrapMaster(masterKey: Buffer, wrapper: KeyWrapper): Promise<KeyringFile['wrap']> {
  if (wrapper.kind === 'os-keychain') return { kind: 'os-keychain', masterKey: (await wrapper.encrypt(masterKey)).toString('base64') };
  if (wrapper.passphrase.length < 10) throw new KeyError('wrong_passphrase', 'The vault passphrase must be at least 10 characters');
  const salt = randomBytes(16);
  const kek = await deriveKek(wrapper.passphrase, salt);
  return { kind: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), masterKey: seal(kek, masterKey, 'ims-desk master key').toString('base64') };
}

export async function createKeyring(profileDir: string, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  if (keyringExists(profileDir)) throw new KeyError('exists', 'This profile already has a vault key ring');
  const masterKey = randomBytes(32);
  const blindKey = randomBytes(32);
  const keyId = `mk-${randomUUID()}`;
  writeKeyring(profileDir, {
    version: 1,
    keyId,
    createdAt: new Date().toISOString(),
    wrap: await wrapMaster(masterKey, wrapper),
    blindKey: seal(masterKey, blindKey, `${keyId} blind-index key`).toString('base64'),
    check: seal(masterKey, Buffer.from('ims-desk'), `${keyId} check`).toString('base64'),
  });
  return { keyId, masterKey, blindKey };
}

export function unlockKeyring(profileDir: string, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  return unlockKeyringFile(keyringPath(profileDir), wrapper);
}

async function unlockKeyringFile(path: string, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  const file = readKeyring(path);
  let masterKey: Buffer;
  if (file.wrap.kind === 'scrypt') {
    if (wrapper.kind !== 'passphrase') throw new KeyError('wrong_passphrase', 'This vault is protected by a passphrase: give the passphrase');
    const kek = await deriveKek(wrapper.passphrase, Buffer.from(file.wrap.salt, 'base64'), file.wrap);
    try {
      masterKey = open(kek, Buffer.from(file.wrap.masterKey, 'base64'), 'ims-desk master key');
    } catch (error) {
      if (error instanceof DecryptionError) throw new KeyError('wrong_passphrase', 'The vault passphrase is not right');
      throw error;
    }
  } else {
    if (wrapper.kind !== 'os-keychain') throw new KeyError('wrong_passphrase', "This vault is protected by the operating system's keychain: open it in the desktop app");
    try {
      masterKey = await wrapper.decrypt(Buffer.from(file.wrap.masterKey, 'base64'));
    } catch {
      throw new KeyError('wrong_passphrase', "The operating system's keychain could not unwrap the vault key (another user or machine?)");
    }
  }
  try {
    open(masterKey, Buffer.from(file.check, 'base64'), `${file.keyId} check`);
    const blindKey = open(masterKey, Buffer.from(file.blindKey, 'base64'), `${file.keyId} blind-index key`);
    return { keyId: file.keyId, masterKey, blindKey };
  } catch {
    throw new KeyError('corrupt', "The vault's key ring is damaged (its keys do not verify). Restore it from backup.");
  }
}

export const NEXT_KEYRING_FILE = join('keys', 'keyring.next.json');

/**
 * Rotation, step 1: a new master key, written beside the current ring (keyring.next.json). The caller re-wraps
 * every data key with it in one transaction, then calls finishRotation. If the process stops in between, the
 * vault finds both rings on the next unlock and keeps the one the data keys use.
 */
export async function prepareRotation(profileDir: string, current: UnlockedKeys, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  const masterKey = randomBytes(32);
  const keyId = `mk-${randomUUID()}`;
  const file: KeyringFile = {
    version: 1,
    keyId,
    createdAt: new Date().toISOString(),
    wrap: await wrapMaster(masterKey, wrapper),
    blindKey: seal(masterKey, current.blindKey, `${keyId} blind-index key`).toString('base64'),
    check: seal(masterKey, Buffer.from('ims-desk'), `${keyId} check`).toString('base64'),
  };
  const tmp = join(profileDir, `${NEXT_KEYRING_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  renameSync(tmp, join(profileDir, NEXT_KEYRING_FILE));
  return { keyId, masterKey, blindKey: current.blindKey };
}

export function finishRotation(profileDir: string): void {
  renameSync(join(profileDir, NEXT_KEYRING_FILE), keyringPath(profileDir));
}

export function pendingRotation(profileDir: string): boolean {
  return existsSync(join(profileDir, NEXT_KEYRING_FILE));
}

export function unlockPendingRotation(profileDir: string, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  return unlockKeyringFile(join(profileDir, NEXT_KEYRING_FILE), wrapper);
}
