// Answering a query. The query is read (identifiers in canonical form, words that may be names), then run as
// a short cascade of FTS5 queries, each a tier of agreement, best first:
//   exact      every name-like word exactly in a subject's name fields (identifiers and other words anywhere)
//   phrase     the names written together in the record's text ("Rajesh Kapoor" in a fax)
//   corrected  names in another form: nickname, transliteration, same spelling skeleton, a likely typo (OSA)
//   fuzzy      names further away (more edits, same sound)
//   anywhere   every word anywhere in the record
//   partial    all but one of the query's parts (a moved address, a dropped forename), nearest first
// A tier is only run while fewer results than asked for have been found, and each tier's FTS5 query streams
// newest first with a cap, so a very common name costs no more than a rare one. Within a tier, candidates are
// ranked on a small per-allegation profile: names on one subject, surname agreement, the nearest spelling,
// identifiers held on the form, then newest first. (BM25 is not used: weighing a phrase makes FTS5 scan all
// its matches, which took "cash in hand about" from 0.1 ms to 4.7 ms at 100k.)
import { prepared } from '../store/db.ts';
import type { SearchIndex } from './index.ts';
import type { MatchTier, SearchHit } from '../../shared/api/search.ts';
import { analyseQuery, exactTerm, positiveTerms, quoteFts, renderFts, QuerySyntaxError, type AnalysedQuery, type QueryTerm } from '../../shared/search/query.ts';
import { canonicalFilters, noFilters, type CanonicalFilters, type SearchFilters } from '../../shared/search/filters.ts';
import { NAME_TIER_ORDER } from '../../shared/search/names.ts';
import { buildHits } from './places.ts';
import { describeQuery, highlightPlan, nearMatchBlocks, placeOf, splitNames, withNamePhrases, type Match, type NamePlan, type TierClass } from './query-plan.ts';
import { interleaveNameInText, personAgreement, readProfile, scoreNames, type Candidate, type Profile } from './ranking.ts';

export interface SearchRequest {
  q: string;
  filters?: SearchFilters | undefined;
  limit: number;
  offset?: number | undefined;
  /** Build snippets and places for the returned hits (default true). */
  detail?: boolean;
  /** Find every match up to this many (saved searches, export) instead of stopping once `limit` are found. */
  exhaustive?: number;
  /** Every place of each hit that matches (an entity's page), not only the best few. */
  everyPlace?: boolean;
  /** Leave out matches of these tiers (an entity's page: words scattered anywhere do not name a person). */
  excludeTiers?: readonly MatchTier[];
}

export interface SearchResult {
  total: number;
  totalIsLowerBound: boolean;
  hits: SearchHit[];
  readAs: string[];
  pending: number;
  /** Every full match found, best first (document numbers), for saved searches. */
  docs: number[];
}

const NAME_COLUMNS = '{sname gname}';

/** Candidates fetched per tier (newest first) before ranking: enough to rank a page of ten well. */
const TIER_CAP = 100;

/** Candidates fetched per near-match query. */
const PARTIAL_CAP = 60;

/** An unknown name found exactly in at most this many records' text ranks those before its corrections. */
const RARE_EXACT = 5;

const TIER_INDEX: Record<MatchTier, number> = { exact: 0, phrase: 1, corrected: 2, fuzzy: 3, anywhere: 4, partial: 5 };

export function executeSearch(index: SearchIndex, request: SearchRequest, pending: number): SearchResult {
  const db = index.db;
  const limit = request.limit;
  const offset = request.offset ?? 0;
  const needed = request.exhaustive ?? offset + limit;
  // A page of results ranks a few times its size; a saved search's full set of matches is capped at its size.
  const cap = request.exhaustive ?? Math.max(TIER_CAP, needed * 4);
  const analysed = request.q.trim() ? analyseQuery(request.q) : null;
  const filters: CanonicalFilters = canonicalFilters(request.filters ?? {});
  if (!analysed && noFilters(request.filters)) throw new QuerySyntaxError('Type something to search for, or choose a filter.');

  const vocab = index.vocabulary();
  const plans = new Map<string, NamePlan>();
  const planFor = (token: string, typed: string): NamePlan => {
    let plan = plans.get(token);
    if (!plan) {
      const variants = vocab.variants(token, 2);
      const rank = new Map<string, number>([[token, 0]]);
      const tierOf = new Map<string, number>([[token, 0]]);
      variants.forEach((v, i) => {
        if (!rank.has(v.term)) rank.set(v.term, i + 1);
        if (!tierOf.has(v.term)) tierOf.set(v.term, NAME_TIER_ORDER[v.tier]);
      });
      plan = { token, typed, variants, rank, tierOf };
      plans.set(token, plan);
    }
    return plan;
  };
  const terms = analysed ? positiveTerms(analysed) : [];
  for (const t of terms) if (t.kind === 'word' && t.nameLike) for (const n of t.names) planFor(n, t.text);
  const filterPlans = filters.names.map((n) => planFor(n, n));

  /** A name token with its variants up to a tier (1: corrected, 2: fuzzy), for the names table. */
  const namesOf = (token: string, maxTier: 0 | 1 | 2): string => {
    const plan = plans.get(token) as NamePlan;
    const terms = new Set<string>([token]);
    if (maxTier > 0) for (const v of plan.variants) if (NAME_TIER_ORDER[v.tier] <= maxTier) terms.add(v.term);
    return terms.size === 1 ? quoteFts(token) : `(${[...terms].map(quoteFts).join(' OR ')})`;
  };
  /** The same in the main index's name columns (for names inside OR or NOT, which the names table cannot serve). */
  const nameExpr = (token: string, maxTier: 0 | 1 | 2): string => `${NAME_COLUMNS}: ${namesOf(token, maxTier)}`;
  const renderer = (tier: TierClass) => (term: QueryTerm): string | null => {
    if (term.kind !== 'word' || !term.nameLike || tier === 'anywhere') return exactTerm(term);
    const maxTier = tier === 'corrected' ? 1 : tier === 'fuzzy' ? 2 : 0;
    const parts = term.names.map((n) => nameExpr(n, maxTier));
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
  };
  const filterNames = (tier: TierClass): string[] => {
    const maxTier = tier === 'corrected' ? 1 : tier === 'fuzzy' ? 2 : 0;
    return filterPlans.map((p) => namesOf(p.token, maxTier));
  };
  const combine = (parts: Array<string | null>): string | null => {
    const kept = parts.filter((p): p is string => !!p);
    if (!kept.length) return null;
    return kept.length === 1 ? (kept[0] as string) : kept.map((p) => `(${p})`).join(' AND ');
  };

  // The tiers, as FTS5 expressions; a tier that would repeat an earlier expression is skipped.
  // A name no allegation holds (at that tier) cannot match in the name fields: such a tier is not run.
  const nameCanMatch = (token: string, maxTier: 0 | 1 | 2): boolean => {
    const plan = plans.get(token) as NamePlan;
    return plan.variants.some((v) => NAME_TIER_ORDER[v.tier] <= maxTier);
  };
  const canMatch = (node: AnalysedQuery, tier: TierClass): boolean => {
    const maxTier = tier === 'corrected' ? 1 : tier === 'fuzzy' ? 2 : 0;
    switch (node.kind) {
      case 'term':
        return node.term.kind !== 'word' || !node.term.nameLike || tier === 'anywhere' || node.term.names.every((n) => nameCanMatch(n, maxTier));
      case 'not':
        return true;
      case 'and':
        return node.items.every((i) => canMatch(i, tier));
      case 'or':
        return node.items.some((i) => canMatch(i, tier));
    }
  };
  // Name-like words that are plain parts of the query (not inside OR or NOT) are looked up in the names
  // table; everything else, and the filters, in the main index; the two are intersected.
  const split = splitNames(analysed);
  const tiers: Array<{ tier: TierClass; match: Match }> = [];
  // Only runs of names someone holds make a "name in text" phrase; ordinary words ("illegal working") do not.
  const phraseQuery = analysed ? withNamePhrases(analysed, (t) => t.names.every((n) => vocab.count(n) > 0)) : null;
  for (const tier of ['exact', 'phrase', 'corrected', 'fuzzy', 'anywhere'] as const) {
    if (request.excludeTiers?.includes(tier)) continue;
    const filterTier = tier === 'phrase' || tier === 'anywhere' ? 'exact' : tier;
    const filterMax = filterTier === 'corrected' ? 1 : filterTier === 'fuzzy' ? 2 : 0;
    if (!filterPlans.every((p) => nameCanMatch(p.token, filterMax))) continue;
    let names: Array<string | null> = [];
    let rest: string | null = null;
    if (tier === 'phrase') {
      if (!phraseQuery || !canMatch(phraseQuery, 'exact')) continue;
      rest = renderFts(phraseQuery, renderer('exact'));
    } else if (tier === 'anywhere') {
      if (analysed) rest = renderFts(analysed, renderer('anywhere'));
    } else if (analysed) {
      if (!canMatch(analysed, tier)) continue;
      const maxTier = tier === 'corrected' ? 1 : tier === 'fuzzy' ? 2 : 0;
      names = split.names.flatMap((t) => t.names.map((n) => namesOf(n, maxTier)));
      rest = split.rest ? renderFts(split.rest, renderer(tier)) : null;
    }
    const match: Match = { names: combine([...names, ...filterNames(filterTier)]), rest: combine([rest, ...filters.clauses]) };
    if (tiers.some((t) => t.match.names === match.names && t.match.rest === match.rest)) continue;
    tiers.push({ tier, match });
  }

  const range = filters.receivedFrom !== null || filters.receivedTo !== null;
  const from = filters.receivedFrom ?? '0000';
  const to = filters.receivedTo ?? '9999';
  const run = (match: Match, max: number): Array<{ doc: number }> => {
    type Row = { doc: number };
    try {
      if (match.names === null && match.rest === null) {
        return prepared(db, 'SELECT doc FROM search_docs WHERE in_fts = 1 AND received_at >= ? AND received_at <= ? ORDER BY doc DESC LIMIT ?').all(from, to, max) as Row[];
      }
      if (match.names === null) {
        if (range) {
          return prepared(
            db,
            `SELECT f.rowid AS doc FROM search_fts f JOIN search_docs d ON d.doc = f.rowid
             WHERE search_fts MATCH ? AND d.received_at >= ? AND d.received_at <= ? ORDER BY f.rowid DESC LIMIT ?`,
          ).all(match.rest, from, to, max) as Row[];
        }
        return prepared(db, 'SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?').all(match.rest, max) as Row[];
      }
      // Names, intersected with the rest when there is one (both sides are small for a person query).
      const base =
        match.rest === null
          ? 'SELECT rowid AS doc FROM search_names_fts WHERE search_names_fts MATCH ?'
          : 'SELECT rowid AS doc FROM search_names_fts WHERE search_names_fts MATCH ? INTERSECT SELECT rowid FROM search_fts WHERE search_fts MATCH ?';
      const args: unknown[] = match.rest === null ? [match.names] : [match.names, match.rest];
      if (range) {
        return prepared(db, `SELECT x.doc FROM (${base}) x JOIN search_docs d ON d.doc = x.doc WHERE d.received_at >= ? AND d.received_at <= ? ORDER BY x.doc DESC LIMIT ?`).all(
          ...args,
          from,
          to,
          max,
        ) as Row[];
      }
      return prepared(db, `SELECT doc FROM (${base}) ORDER BY doc DESC LIMIT ?`).all(...args, max) as Row[];
    } catch (error) {
      throw new QuerySyntaxError(`The search could not be run: ${(error as Error).message}`);
    }
  };

  // A word no subject is named but that the records' text holds a few times is specific: those exact matches
  // come before spelling corrections of it ("Quillon" in one note beats names that look like it). A word the
  // text holds often ("Hong" in Hong Kong) does not jump ahead of the names it may be a misspelling of.
  const unknownNames = [...plans.values()].some((p) => !filterPlans.includes(p) && vocab.count(p.token) === 0);
  const anywhereAt = tiers.findIndex((t) => t.tier === 'anywhere');
  const correctedAt = tiers.findIndex((t) => t.tier === 'corrected' || t.tier === 'fuzzy');
  if (unknownNames && anywhereAt > 0 && correctedAt >= 0 && correctedAt < anywhereAt) {
    const few = run((tiers[anywhereAt] as { match: Match }).match, RARE_EXACT + 1).length;
    if (few > 0 && few <= RARE_EXACT) tiers.splice(correctedAt, 0, ...tiers.splice(anywhereAt, 1));
  }

  const found = new Map<number, Candidate>();
  let lowerBound = false;
  for (const { tier, match } of tiers) {
    const rows = run(match, cap);
    if (rows.length >= cap) lowerBound = true;
    for (const r of rows) if (!found.has(r.doc)) found.set(r.doc, { doc: r.doc, tier, subjectScore: 0, variantRank: 0, idField: 0, agreement: 0, why: [] });
    // The full name in text is always looked for next to exact matches (see interleaveNameInText).
    const next = tiers[tiers.findIndex((t) => t.tier === tier) + 1];
    if (found.size >= needed && next && next.tier !== 'phrase') {
      lowerBound = true;
      break;
    }
  }
  const fullMatches = found.size;

  // Near matches, when the full matches do not fill the page: records that agree with part of the query.
  if (analysed && found.size < needed && !request.exhaustive) {
    const near = nearMatchBlocks(analysed, terms, [...plans.values()].filter((p) => !filterPlans.includes(p)), namesOf, renderer, filterNames('fuzzy'), filters.clauses);
    const seenExpr = new Set<string>();
    let partials = 0;
    for (const block of near) {
      const key = `${block.match.names}|${block.match.rest}`;
      if ((block.match.names === null && block.match.rest === null) || seenExpr.has(key)) continue;
      if (block.lastResort && partials >= 30) continue;
      seenExpr.add(key);
      for (const r of run(block.match, PARTIAL_CAP)) {
        if (found.has(r.doc)) continue;
        found.set(r.doc, { doc: r.doc, tier: 'partial', subjectScore: 0, variantRank: 0, idField: 0, agreement: 0, why: block.label ? [block.label] : [] });
        partials++;
      }
    }
  }
  // Rank on the profiles.
  const idTerms = terms.filter((t): t is Extract<QueryTerm, { kind: 'id' }> => t.kind === 'id');
  const allPlans = [...plans.values()];
  const queryPlans = allPlans.filter((p) => !filterPlans.includes(p));
  const place = placeOf(terms);
  // The highest document number stands in for the number of documents (count(*) would scan at 1M).
  const totalDocs = Math.max(1, (prepared(db, 'SELECT max(doc) AS n FROM search_docs').get() as { n: number | null }).n ?? 1);
  const candidates = [...found.values()];
  // Profiles in one statement (a lookup per candidate cost four times as much).
  const profiles = new Map<number, Profile>();
  for (const [doc, names, keys] of prepared(db, 'SELECT doc, names, keys FROM search_docs WHERE doc IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(candidates.map((c) => c.doc))) as Array<[number, string, string]>) {
    profiles.set(doc, readProfile(names, keys));
  }
  for (const c of candidates) {
    const profile = profiles.get(c.doc);
    if (!profile) continue;
    scoreNames(c, profile, allPlans);
    const held = new Set([...profile.keys.pc, ...profile.keys.out, ...profile.keys.ids]);
    c.idField = idTerms.filter((t) => t.value.every((v) => held.has(v)) || held.has(t.value.join(' '))).length;
    if (c.tier === 'partial' && (queryPlans.length || place)) personAgreement(c, profile, queryPlans, place, vocab, totalDocs);
  }
  // Tiers rank in the order they were run (a rare exact word may have moved ahead of corrections).
  const order = new Map<MatchTier, number>(tiers.map((t, i) => [t.tier, i]));
  const rankOf = (t: MatchTier) => order.get(t) ?? TIER_INDEX[t] + 10;
  candidates.sort((a, b) => {
    const t = rankOf(a.tier) - rankOf(b.tier);
    if (t) return t;
    if (a.tier === 'partial') return b.agreement - a.agreement || a.variantRank - b.variantRank || b.doc - a.doc;
    return b.subjectScore - a.subjectScore || a.variantRank - b.variantRank || b.idField - a.idField || b.doc - a.doc;
  });
  interleaveNameInText(candidates);

  const page = candidates.slice(offset, offset + limit);
  const highlight = highlightPlan(terms, allPlans);
  const hits: SearchHit[] = [];
  if (request.detail !== false && page.length) {
    const bodies = buildHits(
      db,
      page.map((c) => c.doc),
      highlight,
      new Set(page.filter((c) => c.tier === 'partial').map((c) => c.doc)),
      request.everyPlace ?? false,
    );
    page.forEach((c, i) => {
      const body = bodies[i];
      if (body) hits.push({ ...body, score: offset + i + 1, tier: c.tier, why: c.why });
    });
  }
  return {
    total: fullMatches,
    totalIsLowerBound: lowerBound,
    hits,
    readAs: describeQuery(terms, allPlans, filters),
    pending,
    docs: candidates.filter((c) => c.tier !== 'partial').map((c) => c.doc),
  };
}
