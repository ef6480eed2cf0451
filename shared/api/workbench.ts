// The analyst's workbench: an entity's page (every allegation, note and attachment page naming a person, phone,
// email, address, postcode, vehicle, business or flight), timelines of an allegation and of an entity, and the
// link chart that grows from any node. Reads only: nothing restricted is in any of it (the open record and the
// index are redacted of source details at intake).
import { z } from 'zod';
import { STATUSES } from '../domain/vocabularies.ts';
import { ENTITY_KINDS } from '../entities/entity.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { hitPlace, MATCH_TIERS } from './search.ts';
import { suggestionView } from './attachments.ts';
import { procedure } from './procedure.ts';

export const entityRef = z.object({ kind: z.enum(ENTITY_KINDS), value: z.string().trim().min(1).max(300) });

export const entityPlaceView = z.object({
  place: hitPlace,
  /** Marked text between \u0002 and \u0003. */
  snippet: z.string(),
  link: z.string(),
  /** When this place came to name it: the allegation's receipt, the note's date, the attachment's adding. */
  at: isoDateTime,
});

export const appearanceView = z.object({
  allegationId: uuid,
  reference,
  receivedAt: isoDateTime,
  status: z.enum(STATUSES),
  unit: z.string().nullable(),
  mainSubject: z.string(),
  /** How the name or value agreed (exact, corrected spelling…), as search says it. */
  tier: z.enum(MATCH_TIERS),
  why: z.array(z.string()),
  places: z.array(entityPlaceView),
});
export type AppearanceView = z.infer<typeof appearanceView>;

export const entityView = z.object({
  kind: z.enum(ENTITY_KINDS),
  value: z.string(),
  label: z.string(),
  /** How the value was read ("07700 900123: phone 07700900123, in any format"; name variants). */
  readAs: z.array(z.string()),
  allegations: z.number().int(),
  /** More allegations name it than the page lists. */
  truncated: z.boolean(),
  counts: z.object({ form: z.number().int(), notes: z.number().int(), attachmentPages: z.number().int(), account: z.number().int() }),
  firstSeen: z.object({ at: isoDateTime, reference }).nullable(),
  lastSeen: z.object({ at: isoDateTime, reference }).nullable(),
  appearances: z.array(appearanceView),
  tookMs: z.number(),
});
export type EntityView = z.infer<typeof entityView>;

export const TIMELINE_KINDS = [
  'received',
  'routed',
  'allocated',
  'assessed',
  'time_critical',
  'check',
  'judgement',
  'review',
  'note',
  'attachment',
  'page_read',
  'outcome',
  'signoff',
  'dissemination',
  'result',
  'amended',
  'named',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const timelineEvent = z.object({
  at: isoDateTime,
  kind: z.enum(TIMELINE_KINDS),
  title: z.string(),
  detail: z.string(),
  by: z.string().nullable(),
  allegationId: uuid,
  reference,
  /** Opens the allegation where the event is (a note, an attachment page). */
  link: z.string(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const timelineView = z.object({ events: z.array(timelineEvent), allegations: z.number().int(), truncated: z.boolean() });

export const CHART_KINDS = ['allegation', ...ENTITY_KINDS] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** One place a record's form writes an entity, as written there: how the chart counts forms and joins people. */
export const chartMention = z.object({
  /** The chart id of the allegation whose form writes it. */
  in: z.string(),
  /** As written there ("27 Alum Rock Rd, B8 1JB", "Farhan Qurehsi"). */
  text: z.string(),
  /** A person: the subject's name parts and date of birth as written, to tell which spellings are one person. */
  person: z.object({ forename: z.string(), surname: z.string(), knownAs: z.string(), dob: z.string().nullable() }).nullable(),
});
export type ChartMention = z.infer<typeof chartMention>;

export const chartNode = z.object({
  id: z.string(),
  kind: z.enum(CHART_KINDS),
  label: z.string(),
  /** Allegations: when received; others: first seen on the chart's records. */
  date: isoDateTime.nullable(),
  /** Allegations: the reference; others: the entity's canonical value (for its page and for expanding). */
  value: z.string(),
  status: z.enum(STATUSES).nullable(),
  /**
   * Where records' forms write it (people, addresses, businesses). A person node from the core is one subject of
   * one record; the chart joins the spellings of one person (entities/chart-graph.ts).
   */
  mentions: z.array(chartMention),
});
export type ChartNode = z.infer<typeof chartNode>;

export const chartEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  label: z.string(),
  /** A judgement in force between two allegations (shown as today: dashed red). */
  judged: z.enum(['duplicate', 'associated']).nullable(),
});
export type ChartEdge = z.infer<typeof chartEdge>;

export const chartView = z.object({
  nodes: z.array(chartNode),
  edges: z.array(chartEdge),
  /** Expanding found more than it returned (the nearest first). */
  truncated: z.boolean(),
});
export type ChartView = z.infer<typeof chartView>;

export const historyItem = z.object({
  part: z.string(),
  field: z.string(),
  kind: z.enum(['changed', 'added', 'removed', 'restored']),
  was: z.string().nullable(),
  now: z.string().nullable(),
  format: z.enum(['text', 'date', 'datetime']),
});
export type HistoryItemView = z.infer<typeof historyItem>;

export const formHistoryView = z.object({
  /** When the allegation was first written, and by whom (null: before this desk kept who). */
  created: z.object({ at: isoDateTime, by: z.string().nullable() }).nullable(),
  /** Amendments, oldest first: each what one save changed. */
  entries: z.array(z.object({ at: isoDateTime, by: z.string().nullable(), items: z.array(historyItem) })),
});
export type FormHistoryView = z.infer<typeof formHistoryView>;

export const workbenchApi = {
  'scans.read': procedure({
    summary: 'Read a waiting scan while its allegation is keyed: its text is read (OCR) and fields are suggested for the form, leaving out the writer (a source).',
    access: ['sifter', 'manager', 'admin'],
    mutates: false,
    input: z.object({ id: uuid }),
    output: z.object({ pages: z.number().int(), pagesRead: z.number().int(), suggestions: z.array(suggestionView) }),
  }),
  'allegations.export': procedure({
    summary: 'The chosen allegations (rows selected on a queue or a search) as CSV; the export is audited. No source details are in it.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ ids: z.array(uuid).min(1, 'choose the allegations to export').max(10_000) }),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'entities.get': procedure({
    summary: 'An entity’s page: every allegation, note and attachment page naming a person, phone, email, address, postcode, vehicle, business or flight, with its first and last appearance.',
    access: 'signed_in',
    mutates: false,
    input: entityRef.extend({ limit: z.number().int().min(1).max(2000).default(500) }),
    output: entityView,
  }),
  'timeline.allegation': procedure({
    summary: 'What happened to an allegation, oldest first: received, routed, allocated, assessed, checks, judgements, notes, pages read, outcome, sign-off, disseminations and results, with who and when.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: timelineView,
  }),
  'timeline.entity': procedure({
    summary: 'The timelines of the allegations naming an entity, merged, with where the entity appeared.',
    access: 'signed_in',
    mutates: false,
    input: entityRef.extend({ limit: z.number().int().min(1).max(200).default(60) }),
    output: timelineView,
  }),
  'history.allegation': procedure({
    summary: 'The history of an allegation’s form, field by field: every amendment with who and when, and what each field held before it (the original is kept).',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: formHistoryView,
  }),
  'chart.start': procedure({
    summary: 'The link chart of an allegation: the records linked to it by judgements in force, and the people, phones, emails, addresses, vehicles, businesses and flights they hold.',
    access: 'signed_in',
    mutates: false,
    input: z.union([z.object({ allegationId: uuid }), z.object({ entity: entityRef })]),
    output: chartView,
  }),
  'chart.expand': procedure({
    summary: 'Grow the chart from nodes: an allegation brings what it holds and its judged links; an entity brings the allegations naming it (at most `limit` for each).',
    access: 'signed_in',
    mutates: false,
    input: z.object({
      nodes: z.array(z.object({ kind: z.enum(CHART_KINDS), value: z.string().trim().min(1).max(300) })).min(1).max(5000),
      limit: z.number().int().min(1).max(2000).default(1000),
    }),
    output: chartView,
  }),
} as const;
