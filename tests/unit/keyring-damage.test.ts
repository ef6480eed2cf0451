// A damaged key ring is told apart from a wrong passphrase, and a ring asking for absurd work is refused
// before any of it is done.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createKeyring, keyringPath, unlockKeyring } from '../../electron/vault/keyring.ts';
import { canonicalJson } from '../../shared/text/canonical-json.ts';
import { tempDir } from '../helpers.ts';

const PASSPHRASE = 'correct passphrase here';
const right = { kind: 'passphrase' as const, passphrase: PASSPHRASE };
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => tmp?.cleanup());

type Ring = { version: number; integrity?: string; wrap: { N: number; masterKey: string }; [k: string]: unknown };
const read = (dir: string) => JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as Ring;
const write = (dir: string, ring: Ring) => writeFileSync(keyringPath(dir), JSON.stringify(ring, null, 2));
/** What someone editing the file on purpose would do: recompute the checksum. */
const recomputed = (ring: Ring): Ring => {
  const { integrity: _i, ...body } = ring;
  return { ...ring, integrity: createHash('sha256').update(canonicalJson(body)).digest('hex') };
};
const flipBit = (b64: string, byte: number, bit: number) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[byte] = (bytes[byte] as number) ^ (1 << bit);
  return bytes.toString('base64');
};

async function made(): Promise<string> {
  tmp = tempDir();
  await createKeyring(tmp.dir, right);
  return tmp.dir;
}

describe('a key ring', { timeout: 60_000 }, () => {
  it('is written with a checksum over everything in it', async () => {
    const ring = read(await made());
    expect(ring.version).toBe(2);
    expect(ring.integrity).toMatch(/^[0-9a-f]{64}$/);
  });

  it('with one flipped bit in its wrapped master key is damaged, not a wrong passphrase', async () => {
    const dir = await made();
    const ring = read(dir);
    write(dir, { ...ring, wrap: { ...ring.wrap, masterKey: flipBit(ring.wrap.masterKey, 30, 3) } });
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The vault's key ring (${keyringPath(dir)}) is damaged: its checksum does not match its content (a changed byte: damage on disk, or an edit). Restore it from backup.`,
    });
  });

  it('undamaged, with the wrong passphrase, says the passphrase is not right', async () => {
    const dir = await made();
    await expect(unlockKeyring(dir, { kind: 'passphrase', passphrase: 'wrong passphrase here' })).rejects.toMatchObject({ kind: 'wrong_passphrase', message: 'The vault passphrase is not right' });
  });

  it('asking for scrypt N=2^24 is refused as damaged before any work, checksum or not', async () => {
    const dir = await made();
    const ring = read(dir);
    const greedy = { ...ring, wrap: { ...ring.wrap, N: 2 ** 24 } };
    write(dir, greedy);
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/checksum does not match/) });
    write(dir, recomputed(greedy));
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({
      kind: 'corrupt',
      message: expect.stringMatching(/is damaged: it asks for a passphrase cost of N=2\^24, outside what this app writes \(2\^14 to 2\^20\); it was refused before any work/),
    });
    const { integrity: _i, ...v1 } = greedy;
    write(dir, { ...v1, version: 1 });
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/N=2\^24/) });
    write(dir, recomputed({ ...ring, wrap: { ...ring.wrap, N: 100_000 } }));
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/N=100000, outside/) });
  });

  it('cut short, or not a key ring at all, is damaged', async () => {
    const dir = await made();
    const text = readFileSync(keyringPath(dir), 'utf8');
    writeFileSync(keyringPath(dir), text.slice(0, text.length / 2));
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/not readable JSON/) });
    writeFileSync(keyringPath(dir), Buffer.alloc(200_000, 0x20));
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/200000 bytes long/) });
    const ring = read((await made(), tmp!.dir));
    write(tmp!.dir, recomputed({ ...ring, wrap: { ...ring.wrap, masterKey: ring.wrap.masterKey.slice(0, 40) } }));
    await expect(unlockKeyring(tmp!.dir, right)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/wrapped master key is not the length it must be/) });
  });

  it('written by the earlier version (no checksum) still opens, and is given its checksum then', async () => {
    const dir = await made();
    const { integrity: _i, ...body } = read(dir);
    write(dir, { ...body, version: 1 });
    const keys = await unlockKeyring(dir, right);
    expect(keys.masterKey).toHaveLength(32);
    const migrated = read(dir);
    expect(migrated).toMatchObject({ ...body, version: 2 });
    expect(migrated.integrity).toMatch(/^[0-9a-f]{64}$/);
    expect((await unlockKeyring(dir, right)).masterKey.equals(keys.masterKey)).toBe(true);
    // From now on damage is told apart.
    write(dir, { ...migrated, wrap: { ...migrated.wrap, masterKey: flipBit(migrated.wrap.masterKey, 20, 0) } });
    await expect(unlockKeyring(dir, right)).rejects.toMatchObject({ kind: 'corrupt' });
  });

  it('of the earlier version says it cannot tell a wrong passphrase from damage', async () => {
    const dir = await made();
    const { integrity: _i, ...body } = read(dir);
    write(dir, { ...body, version: 1 });
    await expect(unlockKeyring(dir, { kind: 'passphrase', passphrase: 'wrong passphrase here' })).rejects.toMatchObject({
      kind: 'wrong_passphrase',
      message: 'The vault passphrase is not right (or the key ring is damaged: this older key ring cannot tell which)',
    });
  });
});
