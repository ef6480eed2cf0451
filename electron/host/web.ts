// The browser host: serves the built renderer and the API on 127.0.0.1 only, behind a random per-launch token.
// Used by the end-to-end tests, for development, and on machines where Electron cannot run.
//
// Guarding a loopback server: other local users, other local servers and web pages can reach 127.0.0.1 too. The
// launch token travels only in a header (X-IMS-Launch) that the page sends with every API call: the printed link
// carries it in the URL's fragment, which a browser never sends anywhere, and the page keeps it in localStorage,
// which is scoped to this origin and so to this port. (A cookie was sent to every port of 127.0.0.1: a server on
// another loopback port received it and could replay it here.) A cross-site page cannot send a custom header
// without a CORS preflight this server never grants, and a Host header must name this loopback address (no DNS
// rebinding). The renderer's own files are the app's code, not data: they are served to anyone on this port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/core.ts';
import { dispatch } from '../api/dispatch.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

export interface WebHostOptions {
  core: Core;
  /** The built renderer (vite build output). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); random otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  /** The link that signs the browser in to this launch. */
  launchUrl: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Open event streams (a page keeps one; more than this is a page or script opening them in a loop). */
const MAX_EVENT_STREAMS = 32;
/** Connections held at once; beyond it new ones are dropped, so a flood cannot use up the process's file handles. */
const MAX_CONNECTIONS = 256;
export const CLIENT_HEADER = 'x-ims-client';
export const SESSION_HEADER = 'x-ims-session';
export const LAUNCH_HEADER = 'x-ims-launch';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
};


function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** Answers 413, then lets the client finish sending (up to a bound) so it can read the answer. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  sendJson(res, 413, { ok: false, error: { code: 'bad_request', message: `The request is too large (the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB)` } });
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 16 * MAX_BODY_BYTES) req.destroy();
  });
  req.resume();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, rendererDir } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  const eventStreams = new Set<ServerResponse>();
  const unsubscribe = core.on((event: CoreEvent) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of eventStreams) res.write(line);
  });
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'Bad path');
    }
    const root = normalize(rendererDir);
    let file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return sendText(res, 403, 'Forbidden');
    let info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) {
      // Client-side routes fall back to the app shell; missing assets are 404s.
      if (extname(rel)) return sendText(res, 404, 'Not found');
      file = join(root, 'index.html');
      info = await stat(file).catch(() => null);
      if (!info) return sendText(res, 503, 'The renderer has not been built: run npm run build');
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    // A file removed mid-send or a client gone away ends this response; neither may reach the process as an error.
    pipeline(createReadStream(file), res, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`sending ${rel} failed: ${error.message}`);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!allowedHosts().has(req.headers.host ?? '')) return sendText(res, 421, 'This server only answers on its loopback address');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

    if (url.pathname.startsWith('/api/')) {
      const launch = req.headers[LAUNCH_HEADER];
      if (typeof launch !== 'string' || !sameSecret(launch, token)) {
        return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: "Open IMS Desk with the link it printed when it started: it carries this launch's key" } });
      }
      if (req.headers[CLIENT_HEADER] !== 'renderer') return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Missing client header' } });
      const session = (req.headers[SESSION_HEADER] as string | undefined) ?? null;
      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (eventStreams.size >= MAX_EVENT_STREAMS) return sendJson(res, 503, { ok: false, error: { code: 'unavailable', message: `IMS Desk already has ${eventStreams.size} windows following its events; close some and reload` } });
        res.on('error', () => eventStreams.delete(res));
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        eventStreams.add(res);
        req.on('close', () => eventStreams.delete(res));
        return;
      }
      const m = /^\/api\/call\/([a-zA-Z.]+)$/.exec(url.pathname);
      if (!m || req.method !== 'POST') return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'No such API route' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, { ok: false, error: { code: 'bad_request', message: 'Send JSON' } });
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuseTooLarge(req, res);
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? (JSON.parse(body) as { input?: unknown }).input : undefined;
      } catch (error) {
        if ((error as Error).message === 'too large') return refuseTooLarge(req, res);
        return sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: 'The request body is not valid JSON' } });
      }
      const result = await dispatch(core, m[1] as string, input, session, (msg, err) => log(`${msg} ${err instanceof Error ? (err.stack ?? err.message) : ''}`));
      return sendJson(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    return serveStatic(req, res, url.pathname);
  }

  const server = createServer((req, res) => {
    // A client that goes away mid-request: the request and response end quietly, never as an unhandled 'error'.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  // Once listening, a failure to accept a connection (no file handles left) is logged, never fatal.
  server.removeAllListeners('error');
  server.on('error', (error: NodeJS.ErrnoException) => log(`the server could not take a connection: ${error.code ?? error.message}`));
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    launchUrl: `${base}/#launch=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of eventStreams) res.end();
        eventStreams.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
