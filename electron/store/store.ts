// The case store: the database plus the rule that every mutation is one transaction that also appends its
// change (for sync) and its audit entry (hash-chained).
import { randomBytes } from 'node:crypto';
import { HybridClock } from '../../shared/sync/hlc.ts';
import { openDatabase, type Db, type Stmt } from './db.ts';
import { AuditLog, type AuditEntryInput } from './audit.ts';
import { UNITS } from '../../shared/domain/units.ts';

export interface Actor {
  /** The local user, or null for the desk itself (CLI import, migrations). */
  userId: string | null;
  /** How the actor is named in the record ("Jane Okafor", "ims import (jo)"). */
  name: string;
}

export type ChangeOp = 'insert' | 'update' | 'append';

export interface MutationMeta {
  actor: Actor;
  /** Audit action, e.g. "allegation.import". */
  action: string;
  entity?: string;
  entityId?: string;
  allegationId?: string | null;
  details?: Record<string, unknown>;
}

/** What a mutation callback gets: the timestamps of this mutation and a way to record its changes. */
export interface Mutation {
  readonly db: Db;
  readonly hlc: string;
  /** ISO time of the mutation. */
  readonly at: string;
  readonly actor: Actor;
  change(entity: string, entityId: string, op: ChangeOp, data: Record<string, unknown>, allegationId?: string | null): void;
  /** Adds to the audit entry's details (e.g. counts known only after the work). */
  note(details: Record<string, unknown>): void;
}

/** What a committed mutation changed, for whoever shows the store (screens refresh from it). */
export interface Committed {
  action: string;
  allegationId: string | null;
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
  private readonly clock: HybridClock;
  private readonly nowMs: () => number;
  private readonly insertChange: Stmt;
  private readonly mutationHooks: Array<() => void> = [];
  private readonly commitListeners = new Set<(c: Committed) => void>();
  private depth = 0;
  private idMs = 0;
  private idSeq = 0;

  constructor(profileDir: string, options: StoreOptions = {}) {
    this.profileDir = profileDir;
    this.nowMs = options.now ?? (() => Date.now());
    this.db = openDatabase(profileDir);
    this.clientId = this.ensureClientId();
    const lastHlc = (this.db.prepare('SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1').get() as { hlc: string } | undefined)?.hlc;
    this.clock = new HybridClock(this.clientId, this.nowMs, lastHlc);
    this.audit = new AuditLog(this.db);
    this.insertChange = this.db.prepare(
      'INSERT INTO changes (hlc, entity, entity_id, allegation_id, op, data, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.seedUnits();
  }

  now(): Date {
    return new Date(this.nowMs());
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
    const b = randomBytes(16);
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
    this.depth++;
    let result: T;
    try {
      result = this.transact(meta, fn);
    } finally {
      this.depth--;
    }
    // Tell listeners once, for the outermost mutation. A batch that wraps mutations in its own transaction (import)
    // commits when it returns: listeners that read the store must wait for the event loop's next turn (the core
    // does), by which time a synchronous transaction has ended.
    if (this.depth === 0) {
      for (const l of this.commitListeners) {
        try {
          l({ action: meta.action, allegationId: meta.allegationId ?? null });
        } catch {
          // A listener (a closed window) must not undo or fail a committed mutation.
        }
      }
    }
    return result;
  }

  /**
   * Called after each outermost mutation that did not throw: the core turns these into the one event that keeps
   * every screen current.
   */
  onCommit(listener: (c: Committed) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private transact<T>(meta: MutationMeta, fn: (m: Mutation) => T): T {
    return this.db.transaction(() => {
      const hlc = this.clock.tick();
      const at = this.now().toISOString();
      const extra: Record<string, unknown> = {};
      let changes = 0;
      const mutation: Mutation = {
        db: this.db,
        hlc,
        at,
        actor: meta.actor,
        change: (entity, entityId, op, data, allegationId) => {
          // An insert or an append is described by the row itself (sync sends the row as it stands, with its
          // hlc); an update keeps what it replaced, which the row no longer holds (CPIA).
          const kept = op === 'update' ? data : Object.fromEntries(Object.entries(data).filter(([k]) => k === 'restricted' || k === 'part'));
          this.insertChange.run(hlc, entity, entityId, allegationId ?? meta.allegationId ?? null, op, JSON.stringify(kept), meta.actor.userId);
          changes++;
        },
        note: (details) => Object.assign(extra, details),
      };
      const result = fn(mutation);
      for (const hook of this.mutationHooks) hook();
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
   * data (the search index) is brought up to date atomically with the change that made it stale.
   */
  onMutation(hook: () => void): void {
    this.mutationHooks.push(hook);
  }

  /** A setting stored as JSON, or the fallback. */
  setting<T>(key: string, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
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
