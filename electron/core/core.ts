// The core: everything the product does, as plain Node modules behind one object. Hosts (Electron, the
// browser host, the CLI) hold a Core and carry the API to it; tests exercise it directly.
import { Store, type StoreOptions } from '../store/store.ts';
import { allegationScope } from '../store/allegation-write.ts';
import { SearchIndex } from '../search/index.ts';
import { MatchIndex } from '../matching/match-index.ts';
import { MiFactsIndex } from '../mi/facts-index.ts';
import { DerivedIndexes } from './derived.ts';
import { Sessions } from './sessions.ts';
import { ImportJobs } from './import-jobs.ts';
import { Vault } from '../vault/vault.ts';
import { Attachments, type AttachmentsOptions } from './attachments.ts';
import { ScanInbox } from './scan-inbox.ts';
import { Uploads, type UploadBounds } from './uploads.ts';
import type { KeyWrapper } from '../vault/keyring.ts';
import { DEFAULT_ROUTING, routingTable, type RoutingTable } from '../../shared/domain/routing.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { SyncEngine, type SyncOptions } from '../sync/engine.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import type { Applied } from '../sync/pull.ts';
import { revokeReleased } from './key-release.ts';

export type CoreListener = (event: CoreEvent) => void;

export interface CoreOptions extends StoreOptions {
  /** Shown on the sign-in screen. */
  deskName?: string;
  /** Attachments: the OCR pool's options (workers, limits, the worker script in a bundled build). */
  attachments?: AttachmentsOptions;
  /** Sync with a central server: how to reach it (tests put a simulated network here), and how often to poll. */
  sync?: Pick<SyncOptions, 'transport' | 'crash'> & { pollMs?: number };
  /** Files in flight at once, per person and for the desk (defaults: UPLOAD_BOUNDS). */
  uploads?: Partial<UploadBounds>;
}

export class Core {
  readonly store: Store;
  readonly search: SearchIndex;
  readonly matching: MatchIndex;
  /** Management information: the fact row of each allegation, kept current by every mutation. */
  readonly mi: MiFactsIndex;
  readonly derived: DerivedIndexes;
  readonly sessions: Sessions;
  readonly uploads: Uploads;
  readonly importJobs: ImportJobs;
  readonly vault: Vault;
  readonly attachments: Attachments;
  readonly scans: ScanInbox;
  /** Sync with the central server (idle while none is configured: the desk works alone). */
  readonly sync: SyncEngine;
  readonly syncScheduler: SyncScheduler;
  readonly deskName: string;
  private readonly listeners = new Set<CoreListener>();
  private cachedRouting: RoutingTable | null = null;
  private pendingChange: { allegationIds: Set<string>; mutations: number } | null = null;

  private constructor(profileDir: string, options: CoreOptions) {
    this.store = new Store(profileDir, options);
    this.search = new SearchIndex(this.store.db);
    this.matching = new MatchIndex(this.store.db);
    this.mi = new MiFactsIndex(this.store.db);
    // Every mutation brings the search index, matching profiles and MI facts up to date inside its own
    // transaction; the timer catches up with writes made by other connections (workers, sync) within about a second.
    this.derived = new DerivedIndexes(this.store, this.search, this.matching, this.mi);
    this.derived.startBackground();
    // The same hook tells screens to re-read: the event goes on the next turn, after the transaction has committed.
    this.store.onMutation((meta) => this.storeChanged(meta.allegationId ?? null));
    this.sessions = new Sessions(options.now);
    this.vault = new Vault(this.store);
    // While the vault is unlocked the audit chain can always be keyed from its sealed first key (a desk whose key
    // file was lost gets it back); while locked, from the key file alone.
    this.store.audit.root = () => this.vault.auditRoot();
    // Pieces of files being sent, for attachments and imports alike; what a killed process left is removed now.
    this.uploads = new Uploads(profileDir, options.uploads);
    this.uploads.sweep();
    this.importJobs = new ImportJobs(this);
    this.attachments = new Attachments(this, options.attachments);
    this.scans = new ScanInbox(this, this.attachments);
    const blobs = this.attachments.blobs;
    this.sync = new SyncEngine(this.store, {
      ...options.sync,
      blobs: {
        has: (h) => blobs.has(h),
        size: (h) => blobs.size(h),
        readRange: (h, offset, length) => blobs.readRange(h, offset, length).data,
        partialHeld: (h) => blobs.partialHeld(h),
        appendPartial: (h, bytes) => blobs.appendPartial(h, bytes),
        finishPartial: (h) => blobs.finishPartial(h),
      },
      onApplied: (applied) => this.afterSync(applied),
      onStatus: (status) => this.emit({ type: 'sync.status', status }),
      sessionOf: (userId) => this.sessions.serverSessionOf(userId),
      dataKeys: (ids) => this.depositableKeys(ids),
    });
    this.syncScheduler = new SyncScheduler(this.sync, options.sync?.pollMs ? { pollMs: options.sync.pollMs } : {});
    // A change made here goes to the server soon after (a burst of edits in one push).
    this.store.onMutation(() => this.syncScheduler.soon());
    this.deskName = options.deskName ?? 'IMS Desk';
  }

  /** This desk's data keys of these allegations, for the server's national index (null while the vault is locked). */
  private depositableKeys(ids: readonly string[]): Array<{ allegationId: string; dataKey: string }> | null {
    if (!this.vault.unlocked) return null;
    return ids.flatMap((allegationId) => {
      try {
        return [{ allegationId, dataKey: this.vault.dataKey(allegationScope(allegationId), false).toString('base64') }];
      } catch {
        return [];
      }
    });
  }

  /** Records from the server were applied: bring search and matching up to date, and tell the open screens. */
  private afterSync(applied: Applied): void {
    try {
      // A pull that ended someone's allocation takes back the keys the server released to them, at once.
      revokeReleased(this);
    } catch {
      // Tried again before every opening (core/key-release.ts).
    }
    try {
      this.search.flushPending(500);
      this.matching.flushPending(500);
    } catch {
      // The background timer catches up with what is left (DerivedIndexes).
    }
    const ids = [...applied.allegations];
    this.emit({ type: 'sync.applied', allegationIds: ids.slice(0, 200), more: ids.length > 200 });
  }

  static open(profileDir: string, options: CoreOptions = {}): Core {
    return new Core(profileDir, options);
  }

  /** Opens the core and unlocks its vault (creating the key ring on a new desk). */
  static async openUnlocked(profileDir: string, wrapper: KeyWrapper, options: CoreOptions = {}): Promise<Core> {
    const core = new Core(profileDir, options);
    try {
      await core.vault.unlock(wrapper);
    } catch (error) {
      core.close();
      throw error;
    }
    return core;
  }

  /** The routing table in force: the administrator's edited copy, or the shipped default. */
  routingTable(): RoutingTable {
    if (!this.cachedRouting) {
      const stored = this.store.setting<unknown>('routing', null);
      this.cachedRouting = stored ? routingTable.parse(stored) : DEFAULT_ROUTING;
    }
    return this.cachedRouting;
  }

  invalidateRouting(): void {
    this.cachedRouting = null;
  }

  on(listener: CoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: CoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A failing listener (a closed window, a dropped connection) must not break the work that emitted.
      }
    }
  }

  /**
   * One `store.changed` event for the mutations of this turn of the event loop: an import's batch of a thousand
   * is one event, and it is sent after the batch's own transaction has committed. A mutation that then rolls back
   * costs the screens one needless re-read, nothing more.
   */
  private storeChanged(allegationId: string | null): void {
    if (!this.pendingChange) {
      this.pendingChange = { allegationIds: new Set(), mutations: 0 };
      setImmediate(() => {
        const p = this.pendingChange;
        this.pendingChange = null;
        // Past a few hundred, the list says nothing a screen uses: every screen re-reads anyway.
        if (p) this.emit({ type: 'store.changed', allegationIds: p.allegationIds.size <= 200 ? [...p.allegationIds] : [], mutations: p.mutations });
      });
    }
    this.pendingChange.mutations++;
    if (allegationId) this.pendingChange.allegationIds.add(allegationId);
  }

  /**
   * Starts the background work a running desk does: reading attachments left unread last time, and watching the
   * NAT scan folder. Hosts call this; the CLI and tests run that work when they ask for it.
   */
  startBackground(): void {
    this.attachments.resume();
    this.scans.start();
    this.syncScheduler.start();
  }

  close(): void {
    this.syncScheduler.stop();
    this.scans.close();
    this.uploads.close();
    this.attachments.close();
    this.vault.lock();
    this.derived.stop();
    this.listeners.clear();
    this.store.close();
  }
}
