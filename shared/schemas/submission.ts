// The submission format: one JSON object per line, as the online form, partner feeds and the legacy export
// produce it (../shared/data/corpus/README.md). `ims import` and the import screen validate every line with it.
// Unknown fields are refused rather than dropped: an import must never lose what it was given.
import { z } from 'zod';
import { CHANNELS, GENDERS, OFFENCE_TYPES, REPORTER_TYPES, STATUSES, SUBJECT_ROLES, ADDRESS_TYPES } from '../domain/vocabularies.ts';
import { FUTURE_SKEW_MS, isoDate, isoDateTime, reference, text } from './common.ts';
import { phoneProblem, postcodeProblem } from '../text/normalise.ts';

export const submissionSubject = z
  .object({
    role: z.enum(SUBJECT_ROLES),
    forename: text(200).default(''),
    middleNames: text(200).default(''),
    surname: text(200).default(''),
    knownAs: text(200).default(''),
    dob: isoDate.nullable().default(null),
    approxAge: z.number().int().min(0).max(120).nullable().default(null),
    gender: z.enum(GENDERS).default('U'),
    nationality: text(100).default(''),
  })
  .strict();

export const submissionAddress = z
  .object({
    type: z.enum(ADDRESS_TYPES).default('home'),
    line1: text(300).default(''),
    line2: text(300).default(''),
    town: text(200).default(''),
    postcode: text(20).default(''),
  })
  .strict();

export const submissionBusinessAddress = submissionAddress.omit({ type: true });

export const submissionBusiness = z
  .object({
    name: text(300),
    type: text(100).default(''),
    address: submissionBusinessAddress.nullable().default(null),
  })
  .strict();

export const submissionNote = z
  .object({
    date: isoDate,
    author: text(100),
    text: text(20_000),
  })
  .strict();

export const submissionAttachment = z
  .object({
    fileName: text(300),
    mimeType: text(100),
    pages: z.number().int().min(0).max(10_000),
    /** Text a legacy OCR produced; it may hold facts that are not on the form. */
    ocrText: text(2_000_000).default(''),
  })
  .strict();

/** Restricted: stored only in the source table, never printed, indexed or logged. */
export const submissionSource = z
  .object({
    restricted: z.boolean().default(true),
    name: text(300).default(''),
    phone: text(100).default(''),
    email: text(300).default(''),
    address: text(500).default(''),
    relationship: text(200).default(''),
    organisation: text(300).default(''),
  })
  .strict();

export const submissionRecord = z
  .object({
    id: z.number().int().nonnegative().optional(),
    reference,
    receivedAt: isoDateTime,
    channel: z.enum(CHANNELS),
    reporterType: z.enum(REPORTER_TYPES),
    offenceTypes: z.array(z.enum(OFFENCE_TYPES)).max(20).default([]),
    status: z.enum(STATUSES).default('new'),
    subjects: z.array(submissionSubject).max(200).default([]),
    addresses: z.array(submissionAddress).max(200).default([]),
    businesses: z.array(submissionBusiness).max(100).default([]),
    phones: z.array(text(100)).max(100).default([]),
    emails: z.array(text(300)).max(100).default([]),
    vehicles: z.array(text(40)).max(100).default([]),
    flights: z.array(text(100)).max(100).default([]),
    freeText: text(100_000).default(''),
    notes: z.array(submissionNote).max(5_000).default([]),
    attachments: z.array(submissionAttachment).max(500).default([]),
    source: submissionSource.nullable().default(null),
  })
  .strict()
  .superRefine((rec, ctx) => {
    const received = rec.receivedAt.slice(0, 10);
    rec.subjects.forEach((s, i) => {
      if (s.dob && s.dob > received) {
        ctx.addIssue({ code: 'custom', path: ['subjects', i, 'dob'], message: `date of birth ${s.dob} is after the allegation was received (${received})` });
      }
    });
  });

export type SubmissionRecord = z.output<typeof submissionRecord>;
export type SubmissionInput = z.input<typeof submissionRecord>;
export type SubmissionSource = z.output<typeof submissionSource>;

/**
 * Why a submission that is well formed must still be refused, given the time now: a report cannot have been
 * received in the future (beyond the clocks' skew), and its due dates would be reckoned from that. Null when
 * nothing is wrong.
 */
export function submissionRefusal(rec: SubmissionRecord, now: Date): string | null {
  if (Date.parse(rec.receivedAt) > now.getTime() + FUTURE_SKEW_MS) {
    return `receivedAt: ${rec.receivedAt} is in the future (it is now ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC); a report cannot be received in the future, so the record was not imported: correct the date and import the line again`;
  }
  return null;
}

/** A value kept exactly as written that could not be read, for a person to check. */
export interface SubmissionFlag {
  /** Where it is, as describeIssues names paths: "addresses[0].postcode". */
  path: string;
  value: string;
  problem: string;
}

/**
 * The postcodes and phone numbers of a submission that could not be read, and notes dated after `now` (a
 * legacy system's date, or a typing slip): all are imported as written, flagged for a person to check.
 */
export function submissionFlags(rec: SubmissionRecord, now?: Date): SubmissionFlag[] {
  const flags: SubmissionFlag[] = [];
  const check = (path: string, value: string, problem: string | null) => {
    if (problem) flags.push({ path, value, problem });
  };
  rec.addresses.forEach((a, i) => check(`addresses[${i}].postcode`, a.postcode, postcodeProblem(a.postcode)));
  rec.businesses.forEach((b, i) => b.address && check(`businesses[${i}].address.postcode`, b.address.postcode, postcodeProblem(b.address.postcode)));
  rec.phones.forEach((p, i) => check(`phones[${i}]`, p, phoneProblem(p)));
  if (now) {
    // A date has no time of day: a day ahead allows for time zones.
    const tomorrow = new Date(now.getTime() + FUTURE_SKEW_MS + 86_400_000).toISOString().slice(0, 10);
    rec.notes.forEach((n, i) => check(`notes[${i}].date`, n.date, n.date > tomorrow ? `is in the future (it is now ${now.toISOString().slice(0, 10)})` : null));
  }
  return flags;
}

/** One readable line from zod's issues: "subjects[0].dob: must be a real date written YYYY-MM-DD". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join('');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
