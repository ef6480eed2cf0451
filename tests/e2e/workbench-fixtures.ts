// Small stores for the workbench's end-to-end tests: a phone written four ways across four allegations (on two
// forms, in a note, in a faxed letter's text), a man whose surname one caller misspelt, a vehicle, a business and a
// flight; and a source whose phone the account repeats (withheld: it must never be found).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.ts';

export const PHONE = '07700 900461';
export const SOURCE_PHONE = '07700 900999';

type Rec = Record<string, unknown>;

export function record(n: number, over: Rec): Rec {
  return {
    reference: `IMS-2024-${String(900000 + n).padStart(6, '0')}`,
    receivedAt: `2024-0${Math.min(9, n)}-1${n % 10}T09:3${n % 10}:00Z`,
    channel: 'online_form',
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    status: 'new',
    subjects: [],
    addresses: [],
    businesses: [],
    phones: [],
    emails: [],
    vehicles: [],
    flights: [],
    freeText: 'The owner employs people with no papers.',
    notes: [],
    attachments: [],
    source: null,
    ...over,
  };
}

export const WORKBENCH_RECORDS: Rec[] = [
  record(1, {
    subjects: [{ role: 'main', forename: 'Tomasz', surname: 'Nowak', dob: '1988-03-14', gender: 'M', nationality: 'Polish' }],
    addresses: [{ type: 'work', line1: '12 Coventry Road', town: 'Birmingham', postcode: 'B10 0RX' }],
    businesses: [{ name: 'Sparkle Hand Car Wash', type: 'car wash', address: { line1: '12 Coventry Road', town: 'Birmingham', postcode: 'B10 0RX' } }],
    phones: [PHONE],
    vehicles: ['BW16 VTO'],
    freeText: 'Tomasz Nowak runs Sparkle Hand Car Wash and pays the men cash in hand. They have no papers.',
  }),
  record(2, {
    subjects: [{ role: 'main', forename: 'Tomas', surname: 'Nowak', gender: 'M' }],
    phones: ['+44 7700 900461'],
    flights: ['TK 1980'],
    freeText: 'Tomas Nowak flies out on TK 1980 next month. He drives a silver Audi.',
    source: { name: 'Mr Alan Reporter', phone: SOURCE_PHONE, email: 'alan.reporter@example.org', address: '', relationship: 'neighbour', organisation: '' },
  }),
  record(3, {
    subjects: [{ role: 'main', forename: 'Jan', surname: 'Kowalski', gender: 'M' }],
    addresses: [{ type: 'home', line1: '4 Rose Lane', town: 'Wolverhampton', postcode: 'WV3 0AA' }],
    notes: [{ date: '2024-03-20', author: 'RIU analyst', text: 'Called 07700900461 from the car wash leaflet; no answer.' }],
    freeText: `Jan Kowalski works nights at a car wash. Call me on ${SOURCE_PHONE} if you need more.`,
    source: { name: 'Ms Jo Caller', phone: SOURCE_PHONE, email: '', address: '', relationship: 'other', organisation: '' },
  }),
  record(4, {
    channel: 'fax',
    subjects: [{ role: 'main', forename: 'Piotr', surname: 'Zielinski', gender: 'M' }],
    freeText: 'Faxed letter: see the attachment.',
    attachments: [{ fileName: 'fax-0412.tif', mimeType: 'image/tiff', pages: 2, ocrText: 'To the Home Office. The boss of the car wash on Coventry Road gives out 077009 00461 for jobs. He flies on TK1980.' }],
  }),
  record(5, {
    subjects: [{ role: 'main', forename: 'Anna', surname: 'Lis', gender: 'F' }],
    addresses: [{ type: 'home', line1: '9 Mill Street', town: 'Leeds', postcode: 'LS1 4AP' }],
    freeText: 'Anna Lis overstayed her visa and works at a nail bar.',
  }),
];

/** Writes the records (or others) as a submission file and returns its path. */
export function writeSeed(records: Rec[] = WORKBENCH_RECORDS): { file: string; cleanup: () => void } {
  const dir = tempDir('ims-wb-seed-');
  const file = join(dir.dir, 'seed.jsonl');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { file, cleanup: dir.cleanup };
}
