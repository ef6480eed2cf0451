// The rules that make an outcome valid, as the screen and the core both read them (shared/domain/outcome.ts).
import { describe, expect, it } from 'vitest';
import { hasFullAddress, hasFullName, outcomeProblems, outcomeRequirements, type OutcomeFacts } from '../../shared/domain/outcome.ts';

const facts = (f: Partial<OutcomeFacts> = {}): OutcomeFacts => ({
  status: 'in_research',
  fullName: false,
  fullAddress: false,
  homeOfficeChecks: 0,
  reviewedAt: '2026-03-02T10:00:00Z',
  openCandidates: [],
  originals: [],
  recordedActions: [],
  ...f,
});
const choice = (c: Partial<Parameters<typeof outcomeProblems>[1]> = {}) => ({ outcome: 'nfa_actionable' as const, actions: [], nfaReason: null, duplicateOf: null, rationale: 'A good enough reason', ...c });
const fields = (f: OutcomeFacts, c: Parameters<typeof outcomeProblems>[1]) => outcomeProblems(f, c).map((p) => p.field);

describe('what counts as a full name or a full address (000 §4.17)', () => {
  it('needs a forename beyond an initial and a surname', () => {
    expect(hasFullName([{ forename: 'Ali', surname: 'Khan' }])).toBe(true);
    expect(hasFullName([{ forename: 'A.', surname: 'Khan' }])).toBe(false);
    expect(hasFullName([{ forename: '', surname: 'Khan' }])).toBe(false);
  });
  it('needs a first line with a town or a complete postcode', () => {
    expect(hasFullAddress([{ line1: '12 High St', town: 'Leeds', postcode: '' }])).toBe(true);
    expect(hasFullAddress([{ line1: '12 High St', town: '', postcode: 'ls1 4ap' }])).toBe(true);
    expect(hasFullAddress([{ line1: '12 High St', town: '', postcode: 'LS1' }])).toBe(false);
    expect(hasFullAddress([{ line1: '', town: 'Leeds', postcode: 'LS1 4AP' }])).toBe(false);
  });
});

describe('outcome validity', () => {
  it('lists what is missing in words, and nothing when all is there', () => {
    expect(outcomeRequirements(facts()).every((r) => r.met)).toBe(true);
    const missing = outcomeRequirements(facts({ status: 'new', reviewedAt: null, fullName: true, openCandidates: [{ allegationId: 'x', reference: 'IMS-2026-000001', score: 0.9, label: 'likely_duplicate', reproposed: false }] }));
    expect(missing.filter((r) => !r.met).map((r) => r.key)).toEqual(['status', 'candidates', 'review', 'checks']);
    expect(missing.find((r) => r.key === 'checks')?.text).toMatch(/full name.*CID\/Atlas/);
  });

  it('keeps each category to its own fields', () => {
    expect(fields(facts(), choice({ outcome: 'actioned' }))).toEqual(['actions']);
    expect(fields(facts({ recordedActions: ['tasked_ice'] }), choice({ outcome: 'actioned', actions: ['tasked_ice'] }))).toEqual([]);
    expect(fields(facts(), choice({ outcome: 'nfa_actionable', actions: ['tasked_ice'] }))).toEqual(['actions']);
    expect(fields(facts(), choice({ outcome: 'nfa_non_actionable' }))).toEqual(['nfaReason']);
    expect(fields(facts(), choice({ outcome: 'nfa_actionable', nfaReason: 'valid_leave' }))).toEqual(['nfaReason']);
    expect(fields(facts(), choice({ rationale: 'short' }))).toEqual(['rationale']);
  });

  it('is not "actioned" until an action is recorded with its recipient (000 §4.3; issue 20)', () => {
    // Ticking an action is not enough: nothing says who received it.
    expect(fields(facts(), choice({ outcome: 'actioned', actions: ['tasked_ice'] }))).toEqual(['actions']);
    expect(outcomeProblems(facts(), choice({ outcome: 'actioned', actions: ['tasked_ice'] }))[0]?.message).toMatch(/recorded with its recipient.*Actions panel/);
    // Only actions that were recorded can be named.
    const recorded = facts({ recordedActions: ['flagged_wi'] });
    expect(fields(recorded, choice({ outcome: 'actioned', actions: ['flagged_wi'] }))).toEqual([]);
    expect(outcomeProblems(recorded, choice({ outcome: 'actioned', actions: ['flagged_wi', 'tasked_ice'] })).map((p) => p.message)).toEqual(['tasked_ice is not recorded: record who received it in the Actions panel first']);
  });

  it('needs checks when a full name or address is known, except that a duplicate may rely on its original', () => {
    const named = facts({ fullName: true });
    expect(fields(named, choice())).toEqual(['checks']);
    expect(fields(facts({ fullName: true, homeOfficeChecks: 1 }), choice())).toEqual([]);
    const original = { allegationId: 'o', reference: 'IMS-2026-000001', receivedAt: '2026-01-01T00:00:00Z', homeOfficeChecks: 2 };
    const dup = choice({ outcome: 'nfa_non_actionable', nfaReason: 'duplicate', duplicateOf: 'o' });
    expect(fields(facts({ fullAddress: true, originals: [original] }), dup)).toEqual([]);
    expect(fields(facts({ fullAddress: true, originals: [{ ...original, homeOfficeChecks: 0 }] }), dup)).toEqual(['checks']);
  });

  it('"NFA — duplicate" needs a linked original, and only it names one', () => {
    const dup = choice({ outcome: 'nfa_non_actionable', nfaReason: 'duplicate' });
    expect(fields(facts(), dup)).toEqual(['duplicateOf']);
    const original = { allegationId: 'o', reference: 'IMS-2026-000001', receivedAt: '2026-01-01T00:00:00Z', homeOfficeChecks: 0 };
    expect(fields(facts({ originals: [original] }), { ...dup, duplicateOf: 'someone-else' })).toEqual(['duplicateOf']);
    expect(fields(facts({ originals: [original] }), { ...dup, duplicateOf: 'o' })).toEqual([]);
    expect(fields(facts(), choice({ duplicateOf: 'o' }))).toEqual(['duplicateOf']);
  });
});
