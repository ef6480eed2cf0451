import { describe, expect, it } from 'vitest';
import { findIdentifiers, prepareIdentifierReader } from '../../shared/text/identifiers.ts';
import { flightNumberForms, normaliseFlightNumber } from '../../shared/text/normalise.ts';
import { airlineOf, designatorForms } from '../../shared/text/airlines.ts';

// [text as a letter, fax or OCR gives it, the identifiers expected as "kind:value@as written"]
const CASES: Array<[string, string[]]> = [
  // Flights by IATA designator, spaced or not
  ['He flies on U2 8741 from Luton.', ['flight:U28741@U2 8741']],
  ['booked on BA 249 to Lagos', ['flight:BA249@BA 249']],
  ['TK2584 departs at 7', ['flight:TK2584@TK2584']],
  // ... and by the ICAO designator booking systems print, kept under the IATA code
  ['on flight EZY8741', ['flight:U28741@EZY8741']],
  ['EZY 8741 on Friday', ['flight:U28741@EZY 8741']],
  ['ticket for BAW249 attached', ['flight:BA249@BAW249']],
  ['THY1984 to Istanbul', ['flight:TK1984@THY1984']],
  // A short flight that is not a real postcode district
  ['arriving on VN 99 from Hanoi', ['flight:VN99@VN 99']],
  // Words glued by OCR
  ['He is flying onUL241 to Colombo', ['flight:UL241@UL241']],
  ['call him on07700900123or later', ['phone:07700900123@07700900123']],
  ['flying out onEZY8741tomorrow', ['flight:U28741@EZY8741']],
  // A designator OCR misread, after a word that says a flight follows
  ['He flew back from Delhi on Al\n114.', ['flight:AI114@Al\n114']],
  // A number wrapped onto the next line
  ['He can be reached on 07700\n900889. Thanks', ['phone:07700900889@07700\n900889']],
  // Not flights
  ['He lives in SE 12 near the park', []],
  ['print it on A4 paper', []],
  ['SKY 12 and ONE 23 are not flights', []],
  ['DOB12/03/1980', []],
  ['ABC123 is a reference', []],
  // Phones, UK and foreign
  ['ring 07700 900123 after six', ['phone:07700900123@07700 900123']],
  ['his Polish number +48 601 234 567', ['phone:48601234567@+48 601 234 567']],
  ['tel: 0113 496 0123', ['phone:01134960123@0113 496 0123']],
  // Vehicles
  ['drives a silver Golf BW16 VTO', ['vrm:BW16VTO@BW16 VTO']],
  ['reg YX19ABC parked outside', ['vrm:YX19ABC@YX19ABC']],
  // Postcodes, as written and through OCR misreads that repair into a real postcode
  ['12 High Street, Rotherham S65 2LU', ['postcode:S65 2LU@S65 2LU']],
  ['12 High Street, Rotherham $65 2LU', ['postcode:S65 2LU@$65 2LU']],
  ['Westminster SWlA 2AA', ['postcode:SW1A 2AA@SWlA 2AA']],
  ['Tottenham N13 1L8', ['postcode:N13 1LB@N13 1L8']],
  ['London 5E1 7PB', ['postcode:SE1 7PB@5E1 7PB']],
  ['LOOK 1ST at the list, IS 5ET', []],
  // Emails
  ['email kaslam@example.com today', ['email:kaslam@example.com@kaslam@example.com']],
];

describe('identifiers as people and OCR write them', () => {
  it.each(CASES)('%s', (text, expected) => {
    const found = findIdentifiers(text).map((i) => `${i.kind}:${i.value}@${i.text}`);
    expect(found).toEqual(expected);
  });

  it('gives spans into the text as given, even where glued words were split to read it', () => {
    const text = 'He is flying onUL241 to Colombo';
    const [flight] = findIdentifiers(text);
    expect(text.slice(flight!.index, flight!.index + flight!.text.length)).toBe('UL241');
  });

  it("names the airline from OpenFlights' list", () => {
    expect(findIdentifiers('on flight EZY8741')[0]?.airline).toBe('easyJet');
    expect(findIdentifiers('BA 249')[0]?.airline).toBe('British Airways');
  });
});

describe('flight numbers compare equal under every designator of their airline', () => {
  it.each([
    ['EZY8741', 'U28741'],
    ['EZY 8741', 'U28741'],
    ['u2 8741', 'U28741'],
    ['BAW 0249', 'BA249'],
    ['BA 0098', 'BA98'],
    ['XQZ123', null],
  ])('%s -> %s', (raw, canonical) => {
    expect(normaliseFlightNumber(raw)).toBe(canonical);
  });

  it('lists the forms a flight may be written in, for search', () => {
    expect(flightNumberForms('U28741').sort()).toEqual(['EZY8741', 'U28741']);
    expect(flightNumberForms('BA249').sort()).toEqual(['BA249', 'BAW249']);
    expect(designatorForms('EZY').sort()).toEqual(['EZY', 'U2']);
    expect(airlineOf('UL')?.name).toBe('SriLankan Airlines');
  });
});

describe('preparing the reader before the first search', () => {
  // Search prepares the reader once (electron/search/index.ts) so that no query pays its one-time work; a path
  // the preparation does not take would be paid for by the first search that meets it.
  it('takes every path: each kind, phones wrapped and glued, postcodes as written and repaired, ICAO and misread flights', () => {
    const found = prepareIdentifierReader().map((f) => `${f.kind}:${f.value}@${f.text}${f.repaired ? ' repaired' : ''}`);
    expect(new Set(found.map((f) => f.split(':')[0]))).toEqual(new Set(['phone', 'postcode', 'vrm', 'flight', 'email']));
    expect(found).toEqual(
      expect.arrayContaining([
        'phone:02079460958@+44 20 7946 0958',
        'phone:01214960436@0121 496\n0436',
        'phone:07700900123@07700900123',
        'postcode:TW5 6RH@tw5 6rh',
        'postcode:S65 2LU@$65 2LU repaired',
        'postcode:SW1A 2AA@SWlA 2AA repaired',
        'flight:U28741@U2 8741',
        'flight:U28741@EZY8741',
        'flight:AI114@Al 114',
        'flight:UL241@UL241',
      ]),
    );
  });
});
