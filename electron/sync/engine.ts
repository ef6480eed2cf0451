// The sync client: one cycle pushes this desk's changes, puts back what the server rejected, pulls what is new
// within its scope (a new desk first fills from the server's snapshot), tells the server of resolved conflicts and
// moves attachment files. Every step records its progress in the same transaction as its effect, so a cycle cut
// anywhere (the network, the server or this desk failing) resumes from where the store is, and repeating a step
// changes nothing. Cycles never overlap; the scheduler (scheduler.ts) runs them on a local change, on the server's
// nudge, on a timer, and after a failure with back-off.
import type { Store } from '../store/store.ts';
import { ClockDriftError } from '../store/store.ts';
import { prepared } from '../store/statements.ts';
import { MAX_DRIFT_MS, parseHlc } from '../../shared/sync/hlc.ts';
import { unitByCode } from '../../shared/domain/units.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { SyncStatus } from '../../shared/api/sync.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { MAX_ROWS } from '../../shared/sync/protocol.ts';
import { FetchTransport, checkServerUrl, type Transport } from './transport.ts';
import { ServerApi, ServerError, UnreachableError } from './server-api.ts';
import { cursors, lastSync, noteSync, saveCursors, saveServerConfig, serverConfig, waitingChanges, type ServerConfig } from './state.ts';
import { MutationTooLargeError, nextBatch, recordPush } from './push.ts';
import { recordCountersign } from '../store/audit-countersigns.ts';
import { SOURCE_ACCESS_ACTIONS } from '../../shared/server/nsu.ts';
import { applyPullPage, applyRows, queueDownloads, type Applied } from './pull.ts';
import { markTold, openConflicts, pendingRestores, recordConflicts, restoreRejected, untoldResolutions } from './conflicts.ts';
import { filesWaiting, queueUploads, transferFiles, type LocalBlobs } from './blobs.ts';

const DAY_MS = 86_400_000;
const PULL_PAGE = 1000;
const SNAPSHOT_PAGE = 500;
const DEPOSIT_BATCH = 500;

/** Named places in a cycle where the property tests make the desk "crash" (throw): progress must survive any of them. */
export type CrashPoint = 'push:answered' | 'push:recorded' | 'restore:answered' | 'pull:answered' | 'pull:applied' | 'snapshot:answered';

export interface SyncOptions {
  /** How to reach a server at a URL (default: the network). */
  transport?: (url: string) => Transport;
  blobs?: LocalBlobs;
  /** Called after rows from elsewhere were applied (the search index, open screens). */
  onApplied?: (applied: Applied) => void;
  onStatus?: (status: SyncStatus) => void;
  /** The server session of a person signed in here, to tell the server of their resolved conflicts. */
  sessionOf?: (userId: string) => string | null;
  crash?: (point: CrashPoint) => void;
  /**
   * The data keys of these allegations as this desk's vault holds them (base64), or null while it is locked: they
   * are deposited with the server so it can index sealed source details nationally. Allegations whose key this
   * desk does not hold (sealed by another desk) are left out.
   */
  dataKeys?: (allegationIds: readonly string[]) => Array<{ allegationId: string; dataKey: string }> | null;
}

export interface CycleResult {
  pushed: number;
  rejected: number;
  pulled: number;
  failed: Error | null;
}

function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

export class SyncEngine {
  private readonly store: Store;
  private readonly options: SyncOptions;
  private api: ServerApi | null = null;
  private apiUrl: string | null = null;
  private running: Promise<CycleResult> | null = null;
  private connection: 'online' | 'offline' | null = null;
  private problem: SyncStatus['problem'] = null;
  live = false;
  private filledAllegations: number | null = null;

  constructor(store: Store, options: SyncOptions = {}) {
    this.store = store;
    this.options = options;
  }

  get config(): ServerConfig | null {
    return serverConfig(this.store.db);
  }

  /** The server API at the configured address (null when the desk works alone). */
  server(): ServerApi | null {
    const c = this.config;
    if (!c) return null;
    if (!this.api || this.apiUrl !== c.url) {
      this.api = new ServerApi((this.options.transport ?? ((url: string) => new FetchTransport(url)))(c.url), (reached, error) => this.reached(reached, error));
      this.apiUrl = c.url;
    }
    return this.api;
  }

  /**
   * Points the desk at a server. A desk joins while it is new (before anyone signs in here): it has no accounts
   * of its own, and no work the server's accounts did not make. After that, only the address may change (the
   * same server, moved), and only by an administrator (checked by the API).
   */
  configure(input: { url: string; deskName: string; unit: string }): ServerConfig {
    const checked = checkServerUrl(input.url);
    if ('problem' in checked) throw new ApiError('bad_request', checked.problem, { url: checked.problem });
    if (!unitByCode(input.unit)) throw new ApiError('bad_request', `Unknown unit ${input.unit}`, { unit: 'choose the unit this desk serves' });
    const current = this.config;
    if (!current) {
      const work = (prepared(this.store.db, 'SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM changes) AS n').get() as { n: number }).n;
      if (work > 0) {
        throw new ApiError(
          'conflict',
          'This desk already has accounts and work of its own, made without the server. A desk joins a server while it is new: open a new profile for the server (npm run web -- --profile DIR), and keep this one as it is.',
        );
      }
    } else if (current.deskToken && (current.unit !== input.unit || current.deskName !== input.deskName)) {
      throw new ApiError('conflict', `This desk is registered with the server as ${current.deskName} (${current.unit}); only the server's address can change here`);
    }
    const next: ServerConfig = current
      ? { ...current, url: checked.url }
      : { url: checked.url, deskName: input.deskName, unit: input.unit, status: 'unregistered', deskId: null, deskToken: null, configuredAt: this.store.now().toISOString() };
    this.store.db.transaction(() => saveServerConfig(this.store.db, next))();
    this.problem = null;
    this.connection = null;
    this.emitStatus();
    return next;
  }

  status(viewerId?: string): SyncStatus {
    const db = this.store.db;
    const c = this.config;
    const last = lastSync(db);
    const registration = !c ? 'none' : c.status;
    let staleSince: string | null = null;
    if (c?.deskToken) {
      const since = last.syncAt ?? c.configuredAt;
      if (this.store.now().getTime() - Date.parse(since) >= DAY_MS) staleSince = since;
    }
    return {
      configured: Boolean(c),
      serverUrl: c?.url ?? null,
      deskName: c?.deskName ?? null,
      unit: c?.unit ?? null,
      registration,
      connection: !c ? 'alone' : this.running ? 'syncing' : this.connection === 'online' ? 'online' : 'offline',
      live: this.live,
      waiting: c ? waitingChanges(db) : 0,
      filesWaiting: c ? filesWaiting(db) : 0,
      lastSyncAt: last.syncAt,
      staleSince,
      conflicts: openConflicts(db),
      myConflicts: viewerId ? openConflicts(db, viewerId) : 0,
      problem: this.problem,
      filling: this.filledAllegations === null ? null : { allegations: this.filledAllegations },
    };
  }

  emitStatus(): void {
    this.options.onStatus?.(this.status());
  }

  /** Runs one cycle, or joins the one running. */
  cycle(): Promise<CycleResult> {
    if (this.running) return this.running;
    this.running = this.runCycle().finally(() => {
      this.running = null;
      this.emitStatus();
    });
    this.emitStatus();
    return this.running;
  }

  private async runCycle(): Promise<CycleResult> {
    const result: CycleResult = { pushed: 0, rejected: 0, pulled: 0, failed: null };
    const c = this.config;
    const api = this.server();
    if (!c || !api || !c.deskToken) return result;
    try {
      if (c.status !== 'approved') {
        const me = await api.deskMe(c.deskToken);
        if (me.status !== c.status) {
          saveServerConfig(this.store.db, { ...c, status: me.status, deskId: me.id });
          c.status = me.status;
        }
        this.connection = 'online';
        if (me.status !== 'approved') {
          this.problem = me.status === 'pending' ? null : { kind: 'refused', message: `An administrator ${me.status} this desk on the server: it cannot sync. Its work stays here.` };
          return result;
        }
      }
      await this.pushAll(api, c.deskToken, result);
      await this.depositKeys(api, c.deskToken);
      await this.sendSourceAccess(api, c.deskToken);
      await this.restore(api, c.deskToken);
      await this.pullAll(api, c.deskToken, result);
      await this.tellResolutions(api, c.deskToken);
      if (this.options.blobs) await transferFiles(this.store.db, api, c.deskToken, this.options.blobs, () => this.store.now(), Date.now() + 60_000);
      this.store.db.transaction(() => noteSync(this.store.db, { syncAt: this.store.now().toISOString() }))();
      this.connection = 'online';
      this.problem = null;
    } catch (error) {
      result.failed = error as Error;
      this.failed(error as Error);
    }
    return result;
  }

  /**
   * Any call to the server (MI figures, national referrers, sign-in, as well as sync) says whether it is there, so
   * the header does not say "Online" for a server that has just refused a connection, nor "Offline" once it answers.
   */
  private reached(reached: boolean, error?: UnreachableError): void {
    if (!reached) {
      if (this.connection === 'offline' && this.problem?.kind === 'offline') return;
      this.connection = 'offline';
      this.problem = { kind: 'offline', message: `${error?.message ?? 'The server cannot be reached'}. Your work is kept on this desk and sent when the server is back.` };
      this.emitStatus();
    } else if (this.connection !== 'online') {
      this.connection = 'online';
      if (this.problem?.kind === 'offline') this.problem = null;
      this.emitStatus();
    }
  }

  private failed(error: Error): void {
    if (error instanceof UnreachableError) {
      this.connection = 'offline';
      this.problem = { kind: 'offline', message: `${error.message}. Your work is kept on this desk and sent when the server is back.` };
    } else if (error instanceof ClockDriftError) {
      this.connection = 'online';
      this.problem = {
        kind: 'clock',
        message: `This computer's clock is ${duration(error.aheadMs)} behind the server's, more than sync allows: correct the computer's date and time, then sync again. Nothing was lost; changes wait until then.`,
      };
    } else if (error instanceof ServerError) {
      this.connection = 'online';
      if (error.fields.clock === 'ahead') this.problem = { kind: 'clock', message: error.message };
      else if (error.status === 403) this.problem = { kind: 'refused', message: error.message };
      else this.problem = { kind: 'server', message: error.message };
    } else if (error instanceof MutationTooLargeError) {
      this.problem = { kind: 'too_large', message: error.message };
    } else {
      this.problem = { kind: 'server', message: `Sync stopped: ${error.message}` };
    }
  }

  /** A clock from the server further ahead of this computer's than the drift limit: this computer's is behind. */
  private checkClock(serverHlc: string): void {
    const ahead = parseHlc(serverHlc).wall - this.store.now().getTime();
    if (ahead > MAX_DRIFT_MS) throw new ClockDriftError(ahead, `the server's clock is ${Math.round(ahead / 1000)} s ahead`);
  }

  private auditHead(): { seq: number; hash: string } | undefined {
    const last = prepared(this.store.db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return last;
  }

  private async pushAll(api: ServerApi, desk: string, result: CycleResult): Promise<void> {
    for (let guard = 0; guard < 10_000; guard++) {
      const batch = nextBatch(this.store.db);
      if (!batch.length) return;
      let answer;
      try {
        answer = await api.push(desk, batch, this.auditHead());
      } catch (error) {
        // The server expects another change next (this desk's marks and the server disagree): go on from there.
        const next = error instanceof ServerError ? Number(error.fields.nextSeq) : NaN;
        if (error instanceof ServerError && error.status === 409 && Number.isInteger(next) && next > 0 && next !== cursors(this.store.db).pushNext) {
          this.store.db.transaction(() => saveCursors(this.store.db, { ...cursors(this.store.db), pushNext: next }))();
          continue;
        }
        throw error;
      }
      this.options.crash?.('push:answered');
      const at = this.store.now().toISOString();
      this.store.db.transaction(() => {
        const rejected = recordPush(this.store.db, batch, answer, at);
        const deskId = this.config?.deskId;
        if (answer.auditHead?.countersign && deskId) recordCountersign(this.store.db, deskId, { ...answer.auditHead, countersign: answer.auditHead.countersign }, at);
        recordConflicts(this.store.db, rejected, at);
        queueUploads(this.store.db, hashesIn(batch), this.options.blobs ?? NO_BLOBS, at);
        noteSync(this.store.db, { pushAt: at });
        result.pushed += answer.results.length;
        result.rejected += rejected.length;
      })();
      this.options.crash?.('push:recorded');
    }
  }

  /**
   * Sends the source-access entries of this desk's audit chain (who opened which pane, when and why) that the server
   * does not have yet, for SACU's view across every desk. The chain itself stays here; its head is countersigned.
   */
  private async sendSourceAccess(api: ServerApi, desk: string): Promise<void> {
    const db = this.store.db;
    const cursorOf = () => Number((prepared(db, "SELECT value FROM meta WHERE key = 'source_access_sent'").get() as { value: string } | undefined)?.value ?? 0);
    for (let guard = 0; guard < 1000; guard++) {
      const rows = prepared(db, `SELECT seq, hash, at, user_id, actor, action, allegation_id, details FROM audit_log WHERE seq > ? AND action IN (${SOURCE_ACCESS_ACTIONS.map(() => '?').join(', ')}) ORDER BY seq LIMIT 500`).all(cursorOf(), ...SOURCE_ACCESS_ACTIONS) as Array<{ seq: number; hash: string; at: string; user_id: string | null; actor: string; action: (typeof SOURCE_ACCESS_ACTIONS)[number]; allegation_id: string | null; details: string }>;
      if (!rows.length) return;
      const entries = rows.map((r) => {
        let d: Record<string, unknown> = {};
        try {
          d = JSON.parse(r.details) as Record<string, unknown>;
        } catch {
          // an unreadable entry still says who and when; verify reports the damage
        }
        const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : null);
        return { seq: r.seq, hash: r.hash, at: r.at, userId: r.user_id, actor: r.actor.slice(0, 200), action: r.action, allegationId: r.allegation_id, reference: text(d.reference, 64), reason: text(d.reason, 2000) };
      });
      await api.sendSourceAccess(desk, entries);
      const upTo = (rows.at(-1) as { seq: number }).seq;
      db.transaction(() => prepared(db, "INSERT INTO meta (key, value) VALUES ('source_access_sent', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(upTo)))();
    }
  }

  /**
   * Asks the server for the latest head of this desk's audit chain it countersigned, and keeps it: a desk whose
   * stored countersignatures were removed together with the log they vouched for is still checked by verify.
   * 'offline' when the server cannot be reached; 'alone' for a desk without one.
   */
  async refreshCountersign(): Promise<'checked' | 'offline' | 'alone'> {
    const c = this.config;
    const api = this.server();
    if (!c?.deskToken || !c.deskId || !api) return 'alone';
    let answer;
    try {
      answer = await api.auditHead(c.deskToken);
    } catch {
      // Unreachable, or refusing this desk: verify goes on with the countersignatures held here.
      return 'offline';
    }
    const head = answer.head;
    const deskId = c.deskId;
    if (head) this.store.db.transaction(() => recordCountersign(this.store.db, deskId, head, this.store.now().toISOString()))();
    return 'checked';
  }

  /**
   * Deposits the data key of each allegation whose source details this desk sealed and has not deposited yet, so
   * the server can index them nationally (its blind-index key never comes here). Skipped while the vault is locked.
   */
  private async depositKeys(api: ServerApi, desk: string): Promise<void> {
    if (!this.options.dataKeys) return;
    const db = this.store.db;
    const waiting = (
      prepared(
        db,
        `SELECT s.allegation_id AS id FROM source_details s
         WHERE NOT EXISTS (SELECT 1 FROM server_key_deposits d WHERE d.allegation_id = s.allegation_id)
           AND EXISTS (SELECT 1 FROM data_keys k WHERE k.scope = 'allegation:' || s.allegation_id)
         LIMIT 5000`,
      ).all() as Array<{ id: string }>
    ).map((r) => r.id);
    for (let i = 0; i < waiting.length; i += DEPOSIT_BATCH) {
      const ids = waiting.slice(i, i + DEPOSIT_BATCH);
      const keys = this.options.dataKeys(ids);
      if (!keys) return;
      if (keys.length) await api.depositKeys(desk, keys);
      const at = this.store.now().toISOString();
      db.transaction(() => {
        const mark = prepared(db, 'INSERT OR IGNORE INTO server_key_deposits (allegation_id, deposited_at) VALUES (?, ?)');
        for (const k of keys) mark.run(k.allegationId, at);
      })();
    }
  }

  private async restore(api: ServerApi, desk: string): Promise<void> {
    const pending = pendingRestores(this.store.db);
    for (let i = 0; i < pending.length; i += MAX_ROWS) {
      const part = pending.slice(i, i + MAX_ROWS);
      const keys = [...new Map(part.map((c) => [`${c.entity}\u0000${c.entity_id}`, { entity: c.entity, id: c.entity_id }])).values()];
      const rows = await api.rows(desk, keys);
      this.options.crash?.('restore:answered');
      const applied: Applied = { changes: 0, rows: rows.rows.length, moved: 0, allegations: new Set(part.map((c) => c.allegation_id).filter((a): a is string => a !== null)), blobs: new Set() };
      this.store.db.transaction(() => restoreRejected(this.store.db, part, rows, this.store.now().toISOString()))();
      this.options.onApplied?.(applied);
    }
  }

  private async pullAll(api: ServerApi, desk: string, result: CycleResult): Promise<void> {
    const db = this.store.db;
    // A new desk fills first from the server's rows as they stand, page by page; then pulls from the first page's cursor.
    for (let snap = cursors(db).snapshot; snap; snap = cursors(db).snapshot) {
      const page = await api.snapshot(desk, snap.after, SNAPSHOT_PAGE);
      this.options.crash?.('snapshot:answered');
      const applied: Applied = { changes: 0, rows: 0, moved: 0, allegations: new Set(), blobs: new Set() };
      db.transaction(() => {
        db.pragma('defer_foreign_keys = ON');
        const latest = page.rows.flatMap((r) => Object.values(r.clocks)).sort().at(-1);
        if (latest) this.store.receiveClock(latest);
        applyRows(this.store, page.rows, applied);
        queueDownloads(db, applied.blobs, (h) => this.options.blobs?.has(h) ?? true, this.store.now().toISOString());
        const cursor = snap.cursor < 0 ? page.cursor : snap.cursor;
        saveCursors(db, { ...cursors(db), pull: cursor, snapshot: page.next === null ? null : { after: page.next, cursor } });
        if (applied.rows) this.audit('sync.fill', { rows: applied.rows, allegations: page.allegations });
      })();
      this.filledAllegations = page.next === null ? null : (this.filledAllegations ?? 0) + page.allegations;
      result.pulled += applied.rows;
      this.options.onApplied?.(applied);
      this.emitStatus();
    }
    for (let more = true; more; ) {
      const page = await api.pull(desk, cursors(db).pull, PULL_PAGE);
      this.options.crash?.('pull:answered');
      this.checkClock(page.serverHlc);
      let applied: Applied | null = null;
      db.transaction(() => {
        applied = applyPullPage(this.store, page);
        queueDownloads(db, applied.blobs, (h) => this.options.blobs?.has(h) ?? true, this.store.now().toISOString());
        saveCursors(db, { ...cursors(db), pull: page.cursor });
        noteSync(db, { pullAt: this.store.now().toISOString() });
        if (applied.changes || applied.rows || applied.moved) this.audit('sync.pull', { changes: applied.changes, rows: applied.rows, moved: applied.moved, cursor: page.cursor });
      })();
      this.options.crash?.('pull:applied');
      const done = applied as Applied | null;
      if (done) {
        result.pulled += done.changes + done.rows;
        if (done.changes || done.rows || done.moved) this.options.onApplied?.(done);
      }
      more = page.more;
    }
  }

  private audit(action: string, details: Record<string, unknown>): void {
    this.store.audit.append({ at: this.store.now().toISOString(), userId: null, actor: `sync with ${this.config?.url ?? 'the server'}`, action, entity: null, entityId: null, allegationId: null, details });
  }

  private async tellResolutions(api: ServerApi, desk: string): Promise<void> {
    for (const c of untoldResolutions(this.store.db)) {
      const session = c.resolved_by ? (this.options.sessionOf?.(c.resolved_by) ?? null) : null;
      if (!session || c.server_id === null) continue;
      try {
        await api.resolveConflict(desk, session, c.server_id, c.resolution ?? 'discarded', c.note ?? '');
      } catch (error) {
        // Already resolved there (another desk of the same person, or a retry after a lost answer): it is told.
        if (!(error instanceof ServerError && error.status === 409)) throw error;
      }
      this.store.db.transaction(() => markTold(this.store.db, c.id, this.store.now().toISOString()))();
    }
  }
}

const NO_BLOBS: LocalBlobs = {
  has: () => false,
  size: () => 0,
  readRange: () => new Uint8Array(0),
  partialHeld: () => 0,
  appendPartial: () => {},
  finishPartial: () => Promise.resolve(),
};

function hashesIn(changes: readonly ChangeRow[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const cols = c.entity === 'attachment' ? ['content_hash', 'sanitised_hash'] : c.entity === 'attachment_sanitised' ? ['blob_hash'] : [];
    for (const col of cols) {
      const v = c.fields[col]?.to;
      if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}
