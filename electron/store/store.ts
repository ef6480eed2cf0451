// The case store: the database plus the rule that every mutation is one transaction that also appends its
// change (for sync) and its audit entry (in a chain under a keyed MAC: audit.ts).
import { randomBytes, randomFillSync } from 'node:crypto';
import { HybridClock, parseHlc } from '../../shared/sync/hlc.ts';
import { openDatabase, type Db, type Stmt } from './db.ts';
import { AuditLog, type AuditEntryInput } from './audit.ts';
import { UNITS } from '../../shared/domain/units.ts';
import { RowWriter, type PendingChange } from './registry.ts';
import { prepared } from './statements.ts';
import { DiskReserve } from './faults.ts';

const ID_POOL_BYTES = 16 * 256;

/** A clock from elsewhere that is further ahead of this computer's than the drift limit allows. */
export class ClockDriftError extends Error {
  /** How far the other clock is ahead of this computer's, in milliseconds. */
  readonly aheadMs: number;
  constructor(aheadMs: number, message: string) {
    super(message);
    this.name = 'ClockDriftError';
    this.aheadMs = aheadMs;
  }
}

export interface Actor {
  /** The local user, or null for the desk itself (CLI import, migrations). */
  userId: string | null;
  /** How the actor is named in the record ("Jane Okafor", "ims import (jo)"). */
  name: string;
}

export interface MutationMeta {
  actor: Actor;
  /** Audit action, e.g. "allegation.import". */
  action: string;
  entity?: string;
  entityId?: string;
  allegationId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * What a mutation callback gets: the timestamps of this mutation and the one writer of synced rows
 * (`insert`, `append`, `update`, `put`), which logs each write's change in the same transaction. Local-only
 * tables (drafts, derived indexes) are written through `db`.
 */
export interface Mutation extends Pick<RowWriter, 'insert' | 'append' | 'update' | 'put' | 'replace' | 'publish'> {
  readonly db: Db;
  readonly hlc: string;
  /** ISO time of the mutation. */
  readonly at: string;
  readonly actor: Actor;
  /** Adds to the audit entry's details (e.g. counts known only after the work). */
  note(details: Record<string, unknown>): void;
}

export interface StoreOptions {
  /** Injectable wall clock for tests. */
  now?: () => number;
}

export class Store {
  readonly db: Db;
  readonly profileDir: string;
  readonly clientId: string;
  readonly audit: AuditLog;
  /** Room kept back on the store's disk, for the last word of work that meets a full disk. */
  readonly reserve: DiskReserve;
  private readonly clock: HybridClock;
  private readonly nowMs: () => number;
  private readonly insertChange: Stmt;
  private readonly mutationHooks: Array<(meta: MutationMeta) => void> = [];
  private readonly rollbackHooks: Array<() => void> = [];
  private idMs = 0;
  private idSeq = 0;
  private readonly idPool = Buffer.alloc(ID_POOL_BYTES);
  private idPoolAt = ID_POOL_BYTES;

  constructor(profileDir: string, options: StoreOptions = {}) {
    this.profileDir = profileDir;
    this.nowMs = options.now ?? (() => Date.now());
    this.db = openDatabase(profileDir);
    this.clientId = this.ensureClientId();
    // The clock starts past everything it has stamped or seen: its own last change, and the latest clock of a
    // change applied from elsewhere (kept by sync), so a restart never stamps a write behind one it already holds.
    const lastHlc = (this.db.prepare('SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1').get() as { hlc: string } | undefined)?.hlc;
    const seen = (this.db.prepare("SELECT value ->> '$' AS hlc FROM sync_state WHERE key = 'clock_seen'").get() as { hlc: string } | undefined)?.hlc;
    this.clock = new HybridClock(this.clientId, this.nowMs, [lastHlc, seen].filter((h): h is string => Boolean(h)).sort().at(-1));
    this.audit = new AuditLog(this.db, profileDir);
    this.insertChange = this.db.prepare(
      'INSERT INTO changes (hlc, entity, entity_id, allegation_id, op, data, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.seedUnits();
    this.reserve = new DiskReserve(profileDir);
    this.reserve.ensure();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /**
   * Moves this desk's clock past a clock received from elsewhere (a change pulled from the server) and keeps what
   * it has seen, in the caller's transaction. A clock too far ahead of this computer's is refused (ClockDriftError):
   * the desk's own clock is wrong, or the other's is, and either way it must not drag every later write with it.
   */
  receiveClock(remote: string): void {
    try {
      this.clock.receive(remote);
    } catch (error) {
      const wall = parseHlc(remote).wall;
      throw new ClockDriftError(wall - this.nowMs(), (error as Error).message);
    }
    prepared(this.db, "INSERT INTO sync_state (key, value) VALUES ('clock_seen', json_quote(?)) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(this.clock.current());
  }

  /** The latest clock this desk has stamped or seen. */
  currentClock(): string {
    return this.clock.current();
  }

  /**
   * A new id: a time-ordered UUID (version 7, RFC 9562) — 48 bits of milliseconds, a counter within the
   * millisecond, and 62 random bits — so ids made on different desks never collide, and each table's id index
   * grows at its end instead of at a random leaf. With random (v4) ids every inserted row dirtied a random page of
   * every id index: importing 30k allegations wrote 4.9 GB, and the cost grows with the store (1M: ~300 GB).
   */
  newId(): string {
    const now = Date.now();
    this.idSeq = now === this.idMs ? this.idSeq + 1 : 0;
    this.idMs = now;
    // Random bits come from a pool refilled 256 ids at a time: one call into the CSPRNG per id was a measurable
    // share of an import's time.
    if (this.idPoolAt >= ID_POOL_BYTES) {
      randomFillSync(this.idPool);
      this.idPoolAt = 0;
    }
    const b = Buffer.from(this.idPool.subarray(this.idPoolAt, this.idPoolAt + 16));
    this.idPoolAt += 16;
    b.writeUIntBE(now, 0, 6);
    b[6] = 0x70 | ((this.idSeq >> 8) & 0x0f);
    b[7] = this.idSeq & 0xff;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /**
   * Runs `fn` in one transaction that also writes the change rows it records and one audit entry. If `fn`
   * throws, nothing of it is kept.
   */
  mutate<T>(meta: MutationMeta, fn: (m: Mutation) => T): T {
    let result: T;
    try {
      result = this.transact(meta, fn);
    } catch (error) {
      this.audit.rolledBack();
      for (const hook of this.rollbackHooks) hook();
      throw error;
    }
    // Committed: the audit key of the entries just written is replaced by the next one (unless an outer
    // transaction is still open, whose commit is not ours to see).
    if (!this.db.inTransaction) this.audit.committed();
    return result;
  }

  private transact<T>(meta: MutationMeta, fn: (m: Mutation) => T): T {
    return this.db.transaction(() => {
      const hlc = this.clock.tick();
      const at = this.now().toISOString();
      const extra: Record<string, unknown> = {};
      let changes = 0;
      const log = (c: PendingChange) => {
        this.insertChange.run(hlc, c.entity, c.id, c.allegationId, c.op, JSON.stringify(c.fields), meta.actor.userId);
        changes++;
      };
      const writer = new RowWriter(this.db, hlc, log);
      const mutation: Mutation = {
        db: this.db,
        hlc,
        at,
        actor: meta.actor,
        insert: (entity, row) => writer.insert(entity, row),
        append: (entity, row) => writer.append(entity, row),
        update: (entity, key, patch) => writer.update(entity, key, patch),
        put: (entity, row) => writer.put(entity, row),
        replace: (entity, key, patch) => writer.replace(entity, key, patch),
        publish: (entity, key) => writer.publish(entity, key),
        note: (details) => Object.assign(extra, details),
      };
      const result = fn(mutation);
      for (const hook of this.mutationHooks) hook(meta);
      const entry: AuditEntryInput = {
        at,
        userId: meta.actor.userId,
        actor: meta.actor.name,
        action: meta.action,
        entity: meta.entity ?? null,
        entityId: meta.entityId ?? null,
        allegationId: meta.allegationId ?? null,
        details: { ...meta.details, ...extra, changes },
      };
      this.audit.append(entry);
      return result;
    })();
  }

  /**
   * Work that runs inside every mutation's transaction, after its changes and before its audit entry: derived
   * data (the search index) is brought up to date atomically with the change that made it stale, and the core
   * learns that screens must re-read (it tells them on the next turn, once the transaction has committed).
   */
  onMutation(hook: (meta: MutationMeta) => void): void {
    this.mutationHooks.push(hook);
  }

  /** Work to do when a mutation fails and nothing of it is kept (in-memory state that followed it is stale). */
  onRollback(hook: () => void): void {
    this.rollbackHooks.push(hook);
  }

  /**
   * Says that committed mutations were rolled back after all, by a transaction that held them (a batch of
   * imported records whose commit failed): the rollback hooks run, as for a failed mutation.
   */
  rolledBack(): void {
    for (const hook of this.rollbackHooks) hook();
  }

  /** A national setting (synced) stored as JSON, or the fallback when it is not set or holds null. */
  setting<T>(key: string, fallback: T): T {
    const row = prepared(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return (row ? (JSON.parse(row.value) as T | null) : null) ?? fallback;
  }

  /** A setting of this desk alone (a folder on this machine), or the fallback. */
  deskSetting<T>(key: string, fallback: T): T {
    const row = prepared(this.db, 'SELECT value FROM desk_settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private ensureClientId(): string {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'client_id'").get() as { value: string } | undefined;
    if (row) return row.value;
    // Short, URL-safe and unique enough to name this desk in clocks and references.
    const id = randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x');
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('client_id', ?)").run(id);
    return id;
  }

  private seedUnits(): void {
    const upsert = this.db.prepare(
      `INSERT INTO units (code, name, kind, region, holidays) VALUES (@code, @name, @kind, @region, @holidays)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, region = excluded.region, holidays = excluded.holidays`,
    );
    this.db.transaction(() => {
      for (const u of UNITS) upsert.run({ code: u.code, name: u.name, kind: u.kind, region: u.region, holidays: u.holidays });
    })();
  }
}
