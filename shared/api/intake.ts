import { z } from 'zod';
import { HANDLING_CODES, INTELLIGENCE_ASSESSMENTS, RISK_RATINGS, SOURCE_EVALUATIONS } from '../domain/vocabularies.ts';
import { HARM_LEVELS } from '../domain/grading.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { allegationFormShape } from '../schemas/form.ts';
import { routingTable } from '../domain/routing.ts';
import { allegationRecord, detectedDeadline } from '../schemas/record.ts';
import { procedure } from './procedure.ts';

const INTAKE_ROLES = ['sifter', 'analyst', 'duty_manager', 'compliance_officer', 'manager', 'admin'] as const;
const CASE_ROLES = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager', 'admin'] as const;


export const intakePreview = z.object({
  routing: z.object({ unit: z.string(), unitName: z.string(), reason: z.string() }),
  assessmentDueAt: isoDateTime,
  deadlines: z.array(detectedDeadline),
  timeCriticalDueAt: isoDateTime.nullable(),
  fields: z.record(z.string(), z.string()),
  /** Values that could not be read, kept as the record already held them: shown at their field, not blocking. */
  flags: z.record(z.string(), z.string()),
  warnings: z.array(z.string()),
});

export const draftSummary = z.object({
  id: uuid,
  allegationId: uuid.nullable(),
  /** Keyed from this scan in the NAT inbox: it goes with the allegation when saved. */
  scanId: uuid.nullable(),
  reference: z.string().nullable(),
  summary: z.string(),
  updatedAt: isoDateTime,
});

export const importSummary = z.object({
  file: z.string(),
  lines: z.number().int(),
  imported: z.number().int(),
  unchanged: z.number().int(),
  conflicts: z.number().int(),
  failed: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reference: z.string().nullable(), reason: z.string() })),
  /** Imported records holding a value that could not be read, kept as written and flagged for checking. */
  flagged: z.number().int(),
  warnings: z.array(z.object({ line: z.number().int(), reference: z.string().nullable(), reason: z.string() })),
  byUnit: z.record(z.string(), z.number().int()),
  timeCritical: z.number().int(),
  sourceRedactions: z.number().int(),
  seconds: z.number(),
  /** Why the import stopped before the end of the file (a full disk), with what was committed; null when it read it all. */
  stopped: z.string().nullable(),
});

export const intakeApi = {
  'intake.preview': procedure({
    summary: 'What saving this form would do: the unit it routes to, when assessment falls due, deadlines found, and any problems at their fields.',
    access: 'signed_in',
    mutates: false,
    input: z.object({
      form: allegationFormShape,
      attachments: z.number().int().min(0).default(0),
      /** When amending: the allegation, whose values as already held are flagged rather than refused. */
      allegationId: uuid.optional(),
    }),
    output: intakePreview,
  }),
  'allegations.create': procedure({
    summary: 'Save a new allegation from the electronic form: it is routed, given its due time and triaged for time-critical content. When its best candidate is strong, saving needs linkWarning (the candidate shown and a reason).',
    access: INTAKE_ROLES,
    mutates: true,
    input: z.object({
      form: allegationFormShape,
      draftId: uuid.optional(),
      /** The strong candidate the person was shown before saving, what they made of it, and why they went on. */
      linkWarning: z
        .object({
          candidateId: uuid,
          choice: z.enum(['duplicate', 'associated', 'not_a_match', 'undecided']),
          reason: z.string().trim().min(5, 'give a reason (at least 5 characters)').max(2000),
        })
        .optional(),
    }),
    output: z.object({
      id: uuid,
      reference,
      unit: z.string(),
      unitName: z.string(),
      routedBy: z.string(),
      assessmentDueAt: isoDateTime,
      timeCritical: z.boolean(),
      deadline: detectedDeadline.nullable(),
    }),
  }),
  'allegations.update': procedure({
    summary: 'Amend an allegation from the electronic form; every replaced value is kept in its history.',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, form: allegationFormShape, draftId: uuid.optional() }),
    output: allegationRecord,
  }),
  'allegations.form': procedure({
    summary: 'An allegation as the electronic form holds it, for editing.',
    access: CASE_ROLES,
    mutates: false,
    input: z.object({ id: uuid }),
    output: z.object({ form: allegationFormShape, reference, attachments: z.number().int() }),
  }),
  'allegations.reallocate': procedure({
    summary: 'Move an allegation to another unit, with the reason; the history keeps every move.',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, unit: z.string().min(1), reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(1000) }),
    output: allegationRecord,
  }),
  'allegations.allocate': procedure({
    summary: 'Allocate an allegation to a person (yourself when no user is given).',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ id: uuid, userId: uuid.optional() }),
    output: allegationRecord,
  }),
  'allegations.assess': procedure({
    summary: 'Record the initial assessment: the risk rating sets the next service standard; the 3x5x2 grading and harm may be given with it (recorded in the same step).',
    access: ['analyst', 'duty_manager', 'manager'],
    mutates: true,
    input: z.object({
      id: uuid,
      riskRating: z.enum(RISK_RATINGS),
      note: z.string().trim().max(20_000).default(''),
      grading: z
        .object({ source: z.enum(SOURCE_EVALUATIONS), intelligence: z.enum(INTELLIGENCE_ASSESSMENTS), handling: z.enum(HANDLING_CODES), conditions: z.string().trim().max(2000).default(''), harm: z.enum(HARM_LEVELS) })
        .strict()
        .optional(),
    }),
    output: allegationRecord,
  }),
  'allegations.timeCritical': procedure({
    summary: 'Confirm or dismiss the time-critical flag, with a reason.',
    access: ['duty_manager', 'analyst', 'sifter', 'manager'],
    mutates: true,
    input: z.object({ id: uuid, decision: z.enum(['confirm', 'dismiss']), reason: z.string().trim().min(3, 'give a reason').max(1000) }),
    output: allegationRecord,
  }),
  'notes.add': procedure({
    summary: 'Append a note to an allegation (notes are never edited: an amendment is a new note that keeps the original).',
    access: CASE_ROLES,
    mutates: true,
    input: z.object({ allegationId: uuid, text: z.string().trim().min(1, 'the note is empty').max(20_000), amendsNoteId: uuid.optional() }),
    output: allegationRecord,
  }),
  'drafts.save': procedure({
    summary: 'Autosave the form being typed; returns the draft id to keep saving to.',
    access: 'signed_in',
    mutates: true,
    input: z.object({ id: uuid.optional(), allegationId: uuid.nullable().default(null), form: z.unknown(), scanId: uuid.nullable().optional() }),
    output: z.object({ id: uuid, updatedAt: isoDateTime }),
  }),
  'drafts.list': procedure({
    summary: "The signed-in user's unfinished forms.",
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.array(draftSummary),
  }),
  'drafts.get': procedure({
    summary: 'A draft form to carry on with.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ id: uuid }),
    output: z.object({ id: uuid, allegationId: uuid.nullable(), form: z.unknown(), updatedAt: isoDateTime, scanId: uuid.nullable() }),
  }),
  'drafts.discard': procedure({
    summary: 'Throw a draft away (the person chose to).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ id: uuid }),
    output: z.object({}),
  }),
  'routing.get': procedure({
    summary: 'The postcode-area to unit routing table in force.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.object({ table: routingTable, isDefault: z.boolean(), updatedAt: isoDateTime.nullable(), updatedBy: z.string().nullable() }),
  }),
  'routing.update': procedure({
    summary: 'Replace the routing table (administrators); it is checked first and every version is kept in the audit log.',
    access: ['admin'],
    mutates: true,
    input: z.object({ table: z.unknown(), reason: z.string().trim().min(5, 'say why the routing changes').max(1000) }),
    output: z.object({ table: routingTable, isDefault: z.boolean(), updatedAt: isoDateTime.nullable(), updatedBy: z.string().nullable() }),
  }),
  'routing.reset': procedure({
    summary: 'Go back to the shipped default routing table (administrators).',
    access: ['admin'],
    mutates: true,
    input: z.object({ reason: z.string().trim().min(5, 'say why').max(1000) }),
    output: z.object({ table: routingTable, isDefault: z.boolean(), updatedAt: isoDateTime.nullable(), updatedBy: z.string().nullable() }),
  }),
  'import.begin': procedure({
    summary: 'Start uploading a file of submissions (JSON Lines) to import.',
    access: ['sifter', 'manager', 'admin'],
    mutates: false,
    input: z.object({ fileName: z.string().trim().min(1).max(300), size: z.number().int().min(0).max(2 * 1024 * 1024 * 1024) }),
    output: z.object({ jobId: uuid, chunkBytes: z.number().int() }),
  }),
  'import.chunk': procedure({
    summary: 'One piece of the file being uploaded, in order.',
    access: ['sifter', 'manager', 'admin'],
    mutates: false,
    input: z.object({ jobId: uuid, index: z.number().int().min(0), text: z.string().max(1024 * 1024) }),
    output: z.object({ received: z.number().int() }),
  }),
  'import.finish': procedure({
    summary: 'Import the uploaded file: progress comes as events; the summary lists every record that failed and why.',
    access: ['sifter', 'manager', 'admin'],
    mutates: true,
    input: z.object({ jobId: uuid }),
    output: importSummary,
  }),
} as const;
