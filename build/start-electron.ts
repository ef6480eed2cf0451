// `npm start`: the desktop app in Electron, on its embedded defaults (the local SQLite store in the user's
// profile). Where no Electron binary can run (offline machines, CI), say so first — and what to do instead, the
// browser host — then try the download quietly, and never print a stack trace at someone who just wants the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const INSTEAD = 'Use the browser host instead: npm run web (the same app and the same store, in your browser on 127.0.0.1).';

/** The installed Electron binary, without the package's download-on-require (which prints its own stack trace). */
function installedBinary(pkg: string): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let pkg: string;
try {
  pkg = dirname(require.resolve('electron/package.json'));
} catch {
  process.stderr.write(`Electron is not installed here (run npm ci). ${INSTEAD}\n`);
  process.exit(1);
}
let binary = installedBinary(pkg);
if (!binary) {
  process.stderr.write(`Electron's binary is not on this machine yet; fetching it. If it cannot be fetched (offline, locked down): ${INSTEAD.replace('Use', 'use')}\n`);
  const fetched = spawnSync(process.execPath, [join(pkg, 'install.js')], { cwd: pkg, encoding: 'utf8', timeout: 300_000 });
  binary = fetched.status === 0 ? installedBinary(pkg) : null;
  if (!binary) {
    // One line of why, not the installer's stack trace.
    const why = `${fetched.stderr ?? ''}\n${fetched.stdout ?? ''}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /error|failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|timed? ?out/i.test(l) && !/^at\s/.test(l));
    process.stderr.write(`Electron could not be fetched${why ? ` (${why.replace(/^Error:\s*/, '').slice(0, 200)})` : fetched.error ? ` (${fetched.error.message})` : ''}.\n${INSTEAD}\n`);
    process.exit(1);
  }
}
const child = spawn(binary, [join(root, 'dist', 'electron', 'main.cjs')], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
