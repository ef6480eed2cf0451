// The ranking tiers on a handful of made-up allegations: exact names before corrected before fuzzy, the full
// name written in a fax kept in view beside common exact matches, near matches only after full matches and
// ordered by what agrees (a record that is silent on the place beats one that disagrees), surnames first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { openCore, tempDir } from '../helpers.ts';

interface Made {
  ref: string;
  forename?: string;
  surname?: string;
  postcode?: string;
  freeText?: string;
  attachment?: string;
  associate?: [string, string];
}

let n = 0;
function record(m: Made) {
  n++;
  return {
    id: n,
    reference: m.ref,
    receivedAt: `2024-01-${String(n).padStart(2, '0')}T10:00:00Z`,
    channel: m.attachment ? 'fax' : 'online_form',
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    status: 'new',
    subjects: [
      { role: 'main', forename: m.forename ?? '', surname: m.surname ?? '', nationality: '' },
      ...(m.associate ? [{ role: 'associate', forename: m.associate[0], surname: m.associate[1] }] : []),
    ],
    addresses: m.postcode === undefined ? [] : [{ type: 'home', line1: `${n} High Street`, town: 'Anytown', postcode: m.postcode }],
    businesses: [],
    phones: [],
    vehicles: [],
    flights: [],
    freeText: m.freeText ?? 'Works at the car wash every day.',
    notes: [],
    attachments: m.attachment ? [{ fileName: `fax_${n}.pdf`, mimeType: 'application/pdf', pages: 1, ocrText: m.attachment }] : [],
    source: null,
  };
}

const made: Made[] = [
  { ref: 'IMS-2024-000001', forename: 'Joy', surname: 'Cruz', postcode: 'DE1 6NU' },
  { ref: 'IMS-2024-000002', forename: 'Joy', surname: 'Crus', postcode: 'DE1 6NU' },
  { ref: 'IMS-2024-000003', forename: 'Joy', surname: 'Cross', postcode: 'M1 1AA' },
  { ref: 'IMS-2024-000004', forename: 'Dler', surname: 'Kadir', postcode: 'N12 7RB' },
  { ref: 'IMS-2024-000005', forename: 'Dler', surname: '', postcode: '' },
  { ref: 'IMS-2024-000006', forename: 'Dler', surname: 'Hassan', postcode: 'B1 1AA' },
  { ref: 'IMS-2024-000007', forename: 'Tuan', surname: 'Nguyen', postcode: 'E1 6AN' },
  { ref: 'IMS-2024-000008', forename: 'Tuan', surname: 'Nguyen', postcode: 'E1 6AN' },
  { ref: 'IMS-2024-000009', forename: 'Tuan', surname: 'Nguyen', postcode: 'E1 6AN' },
  { ref: 'IMS-2024-000010', forename: 'Tuan', surname: 'Nguyen', postcode: 'E1 6AN' },
  { ref: 'IMS-2024-000011', forename: 'Hoa', surname: 'Tran', postcode: 'E2 7AA', attachment: 'She works with a man called Tuan Nguyen at the nail bar.' },
  { ref: 'IMS-2024-000012', forename: 'Salih', surname: 'Omar', postcode: 'L1 1AA' },
  { ref: 'IMS-2024-000013', forename: 'Ahmed', surname: 'Salih', postcode: 'L2 2AA' },
  { ref: 'IMS-2024-000014', forename: 'Bill', surname: 'Jones', postcode: 'CF10 1AA' },
  { ref: 'IMS-2024-000015', forename: 'William', surname: 'Jones', postcode: 'CF10 1AA' },
  { ref: 'IMS-2024-000016', forename: 'Mohamed', surname: 'Farah', postcode: 'TW3 1AA' },
];

let tmp: ReturnType<typeof tempDir>;
let core: Core;
const refs = (q: string, limit = 10) => core.search.search({ q, limit }).hits.map((h) => h.reference);
const tiers = (q: string) => Object.fromEntries(core.search.search({ q, limit: 20 }).hits.map((h) => [h.reference, h.tier]));

beforeAll(async () => {
  tmp = tempDir();
  const file = join(tmp.dir, 'made.jsonl');
  writeFileSync(file, made.map((m) => JSON.stringify(record(m))).join('\n'));
  core = await openCore(join(tmp.dir, 'profile'));
  const s = await importJsonl(core, file, { userId: null, name: 'test' });
  expect(s).toMatchObject({ imported: made.length, failed: 0 });
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('ranking', () => {
  it('puts the exact spelling first, then corrections, then fuzzy names, each labelled', () => {
    const t = tiers('Joy Crus DE1 6NU');
    expect(refs('Joy Crus DE1 6NU').slice(0, 2)).toEqual(['IMS-2024-000002', 'IMS-2024-000001']);
    expect(t['IMS-2024-000002']).toBe('exact');
    expect(t['IMS-2024-000001']).toBe('corrected');
    // Joy Cross elsewhere agrees with part of the query only.
    expect(t['IMS-2024-000003']).toBe('partial');
  });

  it('finds nicknames and transliterations as corrections', () => {
    expect(tiers('Bill Jones')).toMatchObject({ 'IMS-2024-000014': 'exact', 'IMS-2024-000015': 'corrected' });
    expect(tiers('Muhammad Farah')['IMS-2024-000016']).toBe('corrected');
  });

  it('shows an allegation naming the person only in an attachment among common exact matches', () => {
    const top = refs('Tuan Nguyen', 3);
    expect(top).toContain('IMS-2024-000011');
    expect(tiers('Tuan Nguyen')['IMS-2024-000011']).toBe('phrase');
  });

  it('prefers a record that is silent on the place to one that disagrees, in near matches', () => {
    const r = core.search.search({ q: 'Dler Kair N12 9ZZ', limit: 10 }).hits;
    const order = r.map((h) => h.reference);
    // Dler Kadir: a corrected surname, same district N12. Dler (no surname, no postcode): silent. Dler Hassan: elsewhere.
    expect(order.indexOf('IMS-2024-000004')).toBeLessThan(order.indexOf('IMS-2024-000005'));
    expect(order.indexOf('IMS-2024-000005')).toBeLessThan(order.indexOf('IMS-2024-000006'));
    expect(r.find((h) => h.reference === 'IMS-2024-000004')?.why).toEqual(expect.arrayContaining(['Kadir for Kair', 'same district N12']));
    expect(r.every((h) => h.tier === 'partial')).toBe(true);
  });

  it('lists holders of a surname before holders of that forename', () => {
    expect(refs('Salih')).toEqual(['IMS-2024-000013', 'IMS-2024-000012']);
  });

  it('says when there is nothing, rather than guessing wildly', () => {
    expect(core.search.search({ q: 'Zebedee Quackenbush', limit: 10 }).hits).toEqual([]);
  });
});
