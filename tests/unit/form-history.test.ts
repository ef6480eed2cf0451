// The form's history is read from the change log alone: what each amendment changed, field by field, with what the
// field held before; what was written with the allegation is its original, not an amendment.
import { describe, expect, it } from 'vitest';
import { formHistory, type HistoryChange } from '../../shared/domain/form-history.ts';

const hlc = (minute: number) => `${String(Date.parse('2026-03-02T09:00:00Z') + minute * 60_000).padStart(13, '0')}-00000-desk1`;
const A = 'a1';

function created(): HistoryChange[] {
  const at = hlc(0);
  return [
    { hlc: at, entity: 'allegation', id: A, op: 'insert', userId: 'sifter', fields: { channel: { from: null, to: 'letter' }, free_text: { from: null, to: 'He works at the car wash.' }, received_at: { from: null, to: '2026-03-01T10:00:00.000Z' }, status: { from: null, to: 'new' } } },
    { hlc: at, entity: 'allegation_offence', id: JSON.stringify([A, 'illegal_working']), op: 'insert', userId: 'sifter', fields: { ordinal: { from: null, to: 0 }, removed_at: { from: null, to: null } } },
    { hlc: at, entity: 'subject', id: 's1', op: 'insert', userId: 'sifter', fields: { ordinal: { from: null, to: 0 }, role: { from: null, to: 'main' }, forename: { from: null, to: 'Farhan' }, surname: { from: null, to: 'Qureshi' }, surname_key: { from: null, to: 'QURESHI' }, dob: { from: null, to: '1990-04-12' } } },
    { hlc: at, entity: 'phone', id: 'p1', op: 'insert', userId: 'sifter', fields: { ordinal: { from: null, to: 0 }, number_raw: { from: null, to: '07700 900123' }, e164: { from: null, to: '+447700900123' }, removed_at: { from: null, to: null } } },
  ];
}

describe('the history of an allegation’s form', () => {
  it('has no amendments when only the original was written, and says who entered it and when', () => {
    const h = formHistory(created());
    expect(h.created).toEqual({ at: '2026-03-02T09:00:00.000Z', userId: 'sifter' });
    expect(h.entries).toEqual([]);
  });

  it('gives each amendment its own entry, each changed field with what it was and became, in the person’s words', () => {
    const h = formHistory([
      ...created(),
      { hlc: hlc(5), entity: 'subject', id: 's1', op: 'update', userId: 'analyst', fields: { surname: { from: 'Qureshi', to: 'Qureshi-Khan' }, surname_key: { from: 'QURESHI', to: 'QURESHIKHAN' } } },
      { hlc: hlc(5), entity: 'allegation', id: A, op: 'update', userId: 'analyst', fields: { channel: { from: 'letter', to: 'email' }, updated_at: { from: null, to: 'x' } } },
      { hlc: hlc(9), entity: 'phone', id: 'p1', op: 'update', userId: 'analyst2', fields: { removed_at: { from: null, to: '2026-03-02T09:09:00.000Z' } } },
      { hlc: hlc(9), entity: 'vehicle', id: 'v1', op: 'insert', userId: 'analyst2', fields: { ordinal: { from: null, to: 0 }, vrm_raw: { from: null, to: 'BW16 VTO' }, vrm: { from: null, to: 'BW16VTO' }, description: { from: null, to: 'white Transit' } } },
      { hlc: hlc(9), entity: 'allegation_offence', id: JSON.stringify([A, 'illegal_working']), op: 'update', userId: 'analyst2', fields: { removed_at: { from: null, to: '2026-03-02T09:09:00.000Z' } } },
      { hlc: hlc(9), entity: 'allegation_offence', id: JSON.stringify([A, 'overstayer']), op: 'insert', userId: 'analyst2', fields: { ordinal: { from: null, to: 0 }, removed_at: { from: null, to: null } } },
    ]);
    expect(h.entries).toHaveLength(2);
    expect(h.entries[0]).toEqual({
      at: '2026-03-02T09:05:00.000Z',
      userId: 'analyst',
      items: [
        { part: 'Subject 1 (Farhan Qureshi)', field: 'Surname', kind: 'changed', was: 'Qureshi', now: 'Qureshi-Khan', format: 'text' },
        { part: 'Allegation', field: 'Channel', kind: 'changed', was: 'Letter', now: 'Email', format: 'text' },
      ],
    });
    expect(h.entries[1]?.userId).toBe('analyst2');
    expect(h.entries[1]?.items).toEqual([
      { part: 'Phone 1 (07700 900123)', field: '', kind: 'removed', was: '07700 900123', now: null, format: 'text' },
      { part: 'Vehicle 1 (BW16 VTO)', field: '', kind: 'added', was: null, now: 'BW16 VTO, white Transit', format: 'text' },
      { part: 'Offences', field: '', kind: 'removed', was: 'Illegal working', now: null, format: 'text' },
      { part: 'Offences', field: '', kind: 'added', was: null, now: 'Overstayer', format: 'text' },
    ]);
  });

  it('leaves out what is not the form: derived keys, state changes, a reordering, and writes that changed nothing it shows', () => {
    const h = formHistory([
      ...created(),
      { hlc: hlc(3), entity: 'allegation', id: A, op: 'update', userId: 'analyst', fields: { status: { from: 'new', to: 'triaged' }, risk_rating: { from: null, to: 'four_hours' } } },
      { hlc: hlc(4), entity: 'subject', id: 's1', op: 'update', userId: 'analyst', fields: { ordinal: { from: 0, to: 1 }, surname_key: { from: 'QURESHI', to: 'QURESH' } } },
      { hlc: hlc(6), entity: 'allegation_offence', id: JSON.stringify([A, 'illegal_working']), op: 'update', userId: 'analyst', fields: { ordinal: { from: 0, to: 1 } } },
    ]);
    expect(h.entries).toEqual([]);
  });

  it('names a part by what it was called when it changed, and shows a date as a date', () => {
    const h = formHistory([
      ...created(),
      { hlc: hlc(5), entity: 'subject', id: 's1', op: 'update', userId: 'analyst', fields: { forename: { from: 'Farhan', to: 'Farhaan' }, dob: { from: '1990-04-12', to: '1990-12-04' } } },
    ]);
    expect(h.entries[0]?.items).toEqual([
      { part: 'Subject 1 (Farhan Qureshi)', field: 'Forename', kind: 'changed', was: 'Farhan', now: 'Farhaan', format: 'text' },
      { part: 'Subject 1 (Farhan Qureshi)', field: 'Date of birth', kind: 'changed', was: '1990-04-12', now: '1990-12-04', format: 'date' },
    ]);
  });
});
