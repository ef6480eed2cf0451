// Attachments as files, in the core: a file arrives (uploaded in pieces, from the CLI, or from the NAT scan
// folder), is stored once by content, and is read in the background by the OCR pool, page by page. Each page is
// written as it lands, with anything that reveals the writer withheld from the open text (the page as read is
// sealed), and the search index and the matcher take it in the same transaction. When every page is read the
// attachment gets its suggested fields and, when it reveals the writer, a sanitised copy with those places
// blacked out. Nothing here blocks the API: OCR runs in worker processes and the work is queued, not awaited.
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, closeSync, openSync, readSync, existsSync, readdirSync, type WriteStream } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import type { Core } from './core.ts';
import type { UserRow } from './users.ts';
import type { Actor, Mutation } from '../store/store.ts';
import { prepared, type Db } from '../store/db.ts';
import { allegationScope, readSourceForCore, SEALED_FORMAT, SourceWithholder, writeSource, type SourceIdentifiersPayload } from '../store/allegations.ts';
import { BlobStore } from '../attachments/blob-store.ts';
import { ingestAttachment, type IngestedAttachment } from '../attachments/ingest.ts';
import { OcrPool, type AttachmentOcr, type OcrPoolOptions, type OcrProgress, type PageResult } from '../attachments/ocr-pool.ts';
import { AttachmentError, formatBytes } from '../attachments/errors.ts';
import { analyseAttachment } from '../attachments/analyse.ts';
import { sanitiseAttachment } from '../attachments/sanitise.ts';
import { pdfFromGreyPages } from '../attachments/pdf-writer.ts';
import { MIME_TYPES, SNIFF_BYTES, sniffKind, type AttachmentKind } from '../attachments/sniff.ts';
import { actorFor, mayAttach, mayOpenSource } from './access.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { redactSource } from '../../shared/sources/redact.ts';
import { withholdFromPage, type WithheldRegion } from '../../shared/sources/scan-withhold.ts';
import type { PlacedWord } from '../../shared/attachments/page-text.ts';
import type { OcrStatus } from '../../shared/domain/vocabularies.ts';
import { UPLOAD_CHUNK_BYTES, type AttachmentDetail, type AttachmentSummary, type SuggestionView } from '../../shared/api/attachments.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

/** Who writes what the OCR read: the desk itself, on behalf of whoever attached the file. */
const OCR_ACTOR: Actor = { userId: null, name: 'IMS Desk OCR' };

export interface AttachmentsOptions {
  /** Options for the OCR pool (started on first use). */
  ocr?: OcrPoolOptions;
  /** Largest file accepted (default: the blob store's 250 MB). */
  maxBytes?: number;
}

interface AttachmentRow {
  id: string;
  allegation_id: string;
  ordinal: number;
  file_name: string;
  mime_type: string;
  content_hash: string | null;
  byte_size: number | null;
  pages: number;
  ocr_status: OcrStatus;
  legacy_text: string;
  reveals_source: number;
  sanitised_hash: string | null;
  added_at: string;
  added_by: string;
  kind: AttachmentKind | null;
  error_code: string | null;
  error: string | null;
  analysis: string;
  source_moved_at: string | null;
  source_moved_by: string | null;
}

interface PageRow {
  attachment_id: string;
  page_no: number;
  status: OcrStatus;
  method: 'text_layer' | 'ocr' | 'legacy' | null;
  text: string;
  confidence: number | null;
  error: string | null;
  error_code: string | null;
  width: number | null;
  height: number | null;
  reveals_source: number;
  data_format: string | null;
  data: Buffer | null;
}

/** The page as read, kept sealed: its text and words with their boxes. */
interface SealedPage {
  text: string;
  words: PlacedWord[];
}

interface StoredRegion {
  page: number;
  kind: WithheldRegion['kind'];
  boxes: WithheldRegion['boxes'];
  reveals: Array<'name' | 'phone' | 'email' | 'postcode'>;
}

interface Analysis {
  suggestions?: SuggestionView[];
  regions?: StoredRegion[];
}

interface Upload {
  id: string;
  userId: string;
  allegationId: string;
  fileName: string;
  size: number;
  path: string;
  out: WriteStream;
  next: number;
  received: number;
  finishing: boolean;
}

const log = (message: string, error?: unknown) => console.error(`[ims] ${message}`, error instanceof Error ? (error.stack ?? error.message) : (error ?? ''));

export class Attachments {
  readonly blobs: BlobStore;
  private readonly core: Core;
  private readonly options: AttachmentsOptions;
  private ocrPool: OcrPool | null = null;
  private readonly uploads = new Map<string, Upload>();
  /** The work queued per attachment: one after another for the same attachment, side by side across them. */
  private readonly jobs = new Map<string, Promise<void>>();
  private closed = false;

  constructor(core: Core, options: AttachmentsOptions = {}) {
    this.core = core;
    this.options = options;
    this.blobs = new BlobStore(core.store.profileDir, options.maxBytes ? { maxBytes: options.maxBytes } : {});
  }

  /** The OCR pool, started on first use. */
  pool(): OcrPool {
    if (this.closed) throw new AttachmentError('cancelled', 'IMS Desk is closing');
    this.ocrPool ??= new OcrPool(this.options.ocr ?? {});
    return this.ocrPool;
  }

  get db(): Db {
    return this.core.store.db;
  }

  // ------------------------------------------------------------------------------------------ access

  private allegation(id: string): { id: string; reference: string; unit_code: string | null; created_by: string; status: string } {
    const a = prepared(this.db, 'SELECT id, reference, unit_code, created_by, status FROM allegations WHERE id = ?').get(id) as
      | { id: string; reference: string; unit_code: string | null; created_by: string; status: string }
      | undefined;
    if (!a) throw new ApiError('not_found', 'No such allegation');
    return a;
  }

  /**
   * Who may add to an allegation's attachments: whoever may work it, and the person who entered it (a NAT sifter
   * attaches the original scan of a letter even once it has been routed to a unit).
   */
  mayAttach(user: UserRow, allegationId: string): boolean {
    return mayAttach(this.db, user, this.allegation(allegationId));
  }

  private requireAttach(user: UserRow, allegationId: string): void {
    if (!this.mayAttach(user, allegationId)) {
      const a = this.allegation(allegationId);
      throw new ApiError('forbidden', `${a.reference} is not with your unit: ask its unit to attach the file, or to allocate the case to you`);
    }
  }

  row(id: string): AttachmentRow {
    const r = prepared(this.db, 'SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined;
    if (!r) throw new ApiError('not_found', 'No such attachment');
    return r;
  }

  private pageRows(id: string): PageRow[] {
    return prepared(this.db, 'SELECT * FROM attachment_pages WHERE attachment_id = ? ORDER BY page_no').all(id) as PageRow[];
  }

  // ------------------------------------------------------------------------------------------ upload

  beginUpload(user: UserRow, allegationId: string, fileName: string, size: number): { uploadId: string; chunkBytes: number } {
    this.requireAttach(user, allegationId);
    this.requireVault();
    if (size === 0) throw new ApiError('bad_request', `${fileName} is empty (0 bytes): there is nothing to attach`);
    if (size > this.blobs.maxBytes) {
      throw new ApiError('bad_request', `${fileName} is ${formatBytes(size)}, over the ${formatBytes(this.blobs.maxBytes)} limit for one attachment: split it or scan at a lower resolution`);
    }
    const dir = this.workDir();
    const id = this.core.store.newId();
    const path = join(dir, `upload-${id}`);
    this.uploads.set(id, { id, userId: user.id, allegationId, fileName, size, path, out: createWriteStream(path, { mode: 0o600 }), next: 0, received: 0, finishing: false });
    return { uploadId: id, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  private upload(user: UserRow, id: string): Upload {
    const u = this.uploads.get(id);
    if (!u || u.userId !== user.id) throw new ApiError('not_found', 'No such upload (it may have finished, or IMS Desk restarted): attach the file again');
    return u;
  }

  private abandon(u: Upload): void {
    this.uploads.delete(u.id);
    u.out.destroy();
    rmSync(u.path, { force: true });
  }

  async chunk(user: UserRow, id: string, index: number, base64: string): Promise<{ received: number }> {
    const u = this.upload(user, id);
    if (index !== u.next) throw new ApiError('conflict', `Piece ${index} arrived out of order (expected ${u.next}); attach the file again`);
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new ApiError('bad_request', `A piece may be at most ${formatBytes(UPLOAD_CHUNK_BYTES)}`);
    if (u.received + bytes.length > u.size) {
      this.abandon(u);
      throw new ApiError('bad_request', `${u.fileName} is larger than announced (${formatBytes(u.size)}); attach it again`);
    }
    // Refuse a file that is not a scan from its first piece, before the rest is sent.
    if (index === 0) {
      try {
        sniffKind(bytes.subarray(0, SNIFF_BYTES), u.fileName);
      } catch (err) {
        this.abandon(u);
        throw new ApiError('bad_request', (err as Error).message);
      }
    }
    u.next++;
    u.received += bytes.length;
    await new Promise<void>((resolve, reject) => u.out.write(bytes, (err) => (err ? reject(err) : resolve())));
    return { received: u.received };
  }

  async finishUpload(user: UserRow, id: string): Promise<{ attachment: AttachmentSummary; alreadyAttached: boolean }> {
    const u = this.upload(user, id);
    if (u.finishing) throw new ApiError('conflict', 'This file is already being attached');
    u.finishing = true;
    await new Promise<void>((resolve) => u.out.end(resolve));
    try {
      if (u.received !== u.size) throw new ApiError('bad_request', `Only ${formatBytes(u.received)} of ${u.fileName}'s ${formatBytes(u.size)} arrived; attach it again`);
      this.requireAttach(user, u.allegationId);
      return await this.attachFile(actorFor(user), u.allegationId, u.path, u.fileName);
    } finally {
      this.uploads.delete(id);
      rmSync(u.path, { force: true });
    }
  }

  private requireVault(): void {
    if (!this.core.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked: scans cannot be read (their text may reveal the source) until the desk passphrase is given');
  }

  // ------------------------------------------------------------------------------------------ attaching

  /** Stores a file by content and attaches it; the same file on the same allegation is attached once. */
  async attachFile(actor: Actor, allegationId: string, file: string, name = basename(file), options: { read?: boolean } = {}): Promise<{ attachment: AttachmentSummary; alreadyAttached: boolean }> {
    this.requireVault();
    this.allegation(allegationId);
    let ingested: IngestedAttachment;
    try {
      ingested = await ingestAttachment(this.blobs, file, name);
    } catch (err) {
      if (err instanceof AttachmentError) throw new ApiError('bad_request', err.message);
      throw err;
    }
    return this.attachStored(actor, allegationId, { name: ingested.name, kind: ingested.kind, sha256: ingested.blob.sha256, size: ingested.blob.size }, options);
  }

  /** Attaches a file already in the blob store (the scan inbox's, or one just ingested). */
  attachStored(actor: Actor, allegationId: string, f: { name: string; kind: AttachmentKind; sha256: string; size: number }, options: { read?: boolean } = {}): { attachment: AttachmentSummary; alreadyAttached: boolean } {
    this.requireVault();
    const a = this.allegation(allegationId);
    const existing = prepared(this.db, 'SELECT id FROM attachments WHERE allegation_id = ? AND content_hash = ?').get(allegationId, f.sha256) as { id: string } | undefined;
    if (existing) return { attachment: this.summary(this.row(existing.id)), alreadyAttached: true };
    const id = this.core.store.newId();
    this.core.store.mutate(
      { actor, action: 'attachment.add', entity: 'attachment', entityId: id, allegationId, details: { fileName: f.name, kind: f.kind, bytes: f.size, sha256: f.sha256 } },
      (m) => {
        const ordinal = (prepared(m.db, 'SELECT coalesce(max(ordinal) + 1, 0) AS n FROM attachments WHERE allegation_id = ?').get(allegationId) as { n: number }).n;
        m.insert('attachment', {
          id,
          allegation_id: allegationId,
          ordinal,
          file_name: f.name,
          mime_type: MIME_TYPES[f.kind],
          content_hash: f.sha256,
          byte_size: f.size,
          pages: 0,
          ocr_status: 'pending',
          kind: f.kind,
          added_at: m.at,
          added_by: m.actor.name,
        });
        m.update('allegation', allegationId, { updated_at: m.at });
      },
    );
    this.core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
    // Read in the background (a desk that is not running reads it when it next starts: resume()).
    if (options.read ?? true) this.queue(id);
    return { attachment: this.summary(this.row(id)), alreadyAttached: false };
  }

  // ------------------------------------------------------------------------------------------ reading

  /**
   * Queues an attachment to be read (all its pages, or those given). Returns at once; progress goes out as
   * events. Work on one attachment runs in order; different attachments share the pool.
   */
  queue(id: string, pages?: number[]): void {
    const previous = this.jobs.get(id) ?? Promise.resolve();
    const job = previous
      .then(() => this.process(id, pages))
      .catch((err: unknown) => {
        if (!this.closed) log(`reading attachment ${id} failed`, err);
      });
    this.jobs.set(id, job);
    void job.then(() => {
      if (this.jobs.get(id) === job) this.jobs.delete(id);
    });
    if (!this.closed) this.progress(this.row(id), 'queued', null);
  }

  /** Resolves when the attachment (or every attachment) has no work left. */
  async whenIdle(id?: string): Promise<void> {
    for (;;) {
      const pending = id ? [this.jobs.get(id)].filter((j): j is Promise<void> => !!j) : [...this.jobs.values()];
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  /** Picks up attachments left unread when the desk last closed. Returns how many were queued. */
  resume(): number {
    const ids = (prepared(this.db, "SELECT id FROM attachments WHERE ocr_status IN ('pending', 'running') AND content_hash IS NOT NULL ORDER BY added_at").all() as Array<{ id: string }>).map((r) => r.id);
    for (const id of ids) {
      if (this.jobs.has(id)) continue;
      // Only the pages not yet read, when the attachment was already opened.
      const rows = this.pageRows(id);
      const left = rows.filter((p) => p.status !== 'done').map((p) => p.page_no);
      this.queue(id, rows.length && left.length ? left : undefined);
    }
    return ids.length;
  }

  private async process(id: string, pages?: number[]): Promise<void> {
    if (this.closed) return;
    const row = this.row(id);
    if (!row.content_hash) return;
    const file = this.blobs.pathOf(row.content_hash);
    if (!existsSync(file)) {
      this.failAttachment(row, { code: 'not_found', message: 'The stored file is missing from this desk (it may not have been copied from another desk yet)' });
      return;
    }
    const result = await this.pool().ocrAttachment(file, { ...(pages ? { pages } : {}), onProgress: (p) => this.onProgress(id, p, pages) });
    if (this.closed) return;
    await this.finish(id, result);
  }

  private onProgress(id: string, p: OcrProgress, pages: number[] | undefined): void {
    if (this.closed) return;
    try {
      if (p.event === 'started') this.started(id, p.pageCount, pages);
      else if (p.event === 'page' && p.result) this.storePage(id, p.result);
    } catch (err) {
      log(`recording progress of attachment ${id} failed`, err);
    }
  }

  private started(id: string, pageCount: number, pages: number[] | undefined): void {
    const row = this.row(id);
    const wanted = (pages ?? Array.from({ length: pageCount }, (_, i) => i + 1)).filter((p) => p >= 1 && p <= pageCount);
    this.core.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read_started', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: wanted.length, pageCount } }, (m) => {
      m.update('attachment', id, { pages: pageCount, ocr_status: 'running', error_code: null, error: null });
      for (const p of wanted) m.put('attachment_page', { attachment_id: id, page_no: p, status: 'pending', error: null, error_code: null, updated_at: m.at });
    });
    this.progress(this.row(id), 'started', null);
  }

  private knownSource(db: Db, allegationId: string): SourceIdentifiersPayload | null {
    return this.core.vault.unlocked ? readSourceForCore(db, this.core.vault, allegationId) : null;
  }

  /** Writes one page as it lands: open text with the source withheld, the page as read sealed, the index updated. */
  private storePage(id: string, r: PageResult): void {
    const row = this.row(id);
    const allegationId = row.allegation_id;
    this.core.store.mutate({ actor: OCR_ACTOR, action: 'attachment.page_read', entity: 'attachment', entityId: id, allegationId, details: { page: r.page, status: r.status, ...(r.error ? { error: r.error.code } : {}) } }, (m) => {
      if (r.status === 'done') {
        const withheld = withholdFromPage({ page: r.page, text: r.text, words: r.words }, this.knownSource(m.db, allegationId));
        const reveals = withheld.open !== r.text;
        this.writePage(m, row, r.page, {
          status: 'done',
          method: r.source === 'text-layer' ? 'text_layer' : 'ocr',
          text: withheld.open,
          confidence: r.confidence,
          width: r.width,
          height: r.height,
          reveals,
          sealed: { text: r.text, words: r.words },
        });
      } else {
        m.put('attachment_page', { attachment_id: id, page_no: r.page, status: 'failed', error: r.error?.message ?? 'The page could not be read', error_code: r.error?.code ?? 'ocr_failed', updated_at: m.at });
      }
    });
    this.progress(this.row(id), 'page', r.page);
  }

  private writePage(
    m: Mutation,
    row: AttachmentRow,
    page: number,
    p: { status: 'done'; method: 'text_layer' | 'ocr'; text: string; confidence: number | null; width: number; height: number; reveals: boolean; sealed: SealedPage },
  ): void {
    const allegationId = row.allegation_id;
    const scope = allegationScope(allegationId);
    const data = this.core.vault.sealJson(scope, `page:${row.id}:${page}`, p.sealed);
    m.put('attachment_page', {
      attachment_id: row.id,
      page_no: page,
      status: 'done',
      method: p.method,
      text: p.text,
      confidence: p.confidence,
      error: null,
      error_code: null,
      updated_at: m.at,
      width: p.width,
      height: p.height,
      reveals_source: p.reveals ? 1 : 0,
      data_format: SEALED_FORMAT,
      data,
    });
    if (p.reveals) {
      // The page as read goes to restricted storage, where the source pane shows it ("attachment text, as received").
      const originals = new SourceWithholder(null);
      originals.originals.push({ part: `attachment:${row.id}:page:${page}`, text: p.sealed.text });
      originals.flush(m, this.core.vault, allegationId);
      m.update('attachment', row.id, { reveals_source: 1 });
    }
  }

  private readSealed(row: { id: string; allegation_id: string }, p: PageRow): SealedPage | null {
    if (!p.data || !p.data_format || !this.core.vault.unlocked) return null;
    return this.core.vault.openJson<SealedPage>(allegationScope(row.allegation_id), `page:${row.id}:${p.page_no}`, p.data, p.data_format);
  }

  /** Suggestions and source regions from every page read so far, with the known source left out. */
  private analyse(row: AttachmentRow, db: Db): Analysis & { reveals: boolean } {
    const known = this.knownSource(db, row.allegation_id);
    const pages: Array<{ page: number; text: string; words: PlacedWord[] }> = [];
    const regions: WithheldRegion[] = [];
    for (const p of this.pageRows(row.id)) {
      if (p.status !== 'done') continue;
      const sealed = this.readSealed(row, p);
      if (!sealed) continue;
      pages.push({ page: p.page_no, text: sealed.text, words: sealed.words });
      regions.push(...withholdFromPage({ page: p.page_no, text: sealed.text, words: sealed.words }, known).regions);
    }
    const { suggestions } = analyseAttachment({ pages: pages.map((p) => ({ ...p, status: 'done' })) } as unknown as Pick<AttachmentOcr, 'pages'>);
    const kept = suggestions.filter((s) => {
      if (regions.some((r) => r.page === s.page && s.start < r.end && s.end > r.start)) return false;
      return !(known && redactSource(s.text, known).count > 0);
    });
    const seen = new Set<string>();
    const out: SuggestionView[] = [];
    for (const s of kept) {
      const key = `${s.kind}:${s.value}:${s.page}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, kind: s.kind, text: s.text, value: s.value, page: s.page, start: s.start, end: s.end, boxes: s.boxes, cue: s.cue, date: s.date ?? null, dateText: s.dateText ?? null, role: s.role ?? null });
    }
    const stored: StoredRegion[] = regions.map((r) => ({
      page: r.page,
      kind: r.kind,
      boxes: r.boxes,
      reveals: (['name', 'phone', 'email', 'postcode'] as const).filter((k) => r.details[k]),
    }));
    return { suggestions: out, regions: stored, reveals: regions.length > 0 };
  }

  private async finish(id: string, result: AttachmentOcr): Promise<void> {
    const row = this.row(id);
    if (result.status === 'failed' && result.pageCount === 0) {
      this.failAttachment(row, result.error ?? { code: 'corrupt', message: 'The file could not be read' });
      return;
    }
    const pages = this.pageRows(id);
    const failed = pages.filter((p) => p.status === 'failed');
    const status: OcrStatus = failed.length ? 'failed' : pages.some((p) => p.status === 'pending' || p.status === 'running') ? 'running' : 'done';
    let reveals = false;
    this.core.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { status, pages: pages.length, failed: failed.length } }, (m) => {
      const analysis = this.analyse(row, m.db);
      reveals = analysis.reveals || pages.some((p) => p.reveals_source === 1);
      const error = failed.length
        ? `${failed.length} of ${row.pages || pages.length} page${row.pages === 1 ? '' : 's'} could not be read (${failed[0]?.error ?? 'unknown reason'}): retry ${failed.length === 1 ? 'it' : 'them'}`
        : null;
      m.update('attachment', id, {
        ocr_status: status,
        error_code: failed[0]?.error_code ?? null,
        error,
        analysis: JSON.stringify({ suggestions: analysis.suggestions, regions: analysis.regions }),
        reveals_source: reveals ? 1 : 0,
      });
    });
    this.progress(this.row(id), 'finished', null);
    this.core.emit({ type: 'allegation.changed', allegationId: row.allegation_id, reference: this.allegation(row.allegation_id).reference });
    if (reveals && status === 'done') await this.sanitise(id);
  }

  private failAttachment(row: AttachmentRow, error: { code: string; message: string }): void {
    this.core.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read', entity: 'attachment', entityId: row.id, allegationId: row.allegation_id, details: { status: 'failed', error: error.code } }, (m) => {
      m.update('attachment', row.id, { ocr_status: 'failed', error_code: error.code, error: error.message });
    });
    this.progress(this.row(row.id), 'finished', null);
    this.core.emit({ type: 'allegation.changed', allegationId: row.allegation_id, reference: this.allegation(row.allegation_id).reference });
  }

  /** The sanitised copy: every page with the places that reveal the writer blacked out, and one PDF of them. */
  private async sanitise(id: string): Promise<void> {
    const row = this.row(id);
    if (!row.content_hash || this.closed) return;
    const analysis = JSON.parse(row.analysis) as Analysis;
    const regions = analysis.regions ?? [];
    const dir = mkdtempSync(join(this.workDir(), 'sanitise-'));
    try {
      const made = await sanitiseAttachment(this.pool(), this.blobs.pathOf(row.content_hash), row.pages, regions, dir);
      if (this.closed) return;
      const stored: Array<{ page: number; sha256: string; width: number; height: number; boxes: number }> = [];
      const grey: Array<{ data: Buffer; width: number; height: number }> = [];
      for (const p of made.sort((a, b) => a.page - b.page)) {
        const blob = await this.blobs.putFile(p.file, `page ${p.page} of the sanitised copy`);
        stored.push({ page: p.page, sha256: blob.sha256, width: p.width, height: p.height, boxes: p.boxes });
        const { data, info } = await sharp(p.file).greyscale().raw().toBuffer({ resolveWithObject: true });
        grey.push({ data, width: info.width, height: info.height });
      }
      const pdf = await this.blobs.putBuffer(pdfFromGreyPages(grey), 'the sanitised copy');
      if (this.closed) return;
      this.core.store.mutate({ actor: OCR_ACTOR, action: 'attachment.sanitised', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: stored.length, boxes: stored.reduce((n, s) => n + s.boxes, 0) } }, (m) => {
        for (const s of stored) m.put('attachment_sanitised', { attachment_id: id, page_no: s.page, blob_hash: s.sha256, width: s.width, height: s.height, boxes: s.boxes, made_at: m.at });
        m.update('attachment', id, { sanitised_hash: pdf.sha256 });
      });
      this.progress(this.row(id), 'sanitised', null);
    } catch (err) {
      if (!this.closed) log(`making the sanitised copy of attachment ${id} failed`, err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private progress(row: AttachmentRow, stage: Extract<CoreEvent, { type: 'attachment.progress' }>['stage'], page: number | null): void {
    const counts = prepared(this.db, "SELECT sum(status = 'done') AS done, sum(status = 'failed') AS failed FROM attachment_pages WHERE attachment_id = ?").get(row.id) as { done: number | null; failed: number | null };
    this.core.emit({
      type: 'attachment.progress',
      attachmentId: row.id,
      allegationId: row.allegation_id,
      reference: this.allegation(row.allegation_id).reference,
      fileName: row.file_name,
      stage,
      status: row.ocr_status,
      pageCount: row.pages,
      pagesDone: counts.done ?? 0,
      pagesFailed: counts.failed ?? 0,
      page,
      finished: stage === 'finished' || stage === 'sanitised',
    });
  }

  // ------------------------------------------------------------------------------------------ views

  summary(row: AttachmentRow): AttachmentSummary {
    const counts = prepared(this.db, "SELECT sum(status = 'done') AS done, sum(status = 'failed') AS failed FROM attachment_pages WHERE attachment_id = ?").get(row.id) as { done: number | null; failed: number | null };
    const analysis = JSON.parse(row.analysis) as Analysis;
    return {
      id: row.id,
      allegationId: row.allegation_id,
      fileName: row.file_name,
      mimeType: row.mime_type,
      kind: row.kind,
      byteSize: row.byte_size,
      pages: row.pages,
      ocrStatus: row.ocr_status,
      pagesDone: counts.done ?? 0,
      pagesFailed: counts.failed ?? 0,
      error: row.error ? { code: row.error_code ?? 'failed', message: row.error } : null,
      revealsSource: row.reveals_source === 1,
      suggestions: analysis.suggestions?.length ?? 0,
      hasFile: row.content_hash !== null,
      addedAt: row.added_at,
      addedBy: row.added_by,
    };
  }

  list(allegationId: string): AttachmentSummary[] {
    this.allegation(allegationId);
    return (prepared(this.db, 'SELECT * FROM attachments WHERE allegation_id = ? ORDER BY ordinal').all(allegationId) as AttachmentRow[]).map((r) => this.summary(r));
  }

  detail(user: UserRow, id: string): AttachmentDetail {
    const row = this.row(id);
    const a = this.allegation(row.allegation_id);
    const analysis = JSON.parse(row.analysis) as Analysis;
    const sanitisedPages = (prepared(this.db, 'SELECT count(*) AS n FROM attachment_sanitised WHERE attachment_id = ?').get(id) as { n: number }).n;
    const canOpenOriginal = mayOpenSource(this.db, user, row.allegation_id);
    const reveals = row.reveals_source === 1;
    const pages = this.pageRows(id);
    const exportState = this.exportState(row, sanitisedPages);
    return {
      ...this.summary(row),
      reference: a.reference,
      pageDetails: pages.map((p) => ({
        page: p.page_no,
        status: p.status,
        method: p.method,
        confidence: p.confidence,
        error: p.error ? { code: p.error_code ?? 'failed', message: p.error } : null,
        text: p.text,
        width: p.width,
        height: p.height,
        revealsSource: p.reveals_source === 1,
      })),
      suggestionList: analysis.suggestions ?? [],
      source: { regions: analysis.regions ?? [], movedAt: row.source_moved_at, movedBy: row.source_moved_by, canOpenOriginal, sanitisedPages },
      view: !row.content_hash ? 'none' : reveals ? (sanitisedPages > 0 ? 'sanitised' : 'none') : 'original',
      export: exportState,
    };
  }

  private exportState(row: AttachmentRow, sanitisedPages: number): AttachmentDetail['export'] {
    if (!row.content_hash) return { allowed: false, sanitised: false, reason: 'No file is held for this attachment (only the text a legacy system kept)' };
    if (row.ocr_status !== 'done') {
      return { allowed: false, sanitised: false, reason: 'Not every page has been read yet, so the scan has not been checked for details of its writer: wait, or retry the pages that failed' };
    }
    if (row.reveals_source === 1) {
      if (!row.sanitised_hash || sanitisedPages === 0) return { allowed: false, sanitised: true, reason: 'The scan reveals its writer and its sanitised copy is still being made' };
      return { allowed: true, sanitised: true, reason: null };
    }
    return { allowed: true, sanitised: false, reason: null };
  }

  private audit(user: UserRow, action: string, row: AttachmentRow, details: Record<string, unknown>): void {
    this.core.store.audit.record({ at: this.core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action, entity: 'attachment', entityId: row.id, allegationId: row.allegation_id, details });
  }

  private requireOriginal(user: UserRow, row: AttachmentRow): void {
    if (row.reveals_source === 1 && !mayOpenSource(this.db, user, row.allegation_id)) {
      this.audit(user, 'attachment.original_refused', row, {});
      throw new ApiError('forbidden', 'This scan reveals who sent it: only its sanitised copy can be shown to you. The original is open to staff allocated to the case and to the National Source Unit.');
    }
  }

  /** A page as PNG: the original (rendered by the pool, cached) or the sanitised copy. */
  async page(user: UserRow, id: string, page: number, variant: 'auto' | 'original' | 'sanitised'): Promise<{ png: string; width: number; height: number; variant: 'original' | 'sanitised' }> {
    const row = this.row(id);
    if (!row.content_hash) throw new ApiError('not_found', 'No file is held for this attachment');
    if (row.pages > 0 && page > row.pages) throw new ApiError('not_found', `${row.file_name} has ${row.pages} page${row.pages === 1 ? '' : 's'}`);
    const chosen = variant === 'auto' ? (row.reveals_source === 1 ? 'sanitised' : 'original') : variant;
    if (chosen === 'sanitised') {
      const s = prepared(this.db, 'SELECT blob_hash, width, height FROM attachment_sanitised WHERE attachment_id = ? AND page_no = ?').get(id, page) as { blob_hash: string; width: number; height: number } | undefined;
      if (!s) throw new ApiError('not_found', row.reveals_source === 1 ? 'The sanitised copy is still being made' : 'This scan needs no sanitised copy: it does not reveal its writer');
      return { png: readFileSync(this.blobs.pathOf(s.blob_hash)).toString('base64'), width: s.width, height: s.height, variant: 'sanitised' };
    }
    this.requireOriginal(user, row);
    if (row.reveals_source === 1) this.audit(user, 'attachment.original_opened', row, { page });
    const r = await this.renderPage(row.content_hash, page);
    return { ...r, variant: 'original' };
  }

  /** A page of a stored file rendered to PNG through the pool, kept in the profile's cache. */
  async renderPage(sha256: string, page: number): Promise<{ png: string; width: number; height: number }> {
    const dir = join(this.core.store.profileDir, 'cache', 'pages', sha256);
    const file = join(dir, `${page}.png`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = join(dir, `${page}.${process.pid}.${Date.now()}.tmp.png`);
      try {
        await this.pool().sanitisePage(this.blobs.pathOf(sha256), page, [], tmp, { priority: true });
        // Rename into place: a reader never sees half a file.
        renameSync(tmp, file);
      } catch (err) {
        rmSync(tmp, { force: true });
        if (err instanceof AttachmentError) throw new ApiError(err.code === 'not_found' ? 'not_found' : 'bad_request', err.message);
        throw err;
      }
    }
    const png = readFileSync(file);
    const meta = await sharp(png).metadata();
    return { png: png.toString('base64'), width: meta.width ?? 0, height: meta.height ?? 0 };
  }

  private readPiece(file: string, offset: number, length: number): { data: string; total: number } {
    const total = statSync(file).size;
    if (offset > total) throw new ApiError('bad_request', `offset ${offset} is past the end of the file (${total} bytes)`);
    const n = Math.min(length, total - offset);
    const buf = Buffer.alloc(n);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, n, offset);
    } finally {
      closeSync(fd);
    }
    return { data: buf.toString('base64'), total };
  }

  /** The original file, a piece at a time (the PDF viewer). */
  content(user: UserRow, id: string, offset: number, length: number): { data: string; offset: number; total: number; mimeType: string; fileName: string } {
    const row = this.row(id);
    if (!row.content_hash) throw new ApiError('not_found', 'No file is held for this attachment');
    this.requireOriginal(user, row);
    if (row.reveals_source === 1 && offset === 0) this.audit(user, 'attachment.original_opened', row, {});
    return { ...this.readPiece(this.blobs.pathOf(row.content_hash), offset, length), offset, mimeType: row.mime_type, fileName: row.file_name };
  }

  /** What may leave the desk: the sanitised PDF when the scan reveals its writer, else the original. */
  export(user: UserRow, id: string, offset: number, length: number): { data: string; offset: number; total: number; mimeType: string; fileName: string; sanitised: boolean } {
    const row = this.row(id);
    const sanitisedPages = (prepared(this.db, 'SELECT count(*) AS n FROM attachment_sanitised WHERE attachment_id = ?').get(id) as { n: number }).n;
    const state = this.exportState(row, sanitisedPages);
    if (!state.allowed) throw new ApiError('conflict', state.reason ?? 'This attachment cannot be exported');
    const hash = state.sanitised ? (row.sanitised_hash as string) : (row.content_hash as string);
    if (offset === 0) this.audit(user, 'attachment.export', row, { sanitised: state.sanitised });
    const stem = row.file_name.slice(0, row.file_name.length - extname(row.file_name).length) || 'attachment';
    return {
      ...this.readPiece(this.blobs.pathOf(hash), offset, length),
      offset,
      mimeType: state.sanitised ? 'application/pdf' : row.mime_type,
      fileName: state.sanitised ? `${stem} (sanitised).pdf` : row.file_name,
      sanitised: state.sanitised,
    };
  }

  /**
   * Reads failed pages again (or the pages given, or the whole file when it could not be opened). They are marked
   * pending at once, so that a desk started later carries on with them if this process ends first.
   */
  retry(actor: { user: UserRow | null; name: string }, id: string, pages?: number[], options: { read?: boolean } = {}): { queued: number[] } {
    const row = this.row(id);
    if (actor.user) this.requireAttach(actor.user, row.allegation_id);
    if (!row.content_hash) throw new ApiError('bad_request', 'No file is held for this attachment: there is nothing to read');
    this.requireVault();
    const rows = this.pageRows(id);
    let wanted: number[] | undefined;
    if (pages?.length) {
      const bad = pages.filter((p) => row.pages > 0 && p > row.pages);
      if (bad.length) throw new ApiError('bad_request', `${row.file_name} has ${row.pages} pages; there is no page ${bad[0]}`);
      wanted = [...new Set(pages)].sort((a, b) => a - b);
    } else if (row.pages === 0 || rows.length === 0) {
      wanted = undefined;
    } else {
      wanted = rows.filter((p) => p.status !== 'done').map((p) => p.page_no);
      if (wanted.length === 0) throw new ApiError('conflict', 'Every page has been read: there is nothing to retry');
    }
    const userId = actor.user?.id ?? null;
    this.core.store.mutate({ actor: { userId, name: actor.name }, action: 'attachment.retry', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: wanted ?? 'all' } }, (m) => {
      m.update('attachment', id, { ocr_status: 'pending', error_code: null, error: null });
      const held = new Set(rows.map((p) => p.page_no));
      for (const p of wanted ?? []) if (held.has(p)) m.update('attachment_page', { attachment_id: id, page_no: p }, { status: 'pending', error: null, error_code: null, updated_at: m.at });
    });
    if (options.read ?? true) this.queue(id, wanted);
    return { queued: wanted ?? Array.from({ length: row.pages }, (_, i) => i + 1) };
  }

  /**
   * Moves what the scan says about its writer into the restricted source pane: only fields that are empty there
   * are filled, and nothing is returned (the person may not be allowed to open the pane). The attachment's open
   * text is then withheld again with the source now known.
   */
  moveSource(user: UserRow, id: string, reason: string): { moved: Array<'name' | 'phone' | 'email' | 'postcode'>; createdSource: boolean } {
    const row = this.row(id);
    this.requireAttach(user, row.allegation_id);
    this.requireVault();
    const found: { name?: string; phone?: string; email?: string; postcode?: string } = {};
    for (const p of this.pageRows(id)) {
      if (p.status !== 'done') continue;
      const sealed = this.readSealed(row, p);
      if (!sealed) continue;
      for (const r of withholdFromPage({ page: p.page_no, text: sealed.text, words: sealed.words }, null).regions) {
        for (const k of ['name', 'phone', 'email', 'postcode'] as const) if (r.details[k] && !found[k]) found[k] = r.details[k];
      }
    }
    const kinds = (['name', 'phone', 'email', 'postcode'] as const).filter((k) => found[k]);
    if (kinds.length === 0) throw new ApiError('bad_request', `${row.file_name} shows no name, phone, email or postcode of its writer to move`);
    const allegationId = row.allegation_id;
    let createdSource = false;
    const moved: typeof kinds = [];
    const a = this.allegation(allegationId);
    this.core.store.mutate({ actor: actorFor(user), action: 'attachment.source_moved', entity: 'attachment', entityId: id, allegationId, details: { reason, fields: kinds } }, (m) => {
      const current = readSourceForCore(m.db, this.core.vault, allegationId);
      createdSource = current === null;
      const next: SourceIdentifiersPayload = current ? { ...current } : { name: '', phone: '', email: '', address: '', relationship: '', organisation: '' };
      const fill = (field: 'name' | 'phone' | 'email' | 'address', value: string | undefined, kind: (typeof kinds)[number]) => {
        if (value && !String(next[field] ?? '').trim()) {
          next[field] = value;
          moved.push(kind);
        }
      };
      fill('name', found.name, 'name');
      fill('phone', found.phone, 'phone');
      fill('email', found.email, 'email');
      fill('address', found.postcode, 'postcode');
      if (moved.length || createdSource) writeSource(m, this.core.vault, allegationId, next);
      m.update('attachment', id, { source_moved_at: m.at, source_moved_by: m.actor.name });
      this.rewithhold(m, allegationId);
      m.note({ moved });
    });
    this.core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
    return { moved, createdSource };
  }

  /** Withholds the open text of every attachment page of an allegation again (after its source became known). */
  private rewithhold(m: Mutation, allegationId: string): void {
    const known = this.knownSource(m.db, allegationId);
    const rows = prepared(m.db, 'SELECT * FROM attachments WHERE allegation_id = ? AND content_hash IS NOT NULL').all(allegationId) as AttachmentRow[];
    for (const row of rows) {
      for (const p of this.pageRows(row.id)) {
        if (p.status !== 'done') continue;
        const sealed = this.readSealed(row, p);
        if (!sealed) continue;
        const withheld = withholdFromPage({ page: p.page_no, text: sealed.text, words: sealed.words }, known);
        if (withheld.open === p.text) continue;
        this.writePage(m, row, p.page_no, {
          status: 'done',
          method: p.method === 'text_layer' ? 'text_layer' : 'ocr',
          text: withheld.open,
          confidence: p.confidence,
          width: p.width ?? 0,
          height: p.height ?? 0,
          reveals: withheld.open !== sealed.text,
          sealed,
        });
      }
      const analysis = this.analyse(row, m.db);
      m.update('attachment', row.id, { analysis: JSON.stringify({ suggestions: analysis.suggestions, regions: analysis.regions }) });
    }
  }

  /** The profile's working folder for pieces of uploads and sanitised pages, made on first use by whichever needs it. */
  private workDir(): string {
    const dir = join(this.core.store.profileDir, 'tmp');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Removes uploads abandoned in an earlier run (the temporary files of pieces never finished). */
  sweepTemporary(): void {
    const dir = join(this.core.store.profileDir, 'tmp');
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      if (!/^upload-|^sanitise-/.test(f)) continue;
      if ([...this.uploads.values()].some((u) => basename(u.path) === f)) continue;
      rmSync(join(dir, f), { recursive: true, force: true });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.uploads.values()) this.abandon(u);
    const pool = this.ocrPool;
    this.ocrPool = null;
    void pool?.close();
  }
}
