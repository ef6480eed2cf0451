// Allegation against allegation: identifiers agree whatever format they were written in, and wherever they were
// written (form, account, attachment text); the label says whether it is the same subject or a link.
import { describe, expect, it } from 'vitest';
import { buildProfile, compareAllegations, prepareAllegation, type AllegationDraft } from '../../shared/matching/allegation.ts';
import { queryKeys, storedKeys } from '../../shared/matching/allegation-keys.ts';
import { FLAT_FREQUENCIES } from '../../shared/matching/frequency.ts';
import { SUGGEST_THRESHOLD } from '../../shared/matching/score.ts';

const compare = (a: AllegationDraft, b: AllegationDraft) => compareAllegations(prepareAllegation(buildProfile(a)), prepareAllegation(buildProfile(b)), FLAT_FREQUENCIES);
const fields = (c: ReturnType<typeof compare>) => c.evidence.map((e) => `${e.field}:${e.level}`);

describe('allegation comparison', () => {
  it('agrees on a phone number written in two formats', () => {
    const c = compare({ phones: ['07700 900123'] }, { phones: ['+44 (0)7700-900-123'] });
    expect(fields(c)).toContain('phone:exact');
  });

  it('finds a vehicle and a flight that only an attachment mentions', () => {
    const c = compare(
      { vehicles: ['BW16 VTO'], flights: ['TK 1986'] },
      { attachmentTexts: ['He has been seen driving a silver Golf BW16VTO and has booked flight TK1986 to Istanbul.'] },
    );
    expect(fields(c)).toEqual(expect.arrayContaining(['vehicle:exact_in_text', 'flight:exact_in_text']));
  });

  it('reads a misread registration (0 for O) as the same vehicle, a little less surely', () => {
    const c = compare({ vehicles: ['BO16 VTO'] }, { vehicles: ['B016 VT0'] });
    expect(fields(c)).toContain('vehicle:misread');
  });

  it('labels the same main subject at the same address a likely duplicate', () => {
    const person = { role: 'main', forename: 'Ahmed', surname: 'Rahimi', dob: '1991-07-04', gender: 'M' };
    const c = compare(
      { subjects: [person], addresses: [{ line1: '14 Stoney Lane', town: 'Birmingham', postcode: 'B12 8AB' }] },
      { subjects: [{ ...person, forename: 'Rahimi', surname: 'Ahmad', dob: '1991-04-07' }], addresses: [{ line1: '14 stoney ln', postcode: 'b128ab' }] },
    );
    expect(c.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
    expect(c.label).toBe('likely_duplicate');
  });

  it('labels a subject reported as an associate elsewhere, at a shared address, a possible associate', () => {
    const c = compare(
      { subjects: [{ role: 'main', forename: 'Bogdan', surname: 'Ionescu' }], addresses: [{ line1: '3 Vale Road', postcode: 'L18 8EN' }] },
      { subjects: [{ role: 'main', forename: 'Petru', surname: 'Lungu' }, { role: 'associate', forename: 'Bogdan', surname: 'Ionesku' }], addresses: [{ type: 'associate_home', line1: '3 Vale Rd', postcode: 'L18 8EN' }] },
    );
    expect(c.label).toBe('possible_associate');
    expect(c.subjects?.roleB).toBe('associate');
  });

  it('files swapped names, nickname initials and swapped day/month under keys the other record is stored with', () => {
    const stored = new Set(storedKeys(buildProfile({ subjects: [{ forename: 'William', surname: 'Okoro', dob: '1980-03-11' }] })));
    const asked = (d: AllegationDraft) => queryKeys(buildProfile(d)).filter((k) => stored.has(k) && !k.startsWith('s:') && !k.startsWith('sk:'));
    expect(asked({ subjects: [{ forename: 'Okoro', surname: 'William' }] })).not.toHaveLength(0);
    expect(asked({ subjects: [{ forename: 'Bill', surname: 'Okoro' }] })).not.toHaveLength(0);
    expect(asked({ subjects: [{ forename: 'Wiliam', surname: 'Okoor', dob: '1980-11-03' }] })).toContain('d:19801103'.replace('19801103', '19800311'));
  });
});
