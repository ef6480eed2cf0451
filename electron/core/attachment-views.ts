// What is shown and handed out of attachments: summaries and details for the screens, pages as images (the
// original, rendered and cached, or the sanitised copy), the original file in pieces for the PDF viewer, and
// the export — the sanitised copy whenever the scan reveals its writer. An original that reveals its writer, or
// that has not yet been read (so nobody knows whether it does: a scan still being read, one whose reading failed,
// one attached where nothing reads it), opens only to those who may open the source pane, and is audited; a
// refusal is audited too (issue 16 finding 3: such scans were handed to anyone who could see the case).
import { rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import type { BlobStore } from '../attachments/blob-store.ts';
import type { OcrPool } from '../attachments/ocr-pool.ts';
import { AttachmentError } from '../attachments/errors.ts';
import type { UserRow } from './users.ts';
import { actorFor, mayOpenSource } from './access.ts';
import { attachmentCase, attachmentRow, pageCounts, pageRows, type Analysis, type AttachmentRow } from './attachment-rows.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { decisionsOf } from './suggestions.ts';
import type { AttachmentDetail, AttachmentSummary } from '../../shared/api/attachments.ts';

/** Statuses in which every page has been read, so the scan has been checked for its writer. */
const DECIDED: readonly string[] = ['done', 'text_layer'];

/** Why the original is restricted like the source pane, or null when it is open to whoever may see the case. */
export function restrictedBecause(row: Pick<AttachmentRow, 'reveals_source' | 'ocr_status'>): 'reveals_source' | 'not_read' | null {
  if (row.reveals_source === 1) return 'reveals_source';
  return DECIDED.includes(row.ocr_status) ? null : 'not_read';
}

const RENDERED_PAGES_KEPT = 24;

/** A blob that does not verify is refused, never shown; the message says why (sealed-file.ts). */
function asApiError(err: unknown): unknown {
  if (!(err instanceof AttachmentError)) return err;
  return new ApiError(err.code === 'not_found' ? 'not_found' : err.code === 'corrupt' ? 'conflict' : 'bad_request', err.message);
}

export interface ViewsDeps {
  store: Store;
  blobs: BlobStore;
  pool(): OcrPool;
}

export class AttachmentViews {
  private readonly deps: ViewsDeps;

  /** Pages rendered lately, most recent last. */
  private readonly rendered = new Map<string, { png: string; width: number; height: number }>();

  constructor(deps: ViewsDeps) {
    this.deps = deps;
    // Desks before issue 16 kept rendered pages on disk, in plain: a cache, so removing it loses nothing.
    rmSync(join(deps.store.profileDir, 'cache', 'pages'), { recursive: true, force: true });
  }

  private get db(): Db {
    return this.deps.store.db;
  }

  summary(row: AttachmentRow): AttachmentSummary {
    const counts = pageCounts(this.db, row.id);
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
      pagesDone: counts.done,
      pagesFailed: counts.failed,
      error: row.error ? { code: row.error_code ?? 'failed', message: row.error } : null,
      revealsSource: row.reveals_source === 1,
      suggestions: analysis.suggestions?.length ?? 0,
      hasFile: row.content_hash !== null,
      addedAt: row.added_at,
      addedBy: row.added_by,
    };
  }

  list(allegationId: string): AttachmentSummary[] {
    attachmentCase(this.db, allegationId);
    return (prepared(this.db, 'SELECT * FROM attachments WHERE allegation_id = ? ORDER BY ordinal').all(allegationId) as AttachmentRow[]).map((r) => this.summary(r));
  }

  detail(user: UserRow, id: string): AttachmentDetail {
    const row = attachmentRow(this.db, id);
    const a = attachmentCase(this.db, row.allegation_id);
    const analysis = JSON.parse(row.analysis) as Analysis;
    const sanitisedPages = (prepared(this.db, 'SELECT count(*) AS n FROM attachment_sanitised WHERE attachment_id = ?').get(id) as { n: number }).n;
    const canOpenOriginal = mayOpenSource(this.db, user, row.allegation_id);
    const reveals = row.reveals_source === 1;
    const pages = pageRows(this.db, id);
    const exportState = this.exportState(row, sanitisedPages);
    const decisions = decisionsOf(this.db, row.allegation_id);
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
      suggestionList: (analysis.suggestions ?? []).map((s) => ({ ...s, decision: decisions.get(`attachment|${row.id}|${s.key}`) ?? null })),
      source: {
        regions: analysis.regions ?? [],
        movedAt: row.source_moved_at,
        movedBy: row.source_moved_by,
        offer: analysis.writer?.fields.length ? { fields: analysis.writer.fields } : null,
        hasSource: a.has_source === 1,
        canOpenOriginal,
        sanitisedPages,
      },
      view: !row.content_hash ? 'none' : reveals ? (sanitisedPages > 0 ? 'sanitised' : 'none') : restrictedBecause(row) ? 'none' : 'original',
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
    this.deps.store.audit.record({ at: this.deps.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action, entity: 'attachment', entityId: row.id, allegationId: row.allegation_id, details });
  }

  /** Opening the original needs the source pane's rights; returns whether the opening must be audited. */
  private requireOriginal(user: UserRow, row: AttachmentRow): boolean {
    const why = restrictedBecause(row);
    if (!why) return false;
    if (!mayOpenSource(this.db, user, row.allegation_id)) {
      this.audit(user, 'attachment.original_refused', row, { because: why });
      throw new ApiError(
        'forbidden',
        why === 'reveals_source'
          ? 'This scan reveals who sent it: only its sanitised copy can be shown to you. The original is open to staff allocated to the case and to the National Source Unit.'
          : 'This scan has not been read yet, so nobody knows whether it names who sent it: until it has, it is open only to staff allocated to the case and to the National Source Unit.',
      );
    }
    return true;
  }

  /** A page as PNG: the original (rendered by the pool, cached) or the sanitised copy. */
  async page(user: UserRow, id: string, page: number, variant: 'auto' | 'original' | 'sanitised'): Promise<{ png: string; width: number; height: number; variant: 'original' | 'sanitised' }> {
    const row = attachmentRow(this.db, id);
    if (!row.content_hash) throw new ApiError('not_found', 'No file is held for this attachment');
    if (row.pages > 0 && page > row.pages) throw new ApiError('not_found', `${row.file_name} has ${row.pages} page${row.pages === 1 ? '' : 's'}`);
    const chosen = variant === 'auto' ? (row.reveals_source === 1 ? 'sanitised' : 'original') : variant;
    if (chosen === 'sanitised') {
      const s = prepared(this.db, 'SELECT blob_hash, width, height FROM attachment_sanitised WHERE attachment_id = ? AND page_no = ?').get(id, page) as { blob_hash: string; width: number; height: number } | undefined;
      if (!s) throw new ApiError('not_found', row.reveals_source === 1 ? 'The sanitised copy is still being made' : 'This scan needs no sanitised copy: it does not reveal its writer');
      return { png: this.blob(() => this.deps.blobs.read(s.blob_hash)).toString('base64'), width: s.width, height: s.height, variant: 'sanitised' };
    }
    if (this.requireOriginal(user, row)) this.audit(user, 'attachment.original_opened', row, { page, because: restrictedBecause(row) });
    const r = await this.renderPage(row.content_hash, page);
    return { ...r, variant: 'original' };
  }

  /**
   * A page of a stored file rendered to PNG through the pool. Rendered pages are kept in memory only (a few, for
   * paging back and forth): a page cache on disk held a letter's signature block in plain (issue 16 finding 3).
   * The worker is handed the decrypted blob and returns the PNG in memory: nothing of the page touches the disk.
   */
  async renderPage(sha256: string, page: number): Promise<{ png: string; width: number; height: number }> {
    const key = `${sha256}:${page}`;
    const cached = this.rendered.get(key);
    if (cached) {
      this.rendered.delete(key);
      this.rendered.set(key, cached);
      return cached;
    }
    let r: { png: Uint8Array; width: number; height: number };
    try {
      r = await this.deps.pool().sanitisePage(this.deps.blobs.source(sha256), page, [], null, { priority: true });
    } catch (err) {
      throw asApiError(err);
    }
    const out = { png: Buffer.from(r.png.buffer, r.png.byteOffset, r.png.byteLength).toString('base64'), width: r.width, height: r.height };
    this.rendered.set(key, out);
    if (this.rendered.size > RENDERED_PAGES_KEPT) this.rendered.delete(this.rendered.keys().next().value as string);
    return out;
  }

  /** Runs a read of a sealed blob, turning its failures (altered on disk, missing) into the API's errors. */
  private blob<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw asApiError(err);
    }
  }

  private readPiece(sha256: string, offset: number, length: number): { data: string; total: number } {
    const total = this.blob(() => this.deps.blobs.size(sha256));
    if (offset > total) throw new ApiError('bad_request', `offset ${offset} is past the end of the file (${total} bytes)`);
    const { data } = this.blob(() => this.deps.blobs.readRange(sha256, offset, length));
    return { data: data.toString('base64'), total };
  }

  /** The original file, a piece at a time (the PDF viewer). */
  content(user: UserRow, id: string, offset: number, length: number): { data: string; offset: number; total: number; mimeType: string; fileName: string } {
    const row = attachmentRow(this.db, id);
    if (!row.content_hash) throw new ApiError('not_found', 'No file is held for this attachment');
    if (this.requireOriginal(user, row) && offset === 0) this.audit(user, 'attachment.original_opened', row, { because: restrictedBecause(row) });
    return { ...this.readPiece(row.content_hash, offset, length), offset, mimeType: row.mime_type, fileName: row.file_name };
  }

  /** What may leave the desk: the sanitised PDF when the scan reveals its writer, else the original. */
  export(user: UserRow, id: string, offset: number, length: number): { data: string; offset: number; total: number; mimeType: string; fileName: string; sanitised: boolean } {
    const row = attachmentRow(this.db, id);
    const sanitisedPages = (prepared(this.db, 'SELECT count(*) AS n FROM attachment_sanitised WHERE attachment_id = ?').get(id) as { n: number }).n;
    const state = this.exportState(row, sanitisedPages);
    if (!state.allowed) throw new ApiError('conflict', state.reason ?? 'This attachment cannot be exported');
    const hash = state.sanitised ? (row.sanitised_hash as string) : (row.content_hash as string);
    if (offset === 0) this.audit(user, 'attachment.export', row, { sanitised: state.sanitised });
    const stem = row.file_name.slice(0, row.file_name.length - extname(row.file_name).length) || 'attachment';
    return {
      ...this.readPiece(hash, offset, length),
      offset,
      mimeType: state.sanitised ? 'application/pdf' : row.mime_type,
      fileName: state.sanitised ? `${stem} (sanitised).pdf` : row.file_name,
      sanitised: state.sanitised,
    };
  }
}
