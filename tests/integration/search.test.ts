// Search over the 1k corpus through the core, the API and the CLI: fielded filters, identifiers in any
// format, misspelt names, attachment text with its page, the index following every change (in the mutation,
// and from another connection within a second), rebuilding, saved searches, CSV export, and source details
// never reaching the index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { STORE_FILE } from '../../electron/store/db.ts';
import { foldName, normalisePhone, parseUkPostcode } from '../../shared/text/normalise.ts';
import { CORPUS_1K, DATA, ROOT, addUser, openCore, signIn, tempDir } from '../helpers.ts';

const lines = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
interface Input {
  reference: string;
  subjects: Array<{ forename: string; surname: string; dob: string | null }>;
  vehicles: string[];
  flights: string[];
  businesses: Array<{ name: string }>;
  source: { email: string; phone: string } | null;
}
const inputs = lines.map((l) => JSON.parse(l) as Input);
const truth = JSON.parse(readFileSync(join(DATA, 'corpus', 'truth-1k.json'), 'utf8')) as { ocrOnly: Array<{ ref: string; type: string; value: string; intactInOcr: boolean }> };

let tmp: ReturnType<typeof tempDir>;
let core: Core;
const search = (q: string, filters?: Record<string, unknown>, limit = 10) => core.search.search({ q, filters, limit });
const refs = (q: string, filters?: Record<string, unknown>, limit = 10) => search(q, filters, limit).hits.map((h) => h.reference);
const idOf = (ref: string) => (core.store.db.prepare('SELECT id FROM allegations WHERE reference = ?').get(ref) as { id: string }).id;

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(join(tmp.dir, 'profile'));
  await importJsonl(core, CORPUS_1K, { userId: null, name: 'search test' });
  await addUser(core, 'ana.lyst', 'analyst', 'LACAT');
  await addUser(core, 'ad.min', 'admin', null);
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('identifiers in any format', () => {
  it('finds a phone number however it is written', () => {
    // IMS-2020-000001 holds 079 1499 1204.
    for (const q of ['07914991204', '+44 7914 991204', '0044 7914 991204', '07914-991-204', '(07914) 991204']) {
      expect(refs(q), q).toContain('IMS-2020-000001');
    }
  });

  it('finds a postcode with or without its space, in any case, and by district', () => {
    expect(refs('N13 1LB')).toContain('IMS-2020-000001');
    expect(refs('n131lb')).toContain('IMS-2020-000001');
    const district = search('N13', undefined, 50).hits;
    expect(district.map((h) => h.reference)).toContain('IMS-2020-000001');
  });

  it('reads what it recognised back to the user', () => {
    expect(search('+44 7914 991204').readAs).toEqual(['+44 7914 991204: phone 07914991204, in any format']);
  });
});

describe('names', () => {
  it('finds a misspelt surname (a transposition) and ranks holders of the surname first', () => {
    const counts = new Map<string, number>();
    for (const i of inputs) for (const s of i.subjects) if (/^[A-Za-z]{7,}$/.test(s.surname)) counts.set(s.surname, (counts.get(s.surname) ?? 0) + 1);
    const surname = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] as string;
    const typo = surname.slice(0, 2) + surname[3] + surname[2] + surname.slice(4);
    const hits = search(typo, undefined, 5).hits;
    expect(hits).toHaveLength(5);
    expect(hits[0]?.tier).toBe('corrected');
    expect(hits[0]?.why).toEqual([`${surname} for ${typo}`]);
    const carrying = hits.filter((h) => core.store.db.prepare('SELECT 1 FROM subjects WHERE allegation_id = ? AND surname_key = ?').get(h.allegationId, foldName(surname)));
    expect(carrying).toHaveLength(5);
  });

  it('puts a rare word found exactly in the text before names that merely look like it', () => {
    const id = idOf('IMS-2020-000010');
    core.store.mutate({ actor: { userId: null, name: 'test' }, action: 'note.add', entity: 'note', allegationId: id }, (m) => {
      m.db.prepare('INSERT INTO notes (id, allegation_id, note_date, author_name, text, created_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)').run(core.store.newId(), id, '2026-01-04', 'AB1234', 'The lodger calls himself Karimov.', m.at, m.hlc);
    });
    expect(refs('Karimov')[0]).toBe('IMS-2020-000010');
  });

  it('finds a misspelt surname with a postcode typed without its space', () => {
    expect(refs('Akrem n131lb')[0]).toBe('IMS-2020-000001');
  });
});

describe('fielded filters', () => {
  it('filters by subject name (fuzzily), date or year of birth, and district', () => {
    expect(refs('', { name: 'Asma Akrem' })).toContain('IMS-2020-000001');
    const withDob = inputs.find((i) => i.subjects[0]?.dob && i.subjects[0].surname) as Input;
    const subject = withDob.subjects[0] as Input['subjects'][number];
    const dob = subject.dob as string;
    expect(refs('', { name: subject.surname, dob })).toContain(withDob.reference);
    expect(refs('', { name: subject.surname, dob: dob.slice(0, 4) })).toContain(withDob.reference);
    const wrongYear = String(Number(dob.slice(0, 4)) - 1);
    expect(refs('', { name: subject.surname, dob: wrongYear })).not.toContain(withDob.reference);
    for (const h of search('', { postcode: 'N13' }, 50).hits) {
      const held = core.store.db.prepare('SELECT count(*) AS n FROM addresses WHERE allegation_id = ? AND postcode_outward = ?').get(h.allegationId, 'N13') as { n: number };
      const inText = JSON.stringify(h.matches).includes('N13');
      expect(held.n > 0 || inText, h.reference).toBe(true);
    }
  });

  it('filters by phone, vehicle, flight and business in any format', () => {
    const withVehicle = inputs.find((i) => /^[A-Z]{2}\d{2} ?[A-Z]{3}$/i.test(i.vehicles[0] ?? '')) as Input;
    expect(refs('', { vehicle: (withVehicle.vehicles[0] as string).toLowerCase().replace(/\s/g, '') })).toContain(withVehicle.reference);
    const withFlight = inputs.find((i) => i.flights.length) as Input;
    expect(refs('', { flight: withFlight.flights[0] })).toContain(withFlight.reference);
    const withBusiness = inputs.find((i) => i.businesses.length) as Input;
    expect(refs('', { business: withBusiness.businesses[0]?.name.toUpperCase() }, 50)).toContain(withBusiness.reference);
    expect(refs('', { phone: '+44 7914 991204' })).toContain('IMS-2020-000001');
  });

  it('filters by offence, channel, unit, outcome, status and received date, and combines them with words', () => {
    const sample = core.store.db.prepare("SELECT a.reference, a.channel, a.unit_code AS unit, a.status, a.received_at AS received, o.offence_type AS offence FROM allegations a JOIN allegation_offences o ON o.allegation_id = a.id WHERE a.channel = 'fax' ORDER BY a.reference LIMIT 1").get() as Record<string, string>;
    const day = (sample.received as string).slice(0, 10);
    const filters = { offenceTypes: [sample.offence, 'overstayer'], channels: ['fax', 'letter'], units: [sample.unit], statuses: [sample.status], receivedFrom: day, receivedTo: '2026-12-31' };
    const hits = search('', filters, 200).hits;
    expect(hits.map((h) => h.reference)).toContain(sample.reference);
    for (const h of hits) {
      expect(h.offenceTypes.some((o) => o === sample.offence || o === 'overstayer')).toBe(true);
      expect(['fax', 'letter']).toContain(h.channel);
      expect(h.unit).toBe(sample.unit);
      expect(h.status).toBe(sample.status);
      expect(h.receivedAt >= day).toBe(true);
    }
    const worded = search('"no papers"', { units: ['WMID'] }, 100).hits;
    expect(worded.length).toBeGreaterThan(0);
    expect(worded.every((h) => h.unit === 'WMID')).toBe(true);
    expect(search('', { outcomes: ['actioned'] }, 500).hits.length).toBe((core.store.db.prepare("SELECT count(*) AS n FROM allegations WHERE outcome = 'actioned'").get() as { n: number }).n);
  });

  it('refuses a filter it cannot read with a message naming the field', () => {
    expect(() => search('', { postcode: 'nowhere' })).toThrow(/Postcode or district: nowhere is not a UK postcode/);
    expect(() => search('', {})).toThrow(/Type something to search for, or choose a filter/);
  });
});

describe('attachment text', () => {
  it('finds a fact that only an attachment holds, and says which attachment', () => {
    const fact = truth.ocrOnly.find((f) => f.type === 'flight' && f.intactInOcr) as { ref: string; value: string };
    const hit = search(fact.value).hits.find((h) => h.reference === fact.ref);
    expect(hit).toBeDefined();
    const place = hit?.matches.find((m) => m.place.kind === 'attachment');
    expect(place?.place).toMatchObject({ kind: 'attachment', page: null });
    expect(place?.link).toMatch(new RegExp(`^#/allegation/${fact.ref}\\?tab=attachments&attachment=[0-9a-f-]+$`));
  });

  it('finds text on an OCR page and carries the page in the hit and its link', () => {
    const att = core.store.db.prepare("SELECT t.id, a.reference FROM attachments t JOIN allegations a ON a.id = t.allegation_id ORDER BY a.reference LIMIT 1").get() as { id: string; reference: string };
    const now = new Date().toISOString();
    // As the OCR pool writes pages: straight into attachment_pages, marking the allegation for re-indexing.
    const put = core.store.db.prepare("INSERT INTO attachment_pages (attachment_id, page_no, status, method, text, updated_at) VALUES (?, ?, 'done', 'ocr', ?, ?)");
    put.run(att.id, 1, 'Cover sheet', now);
    put.run(att.id, 2, 'He flies out on flight XQ 4410 next week with Zebulon Pardoe.', now);
    const hit = search('XQ4410').hits[0];
    expect(hit?.reference).toBe(att.reference);
    expect(hit?.matches[0]).toMatchObject({ place: { kind: 'attachment', attachmentId: att.id, page: 2 }, link: `#/allegation/${att.reference}?tab=attachments&attachment=${att.id}&page=2` });
    expect(hit?.matches[0]?.snippet).toContain('\u0002XQ 4410\u0003');
    expect(refs('"Zebulon Pardoe"')).toEqual([att.reference]);
  });

  it('follows a page read again (recorded as an upsert) while its allegation already waits to be indexed', () => {
    const att = core.store.db.prepare("SELECT t.id, t.allegation_id, a.reference FROM attachments t JOIN allegations a ON a.id = t.allegation_id ORDER BY a.reference LIMIT 1 OFFSET 1").get() as { id: string; allegation_id: string; reference: string };
    const now = new Date().toISOString();
    const upsert = core.store.db.prepare(
      "INSERT INTO attachment_pages (attachment_id, page_no, status, method, text, updated_at) VALUES (?, 1, 'done', 'ocr', ?, ?) ON CONFLICT (attachment_id, page_no) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
    );
    core.store.db.transaction(() => {
      upsert.run(att.id, 'first reading', now);
      // The allegation is now marked; the second write of the page must neither fail nor be lost.
      expect(() => upsert.run(att.id, 'Second reading names Ottoline Varga.', now)).not.toThrow();
    })();
    expect(refs('Ottoline Varga')).toEqual([att.reference]);
  });
});

describe('the index follows every change', () => {
  it('indexes a note in the same transaction that adds it', () => {
    const id = idOf('IMS-2020-000002');
    core.store.mutate({ actor: { userId: null, name: 'test' }, action: 'note.add', entity: 'note', allegationId: id }, (m) => {
      m.append('note', { id: core.store.newId(), allegation_id: id, note_date: '2026-01-05', author_name: 'AB1234', text: 'Spoke to Quillon Marsh about the lodger.', created_at: m.at });
    });
    expect(core.search.pendingCount()).toBe(0);
    const hit = search('Quillon').hits[0];
    expect(hit?.reference).toBe('IMS-2020-000002');
    expect(hit?.matches.some((m) => m.place.kind === 'note' && m.place.author === 'AB1234' && m.place.date === '2026-01-05')).toBe(true);
  });

  it('indexes a change made by another connection within a second', async () => {
    const other = new Database(join(tmp.dir, 'profile', STORE_FILE));
    const id = idOf('IMS-2020-000004');
    other.prepare("UPDATE allegations SET status = 'closed' WHERE id = ?").run(id);
    other.close();
    const started = Date.now();
    while (core.search.pendingCount() > 0 && Date.now() - started < 1000) await new Promise((r) => setTimeout(r, 50));
    expect(core.search.pendingCount()).toBe(0);
    expect(refs('', { statuses: ['closed'] }, 500)).toContain('IMS-2020-000004');
  });

  it('rebuilds from the store with progress, keeping the same results', async () => {
    const before = refs('Akram', undefined, 20);
    const progress: number[] = [];
    const r = await core.search.rebuild((p) => progress.push(p.done));
    expect(r.allegations).toBe(1000);
    expect(progress.at(-1)).toBe(1000);
    expect(refs('Akram', undefined, 20)).toEqual(before);
    expect(core.search.stats()).toMatchObject({ documents: 1000, pending: 0 });
  });
});

describe('source details', () => {
  it('never reach the index: a source found only in the restricted pane is not found', () => {
    let checked = 0;
    for (const input of inputs.filter((i) => i.source?.email && i.source?.phone).slice(0, 40)) {
      const source = input.source as { email: string; phone: string };
      const phone = normalisePhone(source.phone).national;
      const byPhone = phone.length >= 10 ? search(phone, undefined, 50).hits.map((h) => h.reference) : [];
      const byEmail = search(source.email, undefined, 50).hits.map((h) => h.reference);
      expect(byPhone, input.reference).not.toContain(input.reference);
      expect(byEmail, input.reference).not.toContain(input.reference);
      checked++;
    }
    expect(checked).toBe(40);
    // The restricted store holds them; the index's profile never does.
    const profiles = (core.store.db.prepare('SELECT names || keys AS p FROM search_docs').all() as Array<{ p: string }>).map((r) => r.p).join('\n');
    expect(profiles).not.toContain('clarkeg');
    expect(parseUkPostcode('L7 9BH').postcode).toBe('L7 9BH');
  });
});

describe('through the API', () => {
  it('searches with filters and reports how the query was read', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const r = await analyst.call('search.query', { q: 'Akram', filters: { postcode: 'n13 1lb' }, limit: 5 });
    expect(r.hits[0]).toMatchObject({ reference: 'IMS-2020-000001', tier: 'exact', mainSubject: 'Asma Akram', postcode: 'N13 1LB' });
    expect(r.readAs).toContain('filters: postcode n13 1lb');
    const bad = await analyst.raw('search.query', { q: '', filters: { dob: '1990-13-45' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/dob: must be a date of birth/) } });
    const unread = await analyst.raw('search.query', { q: 'Akram', filters: { flight: 'not-a-flight' } });
    expect(unread).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'Flight: not-a-flight is not a flight number (airline code and number, e.g. TK2584)' } });
  });

  it('saves a search, counts what is new since it was last looked at, and removes it', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const saved = await analyst.call('search.saved.create', { name: 'Akram anywhere', q: 'Akram' });
    expect(saved).toMatchObject({ name: 'Akram anywhere', q: 'Akram' });
    let list = await analyst.call('search.saved.list', {});
    expect(list).toEqual([expect.objectContaining({ id: saved.id, newSince: 0 })]);
    // A new allegation about an Akram arrives.
    const file = join(tmp.dir, 'new.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ ...inputs[0], id: 999001, reference: 'IMS-2026-999001', subjects: [{ ...inputs[0]?.subjects[0], forename: 'Bilal' }], emails: ['B.Akram@Example.com'], source: null }));
    await importJsonl(core, file, { userId: null, name: 'test' });
    // (The email filter and an email typed in the box find it in any case.)
    expect(refs('', { email: 'b.akram@EXAMPLE.COM' })).toEqual(['IMS-2026-999001']);
    expect(refs('B.AKRAM@example.com')).toEqual(['IMS-2026-999001']);
    list = await analyst.call('search.saved.list', {});
    expect(list[0]?.newSince).toBe(1);
    const run = await analyst.call('search.saved.run', { id: saved.id, limit: 10 });
    expect(run.newSince).toBe(1);
    expect(run.newAllegationIds).toEqual([idOf('IMS-2026-999001')]);
    list = await analyst.call('search.saved.list', {});
    expect(list[0]?.newSince).toBe(0);
    // Another user does not see it; removing keeps the row.
    await addUser(core, 'oth.er', 'analyst', 'WMID');
    const other = await signIn(core, 'oth.er');
    expect(await other.call('search.saved.list', {})).toEqual([]);
    await expect(other.call('search.saved.run', { id: saved.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await analyst.call('search.saved.remove', { id: saved.id })).toEqual({ removed: true });
    expect(await analyst.call('search.saved.list', {})).toEqual([]);
    expect(core.store.db.prepare('SELECT count(*) AS n FROM saved_searches').get()).toEqual({ n: 1 });
  });

  it('exports results as CSV and audits the export', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const r = await analyst.call('search.export', { q: '"no papers"', limit: 50 });
    expect(r.rows).toBe(50);
    const rows = r.csv.trim().split('\r\n');
    expect(rows).toHaveLength(51);
    expect(rows[0]).toMatch(/^"Rank","Reference","Received"/);
    expect(r.csv).not.toMatch(/\u0002|\u0003/);
    const audit = core.store.db.prepare("SELECT details FROM audit_log WHERE action = 'search.export' ORDER BY seq DESC LIMIT 1").get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ q: '"no papers"', rows: 50 });
  });

  it('reports the index status; only an administrator may rebuild it', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    expect(await analyst.call('search.status', {})).toMatchObject({ documents: 1001, pending: 0 });
    await expect(analyst.call('search.reindex', {})).rejects.toMatchObject({ code: 'forbidden' });
    const admin = await signIn(core, 'ad.min');
    expect(await admin.call('search.reindex', {})).toMatchObject({ allegations: 1001 });
  });
});

describe('the ims command', () => {
  const ims = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), ...args, '--profile', join(tmp.dir, 'profile')], { encoding: 'utf8' });

  it('searches with --filter and prints JSON', () => {
    const r = ims('search', 'Akrem', '--filter', 'postcode=N13', '--filter', 'status=with_ice,new', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.filters).toEqual({ postcode: 'N13', statuses: ['with_ice', 'new'] });
    const hit = out.hits.find((h: { reference: string }) => h.reference === 'IMS-2020-000001');
    expect(hit).toMatchObject({ tier: 'corrected', why: ['Akram for Akrem'] });
    expect(hit.matches[0].link).toMatch(/^#\/allegation\/IMS-2020-000001\?tab=form/);
  });

  it('says which filter it cannot read', () => {
    const r = ims('search', 'Akram', '--filter', 'colour=blue');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--filter colour: unknown filter/);
  });

  it('rebuilds the index and reports it', () => {
    const r = ims('reindex', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ allegations: 1001 });
  });
});
