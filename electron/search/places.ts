// Where a result matched, for the hits on the page only: every place of the allegation (each form field, the
// account, each note, each attachment page) is checked for the query's words, phrases, name variants and
// identifiers (in any format), and the best places are returned with a highlighted snippet and a link that
// opens the allegation there. Snippets mark hits between \u0002 and \u0003 (rendered without HTML).
import { prepared, type Db } from '../store/db.ts';
import { findIdentifiers } from '../../shared/identifiers.ts';
import { parseUkPostcode } from '../../shared/normalise.ts';
import { placeLink } from '../../shared/search-links.ts';
import type { HitPlace, SearchHit } from '../../shared/api/search.ts';
import type { Channel, OffenceType, Status } from '../../shared/domain.ts';

export interface HighlightPlan {
  /** Folded single words. */
  words: Set<string>;
  /** Folded word sequences. */
  phrases: string[][];
  /** Canonical identifiers (lower case): phone digits, compact postcodes, districts, VRMs, flights. */
  ids: Set<string>;
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
    for (const id of findIdentifiers(text)) {
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

interface MetaRow {
  id: string;
  reference: string;
  received_at: string;
  status: Status;
  channel: Channel;
  unit_code: string | null;
  free_text: string;
}

/**
 * Every part of an allegation a hit can show, in one statement: k says which part. SQLite runs a UNION ALL's
 * parts in order and each part reads its (allegation_id, ordinal) index in order, so no sort is needed (an
 * ORDER BY here cost four times the lookups).
 */
const PARTS_SQL = `
SELECT allegation_id AS x, 0 AS k, ordinal AS o, forename AS a, middle_names AS b, surname AS c, known_as AS d, aliases AS e, dob AS f, nationality AS g, role AS h FROM subjects WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 1, ordinal, line1, line2, town, postcode_raw, type, NULL, NULL, NULL FROM addresses WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 2, ordinal, name, type, NULL, NULL, NULL, NULL, NULL, NULL FROM businesses WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 3, ordinal, number_raw, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM phones WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 4, ordinal, email_raw, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM emails WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 5, ordinal, vrm_raw, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM vehicles WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 6, ordinal, flight_raw, origin, destination, NULL, NULL, NULL, NULL, NULL FROM travel WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 7, rowid, id, note_date, author_name, text, NULL, NULL, NULL, NULL FROM notes WHERE allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT t.allegation_id, 8, t.ordinal * 100000 + coalesce(p.page_no, 0), t.id, t.file_name, t.legacy_text, p.page_no, p.text, NULL, NULL, NULL
  FROM attachments t LEFT JOIN attachment_pages p ON p.attachment_id = t.id AND p.text <> '' WHERE t.allegation_id IN (SELECT value FROM json_each(@ids))
UNION ALL SELECT allegation_id, 9, ordinal, offence_type, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM allegation_offences WHERE allegation_id IN (SELECT value FROM json_each(@ids))`;

interface PartRow {
  x: string;
  k: number;
  o: number;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  e: string | null;
  f: string | null;
  g: string | null;
  h: string | null;
}

export type HitBody = Omit<SearchHit, 'score' | 'tier' | 'why'>;

/** Everything results show about these allegations (two statements for the page), in the order given. */
export function buildHits(db: Db, ids: string[], plan: HighlightPlan): Array<HitBody | null> {
  const json = JSON.stringify(ids);
  const metas = new Map<string, MetaRow>();
  for (const m of prepared(db, 'SELECT id, reference, received_at, status, channel, unit_code, free_text FROM allegations WHERE id IN (SELECT value FROM json_each(?))').all(json) as MetaRow[]) {
    metas.set(m.id, m);
  }
  const parts = new Map<string, PartRow[]>();
  for (const r of prepared(db, PARTS_SQL).all({ ids: json }) as PartRow[]) {
    const list = parts.get(r.x);
    if (list) list.push(r);
    else parts.set(r.x, [r]);
  }
  return ids.map((id) => {
    const a = metas.get(id);
    return a ? buildHit(a, parts.get(id) ?? [], plan) : null;
  });
}

/** One result: the allegation's summary, and the places its match was found with highlighted snippets. */
function buildHit(a: MetaRow, rows: PartRow[], plan: HighlightPlan): HitBody {
  const places: PlaceText[] = [];
  const form = (field: string, text: string, order: number) => {
    if (text.trim()) places.push({ place: { kind: 'form', field }, text, order });
  };
  const offences: OffenceType[] = [];
  let mainSubject = '';
  let firstPostcode = '';
  let subjectNo = 0;
  let accountAdded = false;
  let lastAttachment = '';
  const join = (...xs: Array<string | null>) => xs.filter(Boolean).join(' ');
  for (const r of rows) {
    if (r.k > 6 && !accountAdded) {
      form('Account', a.free_text, 2);
      accountAdded = true;
    }
    switch (r.k) {
      case 0: {
        const aliases = JSON.parse(r.e || '[]') as string[];
        const name = join(r.a, r.b, r.c);
        const extra = [r.d ? `known as ${r.d}` : '', aliases.length ? `aliases ${aliases.join(', ')}` : '', r.f ? `born ${r.f}` : '', r.g ?? ''].filter(Boolean).join(', ');
        if (subjectNo === 0) mainSubject = join(r.a, r.c);
        form(subjectNo === 0 ? 'Subject' : `Subject ${subjectNo + 1} (${r.h ?? ''})`, extra ? `${name} (${extra})` : name, 0);
        subjectNo++;
        break;
      }
      case 1:
        if (!firstPostcode && r.d) firstPostcode = r.d;
        form(`Address (${(r.e ?? '').replace(/_/g, ' ')})`, [r.a, r.b, r.c, r.d].filter(Boolean).join(', '), 1);
        break;
      case 2:
        form('Business', `${r.a ?? ''}${r.b ? ` (${r.b})` : ''}`, 1);
        break;
      case 3:
        form('Phone', r.a ?? '', 1);
        break;
      case 4:
        form('Email', r.a ?? '', 1);
        break;
      case 5:
        form('Vehicle', r.a ?? '', 1);
        break;
      case 6:
        form('Flight', join(r.a, r.b, r.c), 1);
        break;
      case 7:
        places.push({ place: { kind: 'note', noteId: r.a ?? '', date: r.b ?? '', author: r.c ?? '' }, text: r.d ?? '', order: 3 });
        break;
      case 8: {
        const attachmentId = r.a ?? '';
        if (attachmentId !== lastAttachment) {
          lastAttachment = attachmentId;
          if (r.c) places.push({ place: { kind: 'attachment', attachmentId, page: null, fileName: r.b ?? '' }, text: r.c, order: 4 });
        }
        if (r.e && r.d !== null) places.push({ place: { kind: 'attachment', attachmentId, page: Number(r.d), fileName: r.b ?? '' }, text: r.e, order: 4 });
        break;
      }
      case 9:
        offences.push(r.a as OffenceType);
        break;
    }
  }
  if (!accountAdded) form('Account', a.free_text, 2);

  // Places in order (form, account, notes, attachments); stop once enough places cover every part of the query.
  const scored: Array<{ p: PlaceText; spans: Array<[number, number]>; parts: number }> = [];
  const coveredAll = new Set<string>();
  for (const p of places) {
    const r = findSpans(p.text, plan);
    if (!r.parts) continue;
    scored.push({ p, spans: r.spans, parts: r.parts });
    for (const c of r.covered) coveredAll.add(c);
    if (scored.length >= MAX_PLACES && coveredAll.size >= plan.parts) break;
  }
  scored.sort((x, y) => y.parts - x.parts || x.p.order - y.p.order);
  const chosen = scored.length ? scored.slice(0, MAX_PLACES) : places.slice(0, 1).map((p) => ({ p, spans: [] as Array<[number, number]>, parts: 0 }));
  return {
    allegationId: a.id,
    reference: a.reference,
    receivedAt: a.received_at,
    status: a.status,
    channel: a.channel,
    offenceTypes: offences,
    unit: a.unit_code,
    mainSubject,
    postcode: firstPostcode,
    matches: chosen.map(({ p, spans }) => ({ place: p.place, snippet: snippet(p.text, spans), link: placeLink(a.reference, p.place) })),
  };
}
