#!/usr/bin/env node
// The `ims` command. IMS Desk runs on Node 22 or later (better-sqlite3 13 crashes on Node 20): when started by
// an older Node, hand over to the Node 22 that `npm ci` installed beside the app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    process.stderr.write(`ims: needs Node.js 22 or later (this is ${process.version}); run npm ci in ${root} first\n`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
