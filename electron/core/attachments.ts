// Attachments as files, in the core: a file arrives (uploaded in pieces, from the CLI, or from the NAT scan
// folder), is stored once by content, attached, and queued to be read (attachment-reading.ts); what is shown and
// exported is in attachment-views.ts. Here: who may attach, attaching, asking for pages again, and moving what a
// scan says about its writer into the restricted source pane. Nothing here blocks the API: OCR runs in worker
// processes and the work is queued in the table, not awaited.
import { basename } from 'node:path';
import type { Actor, Mutation, Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { allegationScope, readSourceForCore, SEALED_FORMAT, writeSource, type SourceAlso, type SourceIdentifiersPayload } from '../store/allegation-write.ts';
import type { Vault } from '../vault/vault.ts';
import { BlobStore } from '../attachments/blob-store.ts';
import { ingestAttachment, type IngestedAttachment } from '../attachments/ingest.ts';
import { OcrPool, type OcrPoolOptions } from '../attachments/ocr-pool.ts';
import { AttachmentError, formatBytes } from '../attachments/errors.ts';
import { MIME_TYPES, SNIFF_BYTES, sniffKind, type AttachmentKind } from '../attachments/sniff.ts';
import type { UserRow } from './users.ts';
import type { Uploads } from './uploads.ts';
import { actorFor, mayAttach } from './access.ts';
import { attachmentCase, attachmentRow, pageRows, type AttachmentRow, type SealedPage } from './attachment-rows.ts';
import { raisedEvent, type Raised } from './triage.ts';
import { AttachmentReading, enqueueReading } from './attachment-reading.ts';
import { AttachmentViews } from './attachment-views.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { analyseScan } from '../../shared/analysis/analyse-text.ts';
import { writerFields, type WriterField } from '../../shared/sources/writer-block.ts';
import { normaliseEmail, normalisePhone, foldName } from '../../shared/text/normalise.ts';
import type { WriterAs } from '../../shared/api/attachments.ts';
import { UPLOAD_CHUNK_BYTES, type AttachmentDetail, type AttachmentSummary } from '../../shared/api/attachments.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

/** Whether a detail from a letter says what the pane already holds (formats aside). */
function sameDetail(field: WriterField, held: string, value: string): boolean {
  if (field === 'phone') return normalisePhone(held).national === normalisePhone(value).national;
  if (field === 'email') return normaliseEmail(held) === normaliseEmail(value);
  return foldName(held) === foldName(value) || foldName(held).includes(foldName(value));
}

export interface AttachmentsOptions {
  /** Options for the OCR pool (started on first use). */
  ocr?: OcrPoolOptions;
  /** Largest file accepted (default: the blob store's 250 MB). */
  maxBytes?: number;
  /** After a full disk stopped reading, how often to look for room and resume (default a minute). */
  faultRetryMs?: number;
  /** Where a sentence about reading stopping or resuming goes (default: the log on stderr). */
  report?: (sentence: string) => void;
}

/** What attaching did: a new attachment, or the one already there (with its unfinished reading resumed). */
export interface AttachResult {
  attachment: AttachmentSummary;
  alreadyAttached: boolean;
  resumed: boolean;
}

export interface AttachmentsDeps {
  store: Store;
  vault: Vault;
  uploads: Uploads;
  emit(event: CoreEvent): void;
}

export class Attachments {
  readonly blobs: BlobStore;
  readonly reading: AttachmentReading;
  readonly views: AttachmentViews;
  private readonly deps: AttachmentsDeps;
  private readonly options: AttachmentsOptions;
  private ocrPool: OcrPool | null = null;
  private closed = false;

  constructor(deps: AttachmentsDeps, options: AttachmentsOptions = {}) {
    this.deps = deps;
    this.options = options;
    this.blobs = new BlobStore(deps.store.profileDir, { key: () => this.blobKey(), ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}) });
    deps.vault.onUnlocked(() => this.sealStoredBlobs());
    const pool = () => this.pool();
    this.reading = new AttachmentReading({ store: deps.store, vault: deps.vault, blobs: this.blobs, uploads: deps.uploads, pool, emit: (e) => deps.emit(e), ...(options.faultRetryMs ? { faultRetryMs: options.faultRetryMs } : {}), ...(options.report ? { report: options.report } : {}) });
    this.views = new AttachmentViews({ store: deps.store, blobs: this.blobs, pool });
  }

  /**
   * Every attachment blob (originals and sanitised copies) is sealed under one data key of the vault, scope
   * "blobs", wrapped by the key ring like every allegation's: one file attached to two cases is stored once.
   */
  private blobKey(): Buffer {
    if (!this.deps.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked: attached files are sealed and cannot be read or stored until the desk passphrase is given. Nothing has been lost.');
    return this.deps.vault.dataKey('blobs');
  }

  /** Seals, at unlock, files stored before blobs were sealed (resumable: what is left is sealed next time). */
  async sealStoredBlobs(): Promise<void> {
    try {
      const r = await this.blobs.sealLegacy();
      if (r.sealed || r.mismatched.length) {
        this.deps.store.audit.record({ at: this.deps.store.now().toISOString(), userId: null, actor: 'IMS Desk vault', action: 'attachment.blobs_sealed', entity: 'attachment', entityId: null, allegationId: null, details: { sealed: r.sealed, mismatched: r.mismatched.length } });
      }
      if (r.mismatched.length) this.say(`${r.mismatched.length} stored file(s) do not match their names and were left unsealed for an administrator to check: ${r.mismatched.join(', ')}.`);
    } catch (err) {
      this.say(`Sealing the files stored before this version stopped (${(err as Error).message}); it carries on at the next unlock, and nothing was lost.`);
    }
  }

  private say(sentence: string): void {
    if (this.options.report) this.options.report(sentence);
    else console.error(`[ims] ${sentence}`);
  }

  /** The OCR pool, started on first use. */
  pool(): OcrPool {
    if (this.closed) throw new AttachmentError('cancelled', 'IMS Desk is closing');
    this.ocrPool ??= new OcrPool(this.options.ocr ?? {});
    return this.ocrPool;
  }

  private get db(): Db {
    return this.deps.store.db;
  }

  // ------------------------------------------------------------------------------------------ access

  /**
   * Who may add to an allegation's attachments: whoever may work it, and the person who entered it (a NAT sifter
   * attaches the original scan of a letter even once it has been routed to a unit).
   */
  mayAttach(user: UserRow, allegationId: string): boolean {
    return mayAttach(this.db, user, attachmentCase(this.db, allegationId));
  }

  private requireAttach(user: UserRow, allegationId: string): void {
    if (!this.mayAttach(user, allegationId)) {
      const a = attachmentCase(this.db, allegationId);
      throw new ApiError('forbidden', `${a.reference} is not with your unit: ask its unit to attach the file, or to allocate the case to you`);
    }
  }

  private requireVault(): void {
    if (!this.deps.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked: scans cannot be read (their text may reveal the source) until the desk passphrase is given');
  }

  row(id: string): AttachmentRow {
    return attachmentRow(this.db, id);
  }

  // ------------------------------------------------------------------------------------------ upload

  beginUpload(user: UserRow, allegationId: string, fileName: string, size: number): { uploadId: string; chunkBytes: number } {
    this.requireAttach(user, allegationId);
    this.requireVault();
    if (size === 0) throw new ApiError('bad_request', `${fileName} is empty (0 bytes): there is nothing to attach`);
    if (size > this.blobs.maxBytes) {
      throw new ApiError('bad_request', `${fileName} is ${formatBytes(size)}, over the ${formatBytes(this.blobs.maxBytes)} limit for one attachment: split it or scan at a lower resolution`);
    }
    const id = this.deps.store.newId();
    this.deps.uploads.begin('upload', user.id, id, fileName, size, { chunkBytes: UPLOAD_CHUNK_BYTES }, allegationId);
    return { uploadId: id, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  chunk(user: UserRow, id: string, index: number, base64: string): Promise<{ received: number }> {
    // Refuse a file that is not a scan from its first piece, before the rest is sent.
    return this.deps.uploads.chunk('upload', user.id, id, index, Buffer.from(base64, 'base64'), (first, name) => sniffKind(first.subarray(0, SNIFF_BYTES), name));
  }

  async finishUpload(user: UserRow, id: string): Promise<AttachResult> {
    return this.deps.uploads.finish('upload', user.id, id, true, (path, u) => {
      const allegationId = u.target as string;
      this.requireAttach(user, allegationId);
      return this.attachFile(actorFor(user), allegationId, path, u.fileName);
    });
  }


  /** Stores a file by content and attaches it; the same file on the same allegation is attached once. */
  async attachFile(actor: Actor, allegationId: string, file: string, name = basename(file), options: { read?: boolean } = {}): Promise<AttachResult> {
    this.requireVault();
    attachmentCase(this.db, allegationId);
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
  attachStored(actor: Actor, allegationId: string, f: { name: string; kind: AttachmentKind; sha256: string; size: number }, options: { read?: boolean } = {}): AttachResult {
    this.requireVault();
    const a = attachmentCase(this.db, allegationId);
    const existing = prepared(this.db, 'SELECT id FROM attachments WHERE allegation_id = ? AND content_hash = ?').get(allegationId, f.sha256) as { id: string } | undefined;
    if (existing) {
      const resumed = this.resumeUnfinished(actor, existing.id);
      if (resumed && (options.read ?? true)) this.reading.wake();
      return { attachment: this.views.summary(attachmentRow(this.db, existing.id)), alreadyAttached: true, resumed };
    }
    const id = this.deps.store.newId();
    this.deps.store.mutate(
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
        // Queued in the same transaction: a desk that stops now reads it when it next starts.
        enqueueReading(m, id);
      },
    );
    this.deps.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
    if (options.read ?? true) this.reading.kick();
    return { attachment: this.views.summary(attachmentRow(this.db, id)), alreadyAttached: false, resumed: false };
  }

  /**
   * The same file attached again where its reading never finished (the desk was killed mid-attach, the disk was
   * full, pages failed): the attachment is queued to be read again where it stopped, so attaching is complete as
   * well as idempotent. True when it was queued (or already was and is not being read by this process).
   */
  private resumeUnfinished(actor: Actor, id: string): boolean {
    const row = attachmentRow(this.db, id);
    if (!row.content_hash || row.ocr_status === 'done') return false;
    if (prepared(this.db, 'SELECT 1 FROM ocr_queue WHERE attachment_id = ?').get(id)) return true;
    const rows = pageRows(this.db, id);
    const unread = rows.filter((p) => p.status !== 'done').map((p) => p.page_no);
    // Pages never listed (the file was not opened yet) or none unread while not done: read the whole file.
    const wanted = row.pages > 0 && rows.length === row.pages && unread.length > 0 ? unread : undefined;
    this.deps.store.mutate({ actor, action: 'attachment.retry', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: wanted ?? 'all', reason: 'attached again' } }, (m) => {
      m.update('attachment', id, { ocr_status: 'pending', error_code: null, error: null });
      for (const p of wanted ?? []) m.update('attachment_page', { attachment_id: id, page_no: p }, { status: 'pending', error: null, error_code: null, updated_at: m.at });
      enqueueReading(m, id, wanted);
    });
    return true;
  }

  // ------------------------------------------------------------------------------------------ reading

  /**
   * Reads failed pages again (or the pages given, or the whole file when it could not be opened). They are marked
   * pending at once, so that a desk started later carries on with them if this process ends first.
   */
  retry(actor: { user: UserRow | null; name: string }, id: string, pages?: number[], options: { read?: boolean } = {}): { queued: number[] } {
    const row = attachmentRow(this.db, id);
    if (actor.user) this.requireAttach(actor.user, row.allegation_id);
    if (!row.content_hash) throw new ApiError('bad_request', 'No file is held for this attachment: there is nothing to read');
    this.requireVault();
    const rows = pageRows(this.db, id);
    let wanted: number[] | undefined;
    if (pages?.length) {
      const bad = pages.filter((p) => row.pages > 0 && p > row.pages);
      if (bad.length) throw new ApiError('bad_request', `${row.file_name} has ${row.pages} pages; there is no page ${bad[0]}`);
      wanted = [...new Set(pages)].sort((a, b) => a - b);
    } else if (row.pages === 0 || rows.length === 0) {
      wanted = undefined;
    } else {
      wanted = rows.filter((p) => p.status !== 'done').map((p) => p.page_no);
      // Every page read but the attachment never finished (the desk stopped between its last page and the end):
      // the whole file is read again so that its analysis and status are written, as attaching it again does.
      if (wanted.length === 0 && (row.ocr_status === 'pending' || row.ocr_status === 'running')) wanted = undefined;
      else if (wanted.length === 0) throw new ApiError('conflict', 'Every page has been read: there is nothing to retry');
    }
    const userId = actor.user?.id ?? null;
    this.deps.store.mutate({ actor: { userId, name: actor.name }, action: 'attachment.retry', entity: 'attachment', entityId: id, allegationId: row.allegation_id, details: { pages: wanted ?? 'all' } }, (m) => {
      m.update('attachment', id, { ocr_status: 'pending', error_code: null, error: null });
      const held = new Set(rows.map((p) => p.page_no));
      for (const p of wanted ?? []) if (held.has(p)) m.update('attachment_page', { attachment_id: id, page_no: p }, { status: 'pending', error: null, error_code: null, updated_at: m.at });
      enqueueReading(m, id, wanted);
    });
    if (options.read ?? true) this.reading.wake();
    return { queued: wanted ?? Array.from({ length: row.pages }, (_, i) => i + 1) };
  }

  /**
   * Moves what the scan says about its writer (name, organisation, address, phone, email) into the restricted
   * source pane; nothing is returned (the person may not be allowed to open the pane). With no source yet, the
   * writer becomes it. When the allegation already has one, the person says who the writer is: the same person
   * (`same`: their details fill what the pane lacks, details that differ are kept as a further contact of theirs,
   * and the letter is logged as a contact from them) or someone else (`other`: recorded beside the source as a
   * further reporter). The open text of every attachment is then withheld again with everyone now known.
   */
  moveSource(user: UserRow, id: string, reason: string, as?: WriterAs): { moved: WriterField[]; createdSource: boolean; as: WriterAs } {
    const row = attachmentRow(this.db, id);
    this.requireAttach(user, row.allegation_id);
    this.requireVault();
    const pages: Array<{ page: number; text: string; words: SealedPage['words'] }> = [];
    for (const p of pageRows(this.db, id)) {
      if (p.status !== 'done') continue;
      const sealed = this.reading.readSealed(row, p);
      if (sealed) pages.push({ page: p.page_no, text: sealed.text, words: sealed.words });
    }
    // Read without the known source: what the scan itself says of its writer.
    const writer = analyseScan(pages, { receivedAt: row.added_at, suggest: false }).writer;
    const fields = writer ? writerFields(writer) : [];
    if (!writer || fields.length === 0) throw new ApiError('bad_request', `${row.file_name} shows no name, address, phone or email of its writer to move`);
    const allegationId = row.allegation_id;
    const a = attachmentCase(this.db, allegationId);
    const hasSource = Boolean(prepared(this.db, 'SELECT 1 FROM source_details WHERE allegation_id = ?').get(allegationId));
    const chosen: WriterAs | 'ask' = hasSource ? (as ?? 'ask') : 'source';
    if (chosen === 'ask' || (hasSource && chosen === 'source')) {
      throw new ApiError('bad_request', `${a.reference} already has a source: say whether the writer of ${row.file_name} is the same person (a further contact of theirs) or another person`, { as: 'choose same or other' });
    }
    const found: SourceAlso = {
      kind: chosen === 'other' ? 'source' : 'contact',
      name: writer.name ?? '',
      organisation: writer.organisation ?? '',
      address: writer.address ?? '',
      phone: writer.phone ?? '',
      email: writer.email ?? '',
      from: row.file_name,
      at: '',
    };
    const moved: WriterField[] = [];
    let createdSource = false;
    const raised = this.deps.store.mutate({ actor: actorFor(user), action: 'attachment.source_moved', entity: 'attachment', entityId: id, allegationId, details: { reason, fields, as: chosen } }, (m) => {
      const current = readSourceForCore(m.db, this.deps.vault, allegationId);
      createdSource = current === null;
      const next: SourceIdentifiersPayload = current ? { ...current } : { name: '', phone: '', email: '', address: '', relationship: '', organisation: '' };
      const also = [...(Array.isArray(next.also) ? (next.also as SourceAlso[]) : [])];
      if (chosen === 'other') {
        also.push({ ...found, at: m.at });
        moved.push(...fields);
      } else {
        // The writer is the source: fill what the pane lacks; what differs is a further contact of theirs.
        const differs: Partial<Record<WriterField, string>> = {};
        for (const f of fields) {
          const value = found[f];
          const held = String(next[f] ?? '').trim();
          if (!held) {
            next[f] = value;
            moved.push(f);
          } else if (value && !sameDetail(f, held, value)) {
            differs[f] = value;
            moved.push(f);
          }
        }
        if (Object.keys(differs).length) also.push({ kind: 'contact', name: '', organisation: '', address: '', phone: '', email: '', ...differs, from: row.file_name, at: m.at });
        if (chosen === 'same' && current) {
          // The letter is itself a contact from the source, for NSU's picture of how often they report.
          const contactId = this.deps.store.newId();
          m.append('source_contact', {
            id: contactId,
            allegation_id: allegationId,
            at: m.at,
            by_user: m.actor.name,
            method: 'letter',
            direction: 'from_source',
            tasking: 0,
            format: SEALED_FORMAT,
            payload: this.deps.vault.sealJson(allegationScope(allegationId), `contact:${contactId}`, { summary: `Wrote again: ${row.file_name} (attached ${row.added_at.slice(0, 10)}).` }),
          });
        }
      }
      if (also.length) next.also = also;
      writeSource(m, this.deps.vault, allegationId, next);
      m.update('attachment', id, { source_moved_at: m.at, source_moved_by: m.actor.name });
      m.note({ moved, as: chosen });
      return this.rewithhold(m, allegationId);
    });
    this.deps.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
    for (const r of raised) this.deps.emit(raisedEvent(r));
    return { moved, createdSource, as: chosen };
  }

  /** Reads every scanned attachment of an allegation again through the pipeline (after its source became known). */
  private rewithhold(m: Mutation, allegationId: string): Raised[] {
    const rows = prepared(m.db, "SELECT * FROM attachments WHERE allegation_id = ? AND content_hash IS NOT NULL AND ocr_status = 'done'").all(allegationId) as AttachmentRow[];
    const raised: Raised[] = [];
    for (const row of rows) {
      const r = this.reading.readScan(m, row, null, true);
      if (r) raised.push(r);
    }
    return raised;
  }

  // ------------------------------------------------------------------------------------------ reading and views

  /** Resolves when the attachment (or every attachment) has nothing left to read. */
  whenIdle(id?: string): Promise<void> {
    return this.reading.whenIdle(id);
  }

  /** Reads what the queue holds: attachments left unread when the desk last stopped, and any queued since. */
  resume(): number {
    this.reading.kick();
    return this.reading.queued();
  }

  list(allegationId: string): AttachmentSummary[] {
    return this.views.list(allegationId);
  }

  detail(user: UserRow, id: string): AttachmentDetail {
    return this.views.detail(user, id);
  }

  page(user: UserRow, id: string, page: number, variant: 'auto' | 'original' | 'sanitised') {
    return this.views.page(user, id, page, variant);
  }

  content(user: UserRow, id: string, offset: number, length: number) {
    return this.views.content(user, id, offset, length);
  }

  export(user: UserRow, id: string, offset: number, length: number) {
    return this.views.export(user, id, offset, length);
  }

  renderPage(sha256: string, page: number) {
    return this.views.renderPage(sha256, page);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reading.close();
    const pool = this.ocrPool;
    this.ocrPool = null;
    void pool?.close();
  }
}
