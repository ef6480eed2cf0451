// The desk's key ring: a master key that wraps every allegation's data key, and a separate key for blind
// indexes. The master key itself is wrapped — by a passphrase-derived key (scrypt) in the browser host and the
// CLI, or by Electron's safeStorage (the OS keychain) in the desktop app. Rotation replaces the master key and
// re-wraps the data keys; it never re-encrypts the data itself.
//
// A file is checked before any work is done on it. Its size and every parameter are bounded (a ring asking
// for scrypt N=2^24 would take 16 GB and minutes before saying anything: it is refused as damaged at once).
// Version 2 rings carry a SHA-256 checksum over everything else in the file: authenticated encryption alone
// cannot tell a wrong passphrase from a damaged wrapped key (both fail to verify), the checksum can, since it
// does not depend on the passphrase. It is no defence against someone who edits the file on purpose (they can
// recompute it): the encryption is, and it still fails. Version 1 rings (no checksum) open as before and are
// rewritten as version 2 on their next successful unlock.
import { createHash, randomBytes, randomUUID, scrypt, type ScryptOptions } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DecryptionError, open, seal } from './aead.ts';
import { canonicalJson } from '../../shared/text/canonical-json.ts';

export const KEYRING_FILE = join('keys', 'keyring.json');
const SCRYPT = { N: 1 << 17, r: 8, p: 1 };
/**
 * What a key ring may ask of this machine. The app writes N=2^17, r=8, p=1 (128 MB, about half a second);
 * the bounds leave room for a stronger setting, and refuse what no ring written by this app asks for.
 */
export const SCRYPT_BOUNDS = { minLogN: 14, maxLogN: 20, maxR: 16, maxP: 4, maxMemBytes: 1024 * 1024 * 1024 } as const;
/** A key ring is a few hundred bytes; anything much larger is not one. */
const MAX_KEYRING_BYTES = 64 * 1024;
/** Sealed sizes (aead.ts: version byte, nonce, tag, ciphertext) of a 32-byte key and of the check value. */
const SEALED_KEY_BYTES = 1 + 12 + 16 + 32;
const SEALED_CHECK_BYTES = 1 + 12 + 16 + 8;

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
const keyringFile = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  keyId: z.string().min(8).max(100),
  createdAt: z.string(),
  wrap: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64, masterKey: b64 }),
    z.object({ kind: z.literal('os-keychain'), masterKey: b64 }),
  ]),
  /** The blind-index key, sealed with the master key. */
  blindKey: b64,
  /** A value sealed with the master key, to tell a wrong passphrase from damaged data. */
  check: b64,
  /** Version 2: SHA-256 (hex) of the canonical JSON of every other field. */
  integrity: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type KeyringFile = z.infer<typeof keyringFile>;

function integrityOf(file: KeyringFile): string {
  const { integrity: _integrity, ...body } = file;
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** A ring as written by this version: version 2, with its checksum. */
function sealedRing(file: Omit<KeyringFile, 'version' | 'integrity'>): KeyringFile {
  const body: KeyringFile = { ...file, version: 2 };
  return { ...body, integrity: integrityOf(body) };
}

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
export type KeyWrapper =
  | {
      kind: 'passphrase';
      passphrase: string;
      /**
       * Tests only (the app never sets it): the scrypt cost of a ring made with this wrapper, as 2^logN, within
       * SCRYPT_BOUNDS. Test profiles that are not about the vault make their ring at 2^14 instead of paying half
       * a second of CPU at every unlock; the ring records its cost, so `ims` on such a profile pays the same.
       */
      testCost?: { logN: number };
    }
  | { kind: 'os-keychain'; encrypt(plain: Buffer): Promise<Buffer>; decrypt(wrapped: Buffer): Promise<Buffer> };

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

const damaged = (path: string, why: string) => new KeyError('corrupt', `The vault's key ring (${path}) is damaged: ${why}. Restore it from backup.`);
const bytesOf = (v: string) => Buffer.from(v, 'base64').length;

/** Reads and checks a key ring before anything is derived or decrypted from it. */
function readKeyring(path: string): KeyringFile {
  if (!existsSync(path)) throw new KeyError('missing', `The vault's key ring is missing (${path}). Restore it from backup: without it no source details can be read.`);
  const size = statSync(path).size;
  if (size > MAX_KEYRING_BYTES) throw damaged(path, `it is ${size} bytes long, where a key ring is under 1 KB`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw damaged(path, 'it is not readable JSON (cut short, or overwritten)');
  }
  const parsed = keyringFile.safeParse(raw);
  if (!parsed.success) throw new KeyError('corrupt', `The vault's key ring (${path}) is damaged or from an unknown version. Restore it from backup.`);
  const file = parsed.data;
  if (file.version === 2 && (!file.integrity || file.integrity !== integrityOf(file))) {
    throw damaged(path, 'its checksum does not match its content (a changed byte: damage on disk, or an edit)');
  }
  checkBounds(path, file);
  return file;
}

/** Every parameter within what this app writes, and every sealed value the size it must be. */
function checkBounds(path: string, file: KeyringFile): void {
  const { wrap } = file;
  if (wrap.kind === 'scrypt') {
    const logN = Math.log2(wrap.N);
    if (!Number.isInteger(logN) || logN < SCRYPT_BOUNDS.minLogN || logN > SCRYPT_BOUNDS.maxLogN) {
      const asked = Number.isInteger(logN) ? `2^${logN}` : String(wrap.N);
      throw damaged(path, `it asks for a passphrase cost of N=${asked}, outside what this app writes (2^${SCRYPT_BOUNDS.minLogN} to 2^${SCRYPT_BOUNDS.maxLogN}); it was refused before any work`);
    }
    if (wrap.r < 1 || wrap.r > SCRYPT_BOUNDS.maxR || wrap.p < 1 || wrap.p > SCRYPT_BOUNDS.maxP) throw damaged(path, `its passphrase parameters (r=${wrap.r}, p=${wrap.p}) are outside what this app writes`);
    if (128 * wrap.N * wrap.r > SCRYPT_BOUNDS.maxMemBytes) throw damaged(path, `unlocking it would need ${Math.round((128 * wrap.N * wrap.r) / 1024 / 1024)} MB of memory, beyond what this app ever asks for`);
    const salt = bytesOf(wrap.salt);
    if (salt < 16 || salt > 64) throw damaged(path, `its salt is ${salt} bytes long`);
    if (bytesOf(wrap.masterKey) !== SEALED_KEY_BYTES) throw damaged(path, 'its wrapped master key is not the length it must be (cut short?)');
  } else if (bytesOf(wrap.masterKey) > 4096) throw damaged(path, 'its wrapped master key is far longer than a key');
  if (bytesOf(file.blindKey) !== SEALED_KEY_BYTES) throw damaged(path, 'its blind-index key is not the length it must be (cut short?)');
  if (bytesOf(file.check) !== SEALED_CHECK_BYTES) throw damaged(path, 'its check value is not the length it must be (cut short?)');
}

function writeKeyringAt(path: string, file: KeyringFile): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

async function wrapMaster(masterKey: Buffer, wrapper: KeyWrapper): Promise<KeyringFile['wrap']> {
  if (wrapper.kind === 'os-keychain') return { kind: 'os-keychain', masterKey: (await wrapper.encrypt(masterKey)).toString('base64') };
  if (wrapper.passphrase.length < 10) throw new KeyError('wrong_passphrase', 'The vault passphrase must be at least 10 characters');
  const params = wrapper.testCost ? { ...SCRYPT, N: 2 ** wrapper.testCost.logN } : SCRYPT;
  const { logN } = wrapper.testCost ?? { logN: 0 };
  if (wrapper.testCost && !(Number.isInteger(logN) && logN >= SCRYPT_BOUNDS.minLogN && logN <= SCRYPT_BOUNDS.maxLogN)) {
    throw new RangeError(`A key ring's passphrase cost must be 2^${SCRYPT_BOUNDS.minLogN} to 2^${SCRYPT_BOUNDS.maxLogN} (asked 2^${logN})`);
  }
  const salt = randomBytes(16);
  const kek = await deriveKek(wrapper.passphrase, salt, params);
  return { kind: 'scrypt', ...params, salt: salt.toString('base64'), masterKey: seal(kek, masterKey, 'ims-desk master key').toString('base64') };
}

export async function createKeyring(profileDir: string, wrapper: KeyWrapper): Promise<UnlockedKeys> {
  if (keyringExists(profileDir)) throw new KeyError('exists', 'This profile already has a vault key ring');
  const masterKey = randomBytes(32);
  const blindKey = randomBytes(32);
  const keyId = `mk-${randomUUID()}`;
  writeKeyringAt(
    keyringPath(profileDir),
    sealedRing({
      keyId,
      createdAt: new Date().toISOString(),
      wrap: await wrapMaster(masterKey, wrapper),
      blindKey: seal(masterKey, blindKey, `${keyId} blind-index key`).toString('base64'),
      check: seal(masterKey, Buffer.from('ims-desk'), `${keyId} check`).toString('base64'),
    }),
  );
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
      // A version 2 ring passed its checksum, so it is not damaged: the passphrase is wrong. A version 1 ring
      // cannot say which.
      if (error instanceof DecryptionError) throw new KeyError('wrong_passphrase', file.version === 2 ? 'The vault passphrase is not right' : 'The vault passphrase is not right (or the key ring is damaged: this older key ring cannot tell which)');
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
  let blindKey: Buffer;
  try {
    open(masterKey, Buffer.from(file.check, 'base64'), `${file.keyId} check`);
    blindKey = open(masterKey, Buffer.from(file.blindKey, 'base64'), `${file.keyId} blind-index key`);
  } catch {
    throw new KeyError('corrupt', "The vault's key ring is damaged (its keys do not verify). Restore it from backup.");
  }
  if (file.version === 1) {
    // Unlocked, so undamaged: from now on its checksum tells damage from a wrong passphrase.
    try {
      writeKeyringAt(path, sealedRing(file));
    } catch {
      // A read-only profile: it is migrated on a later unlock.
    }
  }
  return { keyId: file.keyId, masterKey, blindKey };
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
  const file = sealedRing({
    keyId,
    createdAt: new Date().toISOString(),
    wrap: await wrapMaster(masterKey, wrapper),
    blindKey: seal(masterKey, current.blindKey, `${keyId} blind-index key`).toString('base64'),
    check: seal(masterKey, Buffer.from('ims-desk'), `${keyId} check`).toString('base64'),
  });
  writeKeyringAt(join(profileDir, NEXT_KEYRING_FILE), file);
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
