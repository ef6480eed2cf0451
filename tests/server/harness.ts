// The server's tests run every behaviour against both databases: PGlite (in memory) always, and a real PostgreSQL
// when IMS_TEST_POSTGRES_URL names one (`.ci/run` starts a cluster and sets it). Without it the PostgreSQL half is
// reported as skipped, by name, never passed in silence. Each suite gets a fresh server on a fresh database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/server.ts';
import { HybridClock } from '../../shared/sync/hlc.ts';
import { MutationBuilder } from './builders.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';

export const POSTGRES_URL = process.env.IMS_TEST_POSTGRES_URL ?? null;
export const PASSWORD = 'correct horse battery';

export type DbKind = 'PGlite' | 'PostgreSQL';

/** A database for one suite: PGlite in memory, or a new database on the PostgreSQL cluster (dropped at the end). */
export async function freshDatabaseUrl(kind: DbKind): Promise<{ url: string | null; drop: () => Promise<void> }> {
  if (kind === 'PGlite') return { url: null, drop: async () => undefined };
  const name = `ims_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL as string });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL as string);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL as string });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class Harness {
  server!: RunningServer;
  dataDir!: string;
  /** Moves the server's clock (session expiry) without waiting. */
  offsetMs = 0;
  adminToken = '';
  /** The suite's PostgreSQL database (null on PGlite), for tests that open transactions of their own beside the server's. */
  databaseUrl: string | null = null;
  private dropDb: () => Promise<void> = async () => undefined;
  readonly kind: DbKind;

  constructor(kind: DbKind) {
    this.kind = kind;
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'ims-server-test-'));
    const db = await freshDatabaseUrl(this.kind);
    this.dropDb = db.drop;
    this.databaseUrl = db.url;
    this.server = await startServer({ dataDir: this.dataDir, databaseUrl: db.url, inMemory: true, now: () => new Date(Date.now() + this.offsetMs), pollSeconds: 30 });
    const r = await this.request<{ sessionToken: string }>('POST', '/v1/bootstrap', { body: { token: this.server.bootstrapToken, username: 'admin', displayName: 'First Admin', password: PASSWORD } });
    if (r.status !== 201) throw new Error(`bootstrap failed: ${JSON.stringify(r.body)}`);
    this.adminToken = r.body.sessionToken;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    await this.dropDb();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async request<T = Record<string, unknown>>(method: string, path: string, options: { body?: unknown; raw?: string | Uint8Array; contentType?: string; token?: string; desk?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.desk) headers['x-desk-token'] = options.desk;
    let body: string | Uint8Array | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body as RequestInit['body'] });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async addUser(username: string, role: Role, unit: string | null): Promise<{ id: string; username: string }> {
    const r = await this.request<{ id: string; username: string }>('POST', '/v1/admin/users', { token: this.adminToken, body: { username, displayName: username.replace(/\./g, ' '), role, unit, password: PASSWORD } });
    if (r.status !== 201) throw new Error(`adding ${username} failed: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async signIn(username: string, deskToken?: string): Promise<string> {
    const r = await this.request<{ sessionToken: string }>('POST', '/v1/auth/sign-in', { body: { username, password: PASSWORD }, ...(deskToken ? { desk: deskToken } : {}) });
    if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(r.body)}`);
    return r.body.sessionToken;
  }

  /** Registers a desk for a unit (asked by the first person), has the administrator approve it, and signs its people in there. */
  async desk(name: string, unit: string, people: Array<{ username: string }>, options: { approve?: boolean } = {}): Promise<TestDesk> {
    const node = `desk${randomBytes(4).toString('hex')}`;
    const asker = await this.signIn((people[0] as { username: string }).username);
    const r = await this.request<{ desk: { id: string }; deskToken: string }>('POST', '/v1/desks', { token: asker, body: { node, name, unit } });
    if (r.status !== 201) throw new Error(`registering ${name} failed: ${JSON.stringify(r.body)}`);
    if (options.approve ?? true) {
      const a = await this.request('POST', `/v1/admin/desks/${r.body.desk.id}/decision`, { token: this.adminToken, body: { decision: 'approve' } });
      if (a.status !== 200) throw new Error(`approving ${name} failed: ${JSON.stringify(a.body)}`);
    }
    const desk = new TestDesk(this, r.body.desk.id, node, r.body.deskToken);
    for (const p of people) desk.sessions.set(p.username, await this.signIn(p.username, r.body.deskToken));
    return desk;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [r] = await this.server.ctx.db.query<{ n: number }>(sql, params as never);
    return Number(r?.n ?? 0);
  }
}

type Fields = Record<string, FieldValue>;

/** A desk as the tests drive it: its own clock and change numbers, and mutations written as change rows. */
export class TestDesk {
  readonly sessions = new Map<string, string>();
  readonly clock: HybridClock;
  seq = 0;
  cursor = 0;
  private readonly h: Harness;
  readonly id: string;
  readonly node: string;
  readonly token: string;

  constructor(h: Harness, id: string, node: string, token: string) {
    this.h = h;
    this.id = id;
    this.node = node;
    this.token = token;
    this.clock = new HybridClock(node);
  }

  /** One mutation: its changes share one clock, as on a desk. */
  mutation(userId: string | null, build: (m: MutationBuilder) => void): ChangeRow[] {
    const hlc = this.clock.tick();
    const out: ChangeRow[] = [];
    build(new MutationBuilder(hlc, userId, out, () => ++this.seq));
    return out;
  }

  push(changes: ChangeRow[]) {
    return this.h.request<PushReply>('POST', '/v1/sync/push', { desk: this.token, body: { changes } });
  }

  async pull(limit = 1000) {
    const r = await this.h.request<PullReply>('GET', `/v1/sync/pull?cursor=${this.cursor}&limit=${limit}`, { desk: this.token });
    if (r.status === 200) this.cursor = r.body.cursor;
    return r;
  }

  /** Pulls until nothing more is waiting, gathering everything received. */
  async pullAll(): Promise<PullReply> {
    const all: PullReply = { changes: [], snapshots: [], moved: [], cursor: this.cursor, more: false, serverHlc: '', pollSeconds: 0 };
    for (;;) {
      const r = await this.pull();
      if (r.status !== 200) throw new Error(`pull failed: ${JSON.stringify(r.body)}`);
      all.changes.push(...r.body.changes);
      all.snapshots.push(...r.body.snapshots);
      all.moved.push(...r.body.moved);
      all.cursor = r.body.cursor;
      for (const c of r.body.changes) this.clock.receive(c.hlc);
      if (!r.body.more) return all;
    }
  }
}

export interface PushReply {
  results: Array<{ seq: number; status: 'accepted' | 'rejected'; serverSeq: number; reason: string | null; stale: string[]; conflictId: number | null }>;
  nextSeq: number;
  references: Array<{ allegationId: string; reference: string; provisional: string | null }>;
  code?: string;
  message?: string;
}

export interface PullReply {
  changes: Array<{ serverSeq: number; deskId: string | null; hlc: string; entity: string; id: string; allegationId: string | null; op: string; fields: Record<string, { from: FieldValue; to: FieldValue }>; userId: string | null }>;
  snapshots: Array<{ entity: string; id: string; data: Fields; clocks: Record<string, string> }>;
  moved: Array<{ allegationId: string; unit: string | null; serverSeq: number }>;
  cursor: number;
  more: boolean;
  serverHlc: string;
  pollSeconds: number;
}

/**
 * Declares a suite once per database. The PostgreSQL half runs when IMS_TEST_POSTGRES_URL is set; otherwise it is
 * reported as skipped with the reason, so a green run on a developer's machine says what it did not test.
 */
export function eachDatabase(title: string, body: (h: Harness) => void): void {
  for (const kind of ['PGlite', 'PostgreSQL'] as const) {
    if (kind === 'PostgreSQL' && !POSTGRES_URL) {
      describe(`${title} [PostgreSQL]`, () => {
        it.skip('skipped: no PostgreSQL was given (set IMS_TEST_POSTGRES_URL to a cluster; .ci/run starts one)', () => undefined);
      });
      continue;
    }
    describe(`${title} [${kind}]`, () => {
      const h = new Harness(kind);
      beforeAll(() => h.start(), 120_000);
      afterAll(() => h.stop(), 60_000);
      body(h);
    });
  }
}

export { MutationBuilder };
