// `npm run web`: the browser host on this machine's loopback, on the default profile (or --profile DIR).
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Core } from '../core/core.ts';
import { defaultProfileDir } from '../core/profile.ts';
import { startWebHost } from './web.ts';
import { KeyError, keyringExists } from '../vault/keyring.ts';
import { readSecret } from '../cli/secret.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    port: { type: 'string' },
    open: { type: 'boolean', default: true },
    'no-open': { type: 'boolean', default: false },
  },
});

const profile = resolve(values.profile ?? defaultProfileDir());
const rendererDir = join(root, 'dist', 'renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  process.stderr.write('The renderer is not built yet: run npm run build (npm run web does it for you).\n');
  process.exit(1);
}
let core: Core;
try {
  core = Core.open(profile);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}

// The vault protects source details; without its passphrase the desk runs, but restricted work is refused.
const creating = !keyringExists(profile);
let passphrase = process.env.IMS_PASSPHRASE;
if (!passphrase && process.stdin.isTTY) {
  passphrase = await readSecret(creating ? 'Choose a vault passphrase for this desk (10 characters or more; it protects source details): ' : 'Vault passphrase: ');
  if (creating && (await readSecret('The same passphrase again: ')) !== passphrase) {
    process.stderr.write('The two passphrases are not the same. Nothing was created; start again.\n');
    process.exit(1);
  }
}
if (passphrase) {
  try {
    await core.vault.unlock({ kind: 'passphrase', passphrase });
  } catch (error) {
    process.stderr.write(`${error instanceof KeyError ? error.message : String(error)}\n`);
    process.exit(1);
  }
} else {
  process.stderr.write('The vault stays locked (no IMS_PASSPHRASE and no terminal to ask): source details cannot be opened or imported.\n');
}
// Attachments left unread last time are read again (that needs the vault: scan text may reveal the source);
// the NAT scan folder is watched either way.
if (core.vault.unlocked) core.startBackground();
else core.scans.start();
const host = await startWebHost({
  core,
  rendererDir,
  port: values.port ? Number(values.port) : 0,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`IMS Desk (browser host) on profile ${profile}\nOpen: ${host.launchUrl}\n`);
if (values.open && !values['no-open'] && process.platform === 'linux' && process.env.DISPLAY) {
  spawn('xdg-open', [host.launchUrl], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
}
const stop = () => {
  void host.close().then(() => {
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
