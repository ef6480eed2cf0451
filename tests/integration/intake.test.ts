import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { DEFAULT_ROUTING } from '../../shared/domain/routing.ts';
import { addUser, CORPUS_1K, signIn, tempDir, openCore } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let sifter: Awaited<ReturnType<typeof signIn>>;
let analyst: Awaited<ReturnType<typeof signIn>>;
let duty: Awaited<ReturnType<typeof signIn>>;
let admin: Awaited<ReturnType<typeof signIn>>;

// Wednesday 4 March 2026, 10:00: "this Friday" is 6 March.
const NOW = Date.parse('2026-03-04T10:00:00Z');

function faxForm(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return {
    ...emptyForm(new Date(NOW - 3_600_000), 'fax'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'Fax received. The owner of the car wash employs men with no papers and pays cash.',
    subjects: [{ role: 'main', forename: 'Tomasz', surname: 'Nowak', dob: '1988-07-14', gender: 'M', nationality: 'Polish' }],
    businesses: [{ name: 'Sparkle Hand Car Wash', type: 'car wash', address: { line1: '12 Coventry Road', line2: '', town: 'Birmingham', postcode: 'b10 0rx' } }],
    phones: [{ number: '07700 900123' }],
    scanMissingReason: 'Original fax to follow from NAT post room',
    ...overrides,
  };
}

/**
 * Saves a form. The tests key the same fax again and again, which is what the intake warning is for (issue 6): it
 * is answered as a person would, going on with a reason and leaving the judgement to the panel.
 */
async function create(input: { form: AllegationFormInput; draftId?: string }) {
  const first = await sifter.raw('allegations.create', input);
  if (first.ok) return first.value as Awaited<ReturnType<typeof sifter.call<'allegations.create'>>>;
  const candidateId = first.error.fields?.linkWarning;
  if (first.error.code !== 'conflict' || !candidateId) throw new Error(first.error.message);
  return sifter.call('allegations.create', { ...input, linkWarning: { candidateId, choice: 'undecided', reason: 'the same fax keyed again in a test' } });
}

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir, { now: () => NOW });
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  await addUser(core, 'wm.duty', 'duty_manager', 'WMID');
  await addUser(core, 'the.admin', 'admin', null);
  sifter = await signIn(core, 'nat.sifter');
  analyst = await signIn(core, 'wm.analyst');
  duty = await signIn(core, 'wm.duty');
  admin = await signIn(core, 'the.admin');
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('entering an allegation on the electronic form', () => {
  it('previews the unit, the due time and any problems before saving', async () => {
    const p = await sifter.call('intake.preview', { form: faxForm() });
    expect(p.routing).toEqual({ unit: 'WMID', unitName: 'West Midlands RIU (Solihull)', reason: 'postcode area B' });
    expect(p.assessmentDueAt).toBe('2026-03-06T23:59:59.999Z'); // Wednesday -> end of Friday
    expect(p.fields).toEqual({});
    expect(p.deadlines).toEqual([]);
  });

  it('routes a faxed allegation to the unit of the offence postcode, due in 2 working days, with a desk reference', async () => {
    const created = await sifter.call('allegations.create', { form: faxForm() });
    expect(created).toMatchObject({ unit: 'WMID', routedBy: 'postcode area B', assessmentDueAt: '2026-03-06T23:59:59.999Z', timeCritical: false });
    expect(created.reference).toMatch(/^IMS-2026-000001-[A-Z0-9]+$/);
    const q = await analyst.call('queue.list', { bucket: 'new' });
    const row = q.rows.find((r) => r.reference === created.reference);
    expect(row).toMatchObject({ channel: 'fax', dueAt: '2026-03-06T23:59:59.999Z', postcode: 'B10 0RX' });
    const record = await analyst.call('allegations.get', { reference: created.reference });
    expect(record.businesses[0]?.address?.postcodeNormalised).toBe('B10 0RX');
    expect(record.phones[0]).toMatchObject({ number: '07700 900123', e164: '+447700900123' });
    expect(record.unitHistory).toEqual([expect.objectContaining({ fromUnit: null, toUnit: 'WMID', reason: 'routed on receipt: postcode area B' })]);
  });

  it('flags "the appeal hearing is this Friday" for the duty intelligence manager with a 24-hour standard', async () => {
    const created = await create({
      form: faxForm({ freeText: 'Writer says the subject will abscond: the appeal hearing is this Friday at Taylor House.', businesses: [], addresses: [{ type: 'home', line1: '4 Rose Lane', line2: '', town: 'Wolverhampton', postcode: 'WV3 0AA' }] }),
    });
    expect(created.timeCritical).toBe(true);
    expect(created.deadline).toMatchObject({ date: '2026-03-06', text: 'this Friday', event: 'hearing' });
    const q = await duty.call('queue.list', { view: 'time_critical' });
    expect(q.rows[0]).toMatchObject({ reference: created.reference, timeCritical: true, dueAt: '2026-03-05T09:00:00.000Z' });
    // The duty manager confirms it; the flag and its reason stay on the record.
    const confirmed = await duty.call('allegations.timeCritical', { id: created.id, decision: 'confirm', reason: 'Hearing confirmed on court list' });
    expect(confirmed.timeCriticalDetail).toMatchObject({ state: 'confirmed', deadline: '2026-03-06', decidedBy: expect.stringContaining('wm.duty'), reason: 'Hearing confirmed on court list' });
  });

  it('a dismissed flag leaves the duty manager queue', async () => {
    const created = await create({ form: faxForm({ freeText: 'He is flying out tomorrow to Lagos and will not come back.' }) });
    await duty.call('allegations.timeCritical', { id: created.id, decision: 'dismiss', reason: 'Flight is a holiday, return booked' });
    const q = await duty.call('queue.list', { view: 'time_critical' });
    expect(q.rows.map((r) => r.reference)).not.toContain(created.reference);
  });

  it('sends an allegation without a usable location to the NAT sift queue', async () => {
    const created = await create({ form: faxForm({ businesses: [], addresses: [{ type: 'home', line1: 'Somewhere near the station', line2: '', town: '', postcode: '' }] }) });
    expect(created).toMatchObject({ unit: 'NAT', routedBy: 'no usable location' });
    const sift = await sifter.call('queue.list', {});
    expect(sift.unit).toBe('NAT');
    expect(sift.rows.map((r) => r.reference)).toContain(created.reference);
  });

  it('gives each invalid field its own message and saves nothing', async () => {
    const before = (core.store.db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
    const r = await sifter.raw('allegations.create', {
      form: faxForm({
        freeText: '   ',
        subjects: [{ role: 'main', forename: 'Ana', surname: 'Pop', dob: '2031-01-01' }],
        addresses: [{ type: 'home', line1: '1 High St', line2: '', town: 'Leeds', postcode: 'XYZ 123' }],
        phones: [{ number: '12345' }],
        emails: [{ email: 'not-an-email' }],
        travel: [{ flight: 'London', travelDate: '', origin: '', destination: '' }],
      }),
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.fields).toMatchObject({
        freeText: 'describe what is alleged (the account cannot be empty)',
        'subjects.0.dob': 'cannot be in the future',
        'addresses.0.postcode': expect.stringMatching(/not a UK postcode/),
        'phones.0.number': expect.stringMatching(/not a phone number/),
        'emails.0.email': 'is not an email address',
        'travel.0.flight': expect.stringMatching(/not a flight number/),
      });
    }
    expect((core.store.db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n).toBe(before);
  });

  it('keeps a draft of whatever was typed, source section apart, and discards it once saved', async () => {
    const half = { channel: 'letter', freeText: 'Half typed acc', subjects: [{ surname: 'Nowa' }], source: { name: 'Jan Kowalski', phone: '07700 900999' } };
    const saved = await sifter.call('drafts.save', { form: half });
    const list = await sifter.call('drafts.list', {});
    expect(list[0]).toMatchObject({ id: saved.id, summary: expect.stringContaining('Half typed acc') });
    expect(await sifter.call('drafts.get', { id: saved.id })).toMatchObject({ form: half });
    // Another user cannot read it, and the draft table does not hold the source in its open column.
    await expect(analyst.call('drafts.get', { id: saved.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((core.store.db.prepare('SELECT data FROM drafts WHERE id = ?').get(saved.id) as { data: string }).data).not.toContain('Kowalski');
    const created = await create({ form: faxForm(), draftId: saved.id });
    expect(created.reference).toBeTruthy();
    expect(await sifter.call('drafts.list', {})).toEqual([]);
  });

  it('stores source details typed in the restricted section only in the source table, and withholds them from the account', async () => {
    const created = await create({
      form: faxForm({ freeText: 'Letter from Jan Kowalski (07700 900999) about the car wash owner paying cash.', source: { name: 'Jan Kowalski', phone: '07700 900999', email: '', address: '', relationship: 'neighbour', organisation: '' } }),
    });
    const record = await analyst.call('allegations.get', { id: created.id });
    expect(record.hasSource).toBe(true);
    expect(record.freeText).toBe('Letter from [source withheld] ([source withheld]) about the car wash owner paying cash.');
    const changes = (core.store.db.prepare('SELECT data FROM changes WHERE allegation_id = ?').all(created.id) as Array<{ data: string }>).map((c) => c.data).join();
    expect(changes).not.toContain('Kowalski');
  });
});

describe('working an allegation after intake', () => {
  it('amends the form, keeping every replaced value in the change log', async () => {
    const created = await create({ form: faxForm() });
    const { form } = await analyst.call('allegations.form', { id: created.id });
    const subject = form.subjects[0];
    const updated = await analyst.call('allegations.update', {
      id: created.id,
      form: { ...form, subjects: [{ ...subject!, surname: 'Nowakowski' }], phones: [], vehicles: [{ vrm: 'bw16 vto', description: 'white Transit' }] },
    });
    expect(updated.subjects[0]?.surname).toBe('Nowakowski');
    expect(updated.phones).toEqual([]);
    expect(updated.vehicles[0]).toMatchObject({ vrm: 'bw16 vto', normalised: 'BW16VTO' });
    const history = core.store.db.prepare("SELECT data FROM changes WHERE entity = 'subject' AND op = 'update' AND entity_id = ?").get(subject!.id) as { data: string };
    expect(JSON.parse(history.data)).toMatchObject({ surname: { from: 'Nowak', to: 'Nowakowski' } });
    // The removed phone is still in the store, marked removed.
    expect(core.store.db.prepare('SELECT removed_at FROM phones WHERE allegation_id = ?').get(created.id)).toEqual({ removed_at: expect.any(String) });
    // Search follows the amendment at once.
    expect(core.search.search({ q: 'Nowakowski', limit: 5 }).hits.map((h) => h.reference)).toContain(created.reference);
  });

  it('reallocates to another unit with a reason and keeps the history', async () => {
    const created = await create({ form: faxForm() });
    await expect(analyst.call('allegations.reallocate', { id: created.id, unit: 'WMID', reason: 'no change' })).rejects.toMatchObject({ code: 'bad_request' });
    const moved = await analyst.call('allegations.reallocate', { id: created.id, unit: 'EMID', reason: 'Business is in Leicester, not Birmingham' });
    expect(moved.unit).toBe('EMID');
    expect(moved.unitHistory.map((h) => [h.fromUnit, h.toUnit])).toEqual([[null, 'WMID'], ['WMID', 'EMID']]);
    // Now it is another unit's work.
    await expect(analyst.call('allegations.assess', { id: created.id, riskRating: 'thirty_days' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('allocates, assesses with a risk rating that sets the next service standard, and moves through the buckets', async () => {
    const created = await create({ form: faxForm() });
    await analyst.call('allegations.allocate', { id: created.id });
    const waiting = await analyst.call('queue.list', { bucket: 'awaiting_assessment' });
    expect(waiting.rows.map((r) => r.reference)).toContain(created.reference);
    expect((await analyst.call('queue.list', { view: 'mine' })).rows.map((r) => r.reference)).toContain(created.reference);
    const assessed = await analyst.call('allegations.assess', { id: created.id, riskRating: 'four_hours', note: 'Live illegal working, pass to ICE' });
    expect(assessed).toMatchObject({ status: 'triaged', riskRating: 'four_hours', assessedAt: new Date(NOW).toISOString(), nextDueAt: new Date(NOW + 4 * 3_600_000).toISOString() });
    expect(assessed.notes.at(-1)?.text).toBe('Live illegal working, pass to ICE');
    const research = await analyst.call('queue.list', { bucket: 'in_research' });
    expect(research.rows.find((r) => r.reference === created.reference)?.dueAt).toBe(new Date(NOW + 4 * 3_600_000).toISOString());
    await expect(analyst.call('allegations.assess', { id: created.id, riskRating: 'immediate' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('appends notes and amendments that keep the original', async () => {
    const created = await create({ form: faxForm() });
    const withNote = await analyst.call('notes.add', { allegationId: created.id, text: 'CID check: no trace' });
    const original = withNote.notes[0]!;
    const amended = await analyst.call('notes.add', { allegationId: created.id, text: 'CID check: trace, visit visa expired 2024', amendsNoteId: original.id });
    expect(amended.notes).toHaveLength(2);
    expect(amended.notes.find((n) => n.id === original.id)).toMatchObject({ text: 'CID check: no trace', amendedByNoteId: amended.notes[1]?.id });
  });
});

describe('the routing table is data an administrator edits', () => {
  it('refuses an edit naming a unit that does not exist, accepts a valid one and audits it', async () => {
    const bad = await admin.raw('routing.update', { table: { ...DEFAULT_ROUTING, areas: { ...DEFAULT_ROUTING.areas, B: 'ATLANTIS' } }, reason: 'test a bad edit' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/area B: unknown unit ATLANTIS/) } });
    await expect(analyst.call('routing.update', { table: DEFAULT_ROUTING, reason: 'not mine to change' })).rejects.toMatchObject({ code: 'forbidden' });
    const updated = await admin.call('routing.update', { table: { ...DEFAULT_ROUTING, districts: { ...DEFAULT_ROUTING.districts, B10: 'EMID' } }, reason: 'B10 covered by East Midlands this month' });
    expect(updated.isDefault).toBe(false);
    expect((await sifter.call('intake.preview', { form: faxForm() })).routing).toMatchObject({ unit: 'EMID', reason: 'postcode district B10' });
    const audit = core.store.db.prepare("SELECT details FROM audit_log WHERE action = 'routing.update'").get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ reason: 'B10 covered by East Midlands this month', changedAreas: ['B10: - -> EMID'] });
    await admin.call('routing.reset', { reason: 'back to normal' });
    expect((await sifter.call('intake.preview', { form: faxForm() })).routing.unit).toBe('WMID');
  });
});

describe('bulk intake from the import screen', () => {
  it('uploads in pieces, imports with routing and reports per-record errors', async () => {
    const text = readFileSync(CORPUS_1K, 'utf8').split('\n').slice(0, 300).join('\n') + '\n{"broken": \n';
    const { jobId, chunkBytes } = await sifter.call('import.begin', { fileName: 'online-forms.jsonl', size: Buffer.byteLength(text) });
    const events: unknown[] = [];
    const off = core.on((e) => events.push(e));
    for (let i = 0, n = 0; i < text.length; i += chunkBytes / 4, n++) await sifter.call('import.chunk', { jobId, index: n, text: text.slice(i, i + chunkBytes / 4) });
    const summary = await sifter.call('import.finish', { jobId });
    off();
    expect(summary).toMatchObject({ file: 'online-forms.jsonl', lines: 301, imported: 300, failed: 1, errors: [{ line: 301 }] });
    expect(Object.values(summary.byUnit).reduce((a, b) => a + b, 0)).toBe(300);
    expect(events.at(-1)).toMatchObject({ type: 'import.progress', jobId, finished: true, imported: 300 });
    await expect(analyst.call('import.begin', { fileName: 'x', size: 1 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
