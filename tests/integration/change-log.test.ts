// The change log that sync can trust: every table of the schema is either a synced entity of the registry or
// declared local with its reason; every synced write is described by one change row of one shape; and replaying
// the change log of a working store into an empty one gives back the same rows, field for field — the property
// sync rests on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { Store } from '../../electron/store/store.ts';
import { applyChange } from '../../electron/store/registry.ts';
import { ENTITIES, LOCAL_TABLES, entityOfTable, type EntitySpec } from '../../shared/sync/entities.ts';
import { changeProblem, changeRow, type ChangeRow } from '../../shared/sync/changes.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { addUser, CORPUS_1K, DATA, openCore, ROOT, signIn, tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let clock = Date.parse('2026-03-02T09:00:00Z');
const tick = (ms = 60_000) => (clock += ms);

function tablesOf(db: Store['db']): Array<{ name: string; sql: string }> {
  return db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; sql: string }>;
}

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(join(tmp.dir, 'desk'), { now: () => clock });
});

afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('the registry of synced entities', () => {
  it('declares every table of the schema: a synced entity, or local with the reason it stays on this desk', () => {
    const tables = tablesOf(core.store.db);
    const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
    const undeclared = tables
      .map((t) => t.name)
      // A full-text table's shadow tables (search_fts_data, …) belong to it.
      .filter((name) => !virtual.some((v) => name.startsWith(`${v}_`)))
      .filter((name) => !entityOfTable(name) && !(name in LOCAL_TABLES));
    expect(undeclared).toEqual([]);
    for (const [table, why] of Object.entries(LOCAL_TABLES)) expect(why.length, table).toBeGreaterThan(20);
    // Nothing is declared that the schema does not have.
    const names = new Set(tables.map((t) => t.name));
    for (const e of ENTITIES) expect(names.has(e.table), e.table).toBe(true);
    for (const t of Object.keys(LOCAL_TABLES)) expect(names.has(t), t).toBe(true);
  });

  it('declares every column of a synced table: key, clock, synced field, or local with its reason', () => {
    for (const e of ENTITIES as readonly EntitySpec[]) {
      const columns = (core.store.db.prepare('SELECT name, "notnull" AS nn, dflt_value AS d FROM pragma_table_info(?)').all(e.table) as Array<{ name: string; nn: number; d: string | null }>);
      const declared = new Set([...e.key, ...e.columns, ...Object.keys(e.local ?? {}), 'hlc']);
      expect(columns.map((c) => c.name).filter((c) => !declared.has(c)), e.table).toEqual([]);
      for (const c of [...e.key, ...e.columns]) expect(columns.some((x) => x.name === c), `${e.table}.${c}`).toBe(true);
      // A local column that must have a value has one for rows that arrive from elsewhere.
      for (const c of columns) if (e.local && c.name in e.local && c.nn && c.d === null) expect(e.arriving?.[c.name], `${e.table}.${c.name}`).toBeDefined();
    }
  });

  it('has no hand-written change rows or SQL writes to synced tables outside the registry writer', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(ROOT, 'electron'));
    const synced = ENTITIES.map((e) => e.table);
    const offenders: string[] = [];
    for (const f of files) {
      if (f.endsWith(join('store', 'registry.ts')) || f.includes(join('store', 'migrations'))) continue;
      const text = readFileSync(f, 'utf8');
      if (/\bm\.change\(/.test(text)) offenders.push(`${f}: m.change(`);
      for (const t of synced) {
        if (new RegExp(`(INSERT(\\s+OR\\s+\\w+)?\\s+INTO|UPDATE|DELETE\\s+FROM|REPLACE\\s+INTO)\\s+${t}\\b`, 'i').test(text)) offenders.push(`${f}: writes ${t}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('refuses a change the registry cannot describe', () => {
    expect(changeProblem({ entity: 'nonsense', op: 'insert', fields: {} })).toMatch(/No synced entity/);
    expect(changeProblem({ entity: 'note', op: 'update', fields: { text: { from: 'a', to: 'b' } } })).toMatch(/append-only/);
    expect(changeProblem({ entity: 'subject', op: 'update', fields: { password: { from: null, to: 'x' } } })).toMatch(/not a synced field/);
    expect(changeProblem({ entity: 'source_details', op: 'update', fields: { payload: { from: null, to: 'plain text' } } })).toMatch(/bytes/);
    expect(changeProblem({ entity: 'subject', op: 'insert', fields: { surname: { from: null, to: 'Nowak' } } })).toMatch(/missing/);
  });
});

function form(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return { ...emptyForm(new Date(clock - 3_600_000), 'letter'), reporterType: 'public', offenceTypes: ['illegal_working'], freeText: 'He works at the car wash for cash.', scanMissingReason: 'Scan to follow', ...overrides };
}

/** Every synced row of a store, keyed by entity and key, with its clock and per-field clocks. */
function snapshot(store: Store): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const e of ENTITIES as readonly EntitySpec[]) {
    const cols = [...e.key, ...e.columns, 'hlc'];
    for (const row of store.db.prepare(`SELECT ${cols.join(', ')} FROM ${e.table}`).all() as Array<Record<string, unknown>>) {
      const key = e.key.map((k) => String(row[k])).join('|');
      out.set(`${e.entity}/${key}`, Object.fromEntries(cols.map((c) => [c, Buffer.isBuffer(row[c]) ? (row[c] as Buffer).toString('base64') : row[c]])));
    }
  }
  for (const r of store.db.prepare('SELECT entity, id, field, hlc FROM field_clocks').all() as Array<{ entity: string; id: string; field: string; hlc: string }>) {
    out.set(`clock/${r.entity}/${r.id}/${r.field}`, r.hlc);
  }
  return out;
}

function changesOf(store: Store): ChangeRow[] {
  const rows = store.db.prepare('SELECT seq, hlc, entity, entity_id, allegation_id, op, data, user_id FROM changes ORDER BY seq').all() as Array<{
    seq: number;
    hlc: string;
    entity: string;
    entity_id: string;
    allegation_id: string | null;
    op: ChangeRow['op'];
    data: string;
    user_id: string | null;
  }>;
  return rows.map((r) => changeRow.parse({ seq: r.seq, hlc: r.hlc, entity: r.entity, id: r.entity_id, allegationId: r.allegation_id, op: r.op, fields: JSON.parse(r.data), userId: r.user_id }));
}

describe('the change log of a working store', () => {
  beforeAll(async () => {
    // The 1k corpus, then a scripted working day through the API.
    const admin = await addUser(core, 'ad.min', 'admin', null);
    await addUser(core, 'nat.sifter', 'sifter', 'NAT');
    await addUser(core, 'wm.analyst', 'analyst', 'WMID');
    await addUser(core, 'wm.analyst2', 'analyst', 'WMID');
    await addUser(core, 'wm.compliance', 'compliance_officer', 'WMID');
    await addUser(core, 'wm.duty', 'duty_manager', 'WMID');
    await addUser(core, 'ns.officer', 'nsu', 'NSU');
    const adminCaller = await signIn(core, 'ad.min');
    const text = readFileSync(CORPUS_1K, 'utf8');
    const job = await adminCaller.call('import.begin', { fileName: 'allegations-1k.jsonl', size: Buffer.byteLength(text) });
    const buf = Buffer.from(text);
    for (let i = 0, at = 0; at < buf.length; i++, at += job.chunkBytes) await adminCaller.call('import.chunk', { jobId: job.jobId, index: i, text: buf.subarray(at, at + job.chunkBytes).toString('utf8') });
    await adminCaller.call('import.finish', { jobId: job.jobId });
    expect(admin.role).toBe('admin');

    const sifter = await signIn(core, 'nat.sifter');
    const analyst = await signIn(core, 'wm.analyst');
    const analyst2 = await signIn(core, 'wm.analyst2');
    const compliance = await signIn(core, 'wm.compliance');
    const duty = await signIn(core, 'wm.duty');
    const nsu = await signIn(core, 'ns.officer');

    // Intake: a letter keyed at NAT for Birmingham, with a source and a time-critical account.
    tick();
    const letter = await sifter.call('allegations.create', {
      form: form({
        freeText: 'Farhan Qureshi works at the Alum Rock car wash. His hearing is on 4 March 2026 and he says he will leave before it.',
        subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi', dob: '1990-04-12', gender: 'M', nationality: 'Pakistani' }],
        addresses: [{ type: 'offence_location', line1: '27 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1JB' }],
        phones: [{ number: '07700 900123' }],
        source: { name: 'Garfield Clarke', phone: '07813 382035', email: '', address: '', relationship: 'neighbour', organisation: '' },
      }),
    });
    tick();
    // Amendments by two analysts, notes, allocation, assessment, time-critical decision.
    await analyst.call('allegations.allocate', { id: letter.id });
    const f1 = (await analyst.call('allegations.form', { id: letter.id })).form;
    await analyst.call('allegations.update', { id: letter.id, form: { ...f1, offenceTypes: ['illegal_working', 'overstayer'], vehicles: [{ vrm: 'BW16 VTO', description: 'white Transit' }] } });
    tick();
    const f2 = (await analyst2.call('allegations.form', { id: letter.id })).form;
    await analyst2.call('allegations.update', { id: letter.id, form: { ...f2, subjects: [{ ...f2.subjects[0]!, surname: 'Qureshi-Khan' }], phones: [], offenceTypes: ['overstayer'] } });
    await analyst.call('notes.add', { allegationId: letter.id, text: 'Called the car wash: he works weekends.' });
    await analyst.call('allegations.assess', { id: letter.id, riskRating: 'four_hours' });
    await duty.call('allegations.timeCritical', { id: letter.id, decision: 'confirm', reason: 'Hearing in two days' });
    // Checks, a duplicate and its judgement, the review, an outcome, the sign-off.
    tick();
    const dup = await analyst.raw('allegations.create', { form: form({ subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi-Khan', dob: '1990-04-12' }], addresses: [{ type: 'home', line1: '27 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1JB' }] }) });
    const dupId = dup.ok ? (dup.value as { id: string }).id : (await analyst.call('allegations.create', { form: form({ subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi-Khan', dob: '1990-04-12' }], addresses: [{ type: 'home', line1: '27 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1JB' }] }), linkWarning: { candidateId: dup.error.fields?.linkWarning as string, choice: 'duplicate', reason: 'Same man, same address' } })).id;
    const subjectId = (await analyst.call('allegations.get', { id: letter.id })).subjects[0]?.id ?? null;
    await analyst.call('checks.add', { allegationId: letter.id, system: 'cid_atlas', subjectId, finding: 'trace', result: 'Visit visa expired 2024' });
    await analyst.call('checks.add', { allegationId: letter.id, system: 'pnc', subjectId, finding: 'no_trace', result: 'Nothing' });
    const candidates = await analyst.call('links.candidates', { allegationId: letter.id });
    for (const c of candidates.candidates) if (!c.judgement) await analyst.call('links.judge', { allegationId: letter.id, otherId: c.allegationId, judgement: c.allegationId === dupId ? 'duplicate' : 'not_a_match', reason: 'Looked at it side by side' });
    await analyst.call('links.review', { allegationId: letter.id, note: 'Candidates judged' });
    tick();
    // Grading, the ICE team tasked with the graded report, its result and the visit's debrief (issue 20).
    await analyst.call('allegations.grade', { id: letter.id, source: '2', intelligence: 'B', handling: 'C', conditions: 'Law enforcement only', harm: 'high' });
    const task = await analyst.call('actions.record', { allegationId: letter.id, action: 'tasked_ice', recipientType: 'ice_team', recipient: 'ICE team West Midlands' });
    tick();
    await analyst.call('actions.result', { actionId: task.id, result: 'visited', detail: 'Two workers encountered at the car wash' });
    await analyst.call('feedback.debrief', {
      allegationId: letter.id,
      actionId: task.id,
      debrief: { operationDate: '2026-03-02', officerInCharge: 'IO Patel', premises: 'Car wash, Alum Rock Road', encountered: 'Farhan Qureshi-Khan and one other', arrests: 1, observations: 'Working without permission; arrested and referred.' },
    });
    await analyst.call('allegations.outcome', { id: letter.id, outcome: 'actioned', actions: [{ action: 'tasked_ice', detail: 'ICE team West Midlands' }], rationale: 'Working illegally with a hearing imminent' });
    await compliance.call('allegations.signOff', { id: letter.id, decision: 'return', evidence: [], note: 'Record the visit date before closing' });
    // Reallocation of an imported case, its allocation ended; saved searches; routing; the source pane; NSU.
    const imported = core.store.db.prepare("SELECT id FROM allegations WHERE unit_code = 'WMID' AND status = 'new' LIMIT 1").get() as { id: string };
    await analyst.call('allegations.allocate', { id: imported.id });
    await analyst.call('allegations.reallocate', { id: imported.id, unit: 'EMID', reason: 'The business is in Leicester' });
    const saved = await analyst.call('search.saved.create', { name: 'Car washes', q: 'car wash' });
    await analyst.call('search.saved.run', { id: saved.id, limit: 5, markSeen: true });
    await analyst.call('search.saved.remove', { id: saved.id });
    // The watch list: a person and a case followed, looked at, one of them dropped.
    await analyst.call('watch.add', { items: [{ kind: 'phone', value: '07700 900123', label: '07700 900123' }, { kind: 'allegation', value: letter.reference, label: letter.reference }] });
    const watched = await analyst.call('watch.list', {});
    await analyst.call('watch.seen', { ids: watched.map((w) => w.id) });
    await analyst.call('watch.remove', { id: watched[0]!.id });
    await adminCaller.call('routing.update', { table: { ...(await adminCaller.call('routing.get', {})).table, districts: { ...(await adminCaller.call('routing.get', {})).table.districts, LE1: 'EMID' } }, reason: 'Leicester city centre to East Midlands' });
    await analyst.call('source.addContact', { allegationId: letter.id, method: 'telephone', direction: 'to_source', summary: 'Thanked for the letter' });
    const groups = await nsu.call('nsu.referrers', {});
    if (groups[0]) await nsu.call('nsu.decide', { groupKey: groups[0].groupKey, decision: 'no_action', note: 'Neighbours, nothing more' });
    // Attach a real scan and read it.
    const fax = readFileSync(join(DATA, 'ocr', 'fax-fine-g4-3pages.tif'));
    const begin = await analyst.call('attachments.begin', { allegationId: letter.id, fileName: 'fax.tif', size: fax.length });
    for (let i = 0, at = 0; at < fax.length; i++, at += begin.chunkBytes) await analyst.call('attachments.chunk', { uploadId: begin.uploadId, index: i, data: fax.subarray(at, at + begin.chunkBytes).toString('base64') });
    const attached = await analyst.call('attachments.finish', { uploadId: begin.uploadId });
    await core.attachments.whenIdle();
    expect((await analyst.call('attachments.get', { id: attached.attachment.id })).ocrStatus).toBe('done');
  }, 600_000);

  it('describes every write in the one shape, with every field a new row was given', () => {
    const changes = changesOf(core.store);
    expect(changes.length).toBeGreaterThan(10_000);
    for (const c of changes) expect(changeProblem(c), `${c.entity} ${c.id}`).toBeNull();
    const entities = new Set(changes.map((c) => c.entity));
    for (const e of ['allegation', 'allegation_offence', 'unit_history', 'subject', 'address', 'phone', 'vehicle', 'note', 'attachment', 'attachment_page', 'check', 'link_judgement', 'link_review', 'outcome_decision', 'outcome_action', 'compliance_signoff', 'allocation', 'source_details', 'restricted_text', 'source_contact', 'user', 'setting', 'saved_search', 'dissemination', 'operational_feedback', 'watch_item']) {
      expect(entities.has(e), e).toBe(true);
    }
    // An update says what each field was and became.
    const amended = changes.find((c) => c.entity === 'subject' && c.op === 'update' && 'surname' in c.fields);
    expect(amended?.fields.surname).toEqual({ from: 'Qureshi', to: 'Qureshi-Khan' });
    // The grading is in the change history: what each field was and became.
    const graded = changes.find((c) => c.entity === 'allegation' && c.op === 'update' && 'grading_intelligence' in c.fields);
    expect(graded?.fields).toMatchObject({ grading_source: { from: null, to: '2' }, grading_intelligence: { from: null, to: 'B' }, grading_handling: { from: null, to: 'C' }, grading_conditions: { from: '', to: 'Law enforcement only' }, harm: { from: null, to: 'high' } });
    // An action's result is an update of the action, and the result as it came back is appended.
    expect(changes.some((c) => c.entity === 'dissemination' && c.op === 'update' && c.fields.result?.to === 'visited')).toBe(true);
    expect(changes.filter((c) => c.entity === 'operational_feedback' && c.op === 'append').map((c) => c.fields.kind?.to).sort()).toEqual(['debrief', 'result']);
    // Ending an allocation on reallocation is logged.
    expect(changes.some((c) => c.entity === 'allocation' && c.op === 'update' && c.fields.ended_at?.from === null)).toBe(true);
    // Restricted material travels only sealed.
    for (const c of changes.filter((x) => x.entity === 'source_details' || x.entity === 'restricted_text')) {
      expect(c.fields.format?.to).toBe('aes256gcm-v1');
      expect(JSON.stringify(c.fields)).not.toMatch(/Garfield|Clarke|07813/);
    }
    // Which matches a user has seen is this desk's own: no change row mentions it.
    expect(changes.some((c) => 'seen_docs' in c.fields || 'seen_at' in c.fields)).toBe(false);
  });

  it('keeps a clock per field where desks merge field by field', () => {
    const clocks = core.store.db.prepare("SELECT field FROM field_clocks WHERE entity = 'subject'").all() as Array<{ field: string }>;
    expect(clocks.map((c) => c.field)).toContain('surname');
  });

  it('replayed into an empty store, gives back every synced row, field for field', () => {
    const replay = new Store(join(tmp.dir, 'replay'));
    try {
      const changes = changesOf(core.store);
      replay.db.transaction(() => {
        for (const c of changes) applyChange(replay.db, c);
      })();
      const want = snapshot(core.store);
      const got = snapshot(replay);
      expect(got.size).toBe(want.size);
      const diff: string[] = [];
      for (const [k, v] of want) if (JSON.stringify(got.get(k)) !== JSON.stringify(v)) diff.push(k);
      expect(diff.slice(0, 10)).toEqual([]);
      // Applying the log a second time changes nothing (idempotent).
      replay.db.transaction(() => {
        for (const c of changes) applyChange(replay.db, c);
      })();
      expect(JSON.stringify([...snapshot(replay)])).toBe(JSON.stringify([...got]));
    } finally {
      replay.close();
    }
  });
});

describe('merging field by field', () => {
  it('keeps both of two edits to different fields made on two desks, and the later of two edits to one field', () => {
    // Desk B's clock runs a second ahead of A's, so B's edit is the later one whatever the two desks' ids are
    // (two edits in the same millisecond would be ordered by desk id instead).
    const t0 = Date.now();
    const a = new Store(join(tmp.dir, 'merge-a'), { now: () => t0 });
    const b = new Store(join(tmp.dir, 'merge-b'), { now: () => t0 + 1000 });
    try {
      const actor = { userId: null, name: 'test' };
      a.mutate({ actor, action: 'test.create' }, (m) => {
        m.insert('allegation', { id: 'x1', reference: 'IMS-2026-000001', channel: 'email', reporter_type: 'public', received_at: m.at, status: 'new', created_at: m.at, updated_at: m.at });
      });
      for (const c of changesOf(a)) b.db.transaction(() => applyChange(b.db, c))();
      const seenA = changesOf(a).length;
      const seenB = changesOf(b).length;
      a.mutate({ actor, action: 'test.edit' }, (m) => m.update('allegation', 'x1', { free_text: 'from desk A', scan_missing_reason: 'A' }));
      b.mutate({ actor, action: 'test.edit' }, (m) => m.update('allegation', 'x1', { risk_rating: 'thirty_days', scan_missing_reason: 'B, later' }));
      const fromA = changesOf(a).slice(seenA);
      const fromB = changesOf(b).slice(seenB);
      // Each desk applies the other's change, in either order: both end the same.
      b.db.transaction(() => fromA.forEach((c) => applyChange(b.db, c)))();
      a.db.transaction(() => fromB.forEach((c) => applyChange(a.db, c)))();
      const row = (s: Store) => s.db.prepare("SELECT free_text, risk_rating, scan_missing_reason FROM allegations WHERE id = 'x1'").get();
      expect(row(a)).toEqual({ free_text: 'from desk A', risk_rating: 'thirty_days', scan_missing_reason: 'B, later' });
      expect(row(b)).toEqual(row(a));
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses an update to a row it does not hold, and a malformed change, changing nothing', () => {
    const s = new Store(join(tmp.dir, 'refuse'));
    try {
      const before = s.db.prepare('SELECT count(*) AS n FROM allegations').get();
      expect(() => applyChange(s.db, { entity: 'allegation', id: 'nope', op: 'update', hlc: '0001700000000-00000-x', allegationId: 'nope', fields: { free_text: { from: '', to: 'x' } } })).toThrow(/does not hold/);
      expect(() => applyChange(s.db, { entity: 'allegation', id: 'nope', op: 'insert', hlc: '0001700000000-00000-x', allegationId: 'nope', fields: { free_text: { from: null, to: 'x' } } })).toThrow(/missing/);
      expect(s.db.prepare('SELECT count(*) AS n FROM allegations').get()).toEqual(before);
    } finally {
      s.close();
    }
  });
});
