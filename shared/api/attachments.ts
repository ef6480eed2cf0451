// Attachments as files (000 §4.25-4.31): upload in pieces, OCR in the background page by page, the viewer's page
// images and file bytes, suggested form fields, where a scan reveals its writer and its sanitised copy, retrying
// failed pages; and the NAT scan inbox fed by a watched folder.
import { z } from 'zod';
import { OCR_STATUSES } from '../domain/vocabularies.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';
import { WRITER_FIELDS } from '../sources/writer-block.ts';

/** Who works with attachments: everyone who works cases; NSU may read them too. */
const CASE_ROLES = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager', 'admin'] as const;
const READ_ROLES = [...CASE_ROLES, 'nsu'] as const;
const INBOX_ROLES = ['sifter', 'manager', 'admin'] as const;

export const ATTACHMENT_KINDS = ['pdf', 'tiff', 'jpeg', 'png'] as const;
export const SUGGESTION_KINDS = ['name', 'dob', 'address', 'postcode', 'phone', 'email', 'vrm', 'flight', 'business', 'travel', 'offence'] as const;
/**
 * Where a scan reveals its writer; 'known-source' is the allegation's recorded source repeated on the page,
 * 'writer-repeat' the writer's own name, phone, email or street repeated outside their signature or letterhead.
 */
export const SOURCE_REGION_KINDS = ['signature', 'self-introduction', 'fax-header', 'contact', 'letterhead', 'known-source', 'writer-repeat'] as const;
export const SOURCE_DETAIL_KINDS = ['name', 'phone', 'email', 'postcode'] as const;
/**
 * Who the writer of a scan is, when it is moved into the pane: the source (there is none yet), the allegation's
 * source again (a further contact of theirs), or another person who reported.
 */
export const WRITER_AS = ['source', 'same', 'other'] as const;
export type WriterAs = (typeof WRITER_AS)[number];

/** Largest piece of a file sent in one call: base64 of 768 KB, well under the browser host's 4 MB body limit. */
export const UPLOAD_CHUNK_BYTES = 768 * 1024;
/** Largest piece of a file read back in one call. */
export const READ_CHUNK_BYTES = 2 * 1024 * 1024;

export const box = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() });
export type BoxView = z.infer<typeof box>;

export const attachmentError = z.object({ code: z.string(), message: z.string() });

/** Which text of an allegation a suggestion came from: the account, a note, or an attachment (scanned or legacy). */
export { SUGGESTION_FROM } from '../schemas/form.ts';
import { SUGGESTION_FROM } from '../schemas/form.ts';

/** What a person made of a suggestion: accepted onto the form (when the form was saved) or rejected. */
export const suggestionDecision = z.object({
  decision: z.enum(['accepted', 'rejected']),
  by: z.string(),
  at: isoDateTime,
  reason: z.string(),
  /** Where on the form it went ("travel.1.flight"). */
  field: z.string().nullable(),
});
export type SuggestionDecisionView = z.infer<typeof suggestionDecision>;

export { acceptedSuggestion, type AcceptedSuggestion } from '../schemas/form.ts';

/** A field suggested from attachment text: where it is (page, span, boxes on the page image) and why. */
export const suggestionView = z.object({
  /** Stable within the attachment: kind, value and page. */
  key: z.string(),
  kind: z.enum(SUGGESTION_KINDS),
  text: z.string(),
  value: z.string(),
  page: z.number().int().min(1),
  start: z.number().int(),
  end: z.number().int(),
  boxes: z.array(box),
  cue: z.string(),
  date: z.string().nullable(),
  dateText: z.string().nullable(),
  role: z.string().nullable(),
  /** The words it came from (its sentence), where they are known. */
  sentence: z.string().optional(),
  /** Flights and travel: where from and to, when the letter says. */
  origin: z.string().nullable().optional(),
  destination: z.string().nullable().optional(),
  /** Businesses: the kind the name says it is. */
  businessType: z.string().optional(),
  /** The latest decision on it, if anyone has made one. */
  decision: suggestionDecision.nullable().optional(),
});
export type SuggestionView = z.infer<typeof suggestionView>;

/** A suggestion from any text of an allegation, with the text it came from. */
export const suggestionItem = suggestionView.extend({
  from: z.object({ kind: z.enum(SUGGESTION_FROM), id: z.string().nullable(), label: z.string() }),
});
export type SuggestionItem = z.infer<typeof suggestionItem>;

/** Where a scan reveals its writer: the place, never the words (those are restricted). */
export const sourceRegionView = z.object({
  page: z.number().int().min(1),
  kind: z.enum(SOURCE_REGION_KINDS),
  boxes: z.array(box),
  /** Which details the region holds (name, phone...), for moving into the restricted pane. */
  reveals: z.array(z.enum(SOURCE_DETAIL_KINDS)),
});

export const attachmentSummary = z.object({
  id: uuid,
  allegationId: uuid,
  fileName: z.string(),
  mimeType: z.string(),
  kind: z.enum(ATTACHMENT_KINDS).nullable(),
  byteSize: z.number().int().nullable(),
  pages: z.number().int(),
  ocrStatus: z.enum(OCR_STATUSES),
  pagesDone: z.number().int(),
  pagesFailed: z.number().int(),
  error: attachmentError.nullable(),
  revealsSource: z.boolean(),
  suggestions: z.number().int(),
  /** A file is held (legacy attachments have only the text the old system kept). */
  hasFile: z.boolean(),
  addedAt: isoDateTime,
  addedBy: z.string(),
});
export type AttachmentSummary = z.infer<typeof attachmentSummary>;

export const attachmentPageDetail = z.object({
  page: z.number().int().min(1),
  status: z.enum(OCR_STATUSES),
  method: z.enum(['text_layer', 'ocr', 'legacy']).nullable(),
  confidence: z.number().nullable(),
  error: attachmentError.nullable(),
  /** The page's text with anything that reveals the source withheld. */
  text: z.string(),
  /** Size of the page image the boxes refer to. */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  revealsSource: z.boolean(),
});

export const attachmentDetail = attachmentSummary.extend({
  reference,
  pageDetails: z.array(attachmentPageDetail),
  suggestionList: z.array(suggestionView),
  source: z.object({
    regions: z.array(sourceRegionView),
    movedAt: isoDateTime.nullable(),
    movedBy: z.string().nullable(),
    /** What of the writer the scan gives, offered for the restricted pane (the fields only: the details are restricted). */
    offer: z.object({ fields: z.array(z.enum(WRITER_FIELDS)) }).nullable(),
    /** The allegation already has a source: moving asks whether the writer is that person or another. */
    hasSource: z.boolean(),
    /** Whether this user may see the original (allocated to the case, or NSU). */
    canOpenOriginal: z.boolean(),
    sanitisedPages: z.number().int(),
  }),
  /** What the viewer shows by default: the original file, or (when it reveals the source) the sanitised copy. */
  view: z.enum(['original', 'sanitised', 'none']),
  export: z.object({ allowed: z.boolean(), sanitised: z.boolean(), reason: z.string().nullable() }),
});
export type AttachmentDetail = z.infer<typeof attachmentDetail>;

export const scanView = z.object({
  id: uuid,
  fileName: z.string(),
  byteSize: z.number().int().nullable(),
  kind: z.enum(ATTACHMENT_KINDS).nullable(),
  pages: z.number().int().nullable(),
  status: z.enum(['waiting', 'attached', 'refused']),
  error: z.string().nullable(),
  foundAt: isoDateTime,
  attachedTo: reference.nullable(),
  attachedAt: isoDateTime.nullable(),
  attachedBy: z.string().nullable(),
});
export type ScanView = z.infer<typeof scanView>;

export const scanFolderSettings = z.object({
  /** The folder the scanner writes to; null when no folder is watched. */
  folder: z.string().nullable(),
  /** How often it is looked at, in seconds. */
  intervalSeconds: z.number().int().min(1).max(3600),
  /** Whether the folder can be read and written now (a share may be offline). */
  state: z.object({ ok: z.boolean(), message: z.string() }),
  lastScanAt: isoDateTime.nullable(),
});

const pageImage = z.object({ png: z.string(), width: z.number().int(), height: z.number().int(), variant: z.enum(['original', 'sanitised']) });
const fileBytes = z.object({ data: z.string(), offset: z.number().int(), total: z.number().int(), mimeType: z.string(), fileName: z.string() });

export const attachmentsApi = {
  'attachments.begin': procedure({
    summary: 'Start uploading a file (PDF, TIFF, JPEG or PNG) to attach to an allegation.',
    access: CASE_ROLES,
    mutates: false,
    input: z.object({ allegationId: uuid, fileName: z.string().trim().min(1).max(300), size: z.number().int().min(0).max(4 * 1024 * 1024 * 1024) }),
    output: z.object({ uploadId: uuid, chunkBytes: z.number().int() }),
  }),
  'attachments.chunk': procedure({
    summary: 'One piece of the file being uploaded (base64), in order.',
    access: CASE_ROLES,
    mutates: false,
    input: z.object({ uploadId: uuid, index: z.number().int().min(0), data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4 + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64') }),
    output: z.object({ received: z.number().int() }),
  }),
  'attachments.finish': procedure({
    summary: 'Attach the uploaded file: it is stored once by content and read in the background (progress comes as events).',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ uploadId: uuid }),
    output: z.object({ attachment: attachmentSummary, alreadyAttached: z.boolean(), resumed: z.boolean() }),
  }),
  'attachments.list': procedure({
    summary: "An allegation's attachments with their reading progress.",
    access: READ_ROLES,
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: z.array(attachmentSummary),
  }),
  'attachments.get': procedure({
    summary: 'One attachment for the viewer: each page’s text (source withheld), suggested fields, where it reveals its writer.',
    access: READ_ROLES,
    mutates: false,
    input: z.object({ id: uuid }),
    output: attachmentDetail,
  }),
  'attachments.page': procedure({
    summary: 'A page as a PNG image: the original (staff allowed to open the source pane, audited, when the scan reveals the source) or the sanitised copy.',
    access: READ_ROLES,
    mutates: false,
    input: z.object({ id: uuid, page: z.number().int().min(1), variant: z.enum(['auto', 'original', 'sanitised']).default('auto') }),
    output: pageImage,
  }),
  'attachments.content': procedure({
    summary: 'The original file, a piece at a time (for the PDF viewer); refused when the scan reveals the source and this user may not open the source pane.',
    access: READ_ROLES,
    mutates: false,
    input: z.object({ id: uuid, offset: z.number().int().min(0).default(0), length: z.number().int().min(1).max(READ_CHUNK_BYTES).default(READ_CHUNK_BYTES) }),
    output: fileBytes,
  }),
  'attachments.export': procedure({
    summary: 'The attachment to send outside: the sanitised copy (a PDF) when it reveals the source, the original otherwise; audited.',
    access: CASE_ROLES,
    mutates: false,
    input: z.object({ id: uuid, offset: z.number().int().min(0).default(0), length: z.number().int().min(1).max(READ_CHUNK_BYTES).default(READ_CHUNK_BYTES) }),
    output: fileBytes.extend({ sanitised: z.boolean() }),
  }),
  'attachments.retry': procedure({
    summary: 'Read failed pages again (or the pages given); progress comes as events.',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, pages: z.array(z.number().int().min(1)).max(2000).optional() }),
    output: z.object({ queued: z.array(z.number().int()) }),
  }),
  'attachments.moveSource': procedure({
    summary:
      'Move what the scan reveals about its writer (name, organisation, address, phone, email) into the restricted source pane: as the source, or, when the allegation has one, as a further contact of that person or as another person who reported. Nothing is shown back.',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(1000), as: z.enum(WRITER_AS).optional() }),
    output: z.object({ moved: z.array(z.enum(WRITER_FIELDS)), createdSource: z.boolean(), as: z.enum(WRITER_AS) }),
  }),
  'allegations.suggestions': procedure({
    summary: 'Fields suggested from every text of an allegation (the account, notes, attachments), each with the page and words it came from and what was decided on it.',
    access: READ_ROLES,
    mutates: false,
    input: z.object({ id: uuid }),
    output: z.array(suggestionItem),
  }),
  'allegations.rejectSuggestion': procedure({
    summary: 'Reject a suggested field (audited); it stays listed as rejected, and can still be accepted later.',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, from: z.enum(SUGGESTION_FROM), fromId: z.string().max(100).nullable(), key: z.string().min(1).max(500), reason: z.string().trim().max(1000).default('') }),
    output: z.array(suggestionItem),
  }),
  'scans.list': procedure({
    summary: 'The NAT scan inbox: scans from the watched folder waiting for an allegation, and those refused.',
    access: INBOX_ROLES,
    mutates: false,
    input: z.object({ include: z.enum(['waiting', 'all']).default('waiting') }),
    output: z.object({ scans: z.array(scanView), folder: scanFolderSettings }),
  }),
  'scans.page': procedure({
    summary: 'A page of a waiting scan as a PNG image.',
    access: INBOX_ROLES,
    mutates: false,
    input: z.object({ id: uuid, page: z.number().int().min(1) }),
    output: pageImage,
  }),
  'scans.attach': procedure({
    summary: 'Attach a waiting scan to an allegation (one just made from it, or an existing one); it is then read like any attachment.',
    access: INBOX_ROLES,
    mutates: true,
    input: z.object({ scanId: uuid, allegationId: uuid }),
    output: z.object({ attachment: attachmentSummary, alreadyAttached: z.boolean(), resumed: z.boolean() }),
  }),
  'scans.settings': procedure({
    summary: 'The watched scan folder (administrators set it).',
    access: ['sifter', 'manager', 'admin'],
    mutates: false,
    input: z.object({}),
    output: scanFolderSettings,
  }),
  'scans.configure': procedure({
    summary: 'Set or clear the watched scan folder (administrators); the folder must exist and be writable.',
    access: ['admin'],
    mutates: true,
    input: z.object({ folder: z.string().trim().max(1000).nullable(), intervalSeconds: z.number().int().min(1).max(3600).default(5) }),
    output: scanFolderSettings,
  }),
} as const;
