// The analyst's workbench in the core: an allegation's form history read from the change log (who changed which
// field, when, and what it held before); one store.changed event for the screens after the mutations of a turn;
// the watch list written through the registry like any synced row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { addUser, openCore, signIn, tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let clock = Date.parse('2026-03-02T09:00:00Z');
const tick = (ms = 60_000) => (clock += ms);

function form(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return {
    ...emptyForm(new Date(clock - 3_600_000), 'online_form'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'He works at the car wash for cash.',
    addresses: [{ type: 'offence_location', line1: '1 High Street', line2: '', town: 'Birmingham', postcode: 'B5 4BU' }],
    ...overrides,
  };
}

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(join(tmp.dir, 'desk'), { now: () => clock });
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  await addUser(core, 'wm.analyst2', 'analyst', 'WMID');
});

afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('the history of an allegation’s form', () => {
  it('lists each amendment with who and when, and each changed field with what it held before', async () => {
    const analyst = await signIn(core, 'wm.analyst');
    const analyst2 = await signIn(core, 'wm.analyst2');
    const created = await analyst.call('allegations.create', {
      form: form({
        subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi', dob: '1990-04-12', gender: 'M', nationality: 'Pakistani' }],
        addresses: [{ type: 'home', line1: '27 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1JB' }],
        phones: [{ number: '07700 900123' }],
      }),
    });
    expect(await analyst.call('history.allegation', { allegationId: created.id })).toEqual({ created: { at: new Date(clock).toISOString(), by: 'wm analyst' }, entries: [] });

    tick();
    const f1 = (await analyst.call('allegations.form', { id: created.id })).form;
    await analyst.call('allegations.update', { id: created.id, form: { ...f1, subjects: [{ ...f1.subjects[0]!, surname: 'Qureshi-Khan' }], freeText: 'He works at the Alum Rock car wash for cash.' } });
    const firstAt = new Date(clock).toISOString();
    tick();
    const f2 = (await analyst2.call('allegations.form', { id: created.id })).form;
    await analyst2.call('allegations.update', { id: created.id, form: { ...f2, phones: [], vehicles: [{ vrm: 'bw16vto', description: 'white Transit' }], offenceTypes: ['overstayer'] } });
    // Work that is not the form (an assessment) is the timeline's, not the form's history.
    await analyst.call('allegations.assess', { id: created.id, riskRating: 'four_hours' });

    const history = await analyst.call('history.allegation', { allegationId: created.id });
    expect(history.entries).toHaveLength(2);
    expect(history.entries[0]).toEqual({
      at: firstAt,
      by: 'wm analyst',
      items: [
        { part: 'Allegation', field: 'Account', kind: 'changed', was: 'He works at the car wash for cash.', now: 'He works at the Alum Rock car wash for cash.', format: 'text' },
        { part: 'Subject 1 (Farhan Qureshi)', field: 'Surname', kind: 'changed', was: 'Qureshi', now: 'Qureshi-Khan', format: 'text' },
      ],
    });
    expect(history.entries[1]?.by).toBe('wm analyst2');
    expect(history.entries[1]?.items).toEqual(
      expect.arrayContaining([
        { part: 'Offences', field: '', kind: 'added', was: null, now: 'Overstayer', format: 'text' },
        { part: 'Offences', field: '', kind: 'removed', was: 'Illegal working', now: null, format: 'text' },
        { part: 'Phone 1 (07700 900123)', field: '', kind: 'removed', was: '07700 900123', now: null, format: 'text' },
        { part: 'Vehicle 1 (bw16vto)', field: '', kind: 'added', was: null, now: 'bw16vto, white Transit', format: 'text' },
      ]),
    );
    // The record shows what is in force; the history keeps what was replaced.
    const record = await analyst.call('allegations.get', { id: created.id });
    expect(record.subjects[0]?.surname).toBe('Qureshi-Khan');
    expect(record.phones).toEqual([]);
  });

  it('refuses an allegation that does not exist with a clear error', async () => {
    const analyst = await signIn(core, 'wm.analyst');
    const r = await analyst.raw('history.allegation', { allegationId: '0190f0b0-0000-7000-8000-000000000000' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found', message: 'No such allegation' } });
  });
});

describe('screens that never go stale', () => {
  it('sends one store.changed event after the mutations of one turn, naming the allegations they touched', async () => {
    const analyst = await signIn(core, 'wm.analyst');
    const a = await analyst.call('allegations.create', { form: form({ freeText: 'A cash-in-hand kitchen porter.', phones: [{ number: '07700 900456' }], addresses: [{ type: 'work', line1: '14 Ladypool Road', line2: '', town: 'Birmingham', postcode: 'B12 8JU' }] }) });
    const b = await analyst.call('allegations.create', { form: form({ freeText: 'A nail bar paying below the minimum wage.', addresses: [{ type: 'offence_location', line1: '88 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LR' }] }) });
    await new Promise((r) => setImmediate(r));
    const events: CoreEvent[] = [];
    const off = core.on((e) => events.push(e));
    try {
      // Two mutations in the same turn: one event.
      await Promise.all([analyst.call('notes.add', { allegationId: a.id, text: 'Spoke to the manager.' }), analyst.call('notes.add', { allegationId: b.id, text: 'Checked the rota.' })]);
      await new Promise((r) => setImmediate(r));
      const changed = events.filter((e) => e.type === 'store.changed');
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatchObject({ type: 'store.changed', mutations: 2 });
      expect([...(changed[0] as { allegationIds: string[] }).allegationIds].sort()).toEqual([a.id, b.id].sort());
      // A mutation refused before it writes anything sends nothing.
      events.length = 0;
      await analyst.raw('notes.add', { allegationId: a.id, text: '' });
      await new Promise((r) => setImmediate(r));
      expect(events.filter((e) => e.type === 'store.changed')).toEqual([]);
    } finally {
      off();
    }
  });
});

describe('the watch list', () => {
  it('keeps what a user follows as synced rows of their own, written through the change log, never deleted', async () => {
    const analyst = await signIn(core, 'wm.analyst');
    const first = await analyst.call('watch.add', { items: [{ kind: 'phone', value: '07700900456', label: 'his mobile' }] });
    expect(first).toEqual({ added: 1, already: 0 });
    // The same phone written another way is the same item.
    expect(await analyst.call('watch.add', { items: [{ kind: 'phone', value: '+44 7700 900456', label: 'again' }] })).toEqual({ added: 0, already: 1 });
    const [item] = await analyst.call('watch.list', {});
    expect(item).toMatchObject({ kind: 'phone', label: 'his mobile', allegations: 1 });
    await analyst.call('watch.remove', { id: item!.id });
    expect(await analyst.call('watch.list', {})).toEqual([]);
    // Another analyst's list is their own.
    const analyst2 = await signIn(core, 'wm.analyst2');
    expect(await analyst2.call('watch.list', {})).toEqual([]);
    await expect(analyst2.call('watch.remove', { id: item!.id })).rejects.toThrow('That is not on your watch list');

    const rows = core.store.db.prepare("SELECT op, data FROM changes WHERE entity = 'watch_item' AND entity_id = ? ORDER BY seq").all(item!.id) as Array<{ op: string; data: string }>;
    expect(rows.map((r) => r.op)).toEqual(['insert', 'update']);
    expect(JSON.parse(rows[1]!.data)).toEqual({ removed_at: { from: null, to: new Date(clock).toISOString() } });
    expect(core.store.db.prepare('SELECT count(*) AS n FROM watch_items WHERE id = ?').get(item!.id)).toEqual({ n: 1 });
  });
});
