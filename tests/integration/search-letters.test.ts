// Search over what letters and faxes say, against a real store: a short flight typed as a query still finds
// the record that says it literally, a flight is found under either airline designator whichever one the
// letter used, and words OCR glued together are found apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { openCore, tempDir } from '../helpers.ts';

function record(n: number, fields: { freeText?: string; ocrText?: string; flights?: string[] }) {
  return {
    id: n,
    reference: `IMS-2024-${String(n).padStart(6, '0')}`,
    receivedAt: '2024-03-04T10:00:00Z',
    channel: fields.ocrText ? 'letter' : 'online_form',
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    status: 'new',
    subjects: [{ role: 'main', forename: 'Kofi', middleNames: '', surname: `Boateng${n}`, knownAs: '', dob: null, approxAge: null, gender: 'M', nationality: 'Ghanaian' }],
    addresses: [],
    businesses: [],
    phones: [],
    vehicles: [],
    flights: fields.flights ?? [],
    freeText: fields.freeText ?? 'He works at the car wash without papers.',
    notes: [],
    attachments: fields.ocrText ? [{ fileName: `letter-${n}.pdf`, mimeType: 'application/pdf', pages: 1, ocrText: fields.ocrText }] : [],
    source: null,
  };
}

const RECORDS = [
  record(1, { freeText: 'His cousin arrives on VN 99 from Hanoi and stays with him.' }),
  record(2, { ocrText: 'Dear Sir\nHe flies out on Friday on flight EZY8741 from Luton.\nYours faithfully' }),
  record(3, { ocrText: 'He has a friend calledAfia Mensah who is flying onUL241 to Colombo.' }),
  record(4, { flights: ['BA 249'] }),
  record(5, { freeText: 'Nothing about flights here, only the car wash on the ring road.' }),
];

let tmp: ReturnType<typeof tempDir>;
let core: Core;
const refs = (q: string) => core.search.search({ q, limit: 10 }).hits.map((h) => h.reference);

beforeAll(async () => {
  tmp = tempDir();
  const file = join(tmp.dir, 'letters.jsonl');
  writeFileSync(file, RECORDS.map((r) => JSON.stringify(r)).join('\n'));
  core = await openCore(join(tmp.dir, 'profile'));
  await importJsonl(core, file, { userId: null, name: 'search letters test' });
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('a query read as an identifier never loses the literal words', () => {
  it.each(['VN 99', 'VN99', 'vn 99'])('%s finds the record that says "VN 99"', (q) => {
    expect(refs(q)).toContain('IMS-2024-000001');
  });
});

describe('a flight under either designator of its airline', () => {
  it.each(['EZY8741', 'EZY 8741', 'U2 8741', 'U28741'])('%s finds the letter that says EZY8741', (q) => {
    expect(refs(q)).toEqual(['IMS-2024-000002']);
  });

  it.each(['BAW249', 'BA 249', 'BA249'])('%s finds the form that holds BA 249', (q) => {
    expect(refs(q)).toEqual(['IMS-2024-000004']);
  });

  it('says how it read the flight', () => {
    expect(core.search.search({ q: 'EZY 8741', limit: 10 }).readAs).toEqual(['EZY 8741: flight U28741, in any format']);
  });
});

describe('words glued together by OCR', () => {
  it('finds a name OCR glued to the word before it, as a name in text', () => {
    expect(refs('Afia Mensah')).toContain('IMS-2024-000003');
    expect(refs('"Afia Mensah"')).toContain('IMS-2024-000003');
  });

  it('finds a flight OCR glued to the word before it', () => {
    expect(refs('UL241')).toEqual(['IMS-2024-000003']);
    expect(refs('UL 241')).toEqual(['IMS-2024-000003']);
  });
});
