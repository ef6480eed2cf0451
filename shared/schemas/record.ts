// The allegation as the API returns it: everything the record holds, with ids so that parts can be referred to,
// the normalised forms the product derived, and the workflow state. Source details are never in it: only
// whether a restricted source record exists.
import { z } from 'zod';
import {
  ADDRESS_TYPES,
  CHANNELS,
  GENDERS,
  OCR_STATUSES,
  OFFENCE_TYPES,
  OUTCOMES,
  REPORTER_TYPES,
  RISK_RATINGS,
  STATUSES,
  SUBJECT_ROLES,
  NFA_REASONS,
  SOURCE_EVALUATIONS,
  INTELLIGENCE_ASSESSMENTS,
  HANDLING_CODES,
} from '../domain/vocabularies.ts';
import { HARM_LEVELS } from '../domain/grading.ts';
import { isoDate, isoDateTime, reference, uuid } from './common.ts';

export const subjectView = z.object({
  id: uuid,
  role: z.enum(SUBJECT_ROLES),
  forename: z.string(),
  middleNames: z.string(),
  surname: z.string(),
  knownAs: z.string(),
  aliases: z.array(z.string()),
  dob: isoDate.nullable(),
  approxAge: z.number().int().nullable(),
  gender: z.enum(GENDERS),
  nationality: z.string(),
});

export const addressFields = z.object({
  line1: z.string(),
  line2: z.string(),
  town: z.string(),
  /** As written. */
  postcode: z.string(),
  /** Normalised full postcode, or null when partial or unusable. */
  postcodeNormalised: z.string().nullable(),
  postcodeDistrict: z.string().nullable(),
  /** Why the postcode as written could not be read (kept as written, for a person to check); null when it reads. */
  postcodeProblem: z.string().nullable(),
});

export const addressView = addressFields.extend({
  id: uuid,
  type: z.enum(ADDRESS_TYPES),
  subjectId: uuid.nullable(),
});

export const businessView = z.object({
  id: uuid,
  name: z.string(),
  type: z.string(),
  address: addressFields.nullable(),
});

export const phoneView = z.object({
  id: uuid,
  /** As written. */
  number: z.string(),
  /** The number in international form, only when it could be read (never made up from a number that cannot). */
  e164: z.string().nullable(),
  national: z.string(),
  /** Why the number as written could not be read (kept as written, for a person to check); null when it reads. */
  problem: z.string().nullable(),
  subjectId: uuid.nullable(),
});
export const emailView = z.object({ id: uuid, email: z.string(), normalised: z.string(), subjectId: uuid.nullable() });
export const vehicleView = z.object({ id: uuid, vrm: z.string(), normalised: z.string(), description: z.string(), subjectId: uuid.nullable() });
export const travelView = z.object({
  id: uuid,
  flight: z.string(),
  flightNumber: z.string().nullable(),
  travelDate: isoDate.nullable(),
  origin: z.string(),
  destination: z.string(),
  subjectId: uuid.nullable(),
});

export const noteView = z.object({
  id: uuid,
  date: isoDate,
  author: z.string(),
  authorUserId: z.string().nullable(),
  text: z.string(),
  createdAt: isoDateTime,
  /** The note this one amends; the original stays (CPIA). */
  amendsNoteId: uuid.nullable(),
  amendedByNoteId: uuid.nullable(),
});

export const attachmentPageView = z.object({
  page: z.number().int().min(1),
  status: z.enum(OCR_STATUSES),
  method: z.enum(['text_layer', 'ocr', 'legacy']).nullable(),
  confidence: z.number().nullable(),
  error: z.string().nullable(),
  chars: z.number().int(),
});

export const attachmentView = z.object({
  id: uuid,
  fileName: z.string(),
  mimeType: z.string(),
  pages: z.number().int(),
  contentHash: z.string().nullable(),
  byteSize: z.number().int().nullable(),
  ocrStatus: z.enum(OCR_STATUSES),
  /** Text received with the attachment from a legacy system (no file held). */
  legacyText: z.string(),
  pageStatus: z.array(attachmentPageView),
  addedAt: isoDateTime,
  addedBy: z.string(),
});

export const detectedDeadline = z.object({
  date: isoDate,
  text: z.string(),
  sentence: z.string(),
  event: z.string(),
  daysAfterReceipt: z.number().int(),
  /** The event's words as written, the rule that fired ("flight + weekday") and why, in words (absent on flags raised before they were recorded). */
  cue: z.string().optional(),
  rule: z.string().optional(),
  reason: z.string().optional(),
  /** The attachment page the sentence is on, when it came from a scan. */
  page: z.number().int().positive().nullable().optional(),
  /** Which text said it: the account, a note or an attachment (absent on flags raised before it was recorded). */
  origin: z.object({ kind: z.enum(['account', 'note', 'attachment']), id: z.string().nullable(), label: z.string() }).optional(),
  /** When it was first found: a page read after receipt raises the flag then. */
  foundAt: isoDateTime.optional(),
  /** Part of what a duty manager dismissed; it does not raise the flag again. */
  dismissed: z.boolean().optional(),
});

export const timeCriticalView = z.object({
  state: z.enum(['detected', 'confirmed', 'dismissed']),
  deadline: isoDate.nullable(),
  evidence: z.array(detectedDeadline),
  dueAt: isoDateTime.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  reason: z.string().nullable(),
});

/** The 3x5x2 grading and harm rating recorded on assessment (shared/domain/grading.ts). */
export const gradingView = z.object({
  source: z.enum(SOURCE_EVALUATIONS),
  intelligence: z.enum(INTELLIGENCE_ASSESSMENTS),
  handling: z.enum(HANDLING_CODES),
  conditions: z.string(),
  harm: z.enum(HARM_LEVELS),
  gradedAt: isoDateTime,
  gradedBy: z.string(),
});
export type GradingView = z.infer<typeof gradingView>;

export const allocationView = z.object({ userId: uuid, name: z.string(), since: isoDateTime, by: z.string() });

export const unitHistoryView = z.object({
  fromUnit: z.string().nullable(),
  toUnit: z.string(),
  reason: z.string(),
  at: isoDateTime,
  by: z.string(),
});

export const allegationRecord = z.object({
  id: uuid,
  reference,
  submissionId: z.number().int().nullable(),
  receivedAt: isoDateTime,
  channel: z.enum(CHANNELS),
  reporterType: z.enum(REPORTER_TYPES),
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  status: z.enum(STATUSES),
  unit: z.string().nullable(),
  routedBy: z.string().nullable(),
  riskRating: z.enum(RISK_RATINGS).nullable(),
  /** Null until the allegation is graded. */
  grading: gradingView.nullable(),
  assessmentDueAt: isoDateTime.nullable(),
  nextDueAt: isoDateTime.nullable(),
  timeCritical: z.boolean(),
  timeCriticalDetail: timeCriticalView.nullable(),
  assessedAt: isoDateTime.nullable(),
  allocatedTo: z.array(allocationView),
  outcome: z.enum(OUTCOMES).nullable(),
  nfaReason: z.enum(NFA_REASONS).nullable(),
  freeText: z.string(),
  scanMissingReason: z.string().nullable(),
  subjects: z.array(subjectView),
  addresses: z.array(addressView),
  businesses: z.array(businessView),
  phones: z.array(phoneView),
  emails: z.array(emailView),
  vehicles: z.array(vehicleView),
  travel: z.array(travelView),
  notes: z.array(noteView),
  attachments: z.array(attachmentView),
  unitHistory: z.array(unitHistoryView),
  /** Whether restricted source details exist. The details themselves are only in the source pane. */
  hasSource: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type AllegationRecord = z.infer<typeof allegationRecord>;

/** One row of a work queue: enough to choose what to open next, nothing restricted. */
export const queueRow = z.object({
  id: uuid,
  reference,
  receivedAt: isoDateTime,
  channel: z.enum(CHANNELS),
  reporterType: z.enum(REPORTER_TYPES),
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  status: z.enum(STATUSES),
  unit: z.string().nullable(),
  mainSubject: z.string(),
  postcode: z.string(),
  assessmentDueAt: isoDateTime.nullable(),
  nextDueAt: isoDateTime.nullable(),
  /** What the queue counts down to: initial assessment while new, then the service standard; none once closed. */
  dueAt: isoDateTime.nullable(),
  timeCritical: z.boolean(),
  /** Detected on receipt and not yet decided, or confirmed by the duty intelligence manager. */
  timeCriticalState: z.enum(['detected', 'confirmed', 'dismissed']).nullable(),
  /** The compliance officer returned its outcome and no new outcome has been chosen since. */
  returned: z.boolean(),
  /** Why it is time-critical, in words: the event, its date, where it was found and the rule ("Flight on 2026-03-06, page 2 of fax.tif: flight + weekday"). */
  timeCriticalWhy: z.string().nullable(),
  attachments: z.number().int(),
  notes: z.number().int(),
});
export type QueueRow = z.infer<typeof queueRow>;
