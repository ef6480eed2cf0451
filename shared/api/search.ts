import { z } from 'zod';
import { CHANNELS, OFFENCE_TYPES, STATUSES } from '../domain/vocabularies.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { searchFilters } from '../search/filters.ts';
import { procedure } from './procedure.ts';

/** Where in the record a hit matched: a field of the form, a note, or a page of an attachment. */
export const hitPlace = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('form'), field: z.string() }),
  z.object({ kind: z.literal('note'), noteId: uuid, date: z.string(), author: z.string() }),
  z.object({ kind: z.literal('attachment'), attachmentId: uuid, page: z.number().int().nullable(), fileName: z.string() }),
]);
export type HitPlace = z.infer<typeof hitPlace>;

/**
 * How a result agrees with the query, best first: every name exactly on the form; the full name written in
 * the record's text; names corrected (nickname, transliteration, a likely typo); names fuzzily; the words
 * anywhere in the record; or only some of the query (a near match, shown after every full match).
 */
export const MATCH_TIERS = ['exact', 'phrase', 'corrected', 'fuzzy', 'anywhere', 'partial'] as const;
export type MatchTier = (typeof MATCH_TIERS)[number];
export const MATCH_TIER_LABELS: Record<MatchTier, string> = {
  exact: 'Exact',
  phrase: 'Name in text',
  corrected: 'Corrected spelling',
  fuzzy: 'Similar name',
  anywhere: 'Words anywhere',
  partial: 'Near match',
};

export const searchHit = z.object({
  allegationId: uuid,
  reference,
  receivedAt: isoDateTime,
  status: z.enum(STATUSES),
  channel: z.enum(CHANNELS),
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  unit: z.string().nullable(),
  mainSubject: z.string(),
  postcode: z.string(),
  /** Position in the ranking (1 = best). */
  score: z.number(),
  tier: z.enum(MATCH_TIERS),
  /** How names were read for this hit ("Oyelaran for Oyelaraan"), and for near matches what did not agree. */
  why: z.array(z.string()),
  /** Snippets mark matched text between \u0002 and \u0003; `link` opens the allegation at that place. */
  matches: z.array(z.object({ place: hitPlace, snippet: z.string(), link: z.string() })),
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchRequest = z
  .object({
    q: z.string().trim().max(500).default(''),
    filters: searchFilters.optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const searchResult = z.object({
  /** Allegations that match the whole query (not counting near matches). */
  total: z.number().int(),
  /** True when there are more matches than were counted (a very common word or name). */
  totalIsLowerBound: z.boolean(),
  hits: z.array(searchHit),
  /** How the query was read: identifiers recognised, names expanded. */
  readAs: z.array(z.string()),
  /** Allegations changed but not yet indexed (only during a bulk load or rebuild). */
  pending: z.number().int(),
  tookMs: z.number(),
});
export type SearchResultView = z.infer<typeof searchResult>;

const savedQuery = z.object({ q: z.string().trim().max(500), filters: searchFilters.optional() });

export const savedSearchView = z.object({
  id: uuid,
  name: z.string(),
  q: z.string(),
  filters: searchFilters.optional(),
  description: z.string(),
  createdAt: isoDateTime,
  seenAt: isoDateTime.nullable(),
  seenCount: z.number().int(),
});
export type SavedSearchView = z.infer<typeof savedSearchView>;

export const searchApi = {
  'search.query': procedure({
    summary: 'Search the form, notes and attachment text, with fielded filters; names fuzzily, identifiers in any format.',
    access: 'signed_in',
    mutates: false,
    input: searchRequest,
    output: searchResult,
  }),
  'search.export': procedure({
    summary: 'The results of a search as CSV (at most 10,000 rows); the export is audited.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ q: z.string().trim().max(500).default(''), filters: searchFilters.optional(), limit: z.number().int().min(1).max(10_000).default(1000) }).strict(),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int(), totalIsLowerBound: z.boolean() }),
  }),
  'search.saved.list': procedure({
    summary: "The signed-in user's saved searches, each with how many matches are new since it was last looked at.",
    access: 'signed_in',
    mutates: false,
    input: z.object({ counts: z.boolean().default(true) }).strict(),
    output: z.array(savedSearchView.extend({ newSince: z.number().int().nullable() })),
  }),
  'search.saved.create': procedure({
    summary: 'Saves a search under a name; what it finds now counts as seen.',
    access: 'signed_in',
    mutates: true,
    input: savedQuery.extend({ name: z.string().trim().min(1, 'give the search a name').max(120) }).strict(),
    output: savedSearchView,
  }),
  'search.saved.run': procedure({
    summary: 'Runs a saved search; marks what it finds as seen unless markSeen is false.',
    access: 'signed_in',
    mutates: true,
    input: z.object({ id: uuid, limit: z.number().int().min(1).max(500).default(50), markSeen: z.boolean().default(true) }).strict(),
    output: z.object({ saved: savedSearchView, result: searchResult, newSince: z.number().int(), newAllegationIds: z.array(uuid) }),
  }),
  'search.saved.remove': procedure({
    summary: 'Removes a saved search from the list (it is kept, marked removed).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ id: uuid }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
  'search.status': procedure({
    summary: 'How current the index is: documents, allegations waiting to be indexed, names known.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ documents: z.number().int(), pending: z.number().int(), oldestPendingSeconds: z.number().nullable(), names: z.number().int() }),
  }),
  'search.reindex': procedure({
    summary: 'Rebuilds the search index from the store (administrators); progress comes as search.reindex events.',
    access: ['admin'],
    mutates: true,
    input: z.object({}).strict(),
    output: z.object({ allegations: z.number().int(), seconds: z.number() }),
  }),
} as const;
