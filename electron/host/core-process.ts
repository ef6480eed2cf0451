// The core in its own process, so that SQL, import and OCR never stall the window (DESIGN.md: process model).
// Electron starts it as a utilityProcess (messages on process.parentPort); tests and other hosts can start it
// with child_process.fork (messages on process.send). The protocol is the same:
//   -> { id, name, input, session }          <- { id, result }
//                                            <- { event }
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core, type CoreOptions } from '../core/core.ts';
import { dispatch } from '../api/dispatch.ts';
import { defaultProfileDir } from '../core/profile.ts';
import { z } from 'zod';
import { createRequire } from 'node:module';

const request = z.object({ id: z.number().int(), name: z.string().max(100), input: z.unknown(), session: z.string().max(200).nullable() });

interface Port {
  on(listener: (message: unknown) => void): void;
  post(message: unknown): void;
}

function parentPort(): Port {
  const electronPort = (process as unknown as { parentPort?: { on(e: 'message', l: (ev: { data: unknown }) => void): void; postMessage(m: unknown): void } }).parentPort;
  if (electronPort) {
    return { on: (l) => electronPort.on('message', (ev) => l(ev.data)), post: (m) => electronPort.postMessage(m) };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return { on: (l) => process.on('message', l), post: (m) => void send(m) };
  }
  throw new Error('core process started without a parent to talk to');
}

/**
 * The OCR pool's workers. Bundled (build/build-electron.ts), the page worker is page-worker.cjs beside this file and
 * runs on Electron's own binary as Node (the pool sets ELECTRON_RUN_AS_NODE); from source, the pool's defaults
 * apply. Files electron-builder unpacks from the asar (the language model) are read from app.asar.unpacked.
 */
function attachmentOptions(): CoreOptions['attachments'] {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundledWorker = join(here, 'page-worker.cjs');
  if (!existsSync(bundledWorker)) return {};
  const unpacked = (p: string) => p.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
  let langPath: string | undefined;
  try {
    const modelDir = join(dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
    langPath = existsSync(unpacked(modelDir)) ? unpacked(modelDir) : modelDir;
  } catch {
    langPath = undefined; // the pool says clearly that the language data is missing
  }
  return { ocr: { workerEntry: bundledWorker, execPath: process.execPath, ...(langPath ? { langPath } : {}) } };
}

const { values } = parseArgs({ options: { profile: { type: 'string' } }, strict: false });
const port = parentPort();
let core: Core;
try {
  core = Core.open(resolve(typeof values.profile === 'string' ? values.profile : defaultProfileDir()), { attachments: attachmentOptions() });
} catch (error) {
  port.post({ fatal: (error as Error).message });
  process.exit(1);
}
core.on((event) => port.post({ event }));

// The OS keychain (Electron safeStorage) is only reachable from the main process: ask it over the same channel.
let nextKeychainCall = 1;
const keychainCalls = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
const keychain = (op: 'encrypt' | 'decrypt') => (data: Buffer) =>
  new Promise<Buffer>((resolve, reject) => {
    const id = nextKeychainCall++;
    keychainCalls.set(id, { resolve, reject });
    port.post({ keychain: { id, op, data: data.toString('base64') } });
  });
const keychainReply = z.object({ keychainReply: z.object({ id: z.number().int(), data: z.string().optional(), error: z.string().optional() }) });

port.on((message) => {
  const reply = keychainReply.safeParse(message);
  if (reply.success) {
    const { id, data, error } = reply.data.keychainReply;
    const call = keychainCalls.get(id);
    keychainCalls.delete(id);
    if (call) {
      if (data !== undefined) call.resolve(Buffer.from(data, 'base64'));
      else call.reject(new Error(error ?? 'the keychain did not answer'));
    }
    return;
  }
  if ((message as { unlockWithKeychain?: boolean } | null)?.unlockWithKeychain) {
    core.vault.unlock({ kind: 'os-keychain', encrypt: keychain('encrypt'), decrypt: keychain('decrypt') }).then(
      () => {
        port.post({ vault: 'unlocked' });
        // Attachments left unread last time, and the NAT scan folder: work that needs the vault open.
        core.startBackground();
      },
      (error: unknown) => port.post({ vault: 'locked', error: (error as Error).message }),
    );
    return;
  }
  const parsed = request.safeParse(message);
  if (!parsed.success) return;
  const { id, name, input, session } = parsed.data;
  void dispatch(core, name, input, session).then((result) => port.post({ id, result }));
});
port.post({ ready: true });
const shutdown = () => {
  core.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);
