import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { open, seal, DecryptionError } from '../../electron/vault/aead.ts';
import { createKeyring, keyringPath, unlockKeyring, KeyError } from '../../electron/vault/keyring.ts';
import { tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => tmp?.cleanup());

describe('authenticated encryption', () => {
  const key = randomBytes(32);
  it('opens what it sealed, bound to where it belongs', () => {
    const sealed = seal(key, Buffer.from('Garfield Clarke'), 'allegation:a|source');
    expect(sealed.toString('latin1')).not.toContain('Garfield');
    expect(open(key, sealed, 'allegation:a|source').toString()).toBe('Garfield Clarke');
    expect(() => open(key, sealed, 'allegation:b|source')).toThrow(DecryptionError);
  });
  it('refuses a tampered value or the wrong key, never returning wrong plaintext', () => {
    const sealed = seal(key, Buffer.from('secret'), 'x');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => open(key, tampered, 'x')).toThrow(/does not verify/);
    expect(() => open(randomBytes(32), sealed, 'x')).toThrow(/does not verify/);
  });
});

// Each test runs the real key derivation (scrypt, deliberately slow) several times: seconds on a busy machine.
describe('the key ring', { timeout: 30_000 }, () => {
  it('unlocks with the right passphrase and refuses a wrong one clearly', async () => {
    tmp = tempDir();
    const made = await createKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' });
    const again = await unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' });
    expect(again.masterKey.equals(made.masterKey)).toBe(true);
    expect(again.blindKey.equals(made.blindKey)).toBe(true);
    await expect(unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'wrong passphrase here' })).rejects.toMatchObject({ kind: 'wrong_passphrase', message: 'The vault passphrase is not right' });
    expect(readFileSync(keyringPath(tmp.dir), 'utf8')).not.toContain(made.masterKey.toString('base64'));
  });

  it('makes a ring at the cost the app writes (scrypt 2^17, r=8, p=1); a cheaper test ring records its own cost and opens at it', async () => {
    tmp = tempDir();
    await createKeyring(join(tmp.dir, 'app'), { kind: 'passphrase', passphrase: 'correct passphrase here' });
    expect(JSON.parse(readFileSync(keyringPath(join(tmp.dir, 'app')), 'utf8')).wrap).toMatchObject({ kind: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    const made = await createKeyring(join(tmp.dir, 'test'), { kind: 'passphrase', passphrase: 'correct passphrase here', testCost: { logN: 14 } });
    expect(JSON.parse(readFileSync(keyringPath(join(tmp.dir, 'test')), 'utf8')).wrap).toMatchObject({ kind: 'scrypt', N: 2 ** 14, r: 8, p: 1 });
    expect((await unlockKeyring(join(tmp.dir, 'test'), { kind: 'passphrase', passphrase: 'correct passphrase here' })).masterKey.equals(made.masterKey)).toBe(true);
    // Never below what a ring may ask for (SCRYPT_BOUNDS), and nothing is written.
    await expect(createKeyring(join(tmp.dir, 'weak'), { kind: 'passphrase', passphrase: 'correct passphrase here', testCost: { logN: 10 } })).rejects.toThrow(/2\^14 to 2\^20 \(asked 2\^10\)/);
    expect(existsSync(keyringPath(join(tmp.dir, 'weak')))).toBe(false);
  });

  it('says clearly when the key ring is missing or damaged', async () => {
    tmp = tempDir();
    await expect(unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'whatever passphrase' })).rejects.toMatchObject({ kind: 'missing', message: expect.stringMatching(/key ring is missing.*Restore it from backup/) });
    await createKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' });
    writeFileSync(keyringPath(tmp.dir), '{"version": 1, "keyId": "mk-broken"');
    await expect(unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' })).rejects.toMatchObject({ kind: 'corrupt' });
    rmSync(keyringPath(tmp.dir));
    await createKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' });
    const file = JSON.parse(readFileSync(keyringPath(tmp.dir), 'utf8'));
    file.blindKey = Buffer.from(randomBytes(61)).toString('base64');
    writeFileSync(keyringPath(tmp.dir), JSON.stringify(file));
    await expect(unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'correct passphrase here' })).rejects.toBeInstanceOf(KeyError);
  });

  it('refuses a passphrase too short to protect anything', async () => {
    tmp = tempDir();
    await expect(createKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'short' })).rejects.toThrow(/at least 10 characters/);
  });

  it('can be wrapped by the operating system keychain instead', async () => {
    tmp = tempDir();
    const pad = randomBytes(32);
    const xor = async (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (pad[i % 32] as number)));
    const made = await createKeyring(tmp.dir, { kind: 'os-keychain', encrypt: xor, decrypt: xor });
    expect((await unlockKeyring(tmp.dir, { kind: 'os-keychain', encrypt: xor, decrypt: xor })).masterKey.equals(made.masterKey)).toBe(true);
    await expect(unlockKeyring(tmp.dir, { kind: 'passphrase', passphrase: 'some passphrase' })).rejects.toMatchObject({ kind: 'wrong_passphrase' });
  });
});
