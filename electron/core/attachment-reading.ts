// Reading attachments: the OCR job service. The queue lives in the table (ocr_queue, this desk's own work):
// attaching a file or asking for pages again adds a row in the same transaction, so work survives a restart
// and resumes where it stopped, page by page. A drain loop takes queued attachments, a few at a time, and has
// the OCR pool read them; each page is written as it lands, with anything that reveals the writer withheld from
// the open text (the page as read is sealed) and the search index and matcher following through the store's
// marks. When every page is read the attachment gets its suggested fields and, when it reveals the writer, a
// sanitised copy with those places blacked out.
import sharp from 'sharp';
import type { Actor, Mutation, Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { storeFault, type StoreFault } from '../store/faults.ts';
import { allegationScope, readSourceForCore, SEALED_FORMAT, SourceWithholder, type SourceIdentifiersPayload } from '../store/allegation-write.ts';
import type { Vault } from '../vault/vault.ts';
import type { BlobStore } from '../attachments/blob-store.ts';
import type { AttachmentOcr, OcrPool, OcrProgress, PageResult } from '../attachments/ocr-pool.ts';
import { sanitiseAttachment } from '../attachments/sanitise.ts';
import { pdfFromGreyPages } from '../attachments/pdf-writer.ts';
import type { Uploads } from './uploads.ts';
import { attachmentCase, attachmentRow, pageRows, pageCounts, type Analysis, type AttachmentRow, type PageRow, type SealedPage, type StoredRegion } from './attachment-rows.ts';
import { analyseScan, type ScanAnalysis } from '../../shared/analysis/analyse-text.ts';
import { evidenceFrom, type Evidence, type EvidenceOrigin } from '../../shared/analysis/triage.ts';
import { writerFields } from '../../shared/sources/writer-block.ts';
import type { PlacedWord } from '../../shared/attachments/page-text.ts';
import { applyTriage, raisedEvent, type Raised } from './triage.ts';
import { suggestionView } from './suggestions.ts';
import type { OcrStatus } from '../../shared/domain/vocabularies.ts';
import type { SuggestionView } from '../../shared/api/attachments.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

/** Who writes what the OCR read: the desk itself, on behalf of whoever attached the file. */
const OCR_ACTOR: Actor = { userId: null, name: 'IMS Desk OCR' };
/** Attachments read at once; the pool shares its workers among their pages. */
const IN_FLIGHT = 4;
/**
 * Up to this many pages, every page read so far is analysed together as each lands (a writer who signs page 2 is
 * withheld from page 1 at once); a longer document has each page analysed as it lands and the whole once read.
 */
const WHOLE_SCAN_PAGES = 30;

/** A page just read, before it is stored. */
interface Landed {
  page: number;
  text: string;
  words: PlacedWord[];
  method: 'text_layer' | 'ocr';
  confidence: number | null;
  width: number;
  height: number;
}

const log = (message: string, error?: unknown) => console.error(`[ims] ${message}`, error instanceof Error ? (error.stack ?? error.message) : (error ?? ''));

export interface ReadingDeps {
  store: Store;
  vault: Vault;
  blobs: BlobStore;
  uploads: Uploads;
  pool(): OcrPool;
  emit(event: CoreEvent): void;
  /** After a store fault (a full disk), how often to look for room again and resume (default a minute). */
  faultRetryMs?: number;
  /** Where the sentence saying reading stopped or resumed goes (default: the log on stderr). */
  report?: (sentence: string) => void;
}

interface QueueRow {
  attachment_id: string;
  seq: number;
  pages: string | null;
}

/** Adds an attachment (all its pages, or those given) to this desk's reading queue, inside the caller's mutation. */
export function enqueueReading(m: Mutation, attachmentId: string, pages?: number[]): void {
  prepared(
    m.db,
    `INSERT INTO ocr_queue (attachment_id, seq, pages, queued_at) VALUES (?, 1, ?, ?)
     ON CONFLICT (attachment_id) DO UPDATE SET seq = seq + 1, pages = CASE WHEN ocr_queue.pages IS NULL OR excluded.pages IS NULL THEN NULL
       ELSE (SELECT json_group_array(value) FROM (SELECT DISTINCT value FROM json_each(ocr_queue.pages) UNION SELECT value FROM json_each(excluded.pages) ORDER BY value)) END,
       queued_at = excluded.queued_at`,
  ).run(attachmentId, pages ? JSON.stringify(pages) : null, m.at);
}

export class AttachmentReading {
  private readonly deps: ReadingDeps;
  /** Attachments being read now, with the queue entry (seq) each run took. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private draining = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** The fault that stopped reading (the disk is full), until there is room again. */
  private halted: StoreFault | null = null;
  private haltTimer: NodeJS.Timeout | null = null;

  constructor(deps: ReadingDeps) {
    this.deps = deps;
  }

  /** Why reading has stopped, in a sentence, or null while it runs. */
  stopped(): string | null {
    if (!this.halted) return null;
    return `Reading attachments stopped: ${this.halted.message}. Pages read before it stopped are kept; the attachments it was reading are marked failed and are read again, where they stopped, once there is room.`;
  }

  /**
   * A store fault met while reading: stop taking work (every next page would fail the same way), say so once,
   * mark the attachment failed (with the room kept back for it) and keep it queued, and look for room again.
   */
  private halt(fault: StoreFault, id: string): void {
    if (!this.halted) {
      this.halted = fault;
      this.report(this.stopped() as string);
      this.haltTimer = setInterval(() => this.tryResume(), this.deps.faultRetryMs ?? 60_000);
      this.haltTimer.unref();
    }
    this.deps.store.reserve.release();
    try {
      const row = attachmentRow(this.db, id);
      this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { status: 'failed', error: fault.code } }, (m) => {
        m.update('attachment', id, { ocr_status: 'failed', error_code: fault.code === 'SQLITE_FULL' || fault.code === 'ENOSPC' ? 'disk_full' : 'store_fault', error: `Reading stopped: ${fault.message}. It is read again, where it stopped, once there is room` });
      });
      this.progress(attachmentRow(this.db, id), 'finished', null);
    } catch {
      // Not even that could be written: the queue still holds it, so the next start reads it again.
    }
    this.notifyIdle();
  }

  /** Reads what is queued, first looking for room again if a full disk stopped reading (a person asked to retry). */
  wake(): void {
    this.tryResume();
    this.kick();
  }

  private report(sentence: string): void {
    if (this.deps.report) this.deps.report(sentence);
    else console.error(`[ims] ${sentence}`);
  }

  private tryResume(): void {
    if (!this.halted || this.closed) return;
    if (!this.deps.store.reserve.hasRoom()) return;
    this.halted = null;
    if (this.haltTimer) clearInterval(this.haltTimer);
    this.haltTimer = null;
    this.report('Reading attachments resumed: there is room on the disk again.');
    this.kick();
  }

  private get db(): Db {
    return this.deps.store.db;
  }

  /** How many attachments wait in this desk's queue (being read or not yet started). */
  queued(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM ocr_queue').get() as { n: number }).n;
  }

  /**
   * Starts reading what the queue holds (after a restart: what was left). Returns at once; progress goes out as
   * events. Reading one attachment runs in order; different attachments share the pool.
   */
  kick(): void {
    if (this.closed || this.draining) return;
    if (this.halted) return this.notifyIdle();
    this.draining = true;
    try {
      for (const row of prepared(this.db, 'SELECT attachment_id, seq, pages FROM ocr_queue ORDER BY queued_at, attachment_id').all() as QueueRow[]) {
        if (this.inFlight.size >= IN_FLIGHT) break;
        if (this.inFlight.has(row.attachment_id)) continue;
        this.start(row);
      }
    } finally {
      this.draining = false;
    }
    if (this.inFlight.size === 0) this.notifyIdle();
  }

  private start(row: QueueRow): void {
    const id = row.attachment_id;
    const pages = row.pages ? (JSON.parse(row.pages) as number[]) : undefined;
    try {
      this.progress(attachmentRow(this.db, id), 'queued', null);
    } catch {
      // An attachment this desk no longer holds: its queue entry is dropped below.
    }
    let interrupted = false;
    const job = this.process(id, pages)
      .catch((err: unknown) => {
        if (this.closed) return;
        const fault = storeFault(err);
        if (!fault) return log(`reading attachment ${id} failed`, err);
        interrupted = true;
        this.halt(fault, id);
      })
      .finally(() => {
        this.inFlight.delete(id);
        // Done with this request; a newer one for the same attachment (a retry while reading) keeps its row, and
        // one interrupted by a fault keeps its own, to be read again once there is room.
        try {
          if (!interrupted && !this.closed && this.db.open) prepared(this.db, 'DELETE FROM ocr_queue WHERE attachment_id = ? AND seq = ?').run(id, row.seq);
        } catch (err) {
          const fault = storeFault(err);
          if (!fault) log(`finishing attachment ${id} failed`, err);
          else this.halt(fault, id);
        }
        this.kick();
      });
    this.inFlight.set(id, job);
  }

  /** Resolves when the attachment (or every attachment) has nothing queued or being read. */
  async whenIdle(id?: string): Promise<void> {
    for (;;) {
      const waiting = id
        ? this.inFlight.has(id) || Boolean(prepared(this.db, 'SELECT 1 FROM ocr_queue WHERE attachment_id = ?').get(id))
        : this.inFlight.size > 0 || this.queued() > 0;
      if (!waiting || this.closed || this.halted) return;
      this.kick();
      const running = id ? this.inFlight.get(id) : undefined;
      if (running) await running;
      else await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async process(id: string, pages?: number[]): Promise<void> {
    if (this.closed) return;
    const row = attachmentRow(this.db, id);
    if (!row.content_hash) return;
    if (!this.deps.blobs.has(row.content_hash)) {
      this.failAttachment(row, { code: 'not_found', message: 'The stored file is missing from this desk (it may not have been copied from another desk yet)' });
      return;
    }
    const result = await this.deps.pool().ocrAttachment(this.deps.blobs.source(row.content_hash), { ...(pages ? { pages } : {}), onProgress: (p) => this.onProgress(id, p, pages) });
    if (this.closed) return;
    // Pages that landed after the store failed were not written: this attachment is not finished.
    if (this.halted) throw this.halted;
    await this.finish(id, result);
  }

  private onProgress(id: string, p: OcrProgress, pages: number[] | undefined): void {
    if (this.closed || this.halted) return;
    try {
      if (p.event === 'started') this.started(id, p.pageCount, pages);
      else if (p.event === 'page' && p.result) this.storePage(id, p.result);
    } catch (err) {
      const fault = storeFault(err);
      if (fault) this.halt(fault, id);
      else log(`recording progress of attachment ${id} failed`, err);
    }
  }

  private started(id: string, pageCount: number, pages: number[] | undefined): void {
    const row = attachmentRow(this.db, id);
    const wanted = (pages ?? Array.from({ length: pageCount }, (_, i) => i + 1)).filter((p) => p >= 1 && p <= pageCount);
    this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read_started', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: wanted.length, pageCount } }, (m) => {
      m.update('attachment', id, { pages: pageCount, ocr_status: 'running', error_code: null, error: null });
      for (const p of wanted) m.put('attachment_page', { attachment_id: id, page_no: p, status: 'pending', error: null, error_code: null, updated_at: m.at });
    });
    this.progress(attachmentRow(this.db, id), 'started', null);
  }

  /** The source known for an allegation (to withhold it), when the vault is open. */
  knownSource(db: Db, allegationId: string): SourceIdentifiersPayload | null {
    return this.deps.vault.unlocked ? readSourceForCore(db, this.deps.vault, allegationId) : null;
  }

  /**
   * Writes one page as it lands and reads it through the analysis pipeline with the pages before it: the open
   * text (writer and known source withheld), the page as read sealed, the flag's evidence (the duty manager is
   * told at once when this page makes the allegation time-critical), and the suggestions so far.
   */
  private storePage(id: string, r: PageResult): void {
    const row = attachmentRow(this.db, id);
    const allegationId = row.allegation_id;
    const raised = this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.page_read', entity: 'attachment', entityId: id, allegationId, details: { page: r.page, status: r.status, ...(r.error ? { error: r.error.code } : {}) } }, (m) => {
      if (r.status === 'done') {
        return this.readScan(m, row, { page: r.page, text: r.text, words: r.words, method: r.source === 'text-layer' ? 'text_layer' : 'ocr', confidence: r.confidence, width: r.width, height: r.height }, false);
      }
      m.put('attachment_page', { attachment_id: id, page_no: r.page, status: 'failed', error: r.error?.message ?? 'The page could not be read', error_code: r.error?.code ?? 'ocr_failed', updated_at: m.at });
      return null;
    });
    this.progress(attachmentRow(this.db, id), 'page', r.page);
    if (raised) this.deps.emit(raisedEvent(raised));
  }

  /**
   * Reads an attachment's pages (those read so far, and `landed`, just read) through the pipeline, inside the
   * caller's mutation: each page's open text is written where it changed, the evidence of the attachment replaces
   * its earlier evidence on the flag, and (when the whole scan was read together) the suggestions, the regions that
   * reveal the writer and what of the writer can be offered for the pane go on the attachment's analysis.
   */
  readScan(m: Mutation, row: AttachmentRow, landed: Landed | null, final: boolean): Raised | null {
    const allegationId = row.allegation_id;
    const stored = pageRows(m.db, row.id).filter((p) => p.status === 'done' && p.page_no !== landed?.page);
    const pages: Array<{ page: number; sealed: SealedPage; row: PageRow | null }> = [];
    for (const p of stored) {
      const sealed = this.readSealed(row, p);
      if (sealed) pages.push({ page: p.page_no, sealed, row: p });
    }
    if (landed) pages.push({ page: landed.page, sealed: { text: landed.text, words: landed.words }, row: null });
    pages.sort((a, b) => a.page - b.page);
    const received = (prepared(m.db, 'SELECT received_at AS r FROM allegations WHERE id = ?').get(allegationId) as { r: string }).r;
    const subjects = (prepared(m.db, 'SELECT count(*) AS n FROM subjects WHERE allegation_id = ? AND removed_at IS NULL').get(allegationId) as { n: number }).n;
    const context = { receivedAt: received, knownSource: this.knownSource(m.db, allegationId), form: { subjectCount: subjects } };
    const whole = final || pages.length <= WHOLE_SCAN_PAGES;
    const read = whole ? pages : pages.filter((p) => p.page === landed?.page);
    const analysis = analyseScan(
      read.map((p) => ({ page: p.page, text: p.sealed.text, words: p.sealed.words })),
      { ...context, suggest: whole },
    );
    analysis.pages.forEach((a, i) => {
      const p = read[i];
      if (!p || a.page === null) return;
      const meta = p.row
        ? { method: p.row.method === 'text_layer' ? ('text_layer' as const) : ('ocr' as const), confidence: p.row.confidence, width: p.row.width ?? 0, height: p.row.height ?? 0 }
        : { method: landed?.method ?? ('ocr' as const), confidence: landed?.confidence ?? null, width: landed?.width ?? 0, height: landed?.height ?? 0 };
      if (p.row && p.row.text === a.open) return;
      this.writePage(m, row, a.page, { status: 'done', ...meta, text: a.open, reveals: a.open !== p.sealed.text, sealed: p.sealed });
    });

    const origin: EvidenceOrigin = { kind: 'attachment', id: row.id, label: row.file_name };
    let found: Evidence[] = evidenceFrom(analysis.deadlines, origin, m.at);
    if (!whole && landed) {
      // Only this page was read now: the attachment's evidence from its other pages stands.
      const held = JSON.parse((prepared(m.db, 'SELECT time_critical_evidence AS e FROM allegations WHERE id = ?').get(allegationId) as { e: string }).e || '[]') as Evidence[];
      found = [...held.filter((e) => e.origin?.kind === 'attachment' && e.origin.id === row.id && e.page !== landed.page), ...found];
    }
    const raised = applyTriage(m, allegationId, { replace: [origin], found });
    if (whole) m.update('attachment', row.id, { analysis: JSON.stringify(this.analysisOf(analysis)) });
    return raised;
  }

  /** What the attachment's row keeps of a whole-scan analysis: suggestions, where the writer is, what can be offered. */
  private analysisOf(analysis: ScanAnalysis): Analysis {
    const seen = new Set<string>();
    const suggestions: SuggestionView[] = [];
    for (const s of analysis.suggestions.map(suggestionView)) {
      if (seen.has(s.key)) continue;
      seen.add(s.key);
      suggestions.push(s);
    }
    const regions: StoredRegion[] = analysis.pages.flatMap((p) =>
      p.withheld.map((r) => ({
        page: r.page,
        kind: r.kind,
        boxes: r.boxes,
        reveals: (['name', 'phone', 'email', 'postcode'] as const).filter((k) => r.details[k]),
      })),
    );
    return { suggestions, regions, writer: analysis.writer ? { fields: writerFields(analysis.writer) } : null };
  }

  writePage(
    m: Mutation,
    row: AttachmentRow,
    page: number,
    p: { status: 'done'; method: 'text_layer' | 'ocr'; text: string; confidence: number | null; width: number; height: number; reveals: boolean; sealed: SealedPage },
  ): void {
    const allegationId = row.allegation_id;
    const scope = allegationScope(allegationId);
    const data = this.deps.vault.sealJson(scope, `page:${row.id}:${page}`, p.sealed);
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
      originals.flush(m, this.deps.vault, allegationId);
      m.update('attachment', row.id, { reveals_source: 1 });
    }
  }

  readSealed(row: { id: string; allegation_id: string }, p: PageRow): SealedPage | null {
    if (!p.data || !p.data_format || !this.deps.vault.unlocked) return null;
    return this.deps.vault.openJson<SealedPage>(allegationScope(row.allegation_id), `page:${row.id}:${p.page_no}`, p.data, p.data_format);
  }

  private async finish(id: string, result: AttachmentOcr): Promise<void> {
    const row = attachmentRow(this.db, id);
    if (result.status === 'failed' && result.pageCount === 0) {
      this.failAttachment(row, result.error ?? { code: 'corrupt', message: 'The file could not be read' });
      return;
    }
    const pages = pageRows(this.db, id);
    const failed = pages.filter((p) => p.status === 'failed');
    const status: OcrStatus = failed.length ? 'failed' : pages.some((p) => p.status === 'pending' || p.status === 'running') ? 'running' : 'done';
    let reveals = false;
    const raised = this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { status, pages: pages.length, failed: failed.length } }, (m) => {
      // The whole scan, read together once more: a writer found on a late page is withheld from every page.
      const raisedNow = this.readScan(m, row, null, true);
      const after = pageRows(m.db, id);
      const analysis = JSON.parse(attachmentRow(m.db, id).analysis) as Analysis;
      reveals = (analysis.regions ?? []).length > 0 || after.some((p) => p.reveals_source === 1);
      const error = failed.length
        ? `${failed.length} of ${row.pages || pages.length} page${row.pages === 1 ? '' : 's'} could not be read (${failed[0]?.error ?? 'unknown reason'}): retry ${failed.length === 1 ? 'it' : 'them'}`
        : null;
      m.update('attachment', id, { ocr_status: status, error_code: failed[0]?.error_code ?? null, error, reveals_source: reveals ? 1 : 0 });
      return raisedNow;
    });
    this.progress(attachmentRow(this.db, id), 'finished', null);
    this.deps.emit({ type: 'allegation.changed', allegationId: row.allegation_id, reference: attachmentCase(this.db, row.allegation_id).reference });
    if (raised) this.deps.emit(raisedEvent(raised));
    if (reveals && status === 'done') await this.sanitise(id);
  }

  private failAttachment(row: AttachmentRow, error: { code: string; message: string }): void {
    this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.read', entity: 'attachment', entityId: row.id, allegationId: row.allegation_id, details: { status: 'failed', error: error.code } }, (m) => {
      m.update('attachment', row.id, { ocr_status: 'failed', error_code: error.code, error: error.message });
    });
    this.progress(attachmentRow(this.db, row.id), 'finished', null);
    this.deps.emit({ type: 'allegation.changed', allegationId: row.allegation_id, reference: attachmentCase(this.db, row.allegation_id).reference });
  }

  /** The sanitised copy: every page with the places that reveal the writer blacked out, and one PDF of them. */
  private async sanitise(id: string): Promise<void> {
    const row = attachmentRow(this.db, id);
    if (!row.content_hash || this.closed) return;
    const analysis = JSON.parse(row.analysis) as Analysis;
    const regions = analysis.regions ?? [];
    try {
      const made = await sanitiseAttachment(this.deps.pool(), this.deps.blobs.source(row.content_hash), row.pages, regions);
      if (this.closed) return;
      const stored: Array<{ page: number; sha256: string; width: number; height: number; boxes: number }> = [];
      const grey: Array<{ data: Buffer; width: number; height: number }> = [];
      for (const p of made.sort((a, b) => a.page - b.page)) {
        const blob = await this.deps.blobs.putBuffer(p.png, `page ${p.page} of the sanitised copy`);
        stored.push({ page: p.page, sha256: blob.sha256, width: p.width, height: p.height, boxes: p.boxes });
        const { data, info } = await sharp(p.png).greyscale().raw().toBuffer({ resolveWithObject: true });
        grey.push({ data, width: info.width, height: info.height });
      }
      const pdf = await this.deps.blobs.putBuffer(pdfFromGreyPages(grey), 'the sanitised copy');
      if (this.closed) return;
      this.deps.store.mutate({ actor: OCR_ACTOR, action: 'attachment.sanitised', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: stored.length, boxes: stored.reduce((n, s) => n + s.boxes, 0) } }, (m) => {
        for (const s of stored) m.put('attachment_sanitised', { attachment_id: id, page_no: s.page, blob_hash: s.sha256, width: s.width, height: s.height, boxes: s.boxes, made_at: m.at });
        m.update('attachment', id, { sanitised_hash: pdf.sha256 });
      });
      this.progress(attachmentRow(this.db, id), 'sanitised', null);
    } catch (err) {
      const fault = storeFault(err);
      // The reading itself is done and kept; only the copy is missing.
      if (fault) this.report(`The sanitised copy of ${row.file_name} was not made: ${fault.message}.`);
      else if (!this.closed) log(`making the sanitised copy of attachment ${id} failed`, err);
    }
  }

  private progress(row: AttachmentRow, stage: Extract<CoreEvent, { type: 'attachment.progress' }>['stage'], page: number | null): void {
    const counts = pageCounts(this.db, row.id);
    this.deps.emit({
      type: 'attachment.progress',
      attachmentId: row.id,
      allegationId: row.allegation_id,
      reference: attachmentCase(this.db, row.allegation_id).reference,
      fileName: row.file_name,
      stage,
      status: row.ocr_status,
      pageCount: row.pages,
      pagesDone: counts.done,
      pagesFailed: counts.failed,
      page,
      finished: stage === 'finished' || stage === 'sanitised',
    });
  }

  close(): void {
    this.closed = true;
    if (this.haltTimer) clearInterval(this.haltTimer);
    this.notifyIdle();
  }
}
