// `npm start`: the desktop app in Electron, on its embedded defaults (the local SQLite store in the user's
// profile). Where no Electron binary can run (offline machines, CI), say so and point to the browser host.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
let electronBinary: string;
try {
  // The electron package exports the path of its binary, downloading it on first use.
  electronBinary = require('electron') as string;
} catch (error) {
  process.stderr.write(
    `Electron cannot run on this machine (${(error as Error).message.split('\n')[0]}).\n` +
      'Use the browser host instead: npm run web (same app, same store, in your browser on 127.0.0.1).\n',
  );
  process.exit(1);
}
const child = spawn(electronBinary, [join(root, 'dist', 'electron', 'main.cjs')], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
