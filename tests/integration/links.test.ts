// The duplicate/link panel through the API: candidates with explanations for a stored record and for a form being
// typed (the reporter's identifiers never match anything), judgements stored, audited on both records and
// respected (a rejected pair comes back only when new evidence raises its score), groups and the link chart, the
// intake warning, and what makes an outcome valid — the cross-check review, background checks, "NFA — duplicate"
// needing a linked original — through to the compliance officer's sign-off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { addUser, ROOT, signIn, tempDir, openCore, TEST_PASSPHRASE } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
type Caller = Awaited<ReturnType<typeof signIn>>;
let sifter: Caller;
let analyst: Caller;
let analyst2: Caller;
let compliance: Caller;
let compliance2: Caller;
let otherUnit: Caller;

let clock = Date.parse('2026-03-02T09:00:00Z');
const tick = () => (clock += 60_000);

function form(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return {
    ...emptyForm(new Date(clock - 3_600_000), 'online_form'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'He works at the car wash every day for cash and has no visa.',
    ...overrides,
  };
}

const farhan = (extra: Partial<AllegationFormInput> = {}) =>
  form({
    subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi', dob: '1990-04-12', gender: 'M', nationality: 'Pakistani' }],
    addresses: [{ type: 'home', line1: '27 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1JB' }],
    ...extra,
  });

async function create(caller: Caller, f: AllegationFormInput, linkWarning?: { candidateId: string; choice: 'duplicate' | 'associated' | 'not_a_match' | 'undecided'; reason: string }) {
  tick();
  return caller.call('allegations.create', { form: f, ...(linkWarning ? { linkWarning } : {}) });
}

/** Saves a form, answering the intake warning (if it comes) as "undecided": the judgement is left to the panel. */
async function createAnswering(caller: Caller, f: AllegationFormInput) {
  tick();
  const r = await caller.raw('allegations.create', { form: f });
  if (r.ok) return r.value as { id: string; reference: string };
  const candidateId = r.error.fields?.linkWarning;
  if (!candidateId) throw new Error(r.error.message);
  return create(caller, f, { candidateId, choice: 'undecided', reason: 'Decide in the panel' });
}

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir, { now: () => clock });
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  await addUser(core, 'wm.analyst2', 'analyst', 'WMID');
  await addUser(core, 'wm.compliance', 'compliance_officer', 'WMID');
  await addUser(core, 'wm.compliance2', 'compliance_officer', 'WMID');
  await addUser(core, 'lon.analyst', 'analyst', 'LACAT');
  sifter = await signIn(core, 'nat.sifter');
  analyst = await signIn(core, 'wm.analyst');
  analyst2 = await signIn(core, 'wm.analyst2');
  compliance = await signIn(core, 'wm.compliance');
  compliance2 = await signIn(core, 'wm.compliance2');
  otherUnit = await signIn(core, 'lon.analyst');
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

const auditOf = (allegationId: string, action: string) =>
  (core.store.db.prepare('SELECT actor, details FROM audit_log WHERE allegation_id = ? AND action = ? ORDER BY seq').all(allegationId, action) as Array<{ actor: string; details: string }>).map((r) => ({
    actor: r.actor,
    ...(JSON.parse(r.details) as Record<string, unknown>),
  }));

describe('candidates and the intake warning', () => {
  let original: { id: string; reference: string };

  it('finds the earlier report of the same person while a new one is typed, and explains why', async () => {
    original = await create(analyst, farhan({ phones: [{ number: '07700 900461' }] }));
    // Nothing but a name and a date of birth typed so far, the surname with two letters swapped.
    const live = await analyst.call('links.draftCandidates', { form: form({ subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qurehsi', dob: '1990-04-12' }] }) });
    const best = live.candidates[0];
    expect(best).toMatchObject({ reference: original.reference, label: 'likely_duplicate', suggested: true, judgement: null });
    expect(best?.score).toBeGreaterThanOrEqual(live.strong);
    expect(best?.explanation.find((l) => l.field === 'surname')).toMatchObject({ direction: 'agrees', level: 'typo' });
    expect(best?.explanation.find((l) => l.field === 'dob')).toMatchObject({ direction: 'agrees', level: 'exact' });
    // Side by side: the current form and the candidate, in the same shape.
    expect(live.current.subjects[0]?.name).toBe('Farhan Qurehsi');
    expect(best?.side).toMatchObject({ reference: original.reference, subjects: [expect.objectContaining({ name: 'Farhan Qureshi', dob: '1990-04-12' })], addresses: ['27 Alum Rock Road, Birmingham, B8 1JB'], phones: ['07700 900461'] });
  });

  it("never matches on the reporter's own identifiers, typed in the restricted section and repeated in the account", async () => {
    // The reporter's phone is the phone of the earlier allegation's subject: it must not make them candidates.
    const f = form({
      freeText: 'Please call me back on 07700 900461 about my neighbour.',
      source: { name: 'Mary Jones', phone: '07700 900461', email: '', address: '', relationship: 'neighbour', organisation: '' },
      subjects: [{ role: 'main', forename: 'Karol', surname: 'Zielinski' }],
    });
    const live = await analyst.call('links.draftCandidates', { form: f });
    expect(live.candidates.map((c) => c.reference)).not.toContain(original.reference);
    expect(live.current.account).not.toContain('900461');
    // The same account without the source section would match on the phone found in the text.
    const unsafe = await analyst.call('links.draftCandidates', { form: { ...f, source: null } });
    expect(unsafe.candidates.find((c) => c.reference === original.reference)?.explanation.some((l) => l.field === 'phone')).toBe(true);
  });

  it('shows a strong candidate before saving a new allegation, and going on needs a reason that is recorded', async () => {
    const again = farhan({ freeText: 'Farhan Qureshi is working illegally at a takeaway on Alum Rock Road.' });
    const refused = await analyst.raw('allegations.create', { form: again });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', fields: { linkWarning: original.id }, message: expect.stringContaining(original.reference) } });
    await expect(analyst.call('allegations.create', { form: again, linkWarning: { candidateId: original.id, choice: 'undecided', reason: 'no' } })).rejects.toMatchObject({ code: 'bad_request' });
    const saved = await create(analyst, again, { candidateId: original.id, choice: 'undecided', reason: 'Caller says this is a second takeaway, check in research' });
    const j = await analyst.call('links.judgements', { allegationId: saved.id });
    expect(j.judgements).toEqual([]);
    expect(j.intakeWarnings).toEqual([expect.objectContaining({ candidateReference: original.reference, choice: 'undecided', reason: 'Caller says this is a second takeaway, check in research', decidedBy: expect.stringContaining('wm.analyst') })]);
    expect(auditOf(saved.id, 'allegation.create')[0]).toMatchObject({ linkWarning: { candidate: original.id, choice: 'undecided' } });
    // Undecided: the pair is still a suggestion on the panel, to be judged.
    const panel = await analyst.call('links.candidates', { allegationId: saved.id });
    expect(panel.candidates[0]).toMatchObject({ reference: original.reference, suggested: true, judgement: null });
    expect(panel.open).toBeGreaterThanOrEqual(1);
  });

  it('can record the judgement with the warning, in the same save', async () => {
    const third = await create(analyst, farhan({ freeText: 'Same man again: Farhan Qureshi at 27 Alum Rock Road has no visa.' }), { candidateId: original.id, choice: 'duplicate', reason: 'Same man, same address, same account' });
    const j = await analyst.call('links.judgements', { allegationId: original.id });
    expect(j.judgements.find((x) => x.otherId === third.id)).toMatchObject({ judgement: 'duplicate', reason: 'Same man, same address, same account', superseded: false });
  });
});

describe('judgements', () => {
  let a: { id: string; reference: string };
  let b: { id: string; reference: string };

  it('records "same allegation" with its reason on both records and in the audit log of both, and stops proposing the pair', async () => {
    a = await create(analyst, form({ subjects: [{ role: 'main', forename: 'Olena', surname: 'Kovalenko', dob: '1985-11-03' }], addresses: [{ type: 'home', line1: '5 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9SN' }] }));
    b = await create(analyst2, form({ subjects: [{ role: 'main', forename: 'Olena', surname: 'Kovalenko', dob: '1985-03-11' }], addresses: [{ type: 'home', line1: '5 Soho Rd', line2: '', town: 'Birmingham', postcode: 'B21 9SN' }], phones: [{ number: '0121 496 0000' }] }), {
      candidateId: a.id,
      choice: 'undecided',
      reason: 'Will decide in the panel',
    });
    const before = await analyst.call('links.candidates', { allegationId: b.id });
    const cand = before.candidates.find((c) => c.allegationId === a.id);
    expect(cand?.explanation.find((l) => l.field === 'dob')?.level).toBe('day_month_swapped');

    const judged = await analyst.call('links.judge', { allegationId: b.id, otherId: a.id, judgement: 'duplicate', reason: 'Same woman: date of birth written the US way round' });
    expect(judged).toMatchObject({ otherReference: a.reference, judgement: 'duplicate', score: cand?.score, decidedBy: expect.stringContaining('wm.analyst') });
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const j = await analyst.call('links.judgements', { allegationId: self.id });
      expect(j.judgements[0]).toMatchObject({ otherId: other.id, otherReference: other.reference, judgement: 'duplicate', reason: 'Same woman: date of birth written the US way round', superseded: false });
      expect(auditOf(self.id, 'link.judge')).toEqual([expect.objectContaining({ judgement: 'duplicate', reason: 'Same woman: date of birth written the US way round', actor: expect.stringContaining('wm.analyst') })]);
      expect((await analyst.call('links.candidates', { allegationId: self.id })).candidates.map((c) => c.allegationId)).not.toContain(other.id);
    }
    expect(core.store.audit.verify(core.vault.auditRoot()).ok).toBe(true);
    // Sync carries it.
    expect(core.store.db.prepare("SELECT count(*) AS n FROM changes WHERE entity = 'link_judgement'").get()).toEqual({ n: expect.any(Number) });
  });

  it('links records into a group, with a chart of the people, addresses, businesses and phones they share', async () => {
    const c = await createAnswering(
      analyst,
      form({
        subjects: [{ role: 'associate', forename: 'Olena', surname: 'Kovalenko' }, { role: 'main', forename: 'Dmytro', surname: 'Bondar' }],
        businesses: [{ name: 'Soho Road Nails Ltd', type: 'nail bar', address: { line1: '140 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LR' } }],
        phones: [{ number: '+44 121 496 0000' }],
      }),
    );
    await analyst.call('links.judge', { allegationId: c.id, otherId: b.id, judgement: 'associated', reason: 'Employer of Olena Kovalenko (same phone)' });
    const g = await otherUnit.call('links.group', { allegationId: a.id });
    expect(g.members.map((m) => m.reference).sort()).toEqual([a.reference, b.reference, c.reference].sort());
    expect(g.links.map((l) => l.judgement).sort()).toEqual(['associated', 'duplicate']);
    const shared = g.chart.nodes.filter((n) => n.kind !== 'allegation' && n.allegations.length > 1);
    expect(shared).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'person', label: expect.stringContaining('Olena Kovalenko'), allegations: expect.arrayContaining([a.reference, b.reference, c.reference]) }),
        expect.objectContaining({ kind: 'phone', allegations: [b.reference, c.reference] }),
        expect.objectContaining({ kind: 'address', allegations: [a.reference, b.reference] }),
      ]),
    );
    expect(g.chart.nodes.some((n) => n.kind === 'business' && n.label === 'Soho Road Nails Ltd')).toBe(true);
    // Every edge joins nodes that exist.
    const ids = new Set(g.chart.nodes.map((n) => n.id));
    expect(g.chart.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
    // A later judgement supersedes: "not a match" takes c out of the group, and the old judgement stays.
    await analyst.call('links.judge', { allegationId: c.id, otherId: b.id, judgement: 'not_a_match', reason: 'Different Olena: the employer confirmed her surname is Kovalenko-Smith' });
    expect((await analyst.call('links.group', { allegationId: a.id })).members).toHaveLength(2);
    const history = (await analyst.call('links.judgements', { allegationId: c.id })).judgements;
    expect(history.map((h) => [h.judgement, h.superseded])).toEqual([
      ['not_a_match', false],
      ['associated', true],
    ]);
  });

  it('refuses judgements from another unit, against itself, and without a reason', async () => {
    await expect(otherUnit.call('links.judge', { allegationId: a.id, otherId: b.id, judgement: 'not_a_match', reason: 'not mine to decide' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(analyst.call('links.judge', { allegationId: a.id, otherId: a.id, judgement: 'duplicate', reason: 'itself' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(analyst.call('links.judge', { allegationId: a.id, otherId: b.id, judgement: 'duplicate', reason: '' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('a rejected pair is not proposed again unless new evidence raises the score', () => {
  it('hides "not a match", brings it back flagged when a shared phone appears, and not for a trivial change', async () => {
    const x = await create(analyst, form({ subjects: [{ role: 'main', forename: 'Ahmed', surname: 'Hassan', dob: '1979-06-01' }], addresses: [{ type: 'home', line1: '12 Stratford Road', line2: '', town: 'Birmingham', postcode: 'B11 1AA' }] }));
    const y = await create(analyst, form({ subjects: [{ role: 'main', forename: 'Ahmed', surname: 'Hassan', dob: '1979-06-01' }], addresses: [{ type: 'home', line1: '80 Coventry Road', line2: '', town: 'Birmingham', postcode: 'B10 0RX' }] }), {
      candidateId: x.id,
      choice: 'not_a_match',
      reason: 'Common name; different address and the caller described a much younger man',
    });
    const open = (id: string) => analyst.call('links.candidates', { allegationId: id }).then((r) => r.candidates);
    expect((await open(x.id)).map((c) => c.allegationId)).not.toContain(y.id);
    expect((await open(y.id)).map((c) => c.allegationId)).not.toContain(x.id);

    // A trivial amendment (the account reworded) changes nothing: still hidden.
    const fy = (await analyst.call('allegations.form', { id: y.id })).form;
    tick();
    await analyst.call('allegations.update', { id: y.id, form: { ...fy, freeText: `${fy.freeText} Seen again on Monday.` } });
    expect((await open(x.id)).map((c) => c.allegationId)).not.toContain(y.id);

    // New evidence: both now hold the same mobile number. The pair comes back, flagged, with the old judgement.
    const fx = (await analyst.call('allegations.form', { id: x.id })).form;
    tick();
    await analyst.call('allegations.update', { id: x.id, form: { ...fx, phones: [{ number: '07911 123456' }] } });
    tick();
    await analyst.call('allegations.update', { id: y.id, form: { ...fy, phones: [{ number: '+447911123456' }] } });
    const back = (await open(x.id)).find((c) => c.allegationId === y.id);
    expect(back).toMatchObject({ reproposed: true, judgement: { judgement: 'not_a_match', reason: expect.stringContaining('Common name') } });
    expect(back?.explanation.find((l) => l.field === 'phone')?.direction).toBe('agrees');
    // Judged again, it is respected again.
    await analyst.call('links.judge', { allegationId: x.id, otherId: y.id, judgement: 'not_a_match', reason: 'Checked: the number is a minicab office both men use' });
    expect((await open(x.id)).map((c) => c.allegationId)).not.toContain(y.id);
  });
});

describe('what makes an outcome valid', () => {
  let dup: { id: string; reference: string };
  let orig: { id: string; reference: string };

  const assessed = async (f: AllegationFormInput, linkWarning?: Parameters<typeof create>[2]) => {
    const r = await create(analyst, f, linkWarning);
    await analyst.call('allegations.assess', { id: r.id, riskRating: 'thirty_days' });
    return r;
  };

  it('needs the initial assessment, then the cross-check review (refused while a suggestion is undecided)', async () => {
    orig = await create(analyst, form({ subjects: [{ role: 'main', forename: 'Mihai', surname: 'Popescu', dob: '1992-02-20' }], addresses: [{ type: 'home', line1: '3 Lozells Road', line2: '', town: 'Birmingham', postcode: 'B19 2TJ' }] }));
    dup = await create(analyst, form({ subjects: [{ role: 'main', forename: 'Mihai', surname: 'Popescu', dob: '1992-02-20' }], addresses: [{ type: 'home', line1: '3 Lozells Road', line2: '', town: 'Birmingham', postcode: 'B19 2TJ' }] }), {
      candidateId: orig.id,
      choice: 'undecided',
      reason: 'Looks the same; to check',
    });
    const nfa = { id: dup.id, outcome: 'nfa_non_actionable' as const, nfaReason: 'duplicate' as const, rationale: 'Same report as the original, already in research' };
    await expect(analyst.call('allegations.outcome', nfa)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('initial assessment') });
    await analyst.call('allegations.assess', { id: dup.id, riskRating: 'thirty_days' });
    const wf = await analyst.call('allegations.workflow', { allegationId: dup.id });
    expect(wf.requirements.filter((r) => !r.met).map((r) => r.key).sort()).toEqual(['candidates', 'checks', 'review']);
    expect(wf).toMatchObject({ fullName: true, fullAddress: true, originals: [] });
    await expect(analyst.call('links.review', { allegationId: dup.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(orig.reference) });
    await expect(analyst.call('allegations.outcome', nfa)).rejects.toMatchObject({ code: 'bad_request', fields: expect.objectContaining({ candidates: expect.stringContaining(orig.reference), review: expect.any(String), duplicateOf: expect.any(String) }) });
  });

  it('"NFA — duplicate" needs a linked original (an earlier allegation judged the same); its checks count for the duplicate', async () => {
    await analyst.call('links.judge', { allegationId: dup.id, otherId: orig.id, judgement: 'duplicate', reason: 'Same man, same address, reported twice' });
    const review = await analyst.call('links.review', { allegationId: dup.id, note: 'One candidate, judged duplicate' });
    expect(review.candidates).toEqual(expect.arrayContaining([expect.objectContaining({ reference: orig.reference, judgement: 'duplicate' })]));
    let wf = await analyst.call('allegations.workflow', { allegationId: dup.id });
    expect(wf.originals).toEqual([expect.objectContaining({ reference: orig.reference, homeOfficeChecks: 0 })]);
    // The original is the earlier one: from the original's side there is no original to name.
    await analyst.call('allegations.assess', { id: orig.id, riskRating: 'thirty_days' });
    await analyst.call('links.review', { allegationId: orig.id });
    await expect(analyst.call('allegations.outcome', { id: orig.id, outcome: 'nfa_non_actionable', nfaReason: 'duplicate', rationale: 'Reported twice, this is the first' })).rejects.toMatchObject({ fields: expect.objectContaining({ duplicateOf: expect.stringContaining('linked original') }) });
    // Full name and address, no checks anywhere yet: refused.
    await expect(analyst.call('allegations.outcome', { id: dup.id, outcome: 'nfa_non_actionable', nfaReason: 'duplicate', rationale: 'Same report as the original' })).rejects.toMatchObject({ fields: { checks: expect.stringContaining('Home Office systems') } });
    // A DVLA check is not a Home Office system check.
    await analyst.call('checks.add', { allegationId: orig.id, system: 'dvla', result: 'No vehicle' });
    await expect(analyst.call('allegations.outcome', { id: dup.id, outcome: 'nfa_non_actionable', nfaReason: 'duplicate', rationale: 'Same report as the original' })).rejects.toMatchObject({ fields: { checks: expect.any(String) } });
    const subjectId = (await analyst.call('allegations.get', { id: orig.id })).subjects[0]?.id ?? null;
    const check = await analyst.call('checks.add', { allegationId: orig.id, system: 'cid_atlas', subjectId, finding: 'trace', result: 'Visit visa expired 2024; no further leave' });
    expect(check).toMatchObject({ system: 'cid_atlas', subjectName: 'Mihai Popescu', finding: 'trace', doneBy: expect.stringContaining('wm.analyst') });
    wf = await analyst.call('allegations.workflow', { allegationId: dup.id });
    expect(wf.originals[0]?.homeOfficeChecks).toBe(1);
    const done = await analyst.call('allegations.outcome', { id: dup.id, outcome: 'nfa_non_actionable', nfaReason: 'duplicate', rationale: 'Same report as the original, which is in research' });
    expect(done).toMatchObject({ status: 'nfa', outcome: 'nfa_non_actionable', nfaReason: 'duplicate' });
    wf = await analyst.call('allegations.workflow', { allegationId: dup.id });
    expect(wf.current).toMatchObject({ outcome: 'nfa_non_actionable', nfaReason: 'duplicate', duplicateOf: { id: orig.id, reference: orig.reference }, reviewedAt: review.reviewedAt, signOff: null });
    expect(auditOf(dup.id, 'allegation.outcome')[0]).toMatchObject({ outcome: 'nfa_non_actionable', nfaReason: 'duplicate', duplicateOf: orig.id, reviewId: review.id });
    await expect(analyst.call('allegations.outcome', { id: dup.id, outcome: 'nfa_actionable', rationale: 'Changing my mind now' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('NFA non-actionable with a full name needs checks on this record; actioned needs an action; the categories keep their own fields', async () => {
    const p = await assessed(form({ subjects: [{ role: 'main', forename: 'Chen', surname: 'Wei', dob: '1970-01-09' }], addresses: [{ type: 'offence_location', line1: '', line2: '', town: '', postcode: 'B5' }] }));
    await analyst.call('links.review', { allegationId: p.id });
    await expect(analyst.call('allegations.outcome', { id: p.id, outcome: 'nfa_non_actionable', nfaReason: 'valid_leave', rationale: 'Subject has leave to remain' })).rejects.toMatchObject({ fields: { checks: expect.stringContaining('a full name') } });
    await analyst.call('checks.add', { allegationId: p.id, system: 'cid_atlas', finding: 'trace', result: 'ILR granted 2019' });
    await expect(analyst.call('allegations.outcome', { id: p.id, outcome: 'nfa_non_actionable', rationale: 'Subject has leave to remain' })).rejects.toMatchObject({ fields: { nfaReason: expect.any(String) } });
    await expect(analyst.call('allegations.outcome', { id: p.id, outcome: 'actioned', rationale: 'Passing to the ICE team' })).rejects.toMatchObject({ fields: { actions: expect.stringContaining('at least one action') } });
    await expect(analyst.call('allegations.outcome', { id: p.id, outcome: 'nfa_actionable', actions: [{ action: 'tasked_ice' }], rationale: 'Passing to the ICE team' })).rejects.toMatchObject({ fields: { actions: expect.any(String) } });
    await expect(analyst.call('allegations.outcome', { id: p.id, outcome: 'nfa_non_actionable', nfaReason: 'valid_leave', rationale: 'short' })).rejects.toMatchObject({ fields: { rationale: expect.any(String) } });
    const done = await analyst.call('allegations.outcome', { id: p.id, outcome: 'nfa_non_actionable', nfaReason: 'valid_leave', rationale: 'CID shows indefinite leave to remain since 2019' });
    expect(done).toMatchObject({ status: 'nfa', nfaReason: 'valid_leave' });

    // No name or address at all: checks are not required.
    const vague = await assessed(form({ freeText: 'Someone in the area is working without papers.', addresses: [{ type: 'offence_location', line1: '', line2: '', town: '', postcode: 'B6' }] }));
    await analyst.call('links.review', { allegationId: vague.id });
    expect((await analyst.call('allegations.workflow', { allegationId: vague.id })).requirements.every((r) => r.met)).toBe(true);
    await analyst.call('allegations.outcome', { id: vague.id, outcome: 'nfa_non_actionable', nfaReason: 'insufficient_information', rationale: 'No name, address or business to research' });

    const act = await assessed(form({ subjects: [{ role: 'main', forename: 'Rui', surname: 'Costa' }], addresses: [{ type: 'work', line1: '9 Broad Street', line2: '', town: 'Birmingham', postcode: 'B1 2HF' }] }));
    await analyst.call('links.review', { allegationId: act.id });
    await analyst.call('checks.add', { allegationId: act.id, system: 'pnc', finding: 'no_trace', result: 'No trace' });
    // Ticking an action is not enough: it is recorded first, with who received it (issue 20; 000 §4.3).
    const ticked = { id: act.id, outcome: 'actioned' as const, actions: [{ action: 'tasked_ice' as const, detail: 'Birmingham ICE, visit planned' }], rationale: 'Live illegal working at a named address' };
    await expect(analyst.call('allegations.outcome', ticked)).rejects.toMatchObject({ fields: { actions: expect.stringContaining('recorded with its recipient') } });
    await analyst.call('allegations.grade', { id: act.id, source: '2', intelligence: 'C', handling: 'P', harm: 'low' });
    await analyst.call('actions.record', { allegationId: act.id, action: 'tasked_ice', recipientType: 'ice_team', recipient: 'Birmingham ICE' });
    await analyst.call('actions.record', { allegationId: act.id, action: 'flagged_wi', recipientType: 'system_marker', recipient: 'Warnings Index' });
    const actioned = await analyst.call('allegations.outcome', {
      id: act.id,
      outcome: 'actioned',
      actions: [{ action: 'tasked_ice', detail: 'Birmingham ICE, visit planned' }, { action: 'flagged_wi' }, { action: 'tasked_ice' }],
      rationale: 'Live illegal working at a named address',
    });
    expect(actioned).toMatchObject({ status: 'actioned', outcome: 'actioned', nfaReason: null });
    const wf = await analyst.call('allegations.workflow', { allegationId: act.id });
    expect(wf.current?.actions).toEqual([
      { action: 'tasked_ice', detail: 'Birmingham ICE, visit planned' },
      { action: 'flagged_wi', detail: '' },
    ]);
  });

  it('a new strong candidate arriving after the review blocks the outcome until it is judged', async () => {
    const first = await assessed(form({ subjects: [{ role: 'main', forename: 'Tariq', surname: 'Mahmood', dob: '1988-08-08' }], addresses: [{ type: 'home', line1: '1 Ladypool Road', line2: '', town: 'Birmingham', postcode: 'B12 8JY' }] }));
    await analyst.call('checks.add', { allegationId: first.id, system: 'cid_atlas', result: 'No trace' });
    await analyst.call('links.review', { allegationId: first.id });
    // Another report of him arrives from NAT after the review.
    const later = await create(sifter, form({ subjects: [{ role: 'main', forename: 'Tariq', surname: 'Mahmood', dob: '1988-08-08' }], addresses: [{ type: 'home', line1: '1 Ladypool Rd', line2: '', town: 'Birmingham', postcode: 'B12 8JY' }] }), {
      candidateId: first.id,
      choice: 'undecided',
      reason: 'NAT: leave to the unit',
    });
    await expect(analyst.call('allegations.outcome', { id: first.id, outcome: 'nfa_actionable', rationale: 'Enough to act, low priority this month' })).rejects.toMatchObject({ fields: { candidates: expect.stringContaining(later.reference) } });
    await analyst.call('links.judge', { allegationId: first.id, otherId: later.id, judgement: 'duplicate', reason: 'Same man reported again' });
    await analyst.call('allegations.outcome', { id: first.id, outcome: 'nfa_actionable', rationale: 'Enough to act, low priority this month' });
  });

  it('closes only with a compliance officer sign-off, by someone else, with evidence; a return sends it back and keeps the history', async () => {
    // The outcome chosen above (dup, NFA — duplicate) by wm.analyst.
    await expect(analyst.call('allegations.signOff', { id: dup.id, decision: 'approve', evidence: [] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(compliance.call('allegations.signOff', { id: dup.id, decision: 'approve', evidence: ['checks_reviewed'] })).rejects.toMatchObject({ code: 'bad_request', fields: { evidence: expect.any(String) } });
    await expect(compliance.call('allegations.signOff', { id: dup.id, decision: 'return', note: 'no' })).rejects.toMatchObject({ code: 'bad_request' });
    const returned = await compliance.call('allegations.signOff', { id: dup.id, decision: 'return', note: 'Record the PNC check on the original as well before closing' });
    expect(returned).toMatchObject({ status: 'in_research', outcome: null, nfaReason: null });
    let wf = await analyst.call('allegations.workflow', { allegationId: dup.id });
    expect(wf.current).toBeNull();
    expect(wf.history[0]?.signOff).toMatchObject({ decision: 'returned', note: 'Record the PNC check on the original as well before closing', decidedBy: expect.stringContaining('wm.compliance') });

    // Chosen again, by the compliance officer this time: they cannot approve their own outcome.
    await compliance.call('allegations.outcome', { id: dup.id, outcome: 'nfa_non_actionable', nfaReason: 'duplicate', rationale: 'Same report as the original; PNC added on the original' });
    const all = ['checks_reviewed', 'cross_check_reviewed', 'outcome_category_correct', 'actions_evidenced', 'source_protected'] as const;
    await expect(compliance.call('allegations.signOff', { id: dup.id, decision: 'approve', evidence: [...all] })).rejects.toMatchObject({ code: 'forbidden' });
    const closed = await compliance2.call('allegations.signOff', { id: dup.id, decision: 'approve', evidence: [...all], note: 'All in order' });
    expect(closed.status).toBe('closed');
    wf = await analyst2.call('allegations.workflow', { allegationId: dup.id });
    expect(wf).toMatchObject({ status: 'closed', closedBy: expect.stringContaining('wm.compliance2'), current: { signOff: { decision: 'approved', evidence: [...all] } } });
    expect(wf.history).toHaveLength(2);
    expect(auditOf(dup.id, 'compliance.approve')).toHaveLength(1);
    await expect(analyst.call('checks.add', { allegationId: dup.id, system: 'pnc', result: 'late' })).rejects.toMatchObject({ code: 'conflict' });
    expect(core.store.audit.verify(core.vault.auditRoot()).ok).toBe(true);
  });

  it('validates checks: the subject must be on the allegation, and a check cannot be done in the future', async () => {
    const other = (await analyst.call('allegations.get', { id: orig.id })).subjects[0]?.id as string;
    const p = await assessed(form({ freeText: 'Another account with nobody named.', addresses: [{ type: 'offence_location', line1: '', line2: '', town: '', postcode: 'B7' }] }));
    await expect(analyst.call('checks.add', { allegationId: p.id, system: 'pnc', subjectId: other, result: 'x trace' })).rejects.toMatchObject({ fields: { subjectId: expect.any(String) } });
    await expect(analyst.call('checks.add', { allegationId: p.id, system: 'pnc', doneAt: new Date(clock + 86_400_000).toISOString(), result: 'No trace' })).rejects.toMatchObject({ fields: { doneAt: expect.any(String) } });
    await expect(otherUnit.call('checks.add', { allegationId: p.id, system: 'pnc', result: 'No trace' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('ims links', () => {
  it('prints the candidates of an allegation with score and explanation, and its judgements, as JSON', () => {
    const ref = (core.store.db.prepare("SELECT a.reference FROM allegations a JOIN subjects s ON s.allegation_id = a.id WHERE s.surname = 'Qureshi' ORDER BY a.received_at DESC LIMIT 1").get() as { reference: string }).reference;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'links', ref, '--json', '--profile', tmp.dir], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { reference: string; threshold: number; candidates: Array<{ reference: string; score: number; label: string; summary: string; explanation: Array<{ text: string }> }>; judgements: unknown[] };
    expect(out.reference).toBe(ref);
    expect(out.candidates.length).toBeGreaterThan(0);
    expect(out.candidates[0]).toMatchObject({ score: expect.any(Number), label: expect.any(String), summary: expect.stringMatching(/^Agree: /), explanation: expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining('Surname') })]) });
    const missing = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'links', 'IMS-2020-999999', '--json', '--profile', tmp.dir], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no allegation IMS-2020-999999/);
  });
});
