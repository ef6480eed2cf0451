import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, SCRYPT, verifyPassword } from '../../node/passwords.ts';

describe('account passwords (the desk and the server share one format)', () => {
  it('verifies the password it hashed and refuses any other', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(new RegExp(`^scrypt\\$${SCRYPT.N}\\$${SCRYPT.r}\\$${SCRYPT.p}\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  it('salts each hash, so one password never hashes the same twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('reads a password typed with composed or decomposed accents as the same (NFKC)', async () => {
    const stored = await hashPassword('Gärfield');
    expect(await verifyPassword('Ga\u0308rfield', stored)).toBe(true);
  });

  it('refuses, without throwing, a stored value that is not a scrypt verifier', async () => {
    for (const bad of ['', 'plain', 'bcrypt$10$abc', 'scrypt$32768$8$1$onlysalt']) expect(await verifyPassword('x', bad)).toBe(false);
    expect(await verifyPassword('anything', DUMMY_HASH)).toBe(false);
  });
});
