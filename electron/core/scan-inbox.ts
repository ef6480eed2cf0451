// The NAT scan inbox. A sifter opens the post and scans a batch of letters and faxes to a shared folder before any
// allegation exists for them; the administrator points the desk at that folder. Every file that appears there
// (once the scanner has finished writing it) is stored by content and listed as "waiting for an allegation": the
// sifter opens one, keys the electronic form beside it, and the scan is attached to the allegation that makes
// (or to an existing one). Files that are not scans, are empty or damaged are listed as refused, with the reason.
// Taken files move to ingested/ (refused ones to refused/) inside the folder, so the folder shows what is left.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';
import type { Emits, HasStore } from './deps.ts';

/** What this module needs of the core. */
export type ScanInboxDeps = Emits & HasStore;
import type { UserRow } from './users.ts';
import type { Attachments, AttachResult } from './attachments.ts';
import { actorFor } from './access.ts';
import { prepared } from '../store/db.ts';
import { ingestAttachment } from '../attachments/ingest.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ScanView } from '../../shared/api/attachments.ts';
import { MIME_TYPES, type AttachmentKind } from '../attachments/sniff.ts';

const SETTING = 'scanFolder';
/** A file is taken once it has not changed for this long (or between two looks): the scanner has finished it. */
const SETTLE_MS = 2000;
const FOLDER_ACTOR = { userId: null, name: 'NAT scan folder' };

export interface ScanFolderSetting {
  folder: string | null;
  intervalSeconds: number;
}

export interface ScanFolderState extends ScanFolderSetting {
  state: { ok: boolean; message: string };
  lastScanAt: string | null;
}

interface ScanRow {
  id: string;
  file_name: string;
  source_path: string;
  content_hash: string | null;
  byte_size: number | null;
  kind: AttachmentKind | null;
  pages: number | null;
  status: 'waiting' | 'attached' | 'refused';
  error: string | null;
  found_at: string;
  attachment_id: string | null;
  allegation_id: string | null;
  attached_at: string | null;
  attached_by: string | null;
}

const log = (message: string, error?: unknown) => console.error(`[ims] ${message}`, error instanceof Error ? error.message : (error ?? ''));

/** Why a folder cannot be watched, or null when it can. */
function folderProblem(folder: string): string | null {
  if (!isAbsolute(folder)) return 'give the full path of the folder (for example /srv/scans or \\\\server\\scans)';
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a folder`;
  } catch {
    return `${folder} does not exist or cannot be reached`;
  }
  try {
    accessSync(folder, constants.R_OK | constants.W_OK);
  } catch {
    return `IMS Desk cannot read and write ${folder} (it moves each scan it takes into ${join(folder, 'ingested')})`;
  }
  return null;
}

export class ScanInbox {
  private readonly core: ScanInboxDeps;
  private readonly attachments: Attachments;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<{ taken: number; refused: number }> | null = null;
  private lastScanAt: string | null = null;
  /** What each file looked like at the previous look: unchanged since then means the scanner is done with it. */
  private readonly lastSeen = new Map<string, { size: number; mtimeMs: number }>();
  private closed = false;

  constructor(core: ScanInboxDeps, attachments: Attachments) {
    this.core = core;
    this.attachments = attachments;
  }

  setting(): ScanFolderSetting {
    const s = this.core.store.deskSetting<Partial<ScanFolderSetting>>(SETTING, {});
    return { folder: s.folder ?? null, intervalSeconds: s.intervalSeconds ?? 5 };
  }

  state(): ScanFolderState {
    const s = this.setting();
    const problem = s.folder ? folderProblem(s.folder) : null;
    return {
      ...s,
      state: !s.folder ? { ok: false, message: 'No scan folder is set: an administrator sets one here.' } : problem ? { ok: false, message: problem } : { ok: true, message: `Watching ${s.folder} every ${s.intervalSeconds} s` },
      lastScanAt: this.lastScanAt,
    };
  }

  configure(user: UserRow, folder: string | null, intervalSeconds: number): ScanFolderState {
    const value = folder?.trim() || null;
    if (value) {
      const problem = folderProblem(value);
      if (problem) throw new ApiError('bad_request', problem, { folder: problem });
    }
    this.core.store.mutate({ actor: actorFor(user), action: 'scans.configure', entity: 'setting', entityId: SETTING, details: { folder: value, intervalSeconds } }, (m) => {
      // The folder is a path on this machine: a desk setting, never synced.
      prepared(
        m.db,
        `INSERT INTO desk_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(SETTING, JSON.stringify({ folder: value, intervalSeconds }), m.at, m.actor.name);
    });
    this.lastSeen.clear();
    if (this.timer) this.start();
    return this.state();
  }

  /** Watches the folder (when one is set) until close(). Safe to call again after the setting changes. */
  start(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const { folder, intervalSeconds } = this.setting();
    const tick = () => {
      if (this.setting().folder) void this.pollOnce().catch((err: unknown) => log('looking at the scan folder failed', err));
    };
    this.timer = setInterval(tick, intervalSeconds * 1000);
    this.timer.unref();
    if (folder) tick();
  }

  /** Looks at the folder once: takes every file the scanner has finished. Returns what was taken and refused. */
  pollOnce(): Promise<{ taken: number; refused: number }> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async poll(): Promise<{ taken: number; refused: number }> {
    const { folder } = this.setting();
    const result = { taken: 0, refused: 0 };
    if (!folder || this.closed || folderProblem(folder)) return result;
    this.lastScanAt = this.core.store.now().toISOString();
    const entries = readdirSync(folder, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(tmp|part|crdownload)$|~$/i.test(e.name));
    const seenNow = new Set<string>();
    for (const e of entries) {
      if (this.closed) break;
      const path = join(folder, e.name);
      seenNow.add(path);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue; // taken away meanwhile
      }
      const before = this.lastSeen.get(path);
      this.lastSeen.set(path, { size: st.size, mtimeMs: st.mtimeMs });
      const settled = Date.now() - st.mtimeMs >= SETTLE_MS || (before !== undefined && before.size === st.size && before.mtimeMs === st.mtimeMs);
      if (!settled) continue;
      const mtime = new Date(st.mtimeMs).toISOString();
      if (prepared(this.core.store.db, 'SELECT 1 FROM scan_inbox WHERE source_path = ? AND source_mtime = ? AND byte_size = ?').get(path, mtime, st.size)) continue;
      const status = await this.take(folder, path, e.name, mtime, st.size);
      this.lastSeen.delete(path);
      if (status === 'waiting') result.taken++;
      else result.refused++;
    }
    for (const p of this.lastSeen.keys()) if (!seenNow.has(p)) this.lastSeen.delete(p);
    if (result.taken + result.refused > 0) this.changed();
    return result;
  }

  private async take(folder: string, path: string, name: string, mtime: string, size: number): Promise<'waiting' | 'refused'> {
    let status: 'waiting' | 'refused' = 'waiting';
    let error: string | null = null;
    let stored: { sha256: string; kind: AttachmentKind } | null = null;
    let pages: number | null = null;
    try {
      const ingested = await ingestAttachment(this.attachments.blobs, path, name);
      stored = { sha256: ingested.blob.sha256, kind: ingested.kind };
      try {
        pages = (await this.attachments.pool().probe(this.attachments.blobs.source(ingested.blob.sha256))).pageCount;
      } catch (err) {
        status = 'refused';
        error = (err as Error).message;
      }
    } catch (err) {
      status = 'refused';
      error = (err as Error).message;
    }
    if (this.closed) return status;
    const id = this.core.store.newId();
    this.core.store.mutate({ actor: FOLDER_ACTOR, action: status === 'waiting' ? 'scan.received' : 'scan.refused', entity: 'scan', entityId: id, details: { fileName: name, bytes: size, ...(error ? { error } : {}) } }, (m) => {
      m.insert('scan', {
        id,
        file_name: name,
        source_path: path,
        source_mtime: mtime,
        content_hash: stored?.sha256 ?? null,
        byte_size: size,
        kind: stored?.kind ?? null,
        mime_type: stored ? MIME_TYPES[stored.kind] : null,
        pages,
        status,
        error,
        found_at: m.at,
        attachment_id: null,
        allegation_id: null,
        attached_at: null,
        attached_by: null,
      });
    });
    // Move it out of the way so the folder shows what is still to come; a read-only share keeps it (the
    // inbox remembers it by path, time and size).
    try {
      const dir = join(folder, status === 'waiting' ? 'ingested' : 'refused');
      mkdirSync(dir, { recursive: true });
      let target = join(dir, name);
      if (existsSync(target)) target = join(dir, `${basename(name, extname(name))}-${id.slice(0, 8)}${extname(name)}`);
      renameSync(path, target);
    } catch (err) {
      log(`could not move ${path} out of the scan folder`, err);
    }
    return status;
  }

  private changed(): void {
    const waiting = (prepared(this.core.store.db, "SELECT count(*) AS n FROM scan_inbox WHERE status = 'waiting'").get() as { n: number }).n;
    this.core.emit({ type: 'scans.changed', waiting });
  }

  private view(r: ScanRow & { reference?: string | null }): ScanView {
    return {
      id: r.id,
      fileName: r.file_name,
      byteSize: r.byte_size,
      kind: r.kind,
      pages: r.pages,
      status: r.status,
      error: r.error,
      foundAt: r.found_at,
      attachedTo: r.reference ?? null,
      attachedAt: r.attached_at,
      attachedBy: r.attached_by,
    };
  }

  list(include: 'waiting' | 'all'): ScanView[] {
    const where = include === 'waiting' ? "WHERE s.status = 'waiting'" : '';
    const rows = prepared(
      this.core.store.db,
      `SELECT s.*, a.reference FROM scan_inbox s LEFT JOIN allegations a ON a.id = s.allegation_id ${where} ORDER BY s.found_at ${include === 'waiting' ? 'ASC' : 'DESC'} LIMIT 500`,
    ).all() as Array<ScanRow & { reference: string | null }>;
    return rows.map((r) => this.view(r));
  }

  private row(id: string): ScanRow {
    const r = prepared(this.core.store.db, 'SELECT * FROM scan_inbox WHERE id = ?').get(id) as ScanRow | undefined;
    if (!r) throw new ApiError('not_found', 'No such scan in the inbox');
    return r;
  }

  async page(id: string, page: number): Promise<{ png: string; width: number; height: number; variant: 'original' }> {
    const r = this.row(id);
    if (!r.content_hash || r.status === 'refused') throw new ApiError('not_found', `${r.file_name} was refused: ${r.error ?? 'it is not a readable scan'}`);
    if (r.pages !== null && page > r.pages) throw new ApiError('not_found', `${r.file_name} has ${r.pages} page${r.pages === 1 ? '' : 's'}`);
    return { ...(await this.attachments.renderPage(r.content_hash, page)), variant: 'original' };
  }

  attach(user: UserRow, scanId: string, allegationId: string): AttachResult {
    const r = this.row(scanId);
    if (r.status !== 'waiting' || !r.content_hash || !r.kind) {
      throw new ApiError('conflict', r.status === 'attached' ? `${r.file_name} is already attached to an allegation` : `${r.file_name} was refused: ${r.error ?? 'it is not a readable scan'}`);
    }
    if (!this.attachments.mayAttach(user, allegationId)) throw new ApiError('forbidden', 'That allegation is not with your unit: attach the scan to one you are working on');
    const result = this.attachments.attachStored(actorFor(user), allegationId, { name: r.file_name, kind: r.kind, sha256: r.content_hash, size: r.byte_size ?? 0 });
    this.core.store.mutate({ actor: actorFor(user), action: 'scan.attached', entity: 'scan', entityId: scanId, allegationId, details: { attachmentId: result.attachment.id } }, (m) => {
      m.update('scan', scanId, { status: 'attached', attachment_id: result.attachment.id, allegation_id: allegationId, attached_at: m.at, attached_by: m.actor.name });
    });
    this.changed();
    return result;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
