// Where the server keeps its data, and where it may listen: loopback by default; any other address only with TLS
// (a certificate and key configured), so that passwords, session tokens and case data never cross a network in
// clear. A deployment behind a TLS-terminating proxy listens on loopback.
import { homedir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

export const DEFAULT_PORT = 8470;

/**
 * Node's flags for the server process, given by `npm run server` (package.json, which must say the same) and by the
 * sync benchmark. A push's body and its working state live across several round trips to the database while other
 * pushes arrive, and with Node's default young generation (16 MB semi-spaces) much of it was copied into the old
 * generation and collected there; with 32 MB the server spent about 5% less processor a change (docs/server.md).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'ims-server');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'ims-server');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'ims-server');
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h.startsWith('::ffff:127.');
}

/** Why the server must not listen there, or null. */
export function listenProblem(host: string, tls: boolean): string | null {
  if (isLoopback(host) || tls) return null;
  return (
    `Refusing to listen on ${host} without TLS: passwords, session tokens and case data would cross the network in clear. ` +
    'Give --tls-cert FILE and --tls-key FILE (or IMS_SERVER_TLS_CERT and IMS_SERVER_TLS_KEY), or listen on 127.0.0.1 behind a TLS-terminating proxy.'
  );
}
