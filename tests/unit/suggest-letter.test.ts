import { describe, expect, it } from 'vitest';
import { suggestFields, type SuggestedField } from '../../shared/attachments/suggest-fields.ts';
import { applySuggestion, suggestionOnForm, suggestionText } from '../../shared/attachments/rules.ts';
import { allegationFormShape } from '../../shared/schemas/form.ts';

const RECEIVED = new Date('2026-03-04T10:00:00Z'); // a Wednesday

const PAGE1 = `Dear Sir or Madam

I am writing about a man calledKwame Asante who lives at 14 Carlton Road,
Sheffield S6 3FT with several other men. He works at Sunny's Hand Car Wash on
Abbeydale Road and is paid cash in hand. He overstayed his visa two years ago.
His brother Kofi Asante drives a silver Toyota Prius registration YX19 ABC.`;
const PAGE2 = `I also know that he is booked to fly out on Friday on flight EZY8741
from Luton to Accra and will not come back. His cousin is going back to
Ghana next week by coach. You can reach his brother on 07700 900456.`;

const all = suggestFields([{ page: 1, text: PAGE1 }, { page: 2, text: PAGE2 }], [], { receivedAt: RECEIVED, subjectCount: 0 });
const of = (kind: SuggestedField['kind']) => all.filter((s) => s.kind === kind);

describe('what a letter can fill on the form', () => {
  // [kind, value, page, the words as written on the page]
  const EXPECTED: Array<[SuggestedField['kind'], string, number, string]> = [
    ['name', 'Kwame Asante', 1, 'Kwame Asante'],
    ['address', '14 Carlton Road, Sheffield S6 3FT', 1, '14 Carlton Road,\nSheffield S6 3FT'],
    ['postcode', 'S6 3FT', 1, 'S6 3FT'],
    ['business', "Sunny's Hand Car Wash", 1, "Sunny's Hand Car Wash"],
    ['offence', 'illegal_working', 1, 'paid cash'],
    ['offence', 'overstayer', 1, 'overstayed'],
    ['name', 'Kofi Asante', 1, 'Kofi Asante'],
    ['vrm', 'YX19ABC', 1, 'YX19 ABC'],
    ['flight', 'U28741', 2, 'EZY8741'],
    ['travel', 'Ghana', 2, 'going back to\nGhana next week'],
    ['phone', '07700900456', 2, '07700 900456'],
  ];
  it.each(EXPECTED)('%s %s on page %i, from the words "%s"', (kind, value, page, written) => {
    const s = all.find((x) => x.kind === kind && x.value === value);
    expect(s).toBeDefined();
    expect(s?.page).toBe(page);
    const text = page === 1 ? PAGE1 : PAGE2;
    expect(text.slice(s!.start, s!.end)).toBe(written);
    expect(s?.text).toBe(written);
  });

  it('the first person named on a record with no subject is the subject; a relation keeps its role', () => {
    expect(of('name').map((n) => [n.value, n.role])).toEqual([
      ['Kwame Asante', 'subject'],
      ['Kofi Asante', 'brother'],
    ]);
    // Someone merely mentioned is the subject only when the record has none yet.
    const mention = 'I also want to mention Zeeshan Siddiqui who does the same.';
    expect(suggestFields([{ page: 1, text: mention }], [], { subjectCount: 0 })[0]?.role).toBe('subject');
    expect(suggestFields([{ page: 1, text: mention }], [], { subjectCount: 1 })[0]?.role).toBe('associate');
    // The person a letter reports is its subject whatever the record holds.
    expect(suggestFields([{ page: 1, text: 'I am writing to report Marek Nowak who lives nearby.' }], [], { subjectCount: 1 })[0]).toMatchObject({ value: 'Marek Nowak', role: 'subject' });
  });

  it('gives a flight its date (read relative to receipt), where it leaves from and where it goes', () => {
    expect(of('flight')[0]).toMatchObject({ value: 'U28741', date: '2026-03-06', dateText: 'on Friday', origin: 'Luton', destination: 'Accra' });
  });

  it('gives travel without a flight number its destination and date', () => {
    expect(of('travel')[0]).toMatchObject({ value: 'Ghana', destination: 'Ghana', date: '2026-03-11', dateText: 'next week' });
  });

  it('says which words each suggestion came from: its sentence', () => {
    expect(of('flight')[0]?.sentence).toBe('I also know that he is booked to fly out on Friday on flight EZY8741 from Luton to Accra and will not come back.');
    expect(of('vrm')[0]?.sentence).toBe('His brother Kofi Asante drives a silver Toyota Prius registration YX19 ABC.');
  });

  it('reads a surname whose I OCR read as l ("Bogdan lonescu"), but not an English word', () => {
    const names = suggestFields([{ page: 1, text: 'I wish to report a man called Bogdan lonescu who lives here. His friend Adam lives nearby.' }]).filter((s) => s.kind === 'name');
    expect(names.map((n) => n.value)).toEqual(['Bogdan Ionescu']);
  });

  it('names the kind of business where its name says it', () => {
    expect(of('business')[0]?.businessType).toBe('car wash');
  });

  it('without a received date, gives a flight only a date written in full', () => {
    const [f] = suggestFields([{ page: 1, text: 'He has booked flight PK 2562 to Lahore on 14 March 2026.' }]);
    expect(f).toMatchObject({ kind: 'flight', value: 'PK2562', date: '2026-03-14' });
    const [g] = suggestFields([{ page: 1, text: 'He has booked flight PK 2562 to Lahore on Friday.' }]);
    expect(g?.date).toBeNull();
  });
});

describe('offence hints', () => {
  it.each([
    ['They came in the back of a lorry last year.', 'illegal_entry'],
    ['It is a sham marriage, she paid him to marry her.', 'sham_marriage'],
    ['He uses a fake passport to work.', 'document_fraud'],
    ['She is on a student visa but never goes to class.', 'visa_abuse'],
    ['The workers sleep on mattresses and their passports were taken by the boss.', 'modern_slavery'],
    ['He sells boxes of cigarettes under the counter, smuggled cigarettes from Poland.', 'tobacco_alcohol_smuggling'],
    ['He was supposed to be deported but ran away before.', 'absconder_location'],
  ])('%s -> %s', (text, offence) => {
    expect(suggestFields([{ page: 1, text }]).filter((s) => s.kind === 'offence').map((s) => s.value)).toContain(offence);
  });

  it('suggests nothing from an account that names no offence', () => {
    expect(suggestFields([{ page: 1, text: 'I am writing to say the bins were not collected on our road.' }]).filter((s) => s.kind === 'offence')).toEqual([]);
  });
});

describe('accepting a suggestion fills the form', () => {
  // As the API gives a suggestion to the viewer (absent dates and roles are null there).
  const v = (s: SuggestedField | undefined) => ({ ...(s as SuggestedField), date: s?.date ?? null, dateText: s?.dateText ?? null, role: s?.role ?? null });
  const empty = allegationFormShape.parse({ channel: 'letter', reporterType: 'public', receivedAt: '2026-03-04T10:00:00.000Z' });
  it('a flight with its date, origin and destination', () => {
    const { form } = applySuggestion(empty, v(of('flight')[0]));
    expect(form.travel).toEqual([{ flight: 'U28741', travelDate: '2026-03-06', origin: 'Luton', destination: 'Accra' }]);
    expect(suggestionOnForm(form, v(of('flight')[0]))).toBe(true);
  });
  it('a business with its kind, travel, and an offence type', () => {
    let form = applySuggestion(empty, v(of('business')[0])).form;
    form = applySuggestion(form, v(of('travel')[0])).form;
    form = applySuggestion(form, v(of('offence')[0])).form;
    expect(form.businesses).toEqual([{ name: "Sunny's Hand Car Wash", type: 'car wash', address: null }]);
    expect(form.travel).toEqual([{ flight: '', travelDate: '2026-03-11', origin: '', destination: 'Ghana' }]);
    expect(form.offenceTypes).toEqual(['illegal_working']);
    expect(suggestionOnForm(form, v(of('offence')[0]))).toBe(true);
    expect(suggestionText(v(of('offence')[0]))).toBe('Illegal working');
  });
  it('the first name on a form with no subject as its main subject', () => {
    const { form } = applySuggestion(empty, v(of('name')[0]));
    expect(form.subjects[0]).toMatchObject({ role: 'main', forename: 'Kwame', surname: 'Asante' });
  });
});
