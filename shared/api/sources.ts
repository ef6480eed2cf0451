// The restricted source pane, the National Source Unit's workspace and the Security and Anti-Corruption Unit's
// view of who opened which pane. Source details leave the core only through source.open and nsu.reveal, each
// of which writes its audit entry first.
import { z } from 'zod';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { OFFENCE_TYPES } from '../domain/vocabularies.ts';
import { procedure } from './procedure.ts';

const reason = z.string().trim().min(5, 'say why you need to see it (at least 5 characters)').max(1000);

export const sourceDetails = z.object({
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  address: z.string(),
  relationship: z.string(),
  organisation: z.string(),
});
export type SourceDetails = z.infer<typeof sourceDetails>;

export const CONTACT_METHODS = ['telephone', 'email', 'letter', 'in_person', 'other'] as const;

export const contactEntry = z.object({
  id: uuid,
  at: isoDateTime,
  by: z.string(),
  method: z.enum(CONTACT_METHODS),
  direction: z.enum(['from_source', 'to_source']),
  summary: z.string(),
  tasking: z.boolean(),
});

export const sourcePane = z.object({
  allegationId: uuid,
  reference,
  details: sourceDetails,
  /**
   * Further details letters gave: another way to reach the source ('contact'), or another person who reported
   * ('source'), each with the attachment it came from and when it was recorded.
   */
  also: z.array(
    z.object({
      kind: z.enum(['contact', 'source']),
      name: z.string(),
      organisation: z.string(),
      address: z.string(),
      phone: z.string(),
      email: z.string(),
      from: z.string(),
      at: z.string(),
    }),
  ),
  /** Text that revealed the source, as it was before the source was withheld from the open record. */
  originals: z.array(z.object({ part: z.string(), label: z.string(), text: z.string() })),
  contacts: z.array(contactEntry),
  openedAt: isoDateTime,
  auditEntry: z.number().int(),
});
export type SourcePane = z.infer<typeof sourcePane>;

export const RISK_INDICATORS = ['many_referrals', 'same_subject', 'rising_frequency', 'tasking', 'status_drift'] as const;
export const riskIndicator = z.object({ kind: z.enum(RISK_INDICATORS), explanation: z.string() });

export const NSU_DECISIONS = ['same_person_noted', 'chis_review', 'not_same_person', 'no_action'] as const;
export const NSU_DECISION_LABELS: Record<(typeof NSU_DECISIONS)[number], string> = {
  same_person_noted: 'Same person: noted',
  chis_review: 'Refer for CHIS review',
  not_same_person: 'Not the same person',
  no_action: 'No action',
};

export const referrerGroup = z.object({
  groupKey: z.string(),
  count: z.number().int(),
  allegations: z.array(
    z.object({ id: uuid, reference, receivedAt: isoDateTime, unit: z.string().nullable(), offenceTypes: z.array(z.enum(OFFENCE_TYPES)), mainSubject: z.string(), contacts: z.number().int() }),
  ),
  units: z.array(z.string()),
  firstAt: isoDateTime,
  lastAt: isoDateTime,
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  linkedBy: z.array(z.string()),
  indicators: z.array(riskIndicator),
  decisions: z.array(z.object({ decision: z.enum(NSU_DECISIONS), note: z.string(), by: z.string(), at: isoDateTime })),
});
export type ReferrerGroupView = z.infer<typeof referrerGroup>;

/** The NSU screen's list: national from the server when connected, else this desk's own, saying which. */
export const referrerView = z.object({
  scope: z.enum(['national', 'desk']),
  note: z.string(),
  indexed: z.number().int().nullable(),
  waiting: z.number().int().nullable(),
  groups: z.array(referrerGroup),
});
export type ReferrerView = z.infer<typeof referrerView>;

export const auditEntryView = z.object({
  seq: z.number().int(),
  at: isoDateTime,
  actor: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  allegationId: z.string().nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
});

export const intelligenceReport = z.object({
  reference,
  title: z.string(),
  handling: z.string(),
  /** The 3x5x2 grading ("2/B/C"), or null while ungraded. */
  grading: z.string().nullable(),
  sections: z.array(z.object({ heading: z.string(), lines: z.array(z.string()) })),
});

export const sourcesApi = {
  'allegations.report': procedure({
    summary: 'The sanitised intelligence report of an allegation for dissemination, print or export: the source is never named, only the reference to ask through.',
    access: ['analyst', 'duty_manager', 'compliance_officer', 'manager', 'nsu', 'admin'],
    mutates: false,
    input: z.object({ id: uuid }),
    output: intelligenceReport,
  }),
  'vault.status': procedure({
    summary: 'Whether the vault that protects source details exists and is unlocked.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.object({ exists: z.boolean(), unlocked: z.boolean(), keyId: z.string().nullable(), plaintextRows: z.number().int() }),
  }),
  'source.status': procedure({
    summary: 'Whether an allegation has a restricted source record, whether you may open it, and whom to ask if not.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: z.object({ exists: z.boolean(), canOpen: z.boolean(), why: z.string(), askWho: z.array(z.string()), contacts: z.number().int() }),
  }),
  'source.open': procedure({
    summary: 'Open the restricted source pane: an audit entry for SACU (who, when, which, why) is written before anything is shown.',
    access: 'signed_in',
    mutates: true,
    input: z.object({ allegationId: uuid, reason }),
    output: sourcePane,
  }),
  'source.update': procedure({
    summary: "Correct or complete the source's details (staff allocated to the case, and NSU).",
    access: 'signed_in',
    mutates: true,
    input: z.object({ allegationId: uuid, details: sourceDetails, reason }),
    output: sourcePane,
  }),
  'source.addContact': procedure({
    summary: 'Log a contact with the source; what was said is sealed, and tasking ("can you find out…") is flagged for NSU.',
    access: 'signed_in',
    mutates: true,
    input: z.object({
      allegationId: uuid,
      method: z.enum(CONTACT_METHODS),
      direction: z.enum(['from_source', 'to_source']),
      summary: z.string().trim().min(3, 'say what was said').max(5000),
    }),
    output: sourcePane,
  }),
  'nsu.referrers': procedure({
    summary: 'Repeat referrers: allegations grouped by the same reporting person, found from blind indexes without decrypting anyone.',
    access: ['nsu'],
    mutates: false,
    input: z.object({ minCount: z.number().int().min(2).max(100).default(2) }),
    output: z.array(referrerGroup),
  }),
  'nsu.referrerView': procedure({
    summary: "Repeat referrers for the NSU screen: national, from the server's blind indexes of every unit, when this desk syncs with a server; this desk's own otherwise (and whenever the server cannot be reached), saying which.",
    access: ['nsu'],
    mutates: false,
    input: z.object({ minCount: z.number().int().min(2).max(100).default(2) }),
    output: referrerView,
  }),
  'nsu.reveal': procedure({
    summary: "NSU only: the source details of every allegation in a group, with an audit entry for each before it is shown (a refused attempt is audited too, so the role is checked by the use-case).",
    access: 'signed_in',
    mutates: true,
    input: z.object({ groupKey: z.string().min(1), reason }),
    output: z.array(z.object({ allegationId: uuid, reference, details: sourceDetails })),
  }),
  'nsu.decide': procedure({
    summary: 'Record the NSU decision on a group of referrals, with its note (sealed).',
    access: ['nsu'],
    mutates: true,
    input: z.object({ groupKey: z.string().min(1), decision: z.enum(NSU_DECISIONS), note: z.string().trim().min(3, 'add a note').max(5000) }),
    output: referrerGroup,
  }),
  'audit.sourceAccess': procedure({
    summary: 'SACU: who opened which source pane (and NSU reveals), when and why; filterable.',
    access: ['sacu', 'admin'],
    mutates: false,
    input: z.object({ user: z.string().trim().max(100).optional(), reference: z.string().trim().max(40).optional(), from: isoDateTime.optional(), to: isoDateTime.optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.array(auditEntryView),
  }),
  'audit.verify': procedure({
    summary: "Check the whole audit chain with the vault's key: every entry's MAC, the order, the signed head, and every head the server countersigned at sync; reports the first entry that does not verify.",
    access: ['sacu', 'admin', 'manager'],
    mutates: false,
    input: z.object({}),
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      firstBadSeq: z.number().int().nullable(),
      problem: z.string().nullable(),
      /** Entries before this one were written before the chain was keyed and are verified as hashed. */
      keyedFrom: z.number().int().nullable(),
      head: z.object({ seq: z.number(), signed: z.boolean() }).nullable(),
      lastAt: isoDateTime.nullable(),
      /** The latest head the server countersigned at sync (null: none yet, or a desk without a server). */
      countersigned: z.object({ seq: z.number().int(), serverAuditSeq: z.number().int(), receivedAt: isoDateTime }).nullable(),
      /** Whether the server was asked for its latest countersignature just now. */
      server: z.enum(['checked', 'offline', 'alone']),
    }),
  }),
} as const;
