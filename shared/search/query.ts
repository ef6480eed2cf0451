// The query language of the search box: words (all must match), "quoted phrases", AND / OR / NOT and
// parentheses. Identifiers are put in canonical form on the way in, as they are in the index. A query the
// parser cannot read gets a message that says what is wrong and where, never an exception from the engine.
// Each leaf is then read as what it is (analyseQuery): an identifier (phone, postcode or district, vehicle,
// flight, email), a word that may be a name (searched fuzzily in the name fields), or a phrase.
import { flightNumberForms, foldName, normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../text/normalise.ts';
import { isPostcodeArea } from '../text/ocr-repair.ts';
import { NOT_NAMES } from './names.ts';

/**
 * The parser's budget. Real queries nest a few levels and hold a few dozen words; these bounds keep every
 * recursive step here and in the engine (and FTS5's own expression depth, 256) far from their limits, so a
 * hostile or pasted query gets a sentence instead of "Maximum call stack size exceeded".
 */
export const QUERY_LIMITS = { chars: 1000, depth: 20, terms: 100 } as const;

const NOTHING_TO_EXCLUDE = 'NOT needs something to exclude from: search for a word and add NOT word2 (a word starting with - is excluded: -smith means NOT smith; write smith to find it).';

export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

type Token =
  | { t: 'word'; v: string }
  | { t: 'phrase'; v: string }
  | { t: 'and' | 'or' | 'not' | 'lp' | 'rp' };

export type QueryNode =
  | { kind: 'term'; text: string; phrase: boolean }
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode };

// Identifiers people type with spaces inside: kept together as one word so they can be canonicalised.
const PHONE_AT = /^(?:\+44\s?\(0\)\s?|\+44\s?|0044\s?|\(?0)\d[\d()\s.-]{7,16}\d(?![\d])/;
const POSTCODE_AT = /^[A-Za-z]{1,2}\d[A-Za-z\d]?\s+\d[A-Za-z]{2}(?![A-Za-z\d])/;
// Registrations written with their space: current ("AM55 LAP"), prefix ("H72 RFH") and suffix ("ABC 123D") styles.
const VRM_AT = /^(?:[A-Za-z]{2}\d{2}\s[A-Za-z]{3}|[A-Za-z]\d{1,3}\s[A-Za-z]{3}|[A-Za-z]{3}\s\d{1,3}[A-Za-z])(?![A-Za-z\d])/;
// A flight number written with a space ("VN 787", "BA 0098", "EZY 8741"): the airline code in capitals, as printed.
const FLIGHT_AT = /^(?:[A-Z]{2,3}|[A-Z]\d|\d[A-Z])\s\d{1,4}(?![A-Za-z\d])/;

function identifierAt(rest: string): string | null {
  const phone = PHONE_AT.exec(rest)?.[0];
  if (phone) {
    // A number of the right length is kept whole even when no operator has that range (people mistype, and
    // the index keeps such numbers too).
    const p = normalisePhone(phone);
    if (p.valid || /^0\d{9,10}$/.test(p.national)) return phone;
  }
  const postcode = POSTCODE_AT.exec(rest)?.[0];
  if (postcode && parseUkPostcode(postcode).postcode) return postcode;
  const vrm = VRM_AT.exec(rest)?.[0];
  if (vrm) return vrm;
  const flight = FLIGHT_AT.exec(rest)?.[0];
  if (flight && normaliseFlightNumber(flight)) return flight;
  return null;
}

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    const atWordStart = i === 0 || /[\s(]/.test(q[i - 1] as string);
    const identifier = atWordStart ? identifierAt(q.slice(i)) : null;
    if (identifier) {
      out.push({ t: 'word', v: identifier });
      i += identifier.length;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '“' || c === '”') {
      const end = q.slice(i + 1).search(/["“”]/);
      if (end < 0) throw new QuerySyntaxError('A quotation mark is not closed: add the closing " to end the phrase.');
      const phrase = q.slice(i + 1, i + 1 + end).trim();
      if (phrase) out.push({ t: 'phrase', v: phrase });
      i += end + 2;
    } else if (c === '(') {
      out.push({ t: 'lp' });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rp' });
      i++;
    } else {
      let j = i;
      while (j < q.length && !/[\s()"“”]/.test(q[j] as string)) j++;
      const word = q.slice(i, j);
      if (word === 'AND') out.push({ t: 'and' });
      else if (word === 'OR') out.push({ t: 'or' });
      else if (word === 'NOT') out.push({ t: 'not' });
      else if (word.startsWith('-') && word.length > 1) {
        out.push({ t: 'not' }, { t: 'word', v: word.slice(1) });
      } else out.push({ t: 'word', v: word });
      i = j;
    }
  }
  return out;
}

/** Parses a query; throws QuerySyntaxError with a readable message. */
export function parseSearchQuery(q: string): QueryNode {
  if (q.length > QUERY_LIMITS.chars) throw new QuerySyntaxError(`The query is ${q.length.toLocaleString('en-GB')} characters long; a query can have at most ${QUERY_LIMITS.chars.toLocaleString('en-GB')}. Search for fewer words at a time.`);
  const tokens = tokenize(q);
  const terms = tokens.filter((t) => t.t === 'word' || t.t === 'phrase').length;
  if (terms > QUERY_LIMITS.terms) throw new QuerySyntaxError(`The query has ${terms.toLocaleString('en-GB')} words and phrases; a query can have at most ${QUERY_LIMITS.terms}. Search for fewer at a time.`);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const deeper = () => {
    if (++depth > QUERY_LIMITS.depth) throw new QuerySyntaxError(`The query has brackets or NOTs more than ${QUERY_LIMITS.depth} deep, one inside another; simplify it (NOT NOT word is the word itself).`);
  };

  function parseOr(): QueryNode {
    const items = [parseAnd()];
    while (peek()?.t === 'or') {
      pos++;
      if (!peek() || peek()?.t === 'rp' || peek()?.t === 'or' || peek()?.t === 'and') throw new QuerySyntaxError('OR needs something to search for on both sides.');
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'or', items };
  }
  function parseAnd(): QueryNode {
    const items: QueryNode[] = [];
    for (;;) {
      const t = peek();
      if (!t || t.t === 'rp' || t.t === 'or') break;
      if (t.t === 'and') {
        pos++;
        if (!items.length) throw new QuerySyntaxError('AND needs something to search for on both sides.');
        const next = peek();
        if (!next || next.t === 'rp' || next.t === 'or' || next.t === 'and') throw new QuerySyntaxError('AND needs something to search for on both sides.');
        continue;
      }
      items.push(parseUnary());
    }
    if (!items.length) throw new QuerySyntaxError('There is nothing to search for here: add a word or a "phrase".');
    if (items.every((i) => i.kind === 'not')) throw new QuerySyntaxError(NOTHING_TO_EXCLUDE);
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'and', items };
  }
  function parseUnary(): QueryNode {
    const t = peek();
    if (!t) throw new QuerySyntaxError('The query ends too early.');
    if (t.t === 'not') {
      pos++;
      const next = peek();
      if (!next || next.t === 'rp' || next.t === 'or' || next.t === 'and') throw new QuerySyntaxError('NOT must be followed by the word or "phrase" to exclude.');
      deeper();
      const item = parseUnary();
      depth--;
      return { kind: 'not', item };
    }
    if (t.t === 'lp') {
      pos++;
      deeper();
      const inner = parseOr();
      depth--;
      if (peek()?.t !== 'rp') throw new QuerySyntaxError('A bracket is not closed: add ) to end the group.');
      pos++;
      return inner;
    }
    if (t.t === 'word' || t.t === 'phrase') {
      pos++;
      return { kind: 'term', text: t.v, phrase: t.t === 'phrase' };
    }
    throw new QuerySyntaxError('A closing bracket ) has no opening bracket.');
  }

  if (!tokens.length) throw new QuerySyntaxError('Type something to search for.');
  const node = parseOr();
  if (pos < tokens.length) throw new QuerySyntaxError('A closing bracket ) has no opening bracket.');
  return node;
}

/** Splits text into the tokens FTS5's unicode61 tokenizer would make (letters and digits), folded. */
export function ftsWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export type IdentifierKind = 'phone' | 'postcode' | 'district' | 'vrm' | 'flight' | 'email';

/** One leaf of a query, read for what it is. */
export type QueryTerm =
  /**
   * `value`: the canonical index token(s) (national phone digits, compact postcode, VRM, flight, email words).
   * `also`: other ways the same identifier stands in text, each a run of index words, matched as well so that
   * reading a query as an identifier never loses a record holding the words as typed ("VN 99" in a letter)
   * or the identifier in another form (flight "U2 8741" written "EZY8741").
   */
  | { kind: 'id'; id: IdentifierKind; text: string; value: string[]; also?: string[][] }
  /** `words`: as the text columns tokenise it; `names`: folded name tokens; `nameLike`: searched as a name. */
  | { kind: 'word'; text: string; words: string[]; names: string[]; nameLike: boolean }
  | { kind: 'phrase'; text: string; words: string[] };

export type AnalysedQuery =
  | { kind: 'term'; term: QueryTerm }
  | { kind: 'and' | 'or'; items: AnalysedQuery[] }
  | { kind: 'not'; item: AnalysedQuery };

const compact = (s: string) => s.replace(/[\s()+.-]/g, '');

/** Reads one typed word: an identifier in canonical form, or a word (perhaps a name). */
export function analyseWord(word: string): QueryTerm | null {
  const text = word.trim();
  if (!text) return null;
  const digits = compact(text);
  if (/^\+?\d{9,15}$/.test(digits)) {
    const p = normalisePhone(text);
    if (p.national) return { kind: 'id', id: 'phone', text, value: [p.national] };
  }
  const pc = parseUkPostcode(text);
  if (pc.postcode && text.replace(/\s/g, '').length >= 5) return { kind: 'id', id: 'postcode', text, value: [pc.postcode.replace(' ', '').toLowerCase()] };
  if (pc.outward && /^[A-Za-z]{1,2}\d[A-Za-z\d]?$/.test(text) && isPostcodeArea(pc.area ?? '')) return { kind: 'id', id: 'district', text, value: [pc.outward.toLowerCase()] };
  if (/^(?:[A-Za-z]{2}\d{2}\s?[A-Za-z]{3}|[A-Za-z]\d{1,3}\s[A-Za-z]{3}|[A-Za-z]{3}\s\d{1,3}[A-Za-z])$/.test(text)) {
    return { kind: 'id', id: 'vrm', text, value: [normaliseVrm(text).toLowerCase()] };
  }
  const flightText = text.replace(/\s+/g, '');
  if (/^(?:[A-Za-z]{2,3}|[A-Za-z]\d|\d[A-Za-z])\d{1,4}[A-Za-z]?$/.test(flightText) && /\d{2}/.test(flightText)) {
    const f = normaliseFlightNumber(flightText);
    if (f) return { kind: 'id', id: 'flight', text, value: [f.toLowerCase()], also: flightAlternatives(f, text) };
  }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
    const words = ftsWords(normaliseEmail(text));
    if (words.length) return { kind: 'id', id: 'email', text, value: words };
  }
  const words = ftsWords(text);
  if (!words.length) return null;
  const names = foldName(text).split(' ').filter(Boolean);
  const nameLike = names.length > 0 && names.every((n) => /^\p{L}{2,}$/u.test(n) && !NOT_NAMES.has(n));
  return { kind: 'word', text, words, names, nameLike };
}

/** A flight in every form text may hold it: each designator of its airline, joined and spaced, and as typed. */
function flightAlternatives(canonical: string, typed: string): string[][] {
  const out = new Map<string, string[]>();
  const add = (words: string[]) => {
    if (words.length) out.set(words.join(' '), words);
  };
  for (const form of flightNumberForms(canonical)) {
    const m = form.toLowerCase().match(/^([a-z0-9]{2,3}?)(\d+[a-z]?)$/);
    add([form.toLowerCase()]);
    if (m) add([m[1] as string, m[2] as string]);
  }
  add(ftsWords(typed));
  out.delete(canonical.toLowerCase());
  return [...out.values()];
}

function analyseNode(node: QueryNode): AnalysedQuery | null {
  switch (node.kind) {
    case 'term': {
      if (node.phrase) {
        const words = ftsWords(node.text);
        return words.length ? { kind: 'term', term: { kind: 'phrase', text: node.text, words } } : null;
      }
      const term = analyseWord(node.text);
      return term ? { kind: 'term', term } : null;
    }
    case 'not': {
      const item = analyseNode(node.item);
      return item ? { kind: 'not', item } : null;
    }
    case 'and':
    case 'or': {
      const items = node.items.map(analyseNode).filter((x): x is AnalysedQuery => x !== null);
      if (node.kind === 'or' && items.some((i) => i.kind === 'not')) throw new QuerySyntaxError('NOT cannot stand alone on one side of OR: write (word1 OR word2) NOT word3.');
      if (!items.length) return null;
      if (items.every((i) => i.kind === 'not')) throw new QuerySyntaxError(NOTHING_TO_EXCLUDE);
      return items.length === 1 ? (items[0] as AnalysedQuery) : { kind: node.kind, items };
    }
  }
}

/** Parses and reads a query; throws QuerySyntaxError with a readable message. */
export function analyseQuery(q: string): AnalysedQuery {
  const node = parseSearchQuery(q);
  if (node.kind === 'not') throw new QuerySyntaxError(NOTHING_TO_EXCLUDE);
  const analysed = analyseNode(node);
  if (!analysed) throw new QuerySyntaxError('The query has no words that can be searched for (only punctuation).');
  return analysed;
}

/** The terms a record should agree with (not those under NOT), in the order typed. */
export function positiveTerms(node: AnalysedQuery): QueryTerm[] {
  if (node.kind === 'term') return [node.term];
  if (node.kind === 'not') return [];
  return node.items.flatMap(positiveTerms);
}

/** The canonical search form of one typed word: a phone as national digits, a postcode without its space. */
export function canonicalTerm(word: string): string[] {
  const t = analyseWord(word);
  if (!t) return [];
  if (t.kind === 'id') return t.id === 'email' ? t.value : t.value.map((v) => v.toUpperCase());
  return t.words;
}

export function quoteFts(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/**
 * Writes an analysed query as an FTS5 MATCH expression, each term written by `render` (which decides
 * columns and variants). A term the renderer drops (null) is left out; NOT excludes with FTS5's binary NOT.
 */
export function renderFts(node: AnalysedQuery, render: (term: QueryTerm) => string | null): string | null {
  switch (node.kind) {
    case 'term':
      return render(node.term);
    case 'not':
      return renderFts(node.item, render);
    case 'or': {
      const parts = node.items.map((i) => renderFts(i, render)).filter((x): x is string => !!x);
      return parts.length ? `(${parts.join(' OR ')})` : null;
    }
    case 'and': {
      const positives = node.items.filter((i) => i.kind !== 'not').map((i) => renderFts(i, render)).filter((x): x is string => !!x);
      const negatives = node.items.filter((i) => i.kind === 'not').map((i) => renderFts(i, exactTerm)).filter((x): x is string => !!x);
      if (!positives.length) return null;
      let expr = positives.length === 1 ? (positives[0] as string) : `(${positives.join(' AND ')})`;
      for (const n of negatives) expr = `(${expr} NOT ${n})`;
      return expr;
    }
  }
}

/** A term exactly as typed, in any column. */
export function exactTerm(term: QueryTerm): string {
  if (term.kind === 'id') {
    const main = term.id === 'email' ? quoteFts(term.value.join(' ')) : quoteFts(term.value[0] as string);
    if (!term.also?.length) return main;
    return `(${[main, ...term.also.map((words) => quoteFts(words.join(' ')))].join(' OR ')})`;
  }
  if (term.kind === 'phrase' || term.words.length > 1) return quoteFts(term.words.join(' '));
  return quoteFts(term.words[0] as string);
}

/** Translates a typed query into an FTS5 MATCH expression with every term exact (the first tier). */
export function toFtsMatch(q: string): string {
  const expr = renderFts(analyseQuery(q), exactTerm);
  if (!expr) throw new QuerySyntaxError('The query has no words that can be searched for (only punctuation).');
  return expr;
}
