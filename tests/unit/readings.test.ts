// Postcodes and phone numbers that cannot be read: said plainly, and never rewritten into something else.
import { describe, expect, it } from 'vitest';
import { normalisePhone, parseUkPostcode, phoneProblem, postcodeProblem } from '../../shared/text/normalise.ts';
import { UK_POSTCODE_AREAS } from '../../shared/text/postcode-areas.ts';
import { DEFAULT_ROUTING } from '../../shared/domain/routing.ts';
import { submissionFlags, submissionRecord, submissionRefusal } from '../../shared/schemas/submission.ts';
import { emptyForm, formFlags, formProblems, heldValues } from '../../shared/schemas/form.ts';

describe('phone numbers that cannot be read', () => {
  it.each([
    ['abc123', 'is not a phone number: it has letters in it'],
    ['0', 'is not a phone number: it has only 1 digit'],
    ['☎️', 'is not a phone number: it has no digits'],
    ['12345', 'is not a phone number: it has only 5 digits'],
    ['0770090012345678901', 'is not a phone number: it has 19 digits'],
    ['07700 900123 #', 'is not a phone number: it has characters a phone number does not'],
  ])('%s: %s, and it is not given an international form', (raw, problem) => {
    expect(phoneProblem(raw)).toBe(problem);
    expect(normalisePhone(raw).e164).toBeNull();
    expect(normalisePhone(raw).valid).toBe(false);
  });

  it('keeps the digits as written for a number it cannot read (abc123 is not +44123)', () => {
    expect(normalisePhone('abc123')).toEqual({ e164: null, national: '123', valid: false });
  });

  it('reads numbers in every way people write them, an extension included', () => {
    for (const raw of ['07700 900123', '+44 (0)7700 900123', '0044 7700 900123', '(0113) 496 0000', '020 7946 0000 ext. 204', '+1 202-555-0143', '']) expect(phoneProblem(raw), raw).toBeNull();
  });
});

describe('postcodes that cannot be read', () => {
  it('says why, and reads nothing from them', () => {
    expect(postcodeProblem('NOT A POSTCODE')).toBe('is not a UK postcode (e.g. SW1A 2AA, or the first half such as B71)');
    expect(postcodeProblem('ZZ99 9ZZ')).toBe('is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area');
    expect(postcodeProblem('QQ1')).toBe('is not a UK postcode: it is shaped like one, but QQ is not a UK postcode area');
    expect(parseUkPostcode('ZZ99 9ZZ')).toEqual({ postcode: null, outward: null, district: null, area: null });
  });

  it('reads full and partial postcodes of every real area, the Crown Dependencies and BFPO included', () => {
    for (const raw of ['SW1A 2AA', 'b71', 'GY1 1AA', 'JE2 3AB', 'IM1 1AA', 'BF1 3AA', 'ZE1 0AA', '']) expect(postcodeProblem(raw), raw).toBeNull();
  });

  it('knows the same areas as the routing table routes', () => {
    expect([...UK_POSTCODE_AREAS].sort()).toEqual(Object.keys(DEFAULT_ROUTING.areas).sort());
  });
});

const submission = (over: Record<string, unknown>) =>
  submissionRecord.parse({ reference: 'IMS-2026-000001', receivedAt: '2026-03-02T10:00:00Z', channel: 'online_form', reporterType: 'public', ...over });

describe('a submission with values that cannot be read', () => {
  it('is imported with each such value flagged, as written', () => {
    const rec = submission({ phones: ['abc123', '07700 900123'], addresses: [{ postcode: 'ZZ99 9ZZ' }], businesses: [{ name: 'Car wash', address: { postcode: 'NOT A POSTCODE' } }] });
    expect(submissionFlags(rec)).toEqual([
      { path: 'addresses[0].postcode', value: 'ZZ99 9ZZ', problem: 'is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area' },
      { path: 'businesses[0].address.postcode', value: 'NOT A POSTCODE', problem: 'is not a UK postcode (e.g. SW1A 2AA, or the first half such as B71)' },
      { path: 'phones[0]', value: 'abc123', problem: 'is not a phone number: it has letters in it' },
    ]);
  });

  it('is refused when it was received in the future, beyond the clocks\' skew', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(submissionRefusal(submission({ receivedAt: '2999-01-01T00:00:00Z' }), now)).toBe(
      'receivedAt: 2999-01-01T00:00:00Z is in the future (it is now 2026-03-02 12:00 UTC); a report cannot be received in the future, so the record was not imported: correct the date and import the line again',
    );
    expect(submissionRefusal(submission({ receivedAt: '2026-03-02T12:04:00Z' }), now)).toBeNull();
    expect(submissionRefusal(submission({ receivedAt: '2026-03-02T12:06:00Z' }), now)).toMatch(/is in the future/);
  });

  it('is imported with a note dated in the future kept as written, and flagged', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    const rec = submission({ notes: [{ date: '2026-03-03', author: 'x', text: 'y' }, { date: '2999-01-01', author: 'x', text: 'y' }] });
    expect(submissionRefusal(rec, now)).toBeNull();
    expect(submissionFlags(rec, now)).toEqual([{ path: 'notes[1].date', value: '2999-01-01', problem: 'is in the future (it is now 2026-03-02)' }]);
  });
});

describe('the form with values that cannot be read', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  const form = { ...emptyForm(now, 'letter'), offenceTypes: ['illegal_working' as const], freeText: 'An account.', phones: [{ number: 'abc123' }], addresses: [{ type: 'home' as const, line1: '1 High St', line2: '', town: '', postcode: 'ZZ99 9ZZ' }] };

  it('refuses a new one at its field, saying what could not be read', () => {
    expect(formProblems(form, now)).toMatchObject({ 'phones.0.number': 'is not a phone number: it has letters in it', 'addresses.0.postcode': expect.stringMatching(/ZZ is not a UK postcode area/) });
  });

  it('flags one the record already holds as written, without blocking the save', () => {
    const held = heldValues({ addresses: [{ postcode: 'ZZ99 9ZZ' }], businesses: [], phones: [{ number: ' abc123' }] });
    expect(formProblems(form, now, held)).toEqual({});
    expect(formFlags(form, held)).toEqual({
      'addresses.0.postcode': 'is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area. Kept as it was written; correct it if you can',
      'phones.0.number': 'is not a phone number: it has letters in it. Kept as it was written; correct it if you can',
    });
    // Changed to something else that cannot be read: refused again.
    expect(formProblems({ ...form, phones: [{ number: 'abc124' }] }, now, held)).toHaveProperty(['phones.0.number']);
  });

  it('refuses a received time in the future', () => {
    expect(formProblems({ ...form, receivedAt: '2999-01-01T00:00:00.000Z' }, now)).toHaveProperty('receivedAt', 'cannot be in the future');
  });
});
