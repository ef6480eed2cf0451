import { describe, expect, it } from 'vitest';
import { analyseScan, analyseText } from '../../shared/analysis/analyse-text.ts';
import { SOURCE_MARKER } from '../../shared/sources/redact.ts';

const RECEIVED = '2026-03-04T10:00:00Z'; // a Wednesday

describe('one pipeline for every text an allegation gains', () => {
  const page1 = 'FAX FROM: 0114 496 0321    02 Mar 2026 09:14    P.1/2\nTO: Immigration Enforcement Allegations\n\nDear Sir\n\nRE: KWAME ASANTE\n\nHe lives at 14 Carlton Road, Sheffield S6 3FT and works cash in hand.';
  const page2 = 'I also know he is booked to fly out\non Friday on flight EZY8741 from Luton.\n\nYours faithfully\n\nMargaret Holloway\n22 Whitham Road\nSheffield\n$10 3HJ\nTel: 0114 496 0321';
  const a = analyseScan([{ page: 1, text: page1 }, { page: 2, text: page2 }], { receivedAt: RECEIVED, form: { subjectCount: 0 } });

  it('finds the deadline on page 2 with its sentence, rule and page', () => {
    expect(a.deadlines).toHaveLength(1);
    expect(a.deadlines[0]).toMatchObject({ date: '2026-03-06', page: 2, event: 'flight', rule: 'flight + weekday', sentence: 'I also know he is booked to fly out on Friday on flight EZY8741 from Luton.' });
  });

  it('suggests the subject, the address and the flight with its date, never the writer', () => {
    expect(a.suggestions.map((s) => `${s.page}:${s.kind}:${s.value}${s.role ? `:${s.role}` : ''}${s.date ? `@${s.date}` : ''}`)).toEqual([
      '1:name:Kwame Asante:subject',
      // "He lives at": the address is typed as home (issue 19, item 12).
      '1:address:14 Carlton Road, Sheffield S6 3FT:home',
      '1:postcode:S6 3FT',
      '1:offence:illegal_working',
      '2:flight:U28741@2026-03-06',
    ]);
  });

  it('offers the writer for the pane and keeps them out of the open text and its identifiers', () => {
    expect(a.writer).toMatchObject({ name: 'Margaret Holloway', address: '22 Whitham Road, Sheffield, S10 3HJ', phone: '01144960321' });
    expect(a.pages[0]?.open).toContain(`FAX FROM: ${SOURCE_MARKER}`);
    expect(a.pages.flatMap((p) => p.identifiers.map((i) => `${i.kind}:${i.value}`))).toEqual(['postcode:S6 3FT', 'flight:U28741']);
  });
});

describe('a single text', () => {
  it('reads the account: deadlines and identifiers, the known source withheld, no signature looked for', () => {
    const a = analyseText({ page: null, text: 'My neighbour Jane Smith says he is flying to Lagos tomorrow on BA 756.', receivedAt: RECEIVED, knownSource: { name: 'Jane Smith' }, readWriter: false });
    expect(a.pages[0]?.open).toBe(`My neighbour ${SOURCE_MARKER} says he is flying to Lagos tomorrow on BA 756.`);
    expect(a.deadlines[0]).toMatchObject({ date: '2026-03-05', page: null, event: 'flight' });
    expect(a.pages[0]?.identifiers.map((i) => i.value)).toEqual(['BA756']);
    expect(a.writer).toBeNull();
  });

  it('finds nothing time-critical in a letter without a deadline', () => {
    const a = analyseText({ page: 1, text: 'He has worked at the car wash since January and is paid cash in hand every Friday.', receivedAt: RECEIVED });
    expect(a.deadlines).toEqual([]);
  });
});
