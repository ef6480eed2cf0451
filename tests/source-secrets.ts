// The source identifiers of the 10k corpus that must never be found in plaintext at rest, and a scanner for them.
// A value that is also someone else's open data (a source whose name is a subject's name in another allegation,
// a street that is also an offence location) is not the source's secret, and is left out.
import { readFileSync } from 'node:fs';
import { CORPUS_10K } from './helpers.ts';

export interface CorpusRecord {
  id: number;
  reference: string;
  source: { name: string; phone: string; email: string; address?: string } | null;
  [k: string]: unknown;
}

export const corpus10k = (file = CORPUS_10K): CorpusRecord[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CorpusRecord);

type Source = NonNullable<CorpusRecord['source']>;

/** The name, phone and email of a source, as written (what the vault test has always looked for). */
export const asWritten = (s: Source): string[] => [s.name, s.phone, s.email];

/** As written, plus the phone's digits run together and the street of the address ("89 Barking Rd"). */
export const withStreetsAndDigits = (s: Source): string[] => [...asWritten(s), s.phone.replace(/\D/g, ''), (s.address ?? '').split(',')[0]?.trim() ?? ''];

/** Every string value in a record, as written (JSON would escape the line breaks that separate words). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The identifiers (lower case, 6 characters or more) of every source that are not also open data somewhere. */
export function sourceSecrets(records: CorpusRecord[], values: (s: Source) => string[] = asWritten): string[] {
  const open = records
    .map((r) => {
      const { source, ...rest } = r;
      // Subjects' names as the record shows them (forename and surname side by side) are open data too.
      const names = ((rest.subjects ?? []) as Array<{ forename: string; middleNames: string; surname: string }>).flatMap((x) => [`${x.forename} ${x.surname}`, [x.forename, x.middleNames, x.surname].filter(Boolean).join(' ')]);
      let text = `${strings(rest).join('\n')}\n${names.join('\n')}`;
      text = text.toLowerCase();
      for (const v of source ? values(source) : []) if (v) text = text.split(v.toLowerCase()).join(' ');
      return text;
    })
    .join('\n');
  const all = new Set<string>();
  for (const r of records) for (const v of r.source ? values(r.source) : []) if (v && v.length >= 6) all.add(v.toLowerCase());
  const alsoOpen = findAll(open, [...all]);
  return [...all].filter((v) => !alsoOpen.has(v));
}

/** Every needle found in the text: each whitespace-separated token is looked up by the needle's first word. */
export function findAll(text: string, needles: string[]): Set<string> {
  const strip = (w: string) => w.replace(/^[("'[]+/, '').replace(/[.,;:!?)"'\]]+$/, '');
  const byFirst = new Map<string, string[]>();
  for (const n of needles) {
    const key = strip(n.split(' ')[0] as string);
    byFirst.set(key, [...(byFirst.get(key) ?? []), n]);
  }
  const found = new Set<string>();
  for (const m of text.matchAll(/\S+/g)) {
    const token = m[0];
    const candidates = byFirst.get(strip(token));
    if (!candidates) continue;
    const at = m.index ?? 0;
    const lead = token.length - token.replace(/^[("'[]+/, '').length;
    // A whole word or number: "andrew james" is not in "andrew jameson".
    const whole = (i: number, c: string) => text.startsWith(c, i) && !/[a-z0-9]/.test(text[i + c.length] ?? '');
    for (const c of candidates) if (whole(at, c) || whole(at + lead, c)) found.add(c);
  }
  return found;
}

/** Two open values of one address, lower case, that a file may hold back to back. */
export interface OpenPair {
  first: string;
  second: string;
}

/**
 * Every ordered pair of the non-empty values of each open address (the subjects', businesses' and places' — never
 * the source's). PostgreSQL's jsonb stores an object's string values side by side with no separator, its keys sorted
 * by length (town, type, line1, line2, …), so an open address's "Flat 5" and "7 Chapel Street" read "Flat 57 Chapel
 * Street" in the server's files: a source's street made of two open values, neither of which holds it.
 */
export function openAddressPairs(records: CorpusRecord[]): OpenPair[] {
  const pairs: OpenPair[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const fields = value as Record<string, unknown>;
    if (typeof fields.line1 === 'string') {
      const parts = Object.values(fields).filter((v): v is string => typeof v === 'string' && v !== '').map((v) => v.toLowerCase());
      parts.forEach((first, i) => parts.forEach((second, j) => i !== j && pairs.push({ first, second })));
    }
    Object.values(fields).forEach(visit);
  };
  for (const r of records) visit({ ...r, source: null });
  return pairs;
}
