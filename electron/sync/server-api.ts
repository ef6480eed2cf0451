// The central server's API as the desk calls it: every answer is validated against the schemas of ./shared before
// the desk believes it, and every failure becomes one of two errors: the server could not be reached
// (UnreachableError: the desk is offline and keeps its work), or it answered with a refusal (ServerError, with
// the server's own message, which is written for the person at the desk).
import type { z, ZodType } from 'zod';
import { apiFailure, type ApiErrorCode } from '../../shared/api/errors.ts';
import {
  blobStatus,
  conflictsResponse,
  conflictView,
  pullResponse,
  pushResponse,
  rowsResponse,
  snapshotResponse,
  syncEvent,
  type AuditHead,
  type SyncEvent,
} from '../../shared/sync/protocol.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { deskView, health, registerDeskResponse, serverUser, signInResponse } from '../../shared/server/api.ts';
import { depositKeysResponse, deskSourceAccessResponse, nationalReferrers } from '../../shared/server/nsu.ts';
import { countersignedHead } from '../../shared/sync/countersign.ts';
import { releasedKey } from '../../shared/server/keys.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { miNationalRecords, miReport, type MiScopeInput } from '../../shared/api/mi.ts';
import type { HttpRequest, Transport } from './transport.ts';
import { UnreachableError } from './transport.ts';

/** The server answered, and refused. */
export class ServerError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | 'bad_response';
  readonly fields: Record<string, string>;
  constructor(status: number, code: ApiErrorCode | 'bad_response', message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ServerError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export { UnreachableError };

export interface Credentials {
  /** The desk's credential (registered desks). */
  desk?: string | null;
  /** A person's session on the server. */
  session?: string | null;
}

function headersOf(c: Credentials): Record<string, string> {
  const h: Record<string, string> = {};
  if (c.desk) h['x-desk-token'] = c.desk;
  if (c.session) h.authorization = `Bearer ${c.session}`;
  return h;
}

/** Told after every request whether the server was reached, so the desk's sync state follows any call, not only sync. */
export type ReachabilityListener = (reached: boolean, error?: UnreachableError) => void;

export class ServerApi {
  readonly transport: Transport;
  private readonly onReach: ReachabilityListener | undefined;

  constructor(transport: Transport, onReach?: ReachabilityListener) {
    this.transport = transport;
    this.onReach = onReach;
  }

  private async raw(r: HttpRequest): Promise<{ status: number; text: string; bytes: Uint8Array; headers: Record<string, string> }> {
    let reply;
    try {
      reply = await this.transport.request(r);
    } catch (error) {
      if (error instanceof UnreachableError) this.onReach?.(false, error);
      throw error;
    }
    if (reply.status === 502 || reply.status === 503 || reply.status === 504) {
      // A proxy answering for a server that is down: as unreachable as no answer at all.
      const down = new UnreachableError(`The server is not available (${reply.status})`);
      this.onReach?.(false, down);
    } else {
      this.onReach?.(true);
    }
    const text = reply.headers['content-type']?.includes('json') ? new TextDecoder().decode(reply.body) : '';
    if (reply.status >= 400) {
      let failure: z.infer<typeof apiFailure> | null = null;
      try {
        const parsed = apiFailure.safeParse(JSON.parse(text || new TextDecoder().decode(reply.body)));
        if (parsed.success) failure = parsed.data;
      } catch {
        // not the API's error shape (a proxy's page): fall through
      }
      if (reply.status === 502 || reply.status === 503 || reply.status === 504) throw new UnreachableError(failure?.message ?? `The server is not available (${reply.status})`);
      throw new ServerError(reply.status, failure?.code ?? 'bad_response', failure?.message ?? `The server answered ${reply.status} without saying why`, failure?.fields ?? {});
    }
    return { status: reply.status, text, bytes: reply.body, headers: reply.headers };
  }

  private async json<T extends ZodType>(schema: T, r: HttpRequest): Promise<z.infer<T>> {
    const { text } = await this.raw(r);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ServerError(200, 'bad_response', `The server's answer to ${r.method} ${r.path.split('?')[0]} is not JSON: is this an IMS server?`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ServerError(200, 'bad_response', `The server's answer to ${r.method} ${r.path.split('?')[0]} is not what this desk understands (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}): the server and this desk may be different versions`);
    }
    return parsed.data;
  }

  health() {
    return this.json(health, { method: 'GET', path: '/v1/health', timeoutMs: 10_000 });
  }

  signIn(username: string, password: string, deskToken: string | null) {
    return this.json(signInResponse, { method: 'POST', path: '/v1/auth/sign-in', json: { username, password }, headers: headersOf({ desk: deskToken }) });
  }

  signOut(session: string) {
    return this.raw({ method: 'POST', path: '/v1/auth/sign-out', json: {}, headers: headersOf({ session }) }).then(() => undefined);
  }

  registerDesk(session: string, desk: { node: string; name: string; unit: string }) {
    return this.json(registerDeskResponse, { method: 'POST', path: '/v1/desks', json: desk, headers: headersOf({ session }) });
  }

  deskMe(deskToken: string) {
    return this.json(deskView, { method: 'GET', path: '/v1/desks/me', headers: headersOf({ desk: deskToken }) });
  }

  push(deskToken: string, changes: ChangeRow[], auditHead?: AuditHead) {
    return this.json(pushResponse, { method: 'POST', path: '/v1/sync/push', json: auditHead ? { changes, auditHead } : { changes }, headers: headersOf({ desk: deskToken }), timeoutMs: 120_000 });
  }

  pull(deskToken: string, cursor: number, limit: number) {
    return this.json(pullResponse, { method: 'GET', path: `/v1/sync/pull?cursor=${cursor}&limit=${limit}`, headers: headersOf({ desk: deskToken }), timeoutMs: 120_000 });
  }

  snapshot(deskToken: string, after: string | null, limit: number) {
    const q = after === null ? `limit=${limit}` : `after=${encodeURIComponent(after)}&limit=${limit}`;
    return this.json(snapshotResponse, { method: 'GET', path: `/v1/sync/snapshot?${q}`, headers: headersOf({ desk: deskToken }), timeoutMs: 120_000 });
  }

  rows(deskToken: string, keys: Array<{ entity: string; id: string }>) {
    return this.json(rowsResponse, { method: 'POST', path: '/v1/sync/rows', json: { keys }, headers: headersOf({ desk: deskToken }) });
  }

  conflicts(deskToken: string, state: 'open' | 'all') {
    return this.json(conflictsResponse, { method: 'GET', path: `/v1/sync/conflicts?state=${state}`, headers: headersOf({ desk: deskToken }) });
  }

  resolveConflict(deskToken: string, session: string, id: number, resolution: 'reapplied' | 'discarded', note: string) {
    return this.json(conflictView, { method: 'POST', path: `/v1/sync/conflicts/${id}/resolve`, json: { resolution, note }, headers: headersOf({ desk: deskToken, session }) });
  }

  createUser(session: string, user: { username: string; displayName: string; role: Role; unit: string | null; password: string }) {
    return this.json(serverUser, { method: 'POST', path: '/v1/admin/users', json: user, headers: headersOf({ session }) });
  }

  updateUser(session: string, id: string, patch: { displayName?: string; role?: Role; unit?: string | null; active?: boolean; password?: string }) {
    return this.json(serverUser, { method: 'PATCH', path: `/v1/admin/users/${encodeURIComponent(id)}`, json: patch, headers: headersOf({ session }) });
  }

  /** Management information over the national record, for the signed-in person (the server applies their access). */
  miReport(deskToken: string, session: string, scope: MiScopeInput) {
    return this.json(miReport, { method: 'POST', path: '/v1/mi/report', json: scope, headers: headersOf({ desk: deskToken, session }), timeoutMs: 60_000 });
  }

  miRecords(deskToken: string, session: string, input: { scope: MiScopeInput; target: { group: string; key: string; row?: { by: 'unit' | 'region' | 'month'; key: string } | undefined }; limit: number }) {
    return this.json(miNationalRecords, { method: 'POST', path: '/v1/mi/records', json: input, headers: headersOf({ desk: deskToken, session }), timeoutMs: 60_000 });
  }

  /** Source-access entries of this desk's audit chain, for SACU's view across desks. */
  sendSourceAccess(deskToken: string, entries: Array<{ seq: number; hash: string; at: string; userId: string | null; actor: string; action: string; allegationId: string | null; reference: string | null; reason: string | null }>) {
    return this.json(deskSourceAccessResponse, { method: 'POST', path: '/v1/audit/source-access', json: { entries }, headers: headersOf({ desk: deskToken }) });
  }

  /** The latest head of this desk's audit chain the server countersigned. */
  auditHead(deskToken: string) {
    return this.json(countersignedHead, { method: 'GET', path: '/v1/sync/audit-head', headers: headersOf({ desk: deskToken }) });
  }

  /** Hands the server data keys of allegations whose source details this desk sealed (national blind indexes). */
  depositKeys(deskToken: string, keys: Array<{ allegationId: string; dataKey: string }>) {
    return this.json(depositKeysResponse, { method: 'POST', path: '/v1/keys/deposit', json: { keys }, headers: headersOf({ desk: deskToken }), timeoutMs: 120_000 });
  }

  /** Asks the server to release an allegation's data keys to the signed-in person (allocated to it, or NSU), with their reason. */
  releaseKey(deskToken: string, session: string, allegationId: string, reason: string) {
    return this.json(releasedKey, { method: 'POST', path: '/v1/keys/release', json: { allegationId, reason }, headers: headersOf({ desk: deskToken, session }), timeoutMs: 30_000 });
  }

  /** NSU's national repeat referrers, for the signed-in NSU officer. */
  nationalReferrers(session: string, minCount: number) {
    return this.json(nationalReferrers, { method: 'GET', path: `/v1/nsu/referrers?minCount=${minCount}`, headers: headersOf({ session }), timeoutMs: 120_000 });
  }

  blobStatus(deskToken: string, hash: string) {
    return this.json(blobStatus, { method: 'GET', path: `/v1/blobs/${hash}/status`, headers: headersOf({ desk: deskToken }) });
  }

  putBlobChunk(deskToken: string, hash: string, offset: number, size: number, chunk: Uint8Array) {
    return this.json(blobStatus, { method: 'PUT', path: `/v1/blobs/${hash}?offset=${offset}&size=${size}`, bytes: chunk, headers: headersOf({ desk: deskToken }), timeoutMs: 120_000 });
  }

  /** Bytes of a blob from `offset` (to its end, or `length` of them). */
  async getBlob(deskToken: string, hash: string, offset: number, length?: number): Promise<{ bytes: Uint8Array; total: number }> {
    const range = length === undefined ? `bytes=${offset}-` : `bytes=${offset}-${offset + length - 1}`;
    const r = await this.raw({ method: 'GET', path: `/v1/blobs/${hash}`, headers: { ...headersOf({ desk: deskToken }), range }, timeoutMs: 300_000 });
    const total = Number(/\/(\d+)$/.exec(r.headers['content-range'] ?? '')?.[1] ?? r.bytes.length);
    if (r.status === 200 && offset > 0) return { bytes: r.bytes.subarray(offset), total };
    return { bytes: r.bytes, total };
  }

  /** The live nudge: each event the server sends, until the stream ends or the signal aborts it. */
  async *events(deskToken: string, signal: AbortSignal): AsyncIterable<SyncEvent> {
    if (!this.transport.events) return;
    for await (const block of this.transport.events('/v1/sync/events', headersOf({ desk: deskToken }), signal)) {
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      let value: unknown;
      try {
        value = JSON.parse(data.slice(6));
      } catch {
        continue;
      }
      const parsed = syncEvent.safeParse(value);
      if (parsed.success) yield parsed.data;
    }
  }
}
