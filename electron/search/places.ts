// Where a result matched, for the hits on the page only: every place of the allegation (each form field, the
// account, each note, each attachment page) is checked for the query's words, phrases, name variants and
// identifiers (in any format), and the best places are returned with a highlighted snippet and a link that
// opens the allegation there. Snippets mark hits between \u0002 and \u0003 (rendered without HTML).
import { prepared, type Db } from '../store/db.ts';
import { findIdentifiers, type FoundKind } from '../../shared/text/identifiers.ts';
import { parseUkPostcode } from '../../shared/text/normalise.ts';
import { placeLink } from '../../shared/search/links.ts';
import type { HitPlace, SearchHit } from '../../shared/api/search.ts';
import type { Channel, OffenceType, Status } from '../../shared/domain/vocabularies.ts';
import type { HitDisplay } from './documents.ts';

export interface HighlightPlan {
  /** Folded single words. */
  words: Set<string>;
  /** Folded word sequences. */
  phrases: string[][];
  /** Canonical identifiers (lower case): phone digits, compact postcodes, districts, VRMs, flights. */
  ids: Set<string>;
  /** The kinds of those identifiers: a place is read for these kinds only (a phone query needs no flight patterns). */
  idKinds?: ReadonlySet<FoundKind>;
  /** Folded name tokens and their variants, each with the query name it stands for. */
  names: Map<string, string>;
  /** How many distinct parts the query has (words, phrases, identifiers, names). */
  parts: number;
}

/** Places shown per hit. */
const MAX_PLACES = 3;
const SNIPPET_CHARS = 220;

interface PlaceText {
  place: HitPlace;
  text: string;
  /** Order among equally good places: form fields, account, notes, attachments. */
  order: number;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const ASCII = /^[\x00-\x7f]*$/;

/** Spans [start, end) of the text that match, and how many distinct parts of the query they cover. */
export function findSpans(text: string, plan: HighlightPlan): { spans: Array<[number, number]>; parts: number; covered: Set<string> } {
  const none = { spans: [] as Array<[number, number]>, parts: 0, covered: new Set<string>() };
  if (!text) return none;
  const ascii = ASCII.test(text);
  // Lower case keeps offsets for ASCII text; other text is folded token by token below.
  const lower = ascii ? text.toLowerCase() : fold(text);
  // Cheap necessary conditions before tokenising (most places of a hit do not match).
  let compact: string | null = null;
  const idPossible = () => {
    compact ??= lower.replace(/[^a-z0-9]/g, '');
    for (const id of plan.ids) {
      const probe = /^0\d{9,10}$/.test(id) ? id.slice(1) : id;
      if ((compact as string).includes(probe)) return true;
    }
    return false;
  };
  let wordPossible = false;
  for (const w of plan.words) if (lower.includes(w)) wordPossible = true;
  if (!wordPossible) for (const n of plan.names.keys()) if (lower.includes(n)) wordPossible = true;
  if (!wordPossible) for (const p of plan.phrases) if (p[0] && lower.includes(p[0])) wordPossible = true;
  const ids = plan.ids.size > 0 && idPossible();
  if (!wordPossible && !ids) return none;

  const spans: Array<[number, number]> = [];
  const covered = new Set<string>();
  const tokens: Array<{ t: string; start: number; end: number }> = [];
  if (wordPossible) {
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      tokens.push({ t: ascii ? lower.slice(start, end) : fold(m[0]), start, end });
    }
    for (const tok of tokens) {
      if (plan.words.has(tok.t)) {
        spans.push([tok.start, tok.end]);
        covered.add(`w:${tok.t}`);
      } else if (plan.names.has(tok.t)) {
        spans.push([tok.start, tok.end]);
        covered.add(`n:${plan.names.get(tok.t)}`);
      } else if (plan.ids.has(tok.t)) {
        spans.push([tok.start, tok.end]);
        covered.add(`i:${tok.t}`);
      }
    }
    for (const phrase of plan.phrases) {
      if (!phrase.length) continue;
      for (let i = 0; i + phrase.length <= tokens.length; i++) {
        if (tokens[i]?.t !== phrase[0]) continue;
        let ok = true;
        for (let k = 1; k < phrase.length && ok; k++) ok = tokens[i + k]?.t === phrase[k];
        if (ok) {
          spans.push([(tokens[i] as { start: number }).start, (tokens[i + phrase.length - 1] as { end: number }).end]);
          covered.add(`p:${phrase.join(' ')}`);
        }
      }
    }
  }
  if (ids) {
    for (const id of findIdentifiers(text, plan.idKinds)) {
      const values = [id.value.toLowerCase().replace(/\s/g, '')];
      if (id.kind === 'postcode') {
        const out = parseUkPostcode(id.value).outward;
        if (out) values.push(out.toLowerCase());
      }
      const hit = values.find((v) => plan.ids.has(v));
      if (hit) {
        spans.push([id.index, id.index + id.text.length]);
        covered.add(`i:${hit}`);
      }
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return { spans: merged, parts: covered.size, covered };
}

/** A window of the text around its first hits, with the hits marked and whitespace collapsed. */
export function snippet(text: string, spans: Array<[number, number]>): string {
  let start = 0;
  const first = spans[0];
  if (text.length > SNIPPET_CHARS && first) {
    start = Math.max(0, first[0] - 60);
    if (start > 0) {
      const space = text.slice(start, first[0]).search(/\s/);
      if (space >= 0) start += space + 1;
    }
  }
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  let out = '';
  let pos = start;
  for (const [a, b] of spans) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    out += text.slice(pos, from) + '\u0002' + text.slice(from, to) + '\u0003';
    pos = to;
  }
  out += text.slice(pos, end);
  out = out.replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${out}${end < text.length ? '…' : ''}`;
}

/** The texts of the allegations whose match was not found on the form: account, notes, attachment pages. */
const TEXTS_SQL = `
SELECT id AS x, 0 AS k, NULL AS a, NULL AS b, NULL AS c, free_text AS d, NULL AS e FROM allegations WHERE id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 1, id, note_date, author_name, text, NULL FROM notes WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT t.allegation_id, 2, t.id, t.file_name, t.legacy_text, p.page_no, p.text
  FROM attachments t LEFT JOIN attachment_pages p ON p.attachment_id = t.id AND p.text <> '' WHERE t.allegation_id IN (SELECT value FROM json_each(@ids))`;

interface TextRow {
  x: string;
  k: number;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | number | null;
  e: string | null;
}

export type HitBody = Omit<SearchHit, 'score' | 'tier' | 'why'>;

interface Scored {
  p: PlaceText;
  spans: Array<[number, number]>;
  parts: number;
}

/**
 * What results show for these index documents, in the order given. The summary and form fields come from one
 * row per hit (search_docs.display); the account, notes and attachment text are read — in one statement —
 * only for hits whose match the form does not fully explain (for near matches: not at all). A page of name-and-postcode results thus reads
 * ten rows instead of a hundred scattered ones.
 */
export function buildHits(db: Db, docs: number[], plan: HighlightPlan, nearMatches: ReadonlySet<number> = new Set(), every = false): Array<HitBody | null> {
  const rows = new Map<number, { id: string; display: HitDisplay }>();
  for (const [doc, id, display] of prepared(db, 'SELECT doc, allegation_id, display FROM search_docs WHERE doc IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(docs)) as Array<[number, string, string]>) {
    rows.set(doc, { id, display: JSON.parse(display) as HitDisplay });
  }
  const formScored = new Map<number, { scored: Scored[]; covered: Set<string>; fields: PlaceText[] }>();
  const needText: string[] = [];
  for (const doc of docs) {
    const row = rows.get(doc);
    if (!row) continue;
    const fields: PlaceText[] = (row.display.fields ?? []).map(([field, text]) => ({ place: { kind: 'form', field }, text, order: field.startsWith('Subject') ? 0 : 1 }));
    const scored: Scored[] = [];
    const covered = new Set<string>();
    for (const p of fields) {
      const r = findSpans(p.text, plan);
      if (!r.parts) continue;
      scored.push({ p, spans: r.spans, parts: r.parts });
      for (const c of r.covered) covered.add(c);
    }
    formScored.set(doc, { scored, covered, fields });
    // A near match disagrees with part of the query by definition: its form fields that agree (and its "why")
    // explain it, unless none does.
    const wanted = nearMatches.has(doc) ? 1 : plan.parts;
    // Every place (an entity's page lists each note and page naming it), or enough to explain the match.
    if (plan.parts > 0 && (every || covered.size < wanted)) needText.push(row.id);
  }
  const texts = new Map<string, TextRow[]>();
  if (needText.length) {
    for (const r of prepared(db, TEXTS_SQL).all({ ids: JSON.stringify(needText) }) as TextRow[]) {
      const list = texts.get(r.x);
      if (list) list.push(r);
      else texts.set(r.x, [r]);
    }
  }
  return docs.map((doc) => {
    const row = rows.get(doc);
    const form = formScored.get(doc);
    return row && form ? buildHit(row.id, row.display, form, texts.get(row.id) ?? null, plan, every ? Number.POSITIVE_INFINITY : MAX_PLACES) : null;
  });
}

/** One result: the allegation's summary, and the places its match was found with highlighted snippets. */
function buildHit(id: string, d: HitDisplay, form: { scored: Scored[]; covered: Set<string>; fields: PlaceText[] }, texts: TextRow[] | null, plan: HighlightPlan, maxPlaces: number): HitBody {
  const scored = [...form.scored];
  const coveredAll = new Set(form.covered);
  const places: PlaceText[] = [];
  let lastAttachment = '';
  for (const r of texts ?? []) {
    if (r.k === 0) {
      if (typeof r.d === 'string' && r.d.trim()) places.push({ place: { kind: 'form', field: 'Account' }, text: r.d, order: 2 });
    } else if (r.k === 1) {
      places.push({ place: { kind: 'note', noteId: r.a ?? '', date: r.b ?? '', author: r.c ?? '' }, text: String(r.d ?? ''), order: 3 });
    } else {
      const attachmentId = r.a ?? '';
      if (attachmentId !== lastAttachment) {
        lastAttachment = attachmentId;
        if (r.c) places.push({ place: { kind: 'attachment', attachmentId, page: null, fileName: r.b ?? '' }, text: r.c, order: 4 });
      }
      if (r.e && r.d !== null) places.push({ place: { kind: 'attachment', attachmentId, page: Number(r.d), fileName: r.b ?? '' }, text: r.e, order: 4 });
    }
  }
  // Texts in order (account, notes, attachments); stop once enough places cover every part of the query.
  for (const p of places) {
    const r = findSpans(p.text, plan);
    if (!r.parts) continue;
    scored.push({ p, spans: r.spans, parts: r.parts });
    for (const c of r.covered) coveredAll.add(c);
    if (scored.length >= maxPlaces && coveredAll.size >= plan.parts) break;
  }
  scored.sort((x, y) => y.parts - x.parts || x.p.order - y.p.order);
  const fallback = form.fields[0] ?? places[0];
  const chosen = scored.length ? scored.slice(0, maxPlaces) : fallback ? [{ p: fallback, spans: [] as Array<[number, number]>, parts: 0 }] : [];
  return {
    allegationId: id,
    reference: d.reference,
    receivedAt: d.receivedAt,
    status: d.status as Status,
    channel: d.channel as Channel,
    offenceTypes: d.offences as OffenceType[],
    unit: d.unit,
    mainSubject: d.mainSubject,
    postcode: d.postcode,
    matches: chosen.map(({ p, spans }) => ({ place: p.place, snippet: snippet(p.text, spans), link: placeLink(d.reference, p.place) })),
  };
}
