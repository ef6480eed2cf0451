// The query language of the search box: words (all must match), "quoted phrases", AND / OR / NOT and
// parentheses. Identifiers are put in canonical form on the way in, as they are in the index. A query the
// parser cannot read gets a message that says what is wrong and where, never an exception from the engine.
import { normalisePhone, parseUkPostcode } from './normalise.ts';

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

function identifierAt(rest: string): string | null {
  const phone = PHONE_AT.exec(rest)?.[0];
  if (phone && normalisePhone(phone).valid) return phone;
  const postcode = POSTCODE_AT.exec(rest)?.[0];
  if (postcode && parseUkPostcode(postcode).postcode) return postcode;
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
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];

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
    if (items.every((i) => i.kind === 'not')) throw new QuerySyntaxError('NOT needs something to exclude from: search for a word and add NOT word2.');
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'and', items };
  }
  function parseUnary(): QueryNode {
    const t = peek();
    if (!t) throw new QuerySyntaxError('The query ends too early.');
    if (t.t === 'not') {
      pos++;
      const next = peek();
      if (!next || next.t === 'rp' || next.t === 'or' || next.t === 'and') throw new QuerySyntaxError('NOT must be followed by the word or "phrase" to exclude.');
      return { kind: 'not', item: parseUnary() };
    }
    if (t.t === 'lp') {
      pos++;
      const inner = parseOr();
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

/** Splits text into the tokens FTS5's unicode61 tokenizer would make (letters and digits). */
function ftsWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The canonical search form of one typed word: a phone as national digits, a postcode without its space. */
export function canonicalTerm(word: string): string[] {
  const digits = word.replace(/[\s()+.-]/g, '');
  if (/\s/.test(word) && parseUkPostcode(word).postcode) return [(parseUkPostcode(word).postcode as string).replace(' ', '')];
  if (/^\d{9,15}$/.test(digits) || /^\+\d{9,15}$/.test(word.replace(/[\s().-]/g, ''))) {
    const p = normalisePhone(word);
    if (p.national) return [p.national];
  }
  const pc = parseUkPostcode(word);
  if (pc.postcode && word.replace(/\s/g, '').length >= 5) return [pc.postcode.replace(' ', '')];
  return ftsWords(word);
}

function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

function termToFts(node: { text: string; phrase: boolean }): string | null {
  if (node.phrase) {
    const words = ftsWords(node.text);
    return words.length ? quote(words.join(' ')) : null;
  }
  const words = canonicalTerm(node.text);
  if (!words.length) return null;
  return words.length === 1 ? quote(words[0] as string) : `(${words.map(quote).join(' AND ')})`;
}

function nodeToFts(node: QueryNode): string | null {
  switch (node.kind) {
    case 'term':
      return termToFts(node);
    case 'not':
      return nodeToFts(node.item);
    case 'or': {
      const parts = node.items.map(nodeToFts).filter((x): x is string => !!x);
      return parts.length ? `(${parts.join(' OR ')})` : null;
    }
    case 'and': {
      const positives = node.items.filter((i) => i.kind !== 'not').map(nodeToFts).filter((x): x is string => !!x);
      const negatives = node.items.filter((i) => i.kind === 'not').map(nodeToFts).filter((x): x is string => !!x);
      if (!positives.length) return null;
      let expr = positives.length === 1 ? (positives[0] as string) : `(${positives.join(' AND ')})`;
      for (const n of negatives) expr = `(${expr} NOT ${n})`;
      return expr;
    }
  }
}

/** Translates a typed query into an FTS5 MATCH expression. */
export function toFtsMatch(q: string): string {
  const node = parseSearchQuery(q);
  if (node.kind === 'not') throw new QuerySyntaxError('NOT needs something to exclude from: search for a word and add NOT word2.');
  const expr = nodeToFts(node);
  if (!expr) throw new QuerySyntaxError('The query has no words that can be searched for (only punctuation).');
  return expr;
}
