// Starts a server: opens the database (PGlite in the data folder, or PostgreSQL at DATABASE_URL), brings its schema
// up to date, loads or makes the audit key, opens the blob store (sealing what an older server left plain) and the live nudge, prepares the first-run
// bootstrap token when there is no administrator, and listens.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeyFile, type KeyEncryptionService } from './keys/key-service.ts';
import { LocalBlindIndexKey, type BlindIndexService } from './keys/blind-index.ts';
import { LocalCountersignKey, type CountersignService } from './keys/countersign.ts';
import { buildApp } from './app.ts';
import type { ServerContext } from './context.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { FsBlobStore } from './blobs/fs-blob-store.ts';
import { NudgeHub } from './sync/nudge.ts';
import { HybridClock } from '../shared/sync/hlc.ts';
import { listenProblem } from './config.ts';
import { prepareBootstrap } from './bootstrap.ts';
import { latestSeq } from './sync/pull.ts';
import { chainAudit } from './store/audit-queue.ts';
import { pushConcurrency, pushGate } from './sync/admission.ts';
import { appendAudit } from './store/audit.ts';
import { lockWrites } from './sync/write.ts';
import type { FastifyInstance } from 'fastify';

export interface ServerOptions {
  dataDir: string;
  /** A PostgreSQL connection string; without it, PGlite in <dataDir>/pglite. */
  databaseUrl?: string | null;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  host?: string;
  port?: number;
  tls?: { certFile: string; keyFile: string } | null;
  logger?: boolean;
  now?: () => Date;
  pollSeconds?: number;
  /** Pushes in their database transaction at once (sync/admission.ts); IMS_SERVER_PUSH_CONCURRENCY by default. */
  pushConcurrency?: number;
  /** The audit chain's MAC key; default: IMS_SERVER_AUDIT_KEY (base64), else <dataDir>/keys/audit.key, made on first start. */
  auditKey?: Buffer;
  /** The key service wrapping data keys; the local key file under the data folder when not given. */
  keys?: KeyEncryptionService;
  /** The blind-index key service; the local key file under the data folder when not given. */
  blindIndex?: BlindIndexService;
  /** The key that countersigns desks' audit heads; the local key file under the data folder when not given. */
  countersign?: CountersignService;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  ctx: ServerContext;
  /** Set when the server has no administrator yet (also written to <dataDir>/bootstrap-token). */
  bootstrapToken: string | null;
  close(): Promise<void>;
}

function loadAuditKey(dataDir: string): Buffer {
  const env = process.env.IMS_SERVER_AUDIT_KEY;
  if (env) {
    const key = Buffer.from(env, 'base64');
    if (key.length < 32) throw new Error('IMS_SERVER_AUDIT_KEY must be at least 32 bytes, base64-encoded');
    return key;
  }
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'audit.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

export async function openDatabase(options: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'inMemory'>): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.inMemory ? null : join(options.dataDir, 'pglite'));
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const problem = listenProblem(host, Boolean(options.tls));
  if (problem) throw new Error(problem);
  const https = options.tls ? { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } : null;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = await openDatabase(options);
  try {
    await migrate(db);
    const [last] = await db.query<{ hlc: string }>('SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1');
    const now = options.now ?? (() => new Date());
    const keys = options.keys ?? LocalKeyFile.load(options.dataDir);
    const blobs = new FsBlobStore(join(options.dataDir, 'blobs'), keys);
    const auditKey = options.auditKey ?? loadAuditKey(options.dataDir);
    const legacy = await blobs.sealLegacy();
    if (legacy.sealed + legacy.dropped > 0) {
      await db.transaction(async (tx) => {
        await lockWrites(tx);
        await appendAudit(tx, auditKey, now(), { userId: null, deskId: null, action: 'blob.sealed_at_start', details: legacy });
      });
    }
    const ctx: ServerContext = {
      db,
      clock: new HybridClock(`server-${randomBytes(4).toString('hex')}`, () => now().getTime(), last?.hlc),
      auditKey,
      keys,
      blindIndex: options.blindIndex ?? LocalBlindIndexKey.load(options.dataDir),
      countersign: options.countersign ?? LocalCountersignKey.load(options.dataDir),
      blobs,
      hub: new NudgeHub(),
      pushGate: pushGate(pushConcurrency(options.pushConcurrency)),
      now,
      pollSeconds: options.pollSeconds ?? 60,
      dataDir: options.dataDir,
      signInFailures: new Map(),
    };
    ctx.hub.latestSeq = await latestSeq(db);
    await ctx.hub.start(db);
    // Audit entries a stopped or killed server queued but did not chain (store/audit-queue.ts).
    await chainAudit(ctx);
    const bootstrapToken = await prepareBootstrap(ctx);
    const app = buildApp(ctx, { logger: options.logger ?? false, https });
    await app.listen({ host, port: options.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `${https ? 'https' : 'http'}://${shownHost}:${port}`,
      app,
      ctx,
      bootstrapToken,
      async close() {
        await app.close();
        await ctx.hub.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
