// Where the embedded default keeps each of the server's own keys (the KEK, the blind-index key, the countersigning
// key): from its environment variable (base64) when set, so every instance of a deployment holds the same key;
// else from <data>/keys/<name>, made the first time with `generate` and written 0600 in a 0700 folder (never over
// an existing file: two instances starting together must not each write their own).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadKeyFile(dataDir: string, envVar: string, name: string, generate: () => Buffer): Buffer {
  const env = process.env[envVar];
  if (env) return Buffer.from(env, 'base64');
  const dir = join(dataDir, 'keys');
  const file = join(dir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = generate();
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
