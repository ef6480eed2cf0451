import { describe, expect, it } from 'vitest';
import { replacedSpans, withholdFromPage, withholdSpans } from '../../shared/sources/scan-withhold.ts';
import { SOURCE_MARKER } from '../../shared/sources/redact.ts';
import { assemblePageText } from '../../shared/attachments/page-text.ts';
import { applySuggestion, scanMissing, suggestionOnForm } from '../../shared/attachments/rules.ts';
import { emptyForm } from '../../shared/schemas/form.ts';

const M = SOURCE_MARKER;

describe('withholding what reveals the writer of a scan', () => {
  it('finds the spans a redaction replaced', () => {
    const original = 'Call Jane Smith on 07700 900123 about the car wash.';
    const redacted = `Call ${M} on ${M} about the car wash.`;
    const spans = replacedSpans(original, redacted);
    expect(spans.map((s) => original.slice(s.start, s.end))).toEqual(['Jane Smith', '07700 900123']);
    expect(replacedSpans('Yours, Jane Smith', `Yours, ${M}`).map((s) => [s.start, s.end])).toEqual([[7, 17]]);
    expect(replacedSpans('nothing here', 'nothing here')).toEqual([]);
  });

  it('replaces overlapping spans once', () => {
    expect(withholdSpans('0123456789', [{ start: 2, end: 5 }, { start: 4, end: 7 }, { start: 8, end: 9 }])).toBe(`01${M}7${M}9`);
  });

  it('withholds signature blocks and fax headers, and the known source wherever the page repeats them, with their boxes', () => {
    const lines = ['FAX FROM: 0113 496 0000', 'Dear Sir', 'My neighbour Jane Smith told me he works cash in hand.', 'Yours faithfully', 'Margaret Thompson'];
    const words = lines.flatMap((line, row) => line.split(' ').map((text, i) => ({ text, confidence: 90, line: row + 1, bbox: { x0: i * 100, y0: row * 40, x1: i * 100 + 90, y1: row * 40 + 30 } })));
    const page = assemblePageText(words);
    const w = withholdFromPage({ page: 1, ...page }, { name: 'Jane Smith', phone: '', email: '', address: '' });
    expect(w.regions.map((r) => r.kind).sort()).toEqual(['fax-header', 'known-source', 'signature']);
    expect(w.open).toBe(`FAX FROM: ${M}\nDear Sir\nMy neighbour ${M} told me he works cash in hand.\nYours faithfully\n${M}`);
    const known = w.regions.find((r) => r.kind === 'known-source')!;
    expect(known.boxes).toEqual([{ x0: 200, y0: 80, x1: 390, y1: 110 }]);
    // With no known source, the page still withholds what gives the writer away whoever they are.
    expect(withholdFromPage({ page: 1, ...page }, null).open).toContain('My neighbour Jane Smith');
  });
});

describe('suggestions into the form, and the missing scan', () => {
  const form = () => emptyForm(new Date('2026-03-04T10:00:00Z'), 'fax');

  it('puts each kind where it belongs, and knows when the form already holds it', () => {
    const s = (kind: 'flight' | 'vrm' | 'phone' | 'name' | 'dob' | 'address' | 'postcode' | 'email', value: string, extra: { date?: string | null; role?: string | null; text?: string } = {}) => ({ kind, value, text: extra.text ?? value, date: extra.date ?? null, role: extra.role ?? null });
    let f = form();
    const flight = applySuggestion(f, s('flight', 'TK1984', { date: '2026-03-14' }));
    expect(flight.path).toEqual(['travel', 0, 'flight']);
    expect(flight.form.travel).toEqual([{ flight: 'TK1984', travelDate: '2026-03-14', origin: '', destination: '' }]);
    f = flight.form;
    expect(suggestionOnForm(f, s('flight', 'TK1984'))).toBe(true);
    f = applySuggestion(f, s('name', 'Tariq Mahmood', { role: 'subject' })).form;
    expect(f.subjects[0]).toMatchObject({ role: 'main', forename: 'Tariq', surname: 'Mahmood' });
    f = applySuggestion(f, s('dob', '1980-02-01')).form;
    expect(f.subjects[0]?.dob).toBe('1980-02-01');
    f = applySuggestion(f, s('address', '12 Elm Road, Leeds LS6 2AB')).form;
    expect(f.addresses[0]).toMatchObject({ line1: '12 Elm Road', town: 'Leeds', postcode: 'LS6 2AB' });
    expect(suggestionOnForm(f, s('postcode', 'LS62AB'))).toBe(true);
    expect(suggestionOnForm(f, s('postcode', 'not a postcode'))).toBe(false);
    f = applySuggestion(f, s('phone', '07700900123', { text: '07700 900123' })).form;
    expect(f.phones).toEqual([{ number: '07700 900123' }]);
    expect(suggestionOnForm(f, s('phone', '+44 7700 900123'))).toBe(true);
    expect(suggestionOnForm(f, s('vrm', 'FX62KLM'))).toBe(false);
  });

  it('flags letters and faxes with neither a scan nor a reason', () => {
    expect(scanMissing({ channel: 'fax', attachments: 0, scanMissingReason: null })).toBe(true);
    expect(scanMissing({ channel: 'letter', attachments: 0, scanMissingReason: ' ' })).toBe(true);
    expect(scanMissing({ channel: 'letter', attachments: 0, scanMissingReason: 'Original with the police' })).toBe(false);
    expect(scanMissing({ channel: 'fax', attachments: 1, scanMissingReason: null })).toBe(false);
    expect(scanMissing({ channel: 'online_form', attachments: 0, scanMissingReason: null })).toBe(false);
  });
});
