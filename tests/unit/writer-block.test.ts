import { describe, expect, it } from 'vitest';
import { findSourceRegions } from '../../shared/sources/in-scan.ts';
import { readAddressBlock, writerFromRegions, type WriterDetails } from '../../shared/sources/writer-block.ts';
import { withholdFromScan } from '../../shared/sources/scan-withhold.ts';
import { SOURCE_MARKER } from '../../shared/sources/redact.ts';
import type { PlacedWord } from '../../shared/attachments/page-text.ts';

const BODY = 'He works at the car wash every day and is paid cash in hand.\n\n';

// [the end of a letter as OCR gives it, the writer it gives away]
const BLOCKS: Array<[string, string, WriterDetails]> = [
  [
    'name, street, town and a postcode OCR misread',
    'Yours faithfully\n\nMargaret Holloway\n22 Whitham Road\nSheffield\n$10 3HJ\nTel: 0114 496 0321',
    { name: 'Margaret Holloway', street: '22 Whitham Road', town: 'Sheffield', postcode: 'S10 3HJ', address: '22 Whitham Road, Sheffield, S10 3HJ', phone: '01144960321' },
  ],
  [
    'town and postcode on one line, email',
    'Yours sincerely\nMr David Okafor\nFlat 2, 41 Grange Avenue\nRotherham $65 2LU\nd.okafor@example.com',
    { name: 'Mr David Okafor', street: 'Flat 2, 41 Grange Avenue', town: 'Rotherham', postcode: 'S65 2LU', address: 'Flat 2, 41 Grange Avenue, Rotherham, S65 2LU', email: 'd.okafor@example.com' },
  ],
  [
    'an organisation, two street lines and a mobile',
    'Kind regards\n\nSarah Whitfield\nPractice Manager, Northgate Surgery\n3 Church Lane\nMoss Side\nManchester M14 4PX\nMobile: 07700 900777',
    { name: 'Sarah Whitfield', organisation: 'Practice Manager, Northgate Surgery', street: '3 Church Lane, Moss Side', town: 'Manchester', postcode: 'M14 4PX', address: '3 Church Lane, Moss Side, Manchester, M14 4PX', phone: '07700900777' },
  ],
  [
    'a sign-off OCR misread beyond recognition, and a fax header misread',
    'Yours filly\n\nColin Ashworth\n6 Anfield Road\nLiverpool\nL4 0TH',
    { name: 'Colin Ashworth', street: '6 Anfield Road', town: 'Liverpool', postcode: 'L4 0TH', address: '6 Anfield Road, Liverpool, L4 0TH' },
  ],
  [
    'a block whose name line OCR lost',
    'Yours sincerely\n9 Villa Road\nBirmingham\nB19 1BH\nTel: 0121 496 0871',
    { street: '9 Villa Road', town: 'Birmingham', postcode: 'B19 1BH', address: '9 Villa Road, Birmingham, B19 1BH', phone: '01214960871' },
  ],
  [
    'a labelled number with a speck after it read as one more digit (issue 17, letter 20)',
    'Yours faithfully\nStephen Booth\n3 Kirkstall Road\nLeeds\nLS3 1HS\nTel: 0113496 02883',
    { name: 'Stephen Booth', street: '3 Kirkstall Road', town: 'Leeds', postcode: 'LS3 1HS', address: '3 Kirkstall Road, Leeds, LS3 1HS', phone: '01134960288' },
  ],
  [
    'a sign-off misread by OCR',
    'Yours faithfu1ly\n\nJohn Pettigrew\n9 Mill Street\nLeeds LS9 8AB',
    { name: 'John Pettigrew', street: '9 Mill Street', town: 'Leeds', postcode: 'LS9 8AB', address: '9 Mill Street, Leeds, LS9 8AB' },
  ],
];

describe('the writer given away by a signature block', () => {
  it.each(BLOCKS)('%s', (_what, end, expected) => {
    const writer = writerFromRegions(findSourceRegions([{ page: 1, text: BODY + end }]));
    const { regions: _r, ...details } = writer ?? { regions: [] };
    expect(details).toEqual(expected);
  });

  it("finds the sender's number in a fax header OCR misread", () => {
    const [header] = findSourceRegions([{ page: 1, text: 'EAX EROM: 0151 496 0655 3 March 2026 16:42 P.L/2\nTO: Immigration Enforcement' }]);
    expect(header).toMatchObject({ kind: 'fax-header', details: { phone: '01514960655' } });
  });

  it('gives nothing away for an anonymous letter', () => {
    expect(writerFromRegions(findSourceRegions([{ page: 1, text: `${BODY}Regards\nA concerned neighbour` }]))).toBeNull();
  });
});

describe('a number one digit too long', () => {
  const phoneOf = (end: string) => writerFromRegions(findSourceRegions([{ page: 1, text: BODY + end }]))?.phone;
  const block = (line: string) => `Yours faithfully\nStephen Booth\n3 Kirkstall Road\nLeeds LS3 1HS\n${line}`;

  it('is read without its last digit only after a phone label, where the rest is a valid number', () => {
    expect(phoneOf(block('Mobile: 07700 9008891'))).toBeUndefined(); // 07700 900889 is in no operator's range
    expect(phoneOf(block('Tel. 0113 496 02883'))).toBe('01134960288');
  });

  it('is not a phone when it is two digits too long, unlabelled, or followed by words', () => {
    expect(phoneOf(block('Tel: 0113 496 028834'))).toBeUndefined();
    expect(phoneOf(block('Ref: 0113496 02883'))).toBeUndefined();
    expect(phoneOf(block('0113496 02883'))).toBeUndefined();
    expect(phoneOf(block('Tel: 0113496 02883 ext 4'))).toBeUndefined();
  });

  it('is never read so in running text', () => {
    expect(findSourceRegions([{ page: 1, text: 'Tel: 0113496 02883 is the account he pays into.\nHe works nights.' }])).toEqual([]);
  });
});

/** The page's words as OCR places them, each as sure as `sure` says (95 unless told). */
function placed(text: string, sure: (word: string) => number = () => 95): PlacedWord[] {
  return [...text.matchAll(/\S+/g)].map((m, i) => ({ text: m[0], confidence: sure(m[0]), bbox: { x0: i, y0: 0, x1: i + 1, y1: 1 }, start: m.index, end: m.index + m[0].length, row: 0 }));
}

describe("the writer's number read two ways on one scan", () => {
  const header = 'FAX FROM: 0121 496 0456 3 March 2026 16:42 P.1/1\nTO: Immigration Enforcement Allegations\n\nDear Sir\n\n';
  const letter = (tel: string) => `${header}${BODY}Yours faithfully\nJanet Brierley\n12 Church Lane\nBirmingham B13 9RT\nTel: ${tel}`;
  const phoneOf = (text: string, sure?: (w: string) => number) => writerFromRegions(findSourceRegions([{ page: 1, text, words: placed(text, sure) }]))?.phone;

  it('takes the reading OCR was clearly surer of, when the two differ as a misread does (issue 17, letter 04)', () => {
    // The block's "0436" read at 67, the header's "0456" at 94: one number, misread once.
    expect(phoneOf(letter('0121 496 0436'), (w) => (w === '0436' ? 67 : 94))).toBe('01214960456');
  });

  it("keeps the block's reading when OCR was about as sure of both, or the two are different numbers", () => {
    expect(phoneOf(letter('0121 496 0436'), (w) => (w === '0436' ? 88 : 94))).toBe('01214960436');
    const other = `${header.replace('0121 496 0456', '0161 496 0999')}${BODY}Yours faithfully\nJanet Brierley\nTel: 0121 496 0436`;
    expect(phoneOf(other, (w) => (w === '0436' ? 60 : 96))).toBe('01214960436');
  });

  it("keeps the block's reading of a typed letter (no OCR confidence to weigh)", () => {
    const text = letter('0121 496 0436');
    expect(writerFromRegions(findSourceRegions([{ page: 1, text }]))?.phone).toBe('01214960436');
  });
});

describe('reading an address block', () => {
  it.each([
    [['12 Elm Road', 'Leeds', 'LS6 2AB'], '12 Elm Road, Leeds, LS6 2AB'],
    [['12 Elm Road', 'Leeds LS6 2AB'], '12 Elm Road, Leeds, LS6 2AB'],
    [['Rose Cottage', 'Mill Lane', 'Hebden Bridge', 'HX7 8AB'], 'Rose Cottage, Mill Lane, Hebden Bridge, HX7 8AB'],
    [['Tel: 0113 496 0000', '12 Elm Road', 'Leeds', 'LS6 2AB'], '12 Elm Road, Leeds, LS6 2AB'],
    // OCR's lower case and a bracket for a J, on the block's last line (issue 17's replay, letter 21).
    [['19 Foleshill Road', 'Coventry', 'Cv14J]'], '19 Foleshill Road, Coventry, CV1 4JJ'],
    [['19 Foleshill Road', 'Coventry Cv1 4JJ'], '19 Foleshill Road, Coventry, CV1 4JJ'],
    // Words of that shape that repair to no postcode stay words.
    [['12 Elm Road', 'Leeds', 'Room 4ab'], '12 Elm Road, Leeds, Room 4ab'],
  ])('%j -> %s', (lines, address) => {
    expect(readAddressBlock(lines).address).toBe(address);
  });
});

describe('a two-page fax whose page 2 ends with the signature block', () => {
  const page1 = 'FAX FROM: 0114 496 0321    02 Mar 2026 09:14    P.1/2\nTO: Immigration Enforcement Allegations\n\nDear Sir\n\nRE: KWAME ASANTE\n\nHe lives at 14 Carlton Road, Sheffield S6 3FT and works cash in hand.';
  const page2 = 'He flies out on Friday on flight EZY8741. Margaret Holloway\nhas seen the ticket.\n\nYours faithfully\n\nMargaret Holloway\n22 Whitham Road\nSheffield\n$10 3HJ\nTel: 0114 496 0321';
  const scan = withholdFromScan([{ page: 1, text: page1 }, { page: 2, text: page2 }], null);

  it('offers the whole writer for the restricted pane', () => {
    expect(scan.writer).toMatchObject({ name: 'Margaret Holloway', address: '22 Whitham Road, Sheffield, S10 3HJ', phone: '01144960321' });
    expect(scan.writer?.regions.map((r) => `${r.page}:${r.kind}`)).toEqual(['1:fax-header', '2:signature', '2:contact']);
  });

  it("withholds the writer's name, address and phone from the open text of every page, repeats included", () => {
    const open = scan.pages.map((p) => p.open).join('\n');
    for (const secret of ['Holloway', 'Whitham', '$10 3HJ', '0114 496 0321']) expect(open).not.toContain(secret);
    expect(scan.pages[1]?.open).toContain(`${SOURCE_MARKER}\nhas seen the ticket.`);
    // The subject and the flight stay open.
    expect(open).toContain('KWAME ASANTE');
    expect(open).toContain('EZY8741');
    expect(open).toContain('S6 3FT');
  });

  it('also withholds the known source when the allegation already has one', () => {
    const known = withholdFromScan([{ page: 1, text: 'My neighbour Jane Smith told me he works nights.' }], { name: 'Jane Smith' });
    expect(known.pages[0]?.open).toBe(`My neighbour ${SOURCE_MARKER} told me he works nights.`);
    expect(known.writer).toBeNull();
  });
});
