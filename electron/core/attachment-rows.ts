// What the attachment modules read of the store: an attachment's row, its pages, the page as read (sealed), and
// the analysis kept on the row. One reader each, shared by attaching, reading and the views.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { AttachmentKind } from '../attachments/sniff.ts';
import type { WithheldRegion } from '../../shared/sources/scan-withhold.ts';
import type { PlacedWord } from '../../shared/attachments/page-text.ts';
import type { OcrStatus } from '../../shared/domain/vocabularies.ts';
import type { SuggestionView } from '../../shared/api/attachments.ts';
import type { WriterField } from '../../shared/sources/writer-block.ts';

export interface AttachmentRow {
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

export interface PageRow {
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
export interface SealedPage {
  text: string;
  words: PlacedWord[];
}

export interface StoredRegion {
  page: number;
  kind: WithheldRegion['kind'];
  boxes: WithheldRegion['boxes'];
  reveals: Array<'name' | 'phone' | 'email' | 'postcode'>;
}

export interface Analysis {
  suggestions?: SuggestionView[];
  regions?: StoredRegion[];
  /** What of the writer the scan gives, to offer for the restricted pane (the fields, never their values). */
  writer?: { fields: WriterField[] } | null;
}

/** The allegation an attachment belongs to, as the attachment modules need it. */
export interface AttachmentCase {
  id: string;
  reference: string;
  unit_code: string | null;
  created_by: string;
  status: string;
  has_source: number;
}

export function attachmentCase(db: Db, id: string): AttachmentCase {
  const a = prepared(db, 'SELECT id, reference, unit_code, created_by, status, has_source FROM allegations WHERE id = ?').get(id) as AttachmentCase | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  return a;
}

export function attachmentRow(db: Db, id: string): AttachmentRow {
  const r = prepared(db, 'SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined;
  if (!r) throw new ApiError('not_found', 'No such attachment');
  return r;
}

export function pageRows(db: Db, id: string): PageRow[] {
  return prepared(db, 'SELECT * FROM attachment_pages WHERE attachment_id = ? ORDER BY page_no').all(id) as PageRow[];
}

export function pageCounts(db: Db, id: string): { done: number; failed: number } {
  const c = prepared(db, "SELECT sum(status = 'done') AS done, sum(status = 'failed') AS failed FROM attachment_pages WHERE attachment_id = ?").get(id) as { done: number | null; failed: number | null };
  return { done: c.done ?? 0, failed: c.failed ?? 0 };
}
