import { describe, expect, it } from 'vitest';
import { canonicalFilters, filtersFromPairs, filtersFromParams, filtersToParams, searchFilters } from '../../shared/search/filters.ts';
import { QuerySyntaxError } from '../../shared/search/query.ts';
import { placeLink } from '../../shared/search/links.ts';
import { findSpans, snippet, type HighlightPlan } from '../../electron/search/places.ts';
import { csvCell, hitsToCsv } from '../../electron/search/csv.ts';
import type { SearchHit } from '../../shared/api/search.ts';

describe('fielded filters', () => {
  it('puts each filter in canonical form as an index clause', () => {
    const f = canonicalFilters({
      name: 'Kamara, Sheku',
      dob: '1988',
      postcode: 'cm17dh',
      phone: '+44 7914 991204',
      vehicle: 'bw16 vto',
      flight: 'tk 0584',
      business: 'Golden Dragon',
      offenceTypes: ['illegal_working', 'overstayer'],
      units: ['LDN-N'],
      receivedFrom: '2024-01-01',
      receivedTo: '2024-12-31',
    });
    expect(f.names).toEqual(['kamara', 'sheku']);
    expect(f.clauses).toEqual([
      '{facets}: "dobyr1988"',
      '{keys}: "cm17dh"',
      '{keys}: "07914991204"',
      '{keys}: "bw16vto"',
      '{keys}: "tk584"',
      '{biz}: "golden dragon"',
      '{facets}: ("offillegalworking" OR "offoverstayer")',
      '{facets}: ("unitldnn")',
    ]);
    expect(f.receivedFrom).toBe('2024-01-01T00:00:00.000Z');
    expect(f.receivedTo).toBe('2024-12-31T23:59:59.999Z');
    expect(canonicalFilters({ postcode: 'N13' }).clauses).toEqual(['{keys}: "n13"']);
    expect(canonicalFilters({ dob: '1988-04-12' }).clauses).toEqual(['{facets}: "dob19880412"']);
  });

  it('names the field a value cannot be read for', () => {
    expect(() => canonicalFilters({ postcode: 'not a postcode' })).toThrow(QuerySyntaxError);
    expect(() => canonicalFilters({ postcode: 'not a postcode' })).toThrow(/Postcode or district: not a postcode is not a UK postcode/);
    expect(() => canonicalFilters({ phone: '123' })).toThrow(/Phone: 123 is too short/);
    expect(() => canonicalFilters({ flight: 'hello' })).toThrow(/Flight: hello is not a flight number/);
    expect(() => canonicalFilters({ receivedFrom: '2024-05-01', receivedTo: '2024-01-01' })).toThrow(/before its start/);
    expect(searchFilters.safeParse({ dob: '1988-02-30' }).success).toBe(false);
    expect(searchFilters.safeParse({ colour: 'blue' }).success).toBe(false);
  });

  it('reads the CLI pairs and the screen address back to the same filters', () => {
    const f = searchFilters.parse(filtersFromPairs(['name=Asma Akram', 'postcode=N13', 'unit=ldn-n,lacat', 'status=new', 'from=2020-01-01']));
    expect(f).toEqual({ name: 'Asma Akram', postcode: 'N13', units: ['LDN-N', 'LACAT'], statuses: ['new'], receivedFrom: '2020-01-01' });
    expect(searchFilters.parse(filtersFromParams(filtersToParams(f)))).toEqual(f);
    expect(() => filtersFromPairs(['colour=blue'])).toThrow(/unknown filter/);
    expect(() => filtersFromPairs(['postcode'])).toThrow(/key=value/);
  });
});

describe('where a hit matched', () => {
  const plan: HighlightPlan = {
    words: new Set(['van']),
    phrases: [['no', 'papers']],
    ids: new Set(['07914991204', 'n131lb', 'n13']),
    names: new Map([
      ['akram', 'akrem'],
      ['akrem', 'akrem'],
    ]),
    parts: 6,
  };

  it('marks words, phrases, name spellings and identifiers written in any format', () => {
    const text = 'Asma AKRAM has no papers. Call 079 1499 1204 or see her at 206 Barking Road N13 1LB in a white van.';
    const { spans, parts } = findSpans(text, plan);
    expect(spans.map(([a, b]) => text.slice(a, b))).toEqual(['AKRAM', 'no papers', '079 1499 1204', 'N13 1LB', 'van']);
    expect(parts).toBe(6);
  });

  it('finds nothing, cheaply, in text that cannot match', () => {
    expect(findSpans('Nothing to see here.', plan)).toMatchObject({ spans: [], parts: 0 });
  });

  it('cuts a snippet around the first hit and marks hits without HTML', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(10)}He has no papers at all.\n\nNew   paragraph.`;
    const s = snippet(text, findSpans(text, plan).spans);
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain('He has \u0002no papers\u0003 at all. New paragraph.');
    expect(snippet('<b>no papers</b>', [[3, 12]])).toBe('<b>\u0002no papers\u0003</b>');
  });

  it('links a hit to the place it matched', () => {
    expect(placeLink('IMS-2020-000003', { kind: 'attachment', attachmentId: 'a1', page: 2, fileName: 'fax.pdf' })).toBe('#/allegation/IMS-2020-000003?tab=attachments&attachment=a1&page=2');
    expect(placeLink('IMS-2020-000003', { kind: 'attachment', attachmentId: 'a1', page: null, fileName: 'fax.pdf' })).toBe('#/allegation/IMS-2020-000003?tab=attachments&attachment=a1');
    expect(placeLink('IMS-2020-000003', { kind: 'note', noteId: 'n1', date: '2020-01-01', author: 'AB' })).toBe('#/allegation/IMS-2020-000003?tab=notes&note=n1');
    expect(placeLink('IMS-2020-000003', { kind: 'form', field: 'Address (home)' })).toBe('#/allegation/IMS-2020-000003?tab=form&field=Address%20(home)');
  });
});

describe('CSV export', () => {
  it('quotes every cell and defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+44 7700')).toBe(`"'+44 7700"`);
    expect(csvCell('Asma, "Akram"')).toBe('"Asma, ""Akram"""');
    const hit: SearchHit = {
      allegationId: '00000000-0000-4000-8000-000000000001',
      reference: 'IMS-2020-000001',
      receivedAt: '2020-01-02T11:30:46.000Z',
      status: 'new',
      channel: 'fax',
      offenceTypes: ['illegal_working'],
      unit: 'LACAT',
      mainSubject: 'Asma Akram',
      postcode: 'N13 1LB',
      score: 1,
      tier: 'corrected',
      why: ['Akram for Akrem'],
      matches: [{ place: { kind: 'form', field: 'Subject' }, snippet: 'Asma \u0002Akram\u0003', link: '#/allegation/IMS-2020-000001?tab=form&field=Subject' }],
    };
    const csv = hitsToCsv([hit]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('"Rank","Reference","Received","Status","Channel","Offences","Unit","Main subject","Postcode","Match","Matched in","Snippet","Link"');
    expect(lines[1]).toContain('"IMS-2020-000001","2020-01-02","New","Fax","Illegal working"');
    expect(lines[1]).toContain('"Corrected spelling; Akram for Akrem","Subject","Asma Akram"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
