// First run: while the server has no active administrator it makes a one-time bootstrap token, prints it once and
// writes it to <data>/bootstrap-token (readable by the server's user only). Whoever holds it creates the first
// administrator (POST /v1/bootstrap); the token is then gone. There is no default account and no default password.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from './db/database.ts';
import type { ServerContext } from './context.ts';
import { activeAdmins } from './store/users.ts';

const KEY = 'bootstrap_token_sha256';
export const BOOTSTRAP_FILE = 'bootstrap-token';

export async function bootstrapTokenHash(db: Queryable): Promise<string | null> {
  const [r] = await db.query<{ value: string }>('SELECT value FROM server_meta WHERE key = $1', [KEY]);
  return r?.value ?? null;
}

/** A fresh token when there is no administrator yet (null otherwise). */
export async function prepareBootstrap(ctx: ServerContext): Promise<string | null> {
  if ((await activeAdmins(ctx.db)) > 0) return null;
  const token = randomBytes(24).toString('base64url');
  const hash = createHash('sha256').update(token).digest('hex');
  await ctx.db.query('INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [KEY, hash]);
  writeFileSync(join(ctx.dataDir, BOOTSTRAP_FILE), `${token}\n`, { mode: 0o600 });
  return token;
}

export async function clearBootstrapToken(ctx: ServerContext): Promise<void> {
  await ctx.db.query('DELETE FROM server_meta WHERE key = $1', [KEY]);
  rmSync(join(ctx.dataDir, BOOTSTRAP_FILE), { force: true });
}
