// How the desk reaches the central server: one small interface (a request, and the live-nudge stream), so that
// the sync client is the same over the network (fetch) and in the protocol's property tests (the server's app
// in-process, behind a simulated network that drops, repeats and delays messages).
//
// The desk never sends a password, a session or case data in clear over a network: a server address must be
// https, or http on this machine's loopback (a server on the same computer, or a TLS-terminating proxy beside it).
import { isIP } from 'node:net';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path and query, e.g. "/v1/sync/pull?cursor=3". */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body, or raw bytes (application/octet-stream). */
  json?: unknown;
  bytes?: Uint8Array;
  /** Milliseconds before the request is given up as unanswered. */
  timeoutMs?: number;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface Transport {
  request(r: HttpRequest): Promise<HttpReply>;
  /**
   * The server-sent events at `path`, as the text of each event block, until the server ends the stream or the
   * signal aborts it. Absent where there is no live stream (the desk polls).
   */
  events?(path: string, headers: Record<string, string>, signal: AbortSignal): AsyncIterable<string>;
}

/** The server could not be reached, or did not answer in time: the desk is offline and keeps its work. */
export class UnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h.startsWith('::ffff:127.');
}

/** The server's address in the one form the desk keeps (no trailing slash), or why it cannot be used. */
export function checkServerUrl(text: string): { url: string } | { problem: string } {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { problem: `${JSON.stringify(text.trim())} is not a web address: write it like https://ims.example.gov.uk` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { problem: `The server's address must start with https:// (not ${u.protocol}//)` };
  if (u.username || u.password) return { problem: 'Leave the user name and password out of the address: people sign in on the sign-in screen' };
  if (u.search || u.hash) return { problem: 'The address of the server has no query or fragment (?… or #…)' };
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return {
      problem: `Refusing plain http to ${u.hostname}: passwords, sessions and case data would cross the network unencrypted. Use https://${u.host}${u.pathname === '/' ? '' : u.pathname} (the server needs a TLS certificate), or http only to this computer (127.0.0.1).`,
    };
  }
  return { url: `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}` };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The network: Node's fetch against the configured server. */
export class FetchTransport implements Transport {
  readonly base: string;

  constructor(url: string) {
    const checked = checkServerUrl(url);
    if ('problem' in checked) throw new Error(checked.problem);
    this.base = checked.url;
  }

  async request(r: HttpRequest): Promise<HttpReply> {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let body: RequestInit['body'];
    if (r.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = r.bytes as RequestInit['body'];
    } else if (r.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(r.json);
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${r.path}`, { method: r.method, headers, body, redirect: 'error', signal: AbortSignal.timeout(r.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      throw new UnreachableError(unreachableMessage(this.base, error), { cause: error });
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (error) {
      throw new UnreachableError(`The server at ${this.base} stopped answering part-way: ${(error as Error).message}`, { cause: error });
    }
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: bytes };
  }

  async *events(path: string, headers: Record<string, string>, signal: AbortSignal): AsyncIterable<string> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { headers: { ...headers, accept: 'text/event-stream' }, redirect: 'error', signal });
    } catch (error) {
      throw new UnreachableError(unreachableMessage(this.base, error), { cause: error });
    }
    if (!res.ok || !res.body) throw new UnreachableError(`The server's live stream answered ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          yield buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }
}

function unreachableMessage(base: string, error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `The server at ${base} did not answer in time`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return `Nothing answers at ${base} (connection refused): the server is not running there`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The server's name in ${base} cannot be found: check the address, or the network`;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `The server at ${base} presented a certificate this computer does not trust (${code})`;
  return `The server at ${base} cannot be reached: ${e.cause?.message ?? e.message}`;
}
