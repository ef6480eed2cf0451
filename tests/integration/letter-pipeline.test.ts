// A two-page fax read by the real OCR and the one pipeline (issue 17): page 1 names the subject, page 2 alone says
// he flies out "on Friday" on flight EZY8741 and ends with the writer's signature block. The page makes the
// allegation time-critical at once (the duty manager is told once, the queue says why), the flight is suggested with
// its date and, once put on the form and saved, recorded as accepted; the writer is withheld from the open text and
// offered for the restricted pane even though the allegation already has a source, as that person or another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { addUser, openCore, signIn, tempDir } from '../helpers.ts';
import { twoPageFax } from '../fixtures/letters/two-page-fax.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import type { Core } from '../../electron/core/core.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { applySuggestion } from '../../shared/attachments/rules.ts';
import { readSourceForCore } from '../../electron/store/allegation-write.ts';

const NOW = new Date('2026-03-04T10:00:00Z'); // a Wednesday: "on Friday" is 6 March

let core: Core;
let tmp: ReturnType<typeof tempDir>;
let analyst: Awaited<ReturnType<typeof signIn>>;
let duty: Awaited<ReturnType<typeof signIn>>;
const events: CoreEvent[] = [];
let allegationId: string;
let reference: string;
let attachmentId: string;

beforeAll(async () => {
  tmp = tempDir('ims-letter-');
  core = await openCore(tmp.dir, { now: () => NOW.getTime() });
  await addUser(core, 'sy.analyst', 'analyst', 'YORKS');
  await addUser(core, 'sy.duty', 'duty_manager', 'YORKS');
  analyst = await signIn(core, 'sy.analyst');
  duty = await signIn(core, 'sy.duty');
  core.on((e) => events.push(e));
  const created = await analyst.call('allegations.create', {
    form: {
      ...emptyForm(NOW, 'fax'),
      offenceTypes: ['illegal_working'],
      freeText: 'Fax about a man working cash in hand at a car wash in Sheffield. See the attached fax.',
      addresses: [{ type: 'work', line1: 'Abbeydale Road', line2: '', town: 'Sheffield', postcode: 'S7 1FS' }],
      // A source already known: the person who telephoned last week.
      source: { name: 'Peter Lawson', phone: '07700 900777', email: '', address: '', relationship: 'neighbour', organisation: '' },
    },
  });
  allegationId = created.id;
  reference = created.reference;
  expect(created.timeCritical).toBe(false);
  const file = join(tmp.dir, 'fax 4 March.tif');
  await twoPageFax(file);
  const { attachment } = await core.attachments.attachFile({ userId: null, name: 'sy.analyst' }, allegationId, file);
  attachmentId = attachment.id;
  await core.attachments.whenIdle(attachmentId);
});
afterAll(() => {
  core?.close();
  tmp?.cleanup();
});

describe('a two-page fax whose page 2 alone holds a deadline and a flight', () => {
  it('makes the allegation time-critical, and tells the duty manager once, with the page and the rule', async () => {
    const raised = events.filter((e) => e.type === 'timecritical.raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ allegationId, reference, unit: 'YORKS', event: 'flight', date: '2026-03-06', where: 'page 2 of fax 4 March.tif', again: false });
    // Told as the page landed, before the whole attachment was finished.
    const finished = events.findIndex((e) => e.type === 'attachment.progress' && e.attachmentId === attachmentId && e.stage === 'finished');
    expect(events.indexOf(raised[0]!)).toBeLessThan(finished);
  });

  it('puts it in the duty manager queue with the reason, and the record says which page, sentence and rule', async () => {
    const q = await duty.call('queue.list', { view: 'time_critical' });
    const row = q.rows.find((r) => r.reference === reference);
    expect(row).toMatchObject({ timeCritical: true });
    expect(row?.timeCriticalWhy).toBe('Flight on Fri 6 Mar, page 2 of fax 4 March.tif: “on Friday” (rule: flight + weekday)');
    const record = await duty.call('allegations.get', { reference });
    const tc = record.timeCriticalDetail!;
    expect(tc).toMatchObject({ state: 'detected', deadline: '2026-03-06' });
    expect(tc.evidence).toHaveLength(1);
    expect(tc.evidence[0]).toMatchObject({ page: 2, event: 'flight', date: '2026-03-06', origin: { kind: 'attachment', id: attachmentId, label: 'fax 4 March.tif' } });
    expect(tc.evidence[0]?.sentence).toMatch(/fly out on Friday on flight EZY8741/);
    expect(tc.evidence[0]?.rule).toBe('flight + weekday');
    expect(tc.evidence[0]?.reason).toBe('“flight” with “on Friday”: 2 days after it was received, within the 14 days that make it time-critical');
  });

  it('withholds the writer from the open text and offers name, address and phone for the pane', async () => {
    const detail = await analyst.call('attachments.get', { id: attachmentId });
    const open = [1, 2].map((p) => detail.pageDetails.find((x) => x.page === p)?.text ?? '').join('\n');
    expect(open).toMatch(/EZY ?8741/);
    expect(open).not.toMatch(/Holloway|Whitham|496 ?0321|S10 3HJ/);
    expect(detail.source.hasSource).toBe(true);
    expect(detail.source.offer?.fields).toEqual(expect.arrayContaining(['name', 'address', 'phone']));
  });

  it('suggests the flight with its date and the subject; the flight put on the form and saved is recorded as accepted', async () => {
    const list = await analyst.call('allegations.suggestions', { id: allegationId });
    const flight = list.find((s) => s.kind === 'flight');
    expect(flight).toMatchObject({ value: 'U28741', date: '2026-03-06', page: 2, from: { kind: 'attachment', id: attachmentId } });
    expect(list.find((s) => s.kind === 'name')).toMatchObject({ value: 'Kwame Asante', role: 'subject', page: 1 });
    expect(list.some((s) => /Holloway/.test(s.value))).toBe(false);

    const { form } = await analyst.call('allegations.form', { id: allegationId });
    const withFlight = applySuggestion(form, flight!, { from: 'attachment', fromId: attachmentId, key: flight!.key });
    await analyst.call('allegations.update', { id: allegationId, form: withFlight.form });
    const after = await analyst.call('allegations.suggestions', { id: allegationId });
    expect(after.find((s) => s.key === flight!.key)?.decision).toMatchObject({ decision: 'accepted', field: 'travel.0.flight', by: expect.stringContaining('sy analyst') });
    const record = await analyst.call('allegations.get', { reference });
    expect(record.travel.map((t) => [t.flightNumber, t.travelDate])).toEqual([['U28741', '2026-03-06']]);

    // A rejection is recorded too, and both are in the audit trail.
    const name = after.find((s) => s.kind === 'name')!;
    const rejected = await analyst.call('allegations.rejectSuggestion', { id: allegationId, from: 'attachment', fromId: attachmentId, key: name.key, reason: 'already known as a subject' });
    expect(rejected.find((s) => s.key === name.key)?.decision).toMatchObject({ decision: 'rejected', reason: 'already known as a subject' });
    const rows = core.store.db.prepare('SELECT decision, kind, value, page FROM suggestion_decisions WHERE allegation_id = ? ORDER BY decided_at, rowid').all(allegationId);
    expect(rows).toEqual([
      { decision: 'accepted', kind: 'flight', value: 'U28741', page: 2 },
      { decision: 'rejected', kind: 'name', value: 'Kwame Asante', page: 1 },
    ]);
  });

  it('asks who the writer is when the allegation already has a source, and records them as another reporter', async () => {
    const refused = await analyst.raw('attachments.moveSource', { id: attachmentId, reason: 'writer of the fax' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/already has a source: say whether the writer/);
    const moved = await analyst.call('attachments.moveSource', { id: attachmentId, reason: 'writer of the fax', as: 'other' });
    expect(moved).toMatchObject({ as: 'other', createdSource: false });
    expect(moved.moved).toEqual(expect.arrayContaining(['name', 'address', 'phone']));
    const detail = await analyst.call('attachments.get', { id: attachmentId });
    expect(detail.source.movedBy).toContain('sy analyst');
  });

  it('records the writer as the same source when the person says so: the pane keeps what it had, what differs is a further contact, and the letter a contact from them', async () => {
    const form = {
      ...emptyForm(NOW, 'fax'),
      offenceTypes: ['illegal_working' as const],
      freeText: 'Second fax from the same writer about a car wash in Sheffield.',
      addresses: [{ type: 'work' as const, line1: 'Abbeydale Road', line2: '', town: 'Sheffield', postcode: 'S7 1FS' }],
      source: { name: 'Margaret Holloway', phone: '07700 900111', email: '', address: '', relationship: 'neighbour', organisation: '' },
    };
    // The first allegation is a strong candidate: saving asks for a reason, as a person would give it.
    const first = await analyst.raw('allegations.create', { form });
    const candidateId = first.ok ? null : first.error.fields?.linkWarning;
    const again = first.ok
      ? (first.value as { id: string })
      : await analyst.call('allegations.create', { form, linkWarning: { candidateId: candidateId!, choice: 'undecided', reason: 'a second fax about the same car wash' } });
    const file = join(tmp.dir, 'second fax.tif');
    await twoPageFax(file);
    const { attachment } = await core.attachments.attachFile({ userId: null, name: 'sy.analyst' }, again.id, file);
    await core.attachments.whenIdle(attachment.id);
    const moved = await analyst.call('attachments.moveSource', { id: attachment.id, reason: 'she wrote as well as phoning', as: 'same' });
    expect(moved).toMatchObject({ as: 'same', createdSource: false });
    // The name was already held; the address was missing; the phone differs.
    expect(moved.moved.sort()).toEqual(['address', 'phone']);
    const source = readSourceForCore(core.store.db, core.vault, again.id)!;
    expect(source).toMatchObject({ name: 'Margaret Holloway', phone: '07700 900111', address: '22 Whitham Road, Sheffield, S10 3HJ' });
    expect(source.also).toEqual([expect.objectContaining({ kind: 'contact', phone: '01144960321', from: 'second fax.tif' })]);
    const contacts = core.store.db.prepare('SELECT method, direction FROM source_contacts WHERE allegation_id = ?').all(again.id);
    expect(contacts).toEqual([{ method: 'letter', direction: 'from_source' }]);
  });
});

