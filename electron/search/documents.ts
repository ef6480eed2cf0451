// What the index holds for one allegation, read from the store: the text of every place (form, account,
// notes, attachment text) in its column, identifiers in canonical form, facet tokens for the exact-valued
// filters, and the small profile used to rank candidates. Source details are never read into it: the open text
// was redacted at intake, and attachment page text is redacted again here in case a page was stored raw.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { readStored } from '../store/allegations.ts';
import { findIdentifiers } from '../../shared/text/identifiers.ts';
import { splitGluedWords } from '../../shared/text/glue.ts';
import { parseUkPostcode } from '../../shared/text/normalise.ts';
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS } from '../../shared/domain/vocabularies.ts';
import { facet } from '../../shared/search/filters.ts';
import { nameTokens } from '../../shared/search/names.ts';
import { ftsWords } from '../../shared/search/query.ts';
import { redactSource, type SourceIdentifiers } from '../../shared/sources/redact.ts';
import { LEGACY_PLAIN_FORMAT } from '../store/formats.ts';

/** The form's identifiers, for ranking: postcodes (compact), outward codes, areas, and every other identifier. */
export interface ProfileKeys {
  pc: string[];
  out: string[];
  area: string[];
  ids: string[];
}

/**
 * What a result shows without reading the record again: its summary and the text of each form field (the
 * places a hit can match on the form). The account, notes and attachment text are read only for hits whose
 * match is not found on the form.
 */
export interface HitDisplay {
  reference: string;
  status: string;
  channel: string;
  unit: string | null;
  receivedAt: string;
  offences: string[];
  mainSubject: string;
  postcode: string;
  /** [field label, text] for each form field. */
  fields: Array<[string, string]>;
}

export interface IndexDocument {
  receivedAt: string;
  display: HitDisplay;
  columns: { sname: string; gname: string; form: string; biz: string; body: string; notes: string; attach: string; keys: string; facets: string };
  /** Per subject: "given tokens;surname tokens", subjects joined by "|". */
  names: string;
  /** Distinct name tokens, for the vocabulary. */
  nameTerms: Set<string>;
  /** The form's place as blocking tokens for the names table: district, area, or "no postcode". */
  blocking: string[];
  keys: ProfileKeys;
}

// Older and foreign registrations written with a space ("H72 RFH", "ABC 123D", "B123 ABC"): the joined form
// is indexed too, so typing it without the space finds it (current-style marks are found by findIdentifiers).
const SPACED_VRM = /\b(?:([A-Z]\d{1,3})\s([A-Z]{3})|([A-Z]{3})\s(\d{1,3}[A-Z]))\b/gi;

/** Canonical tokens (lower case) of the identifiers written in a text: phones, postcodes and districts, VRMs, flights, emails. */
export function textIdentifierTokens(text: string, into: Set<string>): void {
  if (!text) return;
  for (const m of text.matchAll(SPACED_VRM)) into.add(m[0].replace(/\s/g, '').toLowerCase());
  for (const id of findIdentifiers(text)) {
    if (id.kind === 'postcode') {
      const pc = parseUkPostcode(id.value);
      into.add(id.value.replace(' ', '').toLowerCase());
      if (pc.outward) into.add(pc.outward.toLowerCase());
    } else if (id.kind === 'email') {
      into.add(ftsWords(id.value).join(' '));
    } else into.add(id.value.toLowerCase());
  }
}

/** Reads one allegation's index document from the store (its rows still in force); null if there is no such allegation. */
export function buildDocument(db: Db, id: string): IndexDocument | null {
  const stored = readStored(db, id);
  if (!stored) return null;
  const { a } = stored;

  // Earlier (provisional) references stay searchable after the server gave the national one.
  const aliases = (prepared(db, 'SELECT alias FROM reference_aliases WHERE allegation_id = ? ORDER BY alias').all(id) as Array<{ alias: string }>).map((r) => r.alias);
  const form: string[] = [a.reference, ...aliases, CHANNEL_LABELS[a.channel] ?? a.channel];
  const display: HitDisplay = { reference: a.reference, status: a.status, channel: a.channel, unit: a.unit_code, receivedAt: a.received_at, offences: [], mainSubject: '', postcode: '', fields: [] };
  const field = (label: string, text: string) => {
    if (text.trim()) display.fields.push([label, text]);
  };
  const facets: string[] = [facet.channel(a.channel), facet.status(a.status), `rep${a.reporter_type.replace(/[^a-z]/g, '')}`];
  if (a.unit_code) facets.push(facet.unit(a.unit_code));
  if (a.outcome) facets.push(facet.outcome(a.outcome));
  for (const o of stored.offences) {
    form.push(OFFENCE_TYPE_LABELS[o] ?? o);
    facets.push(facet.offence(o));
    display.offences.push(o);
  }

  const snames: string[] = [];
  const gnames: string[] = [];
  const subjects: string[] = [];
  const nameTerms = new Set<string>();
  for (const s of stored.subjects) {
    const aliases = JSON.parse(s.aliases || '[]') as string[];
    const fullName = [s.forename, s.middle_names, s.surname].filter(Boolean).join(' ');
    const extra = [s.known_as ? `known as ${s.known_as}` : '', aliases.length ? `aliases ${aliases.join(', ')}` : '', s.dob ? `born ${s.dob}` : '', s.nationality].filter(Boolean).join(', ');
    if (!subjects.length) display.mainSubject = [s.forename, s.surname].filter(Boolean).join(' ');
    field(subjects.length === 0 ? 'Subject' : `Subject ${subjects.length + 1} (${s.role})`, extra ? `${fullName} (${extra})` : fullName);
    const given = [s.forename, s.middle_names, s.known_as, ...aliases].flatMap(nameTokens);
    const surname = nameTokens(s.surname);
    gnames.push(given.join(' '));
    snames.push(surname.join(' '));
    subjects.push(`${given.join(' ')};${surname.join(' ')}`);
    for (const t of [...given, ...surname]) nameTerms.add(t);
    if (s.nationality) form.push(s.nationality);
    if (s.dob) {
      form.push(s.dob);
      facets.push(facet.dob(s.dob), facet.dobYear(s.dob));
    }
  }

  const keys = new Set<string>();
  const profile: ProfileKeys = { pc: [], out: [], area: [], ids: [] };
  const addUnique = (list: string[], v: string | null | undefined) => {
    if (v && !list.includes(v)) list.push(v);
  };
  for (const d of stored.addresses) {
    const address = [d.line1, d.line2, d.town, d.postcode_raw].filter(Boolean).join(', ');
    form.push(address);
    field(`Address (${d.type.replace(/_/g, ' ')})`, address);
    if (!display.postcode && d.postcode_raw) display.postcode = d.postcode_raw;
    const pc = d.postcode?.replace(' ', '').toLowerCase();
    addUnique(profile.pc, pc);
    addUnique(profile.out, d.postcode_outward?.toLowerCase());
    addUnique(profile.out, d.postcode_district?.toLowerCase());
    addUnique(profile.area, d.postcode_area?.toLowerCase());
  }
  for (const v of [...profile.pc, ...profile.out]) keys.add(v);
  for (const v of profile.area) keys.add(facet.area(v));
  // What the form lacks, so near matches can look for records that cannot disagree: no postcode, or a
  // subject known by one name only.
  if (!profile.pc.length && !profile.out.length) facets.push(facet.noPostcode);
  if (subjects.some((s) => s.endsWith(';'))) facets.push(facet.noSurname);

  const biz: string[] = [];
  for (const b of stored.businesses) {
    biz.push(b.name);
    form.push(b.type);
    field('Business', `${b.name}${b.type ? ` (${b.type})` : ''}`);
  }
  for (const p of stored.phones) {
    form.push(p.number_raw);
    field('Phone', p.number_raw);
    if (p.national) addUnique(profile.ids, p.national);
  }
  for (const e of stored.emails) {
    form.push(e.email_raw);
    field('Email', e.email_raw);
    addUnique(profile.ids, ftsWords(e.email).join(' '));
  }
  for (const v of stored.vehicles) {
    form.push(v.vrm_raw);
    field('Vehicle', v.vrm_raw);
    addUnique(profile.ids, v.vrm.toLowerCase());
  }
  for (const t of stored.travel) {
    form.push([t.flight_raw, t.origin, t.destination].filter(Boolean).join(' '));
    field('Flight', [t.flight_raw, t.origin, t.destination].filter(Boolean).join(' '));
    addUnique(profile.ids, t.flight_number?.toLowerCase());
  }
  for (const v of profile.ids) keys.add(v);

  textIdentifierTokens(a.free_text, keys);
  const notes: string[] = [];
  for (const n of stored.notes) {
    notes.push(`${n.note_date} ${n.author_name}\n${n.text}`);
    textIdentifierTokens(n.text, keys);
  }
  const attach: string[] = [];
  let source: SourceIdentifiers | null | undefined;
  for (const t of stored.attachments) {
    attach.push(t.file_name);
    if (t.legacy_text) {
      // Attachment text is OCR's: words it glued together ("calledAfia Mensah") are indexed apart.
      attach.push(splitGluedWords(t.legacy_text).text);
      textIdentifierTokens(t.legacy_text, keys);
    }
    for (const p of stored.pages) {
      if (p.attachment_id !== t.id || !p.text) continue;
      if (source === undefined) source = a.has_source ? readPlainSource(db, id) : null;
      const text = source ? redactSource(p.text, source).text : p.text;
      attach.push(splitGluedWords(text).text);
      textIdentifierTokens(text, keys);
    }
  }

  return {
    receivedAt: a.received_at,
    display,
    columns: {
      sname: snames.join(' \n '),
      gname: gnames.join(' \n '),
      form: form.filter(Boolean).join('\n'),
      biz: biz.join('\n'),
      body: a.free_text,
      notes: notes.join('\n\n'),
      attach: attach.join('\n\n'),
      keys: [...keys].join(' '),
      facets: facets.join(' '),
    },
    names: subjects.join('|'),
    nameTerms,
    blocking: profile.pc.length || profile.out.length ? [...profile.out.map(facet.district), ...profile.area.map(facet.area)] : [facet.noPostcode],
    keys: profile,
  };
}

/** The source's identifiers when they are held in plain form (an encrypted pane is redacted at intake instead). */
function readPlainSource(db: Db, id: string): SourceIdentifiers | null {
  const row = prepared(db, 'SELECT format, payload FROM source_details WHERE allegation_id = ?').get(id) as { format: string; payload: Buffer } | undefined;
  if (!row || row.format !== LEGACY_PLAIN_FORMAT) return null;
  try {
    return JSON.parse(row.payload.toString('utf8')) as SourceIdentifiers;
  } catch {
    return null;
  }
}
