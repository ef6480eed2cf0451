// Keys the server released, as a desk keeps them (vault/released-keys.ts): sealed under the person's sign-in secret
// and the vault's master key together, bound to the person, the allegation, the expiry and the server's audit entry.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { derivePersonSecret, openReleased, releaseSealKey, sealReleased, type ReleaseBinding } from '../../electron/vault/released-keys.ts';

const master = randomBytes(32);
const keys = [randomBytes(32), randomBytes(32)];
const binding: ReleaseBinding = { userId: 'u-analyst', allegationId: 'a-1', expiresAt: '2026-12-07T14:00:00.000Z', serverAuditSeq: 41 };

describe('released keys kept on a desk', () => {
  it('open with the same person, password, desk and ring, and hold no key in the clear', async () => {
    const secret = await derivePersonSecret('correct horse battery', 'desk-node', 'u-analyst');
    const sealed = sealReleased(releaseSealKey(master, secret, 'u-analyst'), binding, keys);
    for (const k of keys) {
      expect(sealed.includes(k)).toBe(false);
      expect(sealed.includes(Buffer.from(k.toString('base64')))).toBe(false);
    }
    const again = await derivePersonSecret('correct horse battery', 'desk-node', 'u-analyst');
    expect(openReleased(releaseSealKey(master, again, 'u-analyst'), binding, sealed)).toEqual(keys);
  });

  it('do not open with another password, another person, another desk or another key ring', async () => {
    const secret = await derivePersonSecret('correct horse battery', 'desk-node', 'u-analyst');
    const sealed = sealReleased(releaseSealKey(master, secret, 'u-analyst'), binding, keys);
    const attempts = [
      releaseSealKey(master, await derivePersonSecret('another password!', 'desk-node', 'u-analyst'), 'u-analyst'),
      releaseSealKey(master, await derivePersonSecret('correct horse battery', 'desk-node', 'u-other'), 'u-other'),
      releaseSealKey(master, await derivePersonSecret('correct horse battery', 'other-desk', 'u-analyst'), 'u-analyst'),
      releaseSealKey(randomBytes(32), secret, 'u-analyst'),
    ];
    for (const key of attempts) expect(() => openReleased(key, binding, sealed)).toThrow(/does not verify/);
  });

  it('do not open once the row is edited: a later expiry, another allegation or another audit entry', async () => {
    const key = releaseSealKey(master, await derivePersonSecret('correct horse battery', 'desk-node', 'u-analyst'), 'u-analyst');
    const sealed = sealReleased(key, binding, keys);
    for (const edited of [{ ...binding, expiresAt: '2026-12-31T14:00:00.000Z' }, { ...binding, allegationId: 'a-2' }, { ...binding, serverAuditSeq: 42 }]) {
      expect(() => openReleased(key, edited, sealed)).toThrow(/does not verify/);
    }
  });
});
