// How a query is read before it is run: the names it holds and what each may stand for, the place it names,
// runs of names made phrases, the cheaper blocks that find near matches of a person, what to highlight, and the
// "read as" lines shown back to the user.
import { quoteFts, renderFts, type AnalysedQuery, type QueryTerm } from '../../shared/search/query.ts';
import { facet, type CanonicalFilters } from '../../shared/search/filters.ts';
import type { MatchTier } from '../../shared/api/search.ts';
import type { NameVariant } from '../../shared/search/names.ts';
import { parseUkPostcode } from '../../shared/text/normalise.ts';
import type { HighlightPlan } from './places.ts';
import type { FoundKind } from '../../shared/text/identifiers.ts';

export type TierClass = Exclude<MatchTier, 'partial'>;

/** One name token of the query, with the names it may stand for. */
export interface NamePlan {
  token: string;
  typed: string;
  variants: NameVariant[];
  /** Rank of each variant term (0 = the token itself). */
  rank: Map<string, number>;
  /** Tier of each variant term: 0 exact, 1 equivalent or corrected, 2 fuzzy. */
  tierOf: Map<string, number>;
}

/** A tier's query: name tokens for the names table, and the rest for the main index (either may be absent). */
export interface Match {
  names: string | null;
  rest: string | null;
}

/** The place a person query names: a full postcode or a district, with its outward code and area. */
export interface QueryPlace {
  kind: 'postcode' | 'district';
  value: string;
  outward: string | null;
  area: string | null;
}

export function placeOf(terms: QueryTerm[]): QueryPlace | null {
  for (const t of terms) {
    if (t.kind === 'id' && (t.id === 'postcode' || t.id === 'district')) {
      const pc = parseUkPostcode(t.value[0] ?? '');
      return { kind: t.id, value: t.value[0] ?? '', outward: pc.outward?.toLowerCase() ?? null, area: pc.area?.toLowerCase() ?? null };
    }
  }
  return null;
}

/** The query with each run of two or more name-like words (ANDed, in order) turned into one phrase. */
export function withNamePhrases(node: AnalysedQuery, known: (t: Extract<QueryTerm, { kind: 'word' }>) => boolean): AnalysedQuery | null {
  let changed = false;
  const walk = (n: AnalysedQuery): AnalysedQuery => {
    if (n.kind === 'term') return n;
    if (n.kind === 'not') return n;
    if (n.kind === 'or') return { kind: 'or', items: n.items.map(walk) };
    const items: AnalysedQuery[] = [];
    let run: Array<Extract<QueryTerm, { kind: 'word' }>> = [];
    const close = () => {
      if (run.length >= 2) {
        changed = true;
        items.push({ kind: 'term', term: { kind: 'phrase', text: run.map((r) => r.text).join(' '), words: run.flatMap((r) => r.words) } });
      } else for (const r of run) items.push({ kind: 'term', term: r });
      run = [];
    };
    for (const item of n.items) {
      if (item.kind === 'term' && item.term.kind === 'word' && item.term.nameLike && known(item.term)) run.push(item.term);
      else {
        close();
        items.push(walk(item));
      }
    }
    close();
    return items.length === 1 ? (items[0] as AnalysedQuery) : { kind: 'and', items };
  };
  const out = walk(node);
  return changed ? out : null;
}

/**
 * Blocks that find near matches of a query about a person (names and perhaps a place), each a cheap query:
 * all the names, nearest spellings first (the address moved); everyone at the place (the name changed); one
 * of the names in the same district or area; one name on a record with no postcode (it cannot disagree); one
 * name alone. Queries without names or a place fall back to dropping one part at a time.
 */
export function nearMatchBlocks(
  analysed: AnalysedQuery,
  terms: QueryTerm[],
  plans: NamePlan[],
  namesOf: (token: string, maxTier: 0 | 1 | 2) => string,
  renderer: (tier: TierClass) => (term: QueryTerm) => string | null,
  filterNames: string[],
  filterClauses: string[],
): Array<{ match: Match; label?: string; lastResort?: boolean }> {
  const and = (parts: Array<string | null>): string | null => {
    const kept = parts.filter((p): p is string => !!p);
    if (!kept.length) return null;
    return kept.length === 1 ? (kept[0] as string) : kept.map((p) => `(${p})`).join(' AND ');
  };
  const block = (names: Array<string | null>, rest: Array<string | null>) => ({ names: and([...names, ...filterNames]), rest: and([...rest, ...filterClauses]) });
  const place = placeOf(terms);
  const blocks: Array<{ match: Match; label?: string; lastResort?: boolean }> = [];
  if (plans.length || place) {
    const anyName = (tier: 1 | 2) => `(${plans.map((p) => namesOf(p.token, tier)).join(' OR ')})`;
    const allNames = (tier: 1 | 2) => plans.map((p) => namesOf(p.token, tier)).join(' AND ');
    if (place) blocks.push({ match: block([], [`{keys}: ${quoteFts(place.value)}`]) });
    if (plans.length) {
      // Place tokens live in the names table too, so each block is one query on small doclists.
      blocks.push({ match: block([allNames(1)], []) }, { match: block([allNames(2)], []) });
      if (place?.outward) blocks.push({ match: block([anyName(2), quoteFts(facet.district(place.outward))], []) });
      if (place?.area) blocks.push({ match: block([anyName(1), quoteFts(facet.area(place.area))], []) });
      blocks.push({ match: block([anyName(1), quoteFts(facet.noPostcode)], []) });
      blocks.push({ match: block([anyName(1)], []), lastResort: true });
    }
    return blocks;
  }
  const parts = analysed.kind === 'and' ? analysed.items.filter((i) => i.kind !== 'not') : [];
  const negatives = analysed.kind === 'and' ? analysed.items.filter((i) => i.kind === 'not') : [];
  if (parts.length < 2 || parts.length > MAX_PARTIAL_PARTS) return [];
  for (let i = 0; i < parts.length; i++) {
    const rest: AnalysedQuery = { kind: 'and', items: [...parts.filter((_, j) => j !== i), ...negatives] };
    blocks.push({ match: block([], [renderFts(rest, renderer('fuzzy'))]), label: `${describeTerm(parts[i] as AnalysedQuery)} not matched` });
  }
  return blocks;
}

/** The query's plain name-like words (parts of its top-level AND), and what is left of the query without them. */
export function splitNames(node: AnalysedQuery | null): { names: Array<Extract<QueryTerm, { kind: 'word' }>>; rest: AnalysedQuery | null } {
  if (!node) return { names: [], rest: null };
  const isName = (n: AnalysedQuery): n is { kind: 'term'; term: Extract<QueryTerm, { kind: 'word' }> } => n.kind === 'term' && n.term.kind === 'word' && n.term.nameLike;
  if (isName(node)) return { names: [node.term], rest: null };
  if (node.kind !== 'and') return { names: [], rest: node };
  const names = node.items.filter(isName).map((n) => n.term);
  const others = node.items.filter((n) => !isName(n));
  // NOT alone cannot stand as a query: keep the names in the main index then.
  if (others.length && others.every((o) => o.kind === 'not')) return { names: [], rest: node };
  return { names, rest: others.length === 0 ? null : others.length === 1 ? (others[0] as AnalysedQuery) : { kind: 'and', items: others } };
}

export function highlightPlan(terms: QueryTerm[], plans: NamePlan[]): HighlightPlan {
  const words = new Set<string>();
  const phrases: string[][] = [];
  const ids = new Set<string>();
  const idKinds = new Set<FoundKind>();
  for (const t of terms) {
    if (t.kind === 'word') {
      if (t.words.length > 1) phrases.push(t.words);
      else if (!t.nameLike) words.add(t.words[0] as string);
    } else if (t.kind === 'phrase') phrases.push(t.words);
    else if (t.id === 'email') phrases.push(t.value);
    else {
      for (const v of t.value) ids.add(v);
      idKinds.add(t.id === 'district' ? 'postcode' : t.id);
    }
  }
  // Names (and the spellings they were found under) are marked as the query name they stand for.
  const names = new Map<string, string>();
  for (const p of plans) {
    for (const v of p.variants) if (!names.has(v.term)) names.set(v.term, p.token);
    names.set(p.token, p.token);
  }
  return { words, phrases, ids, idKinds, names, parts: words.size + phrases.length + ids.size + new Set(names.values()).size };
}

export function describeTerm(node: AnalysedQuery): string {
  if (node.kind === 'term') return node.term.kind === 'phrase' ? `"${node.term.text}"` : node.term.text;
  return 'part of the query';
}

export const ID_LABELS: Record<string, string> = { phone: 'phone', postcode: 'postcode', district: 'postcode district', vrm: 'vehicle', flight: 'flight', email: 'email' };

export function describeQuery(terms: QueryTerm[], plans: NamePlan[], filters: CanonicalFilters): string[] {
  const out: string[] = [];
  for (const t of terms) {
    if (t.kind === 'id') out.push(`${t.text}: ${ID_LABELS[t.id]} ${t.id === 'email' ? t.text.toLowerCase() : (t.value[0] ?? '').toUpperCase()}, in any format`);
  }
  for (const p of plans) {
    const alts = p.variants.filter((v) => v.term !== p.token).slice(0, 5);
    if (alts.length) out.push(`${p.typed}: also ${alts.map((v) => capitalise(v.term)).join(', ')}${p.variants.length > alts.length + 1 ? '…' : ''}`);
  }
  if (filters.described.length) out.push(`filters: ${filters.described.join('; ')}`);
  return out;
}

export function capitalise(s: string): string {
  return s ? (s[0] as string).toUpperCase() + s.slice(1) : s;
}

/** Near matches are looked for only in queries of at most this many parts. */
export const MAX_PARTIAL_PARTS = 5;
