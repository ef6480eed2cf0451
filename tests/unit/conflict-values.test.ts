// A conflict card shows each field's value as the forms show it, not as the desk stores it: an analyst reads
// "NFA — non-actionable" and "7 Dec 2026, 15:34", not nfa_non_actionable and an ISO instant.
import { describe, expect, it } from 'vitest';
import { shownValue } from '../../electron/sync/conflict-views.ts';
import { unitName } from '../../shared/domain/units.ts';

describe('a field value on a conflict card', () => {
  it('uses the vocabulary’s words for a coded field', () => {
    expect(shownValue('outcome', 'nfa_non_actionable')).toBe('NFA — non-actionable');
    expect(shownValue('nfa_reason', 'insufficient_information')).toBe('Insufficient information');
    expect(shownValue('status', 'closed')).toBe('Closed');
    expect(shownValue('channel', 'letter')).toBe('Letter');
    expect(shownValue('unit_code', 'WMID')).toBe(unitName('WMID'));
    // A code the vocabulary does not know is shown as it is, not hidden.
    expect(shownValue('outcome', 'something_new')).toBe('something_new');
  });

  it('writes instants on UK time, in winter and in summer, and calendar dates without shifting them', () => {
    expect(shownValue('decided_at', '2026-12-07T15:34:09.998Z')).toBe('7 Dec 2026, 15:34');
    expect(shownValue('outcome_at', '2026-07-01T12:00:00.000Z')).toBe('1 Jul 2026, 13:00');
    expect(shownValue('dob', '1980-01-02')).toBe('2 Jan 1980');
  });

  it('says Yes or No for the form’s tick boxes, and leaves free text and numbers as they are', () => {
    expect(shownValue('time_critical', 1)).toBe('Yes');
    expect(shownValue('has_source', 0)).toBe('No');
    expect(shownValue('free_text', 'Seen at the car wash on 2026-03-02.')).toBe('Seen at the car wash on 2026-03-02.');
    expect(shownValue('approx_age', 40)).toBe('40');
  });

  it('says a field is empty, and never shows a sealed value', () => {
    expect(shownValue('rationale', null)).toBe('(empty)');
    expect(shownValue('rationale', undefined)).toBe('(empty)');
    expect(shownValue('details', { v: 1, iv: 'x', data: 'y' } as never)).toBe('(sealed: restricted)');
  });
});
