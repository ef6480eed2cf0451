// Sentences of text as people and OCR write it: a letter's lines wrap inside sentences ("He is flying out\non
// Friday"), online-form accounts often have no full stops at all ("...every Wednesday There is always..."),
// and "Mr." or "approx." end no sentence. A deadline's evidence, and the words an identifier came from, are
// shown to a person as the sentence that holds them, never the whole account (issue 19, item 8).

export interface Span {
  start: number;
  end: number;
}

/** A wrapped line runs on into the next when it is at least this long and ends without punctuation. */
const WRAPPED_LINE = 30;
/** Words a sentence does not end on: a line ending with one runs on. */
const RUNS_ON = /\b(?:on|to|the|a|an|at|in|for|of|by|with|from|and|or|but|is|are|was|were|will|be|out|his|her|their|my|this|next|that|flight|flying|leaving|going|has|have|had|he|she|they|who)$/i;
/** Lines that start a new part of a letter, never the rest of a sentence. */
const NEW_PART = /^(?:yours|dear|re\s*:|tel\b|fax\b|from\s*:|to\s*:|signed|regards|kind regards|best wishes|many thanks|thank you|date\s*:|subject\s*:|p\.?s\b)/i;
/** Abbreviations whose full stop ends no sentence. */
const ABBREVIATIONS = /\b(?:mr|mrs|ms|dr|st|no|nos|approx|etc|e\.g|i\.e|tel|mob|ref|rd|ave|jr|sr|co|ltd|vs|inc|dept|sgt|insp|cllr|hon|rt|gov|p\.?o)\.$/i;
/** Past this length a span with no full stop is split where a new sentence visibly starts. */
const RUN_ON = 200;
const SENTENCE_START = /(?<=\p{Ll}[,;]?) (?=(?:He|She|They|There|I|We|His|Her|Their|My|The|This|It|When|Also|Then|Now|Someone|Everyone|Nobody|Apparently|Information|Subject|Staff|Workers?)\b)/gu;

/**
 * The text with each line break that falls inside a sentence turned into a space (same length, so offsets
 * stay valid): a wrapped line of a letter runs on into the next.
 */
export function unwrapLines(text: string): string {
  let out = '';
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\n') {
      out += c;
      continue;
    }
    const prev = text.slice(lineStart, i).trim();
    const nextEnd = text.indexOf('\n', i + 1);
    const next = text.slice(i + 1, nextEnd < 0 ? text.length : nextEnd).trim();
    lineStart = i + 1;
    const soft =
      prev.length > 0 &&
      next.length > 0 &&
      !/[.!?:;]["'’”)]?$/.test(prev) &&
      !NEW_PART.test(next) &&
      (RUNS_ON.test(prev) || /^\p{Ll}/u.test(next) || (prev.length >= WRAPPED_LINE && !/^[\p{Lu}\d\s,.'’-]+$/u.test(prev)));
    out += soft ? ' ' : '\n';
  }
  return out;
}

/** Sentence spans of the text (after unwrapping), trimmed of surrounding space. */
export function sentenceSpans(text: string): Span[] {
  const flat = unwrapLines(text);
  const spans: Span[] = [];
  let start = 0;
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(flat[s] as string)) s++;
    while (e > s && /\s/.test(flat[e - 1] as string)) e--;
    if (e > s) spans.push(...splitRunOn(flat, s, e));
  };
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i] as string;
    if (c === '\n') {
      push(start, i);
      start = i + 1;
    } else if (/[.!?]/.test(c)) {
      const after = flat[i + 1];
      // "09.03.2026", "£3.50", "kaslam@example.com": a stop followed by a letter or digit ends nothing.
      if (after !== undefined && !/\s|["'’”)]/.test(after)) continue;
      if (c === '.' && ABBREVIATIONS.test(flat.slice(Math.max(start, i - 8), i + 1))) continue;
      // A stop before a word in lower case ends no sentence: OCR's specks ("and. he flies. out") and "e.g. this".
      if (/^[ \t]+\p{Ll}/u.test(flat.slice(i + 1, i + 4))) continue;
      let end = i + 1;
      while (end < flat.length && /["'’”)]/.test(flat[end] as string)) end++;
      push(start, end);
      start = end;
      i = end - 1;
    }
  }
  push(start, flat.length);
  return spans;
}

function splitRunOn(text: string, start: number, end: number): Span[] {
  if (end - start <= RUN_ON) return [{ start, end }];
  const out: Span[] = [];
  let s = start;
  const part = text.slice(start, end);
  for (const m of part.matchAll(SENTENCE_START)) {
    const at = start + (m.index ?? 0);
    if (at - s >= 20) {
      out.push({ start: s, end: at });
      s = at + 1;
    }
  }
  out.push({ start: s, end });
  return out;
}

/** The sentence holding position `index`, as a span of the text. */
export function sentenceAt(text: string, index: number, spans: Span[] = sentenceSpans(text)): Span {
  return spans.find((s) => index >= s.start && index < s.end) ?? { start: index, end: index };
}

/**
 * What to show a person as the place of [start, end): the sentence, or when the sentence is long (an account
 * with no full stops), the words around the place, marked as cut with "…". Line breaks become spaces.
 */
export function evidenceText(text: string, sentence: Span, start: number, end: number, max = 240): string {
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (sentence.end - sentence.start <= max) return clean(text.slice(sentence.start, sentence.end));
  const room = Math.max(0, max - (end - start));
  let from = Math.max(sentence.start, start - Math.floor(room / 2));
  let to = Math.min(sentence.end, end + Math.ceil(room / 2));
  // Whole words only.
  if (from > sentence.start) from = text.indexOf(' ', from) + 1 || from;
  if (to < sentence.end) {
    const space = text.lastIndexOf(' ', to);
    if (space > end) to = space;
  }
  return `${from > sentence.start ? '… ' : ''}${clean(text.slice(from, to))}${to < sentence.end ? ' …' : ''}`;
}
