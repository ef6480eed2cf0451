// `ims linkage`: the product's own matcher over person records in the FEBRL column layout, so it can be judged
// on public benchmarks. Blocking, then the pairwise comparison the panel uses, then every pair the panel would
// list (at least LIST_FLOOR_BITS of evidence) written as rec_id_a,rec_id_b,score.
import { readFileSync, writeFileSync } from 'node:fs';
import { FrequencyTable } from '../../shared/matching/frequency.ts';
import { compareRecords, prepareRecord, type PreparedRecord } from '../../shared/matching/person-record.ts';
import { addressKeys, idKeys, personKeys } from '../../shared/matching/blocking.ts';
import { LIST_FLOOR_BITS } from '../../shared/matching/score.ts';

export const FEBRL_COLUMNS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'] as const;

export interface LinkageRecord {
  id: string;
  /** Which input file (0 or 1): in linkage mode only pairs across files are compared. */
  side: number;
  prepared: PreparedRecord;
}

export interface LinkageOptions {
  /** Compare soc_sec_id too (off by default: an identifier like it rarely exists in allegations). */
  useId?: boolean;
  /** Least evidence (bits) for a pair to be written (default LIST_FLOOR_BITS). */
  minBits?: number;
  /** Blocks larger than this are too common to say anything and are skipped (other keys still pair their records). */
  maxBlock?: number;
}

export interface LinkagePair {
  a: string;
  b: string;
  score: number;
  weight: number;
}

export interface LinkageResult {
  records: number;
  candidatePairs: number;
  pairs: LinkagePair[];
  seconds: number;
}

/** Parses CSV (quotes, doubled quotes, CRLF); FEBRL writes values as ", value", so cells are trimmed. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n') {
      row.push(field.trim());
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) {
    row.push(field.trim());
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Reads a FEBRL-layout file into person records; columns are found by name, so extra columns are ignored. */
export function readFebrl(file: string, side: number, opts: LinkageOptions = {}): LinkageRecord[] {
  const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('rec_id') < 0) throw new Error(`${file}: no rec_id column (expected ${FEBRL_COLUMNS.join(',')})`);
  const get = (r: string[], name: string) => {
    const i = col(name);
    return i >= 0 ? (r[i] ?? '') : '';
  };
  return rows.slice(1).map((r) => ({
    id: get(r, 'rec_id'),
    side,
    prepared: prepareRecord({
      forename: get(r, 'given_name'),
      surname: get(r, 'surname'),
      dob: get(r, 'date_of_birth'),
      address: { number: get(r, 'street_number'), line1: get(r, 'address_1'), line2: get(r, 'address_2'), town: get(r, 'suburb'), postcode: get(r, 'postcode'), region: get(r, 'state') },
      idNumber: opts.useId ? get(r, 'soc_sec_id') : null,
    }),
  }));
}

/** Value counts over the records being matched: what makes a surname rare here. */
export function learnFrequencies(records: readonly LinkageRecord[]): FrequencyTable {
  const f = new FrequencyTable();
  for (const { prepared: p } of records) {
    for (const t of p.person.family) f.add('surname', t);
    if (p.person.familyAll.length > 1) f.add('surname', p.person.familyAll.join(''));
    for (const t of p.person.given) f.add('forename', t);
    if (p.person.dob) f.add('dob', p.person.dob.digits);
    const a = p.address;
    if (a) {
      if (a.postcode) f.add('postcode', a.postcode);
      if (a.district) f.add('district', a.district);
      if (a.street) f.add('street', a.street);
      if (a.number) f.add('number', a.number);
      if (a.town) f.add('town', a.town);
      if (a.region) f.add('region', a.region);
    }
  }
  return f;
}

export function link(records: readonly LinkageRecord[], opts: LinkageOptions = {}): LinkageResult {
  const started = performance.now();
  const minBits = opts.minBits ?? LIST_FLOOR_BITS;
  const maxBlock = opts.maxBlock ?? 500;
  const linkage = records.some((r) => r.side !== records[0]?.side);
  const freq = learnFrequencies(records);

  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    const keys = new Set([...personKeys(r.prepared.person), ...(r.prepared.address ? addressKeys(r.prepared.address) : []), ...(r.prepared.idNumber ? idKeys(r.prepared.idNumber) : [])]);
    for (const k of keys) {
      const list = blocks.get(k);
      if (list) list.push(i);
      else blocks.set(k, [i]);
    }
  });
  const seen = new Set<number>();
  const pairs: LinkagePair[] = [];
  const n = records.length;
  for (const list of blocks.values()) {
    if (list.length < 2 || list.length > maxBlock) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const i = list[x] as number;
        const j = list[y] as number;
        const key = i < j ? i * n + j : j * n + i;
        if (seen.has(key)) continue;
        seen.add(key);
        const a = records[i] as LinkageRecord;
        const b = records[j] as LinkageRecord;
        if (linkage && a.side === b.side) continue;
        const c = compareRecords(a.prepared, b.prepared, freq, n);
        if (c.weight >= minBits) pairs.push({ a: a.id, b: b.id, score: c.score, weight: c.weight });
      }
    }
  }
  pairs.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
  return { records: n, candidatePairs: seen.size, pairs, seconds: Math.round(performance.now() - started) / 1000 };
}

export function writePairs(file: string, pairs: readonly LinkagePair[]): void {
  const lines = ['rec_id_a,rec_id_b,score'];
  for (const p of pairs) lines.push(`${p.a},${p.b},${p.score.toFixed(6)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The whole command: read one or two files, link, write the pairs. */
export function runLinkage(inA: string, inB: string | null, out: string, opts: LinkageOptions = {}) {
  const records = [...readFebrl(inA, 0, opts), ...(inB ? readFebrl(inB, 1, opts) : [])];
  const result = link(records, opts);
  writePairs(out, result.pairs);
  return { in: inB ? [inA, inB] : [inA], out, records: result.records, candidatePairs: result.candidatePairs, pairsWritten: result.pairs.length, seconds: result.seconds };
}
