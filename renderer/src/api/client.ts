// The renderer's API client, derived from the contract. In Electron it talks through window.ims (the preload
// bridge); in a browser it talks to the browser host over HTTP. Screens see one typed `call`.
import type { ApiInput, ApiOutput, ProcedureName } from '../../../shared/api.ts';
import type { ApiFailure, ApiResult } from '../../../shared/api/errors.ts';
import { coreEvent, type CoreEvent } from '../../../shared/api/events.ts';
import { launchKey } from './launch.ts';

interface ElectronBridge {
  host: 'electron';
  call(name: string, input: unknown, session: string | null): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    ims?: ElectronBridge;
  }
}

/** A failure the user should read: the core's message, plus messages per field for forms. */
export class CallError extends Error {
  readonly code: ApiFailure['code'];
  readonly fields: Record<string, string>;
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.code = failure.code;
    this.fields = failure.fields ?? {};
  }
}

const SESSION_KEY = 'ims.session';
let sessionToken: string | null = sessionStorage.getItem(SESSION_KEY);
const sessionListeners = new Set<() => void>();

export function setSession(token: string | null): void {
  sessionToken = token;
  if (token) sessionStorage.setItem(SESSION_KEY, token);
  else sessionStorage.removeItem(SESSION_KEY);
}

export function hasSession(): boolean {
  return sessionToken !== null;
}

/** Called when the core says the session has ended, so the app can return to sign-in. */
export function onSessionExpired(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

function launchHeader(): Record<string, string> {
  return launchKey ? { 'X-IMS-Launch': launchKey } : {};
}

async function httpCall(name: string, input: unknown, keepalive: boolean): Promise<ApiResult<unknown>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer', ...launchHeader() };
  if (sessionToken) headers['X-IMS-Session'] = sessionToken;
  let res: Response;
  try {
    res = await fetch(`api/call/${name}`, { method: 'POST', headers, body: JSON.stringify({ input }), keepalive });
  } catch {
    return { ok: false, error: { code: 'unavailable', message: 'IMS Desk is not answering. Is it still running?' } };
  }
  if (!res.headers.get('content-type')?.includes('application/json')) {
    return { ok: false, error: { code: 'unavailable', message: `IMS Desk answered ${res.status}: reopen it with the link it printed` } };
  }
  if (res.status === 403 && !launchKey) {
    return { ok: false, error: { code: 'unavailable', message: 'Open IMS Desk with the link it printed when it started: it carries the key for this launch' } };
  }
  return (await res.json()) as ApiResult<unknown>;
}

/** `keepalive`: the request outlives the page (saving a draft as the window closes). */
export async function call<N extends ProcedureName>(name: N, input: ApiInput<N>, options: { keepalive?: boolean } = {}): Promise<ApiOutput<N>> {
  const result = window.ims ? await window.ims.call(name, input, sessionToken) : await httpCall(name, input, options.keepalive ?? false);
  if (!result.ok) {
    if (result.error.code === 'unauthenticated' && sessionToken && name !== 'auth.signIn') {
      setSession(null);
      for (const l of sessionListeners) l();
    }
    throw new CallError(result.error);
  }
  return result.value as ApiOutput<N>;
}

/**
 * Live events from the core (import and OCR progress, changes). In the browser host every subscriber shares one
 * event stream: a browser holds only six connections to a host, and screens with several live parts (the
 * attachments, the viewer, the scan inbox badge) must not use them up.
 */
const eventListeners = new Set<(event: CoreEvent) => void>();
const reopenListeners = new Set<() => void>();
let eventStream: AbortController | null = null;

/** Called when the event stream opens again after the host closed it (events may have been missed meanwhile). */
export function onEventStreamReopened(listener: () => void): () => void {
  reopenListeners.add(listener);
  return () => reopenListeners.delete(listener);
}

function openEventStream(reopening = false): void {
  const controller = new AbortController();
  eventStream = controller;
  void (async () => {
    try {
      const res = await fetch('api/events', { headers: { 'X-IMS-Client': 'renderer', ...launchHeader() }, signal: controller.signal });
      const reader = res.body?.getReader();
      if (!reader) return;
      if (reopening) for (const l of [...reopenListeners]) l();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const parsed = coreEvent.safeParse(JSON.parse(data.slice(6)));
          if (parsed.success) for (const l of [...eventListeners]) l(parsed.data);
        }
      }
    } catch {
      // The stream ends when the page goes away or the host stops; nothing to do.
    }
    // The host closed the stream while screens still listen: open it again after a moment.
    if (eventStream === controller && !controller.signal.aborted && eventListeners.size > 0) {
      setTimeout(() => {
        if (eventStream === controller && eventListeners.size > 0) openEventStream(true);
      }, 1000);
    }
  })();
}

export function subscribeEvents(listener: (event: CoreEvent) => void): () => void {
  if (window.ims) {
    return window.ims.onEvent((raw: unknown) => {
      const parsed = coreEvent.safeParse(raw);
      if (parsed.success) listener(parsed.data);
    });
  }
  eventListeners.add(listener);
  if (!eventStream) openEventStream();
  return () => {
    eventListeners.delete(listener);
    if (eventListeners.size === 0 && eventStream) {
      eventStream.abort();
      eventStream = null;
    }
  };
}
