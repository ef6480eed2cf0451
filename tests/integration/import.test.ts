import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl, type ImportSummary } from '../../electron/core/import.ts';
import { findAllegationId, readAllegation } from '../../electron/store/allegations.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import { SOURCE_MARKER } from '../../shared/sources/redact.ts';
import { replacedSpans, withholdSpans } from '../../shared/sources/scan-withhold.ts';
import { CORPUS_1K, tempDir, openCore } from '../helpers.ts';

const actor = { userId: null, name: 'import test' };
const lines = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- corpus records are read as loose JSON
const inputs = lines.map((l) => JSON.parse(l) as Record<string, any>);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const input = (i: number) => inputs[i] as Record<string, any>;

/** The record as the API returns it, put back into the submission format's shape (without source). */
function asSubmission(r: AllegationRecord): Record<string, unknown> {
  const address = (a: { line1: string; line2: string; town: string; postcode: string }) => ({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode });
  return {
    id: r.submissionId,
    reference: r.reference,
    receivedAt: r.receivedAt,
    channel: r.channel,
    reporterType: r.reporterType,
    offenceTypes: r.offenceTypes,
    status: r.status,
    subjects: r.subjects.map((s) => ({ role: s.role, forename: s.forename, middleNames: s.middleNames, surname: s.surname, knownAs: s.knownAs, dob: s.dob, approxAge: s.approxAge, gender: s.gender, nationality: s.nationality })),
    addresses: r.addresses.map((a) => ({ type: a.type, ...address(a) })),
    businesses: r.businesses.map((b) => ({ name: b.name, type: b.type, address: b.address ? address(b.address) : null })),
    phones: r.phones.map((p) => p.number),
    emails: r.emails.map((e) => e.email),
    vehicles: r.vehicles.map((v) => v.vrm),
    flights: r.travel.map((t) => t.flight),
    freeText: r.freeText,
    notes: r.notes.map((n) => ({ date: n.date, author: n.author, text: n.text })),
    attachments: r.attachments.map((a) => ({ fileName: a.fileName, mimeType: a.mimeType, pages: a.pages, ocrText: a.legacyText })),
  };
}

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let first: ImportSummary;
beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir);
  first = await importJsonl(core, CORPUS_1K, actor);
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('importing the submission format', () => {
  it('imports every record of the 1k corpus and routes each to a unit', () => {
    expect(first).toMatchObject({ lines: 1000, imported: 1000, failed: 0, conflicts: 0 });
    expect(Object.values(first.byUnit).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(first.byUnit.LACAT).toBeGreaterThan(100);
    expect(first.byUnit.NAT).toBeGreaterThan(0);
    expect(core.store.db.prepare('SELECT count(*) AS n FROM allegations WHERE unit_code IS NULL').get()).toEqual({ n: 0 });
  });

  it('is idempotent by reference: a second import changes nothing', async () => {
    const again = await importJsonl(core, CORPUS_1K, actor);
    expect(again).toMatchObject({ lines: 1000, imported: 0, unchanged: 1000, failed: 0, conflicts: 0 });
    expect(core.store.db.prepare('SELECT count(*) AS n FROM allegations').get()).toEqual({ n: 1000 });
  });

  it('returns every field of every record as imported; source identifiers only where withheld', () => {
    let withheld = 0;
    let writers = 0;
    for (const input of inputs) {
      const id = findAllegationId(core.store.db, { reference: input.reference });
      const record = readAllegation(core.store.db, id as string) as AllegationRecord;
      const got = asSubmission(record);
      const { source, ...expected } = input;
      expect(Date.parse(got.receivedAt as string)).toBe(Date.parse(expected.receivedAt));
      for (const key of Object.keys(expected)) {
        if (key === 'receivedAt') continue;
        const want = expected[key];
        const have = got[key];
        if (JSON.stringify(have) === JSON.stringify(want)) continue;
        if (key === 'attachments') {
          // Text a legacy system read from a letter also has its writer withheld (issue 17): each attachment's
          // text differs from what arrived only by the marker standing where the writer (or the source) was, and
          // what arrived is kept restricted.
          const wanted = want as Array<{ ocrText: string }>;
          (have as Array<{ ocrText: string }>).forEach((a, i) => {
            const original = wanted[i]?.ocrText ?? '';
            if (a.ocrText === original) return;
            expect(a.ocrText).toContain(SOURCE_MARKER);
            expect(withholdSpans(original, replacedSpans(original, a.ocrText))).toBe(a.ocrText);
            const part = `attachment:${record.attachments[i]?.id}`;
            expect(core.store.db.prepare('SELECT count(*) AS n FROM restricted_texts WHERE allegation_id = ? AND part = ?').get(id, part)).toEqual({ n: 1 });
            if (source) for (const secret of [source.name, source.phone, source.email].filter((x: string) => x && x.length > 5)) expect(a.ocrText.toLowerCase()).not.toContain(secret.toLowerCase());
            if (source) withheld++;
            writers++;
          });
          expect({ ...(have as object[]).map((a) => ({ ...a, ocrText: '' })) }).toEqual({ ...wanted.map((a) => ({ ...a, ocrText: '' })) });
          continue;
        }
        // Only text that revealed the source may differ, and only by the marker standing where it was.
        expect(source, `${input.reference}.${key}`).toBeTruthy();
        const text = JSON.stringify(have);
        expect(text).toContain(SOURCE_MARKER.slice(1, -1));
        for (const secret of [source.name, source.phone, source.email].filter((s: string) => s && s.length > 5)) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
        withheld++;
      }
      expect(record.hasSource).toBe(source !== null);
    }
    expect(withheld).toBeGreaterThan(50);
    // Letters in the corpus sign off and carry fax headers: their writers are withheld too.
    expect(writers).toBeGreaterThan(50);
  });

  it('keeps source details only in the source table, and the originals of withheld text restricted', () => {
    const withSource = inputs.filter((i) => i.source);
    expect(core.store.db.prepare('SELECT count(*) AS n FROM source_details').get()).toEqual({ n: withSource.length });
    const sample = withSource.find((i) => i.freeText.includes(i.source.name.split(' ').slice(-2).join(' ')) && i.source.name.includes(' '));
    if (sample) {
      const id = findAllegationId(core.store.db, { reference: sample.reference });
      const row = core.store.db.prepare("SELECT format, payload FROM restricted_texts WHERE allegation_id = ? AND part = 'freeText'").get(id) as { format: string; payload: Buffer };
      expect(row.format).toBe('aes256gcm-v1');
      expect(row.payload.toString('latin1')).not.toContain(sample.source.name);
      expect(core.vault.openJson<{ text: string }>(`allegation:${id}`, 'text:freeText', row.payload, row.format).text).toBe(sample.freeText);
    }
    // The change log and the audit log never carry source details.
    const logs = (core.store.db.prepare('SELECT data FROM changes').all() as Array<{ data: string }>).map((r) => r.data).join('\n') + (core.store.db.prepare('SELECT details FROM audit_log').all() as Array<{ details: string }>).map((r) => r.details).join('\n');
    for (const i of withSource.slice(0, 200)) {
      if (i.source.email) expect(logs.includes(i.source.email)).toBe(false);
      if (i.source.phone) expect(logs.includes(i.source.phone)).toBe(false);
    }
  });

  it('gives every imported allegation a due time for initial assessment', () => {
    expect(core.store.db.prepare('SELECT count(*) AS n FROM allegations WHERE assessment_due_at IS NULL').get()).toEqual({ n: 0 });
  });

  it('reports a malformed line with its number and reason, and imports the others', async () => {
    const file = join(tmp.dir, 'mixed.jsonl');
    const good = (n: number) => JSON.stringify({ ...input(0), id: 900000 + n, reference: `IMS-2026-9${String(n).padStart(5, '0')}` });
    const content = [
      `\uFEFF${good(1)}`,
      '{"reference": "IMS-2026-999999", "receivedAt": ',
      '',
      JSON.stringify({ ...input(0), reference: 'IMS-2026-900003', receivedAt: 'yesterday' }),
      JSON.stringify({ ...input(1), reference: 'IMS-2026-900004', subjects: [{ ...input(1).subjects[0], dob: '2099-01-01' }] }),
      JSON.stringify({ ...input(0), reference: 'IMS-2026-900005', favouriteColour: 'blue' }),
      JSON.stringify({ ...input(0), reference: 'nonsense' }),
      good(7),
      JSON.stringify({ ...input(0), reference: 'IMS-2026-900008', subjects: [{ ...input(0).subjects[0], dob: '1990-02-30' }] }),
    ].join('\r\n');
    writeFileSync(file, content);
    const s = await importJsonl(core, file, actor);
    expect(s).toMatchObject({ imported: 2, failed: 6 });
    const byLine = Object.fromEntries(s.errors.map((e) => [e.line, e.reason]));
    expect(byLine[2]).toMatch(/not valid JSON/);
    expect(byLine[4]).toMatch(/receivedAt: must be a date and time/);
    expect(byLine[5]).toMatch(/subjects\[0\]\.dob: date of birth 2099-01-01 is after the allegation was received/);
    expect(byLine[6]).toMatch(/favouriteColour/);
    expect(byLine[7]).toMatch(/reference: must look like IMS-2026-000123/);
    expect(byLine[9]).toMatch(/subjects\[0\]\.dob: must be a real date/);
    expect(findAllegationId(core.store.db, { reference: 'IMS-2026-900001' })).not.toBeNull();
    expect(findAllegationId(core.store.db, { reference: 'IMS-2026-900007' })).not.toBeNull();
  });

  it('does not overwrite a held record when the same reference arrives with other content', async () => {
    const file = join(tmp.dir, 'changed.jsonl');
    writeFileSync(file, JSON.stringify({ ...input(5), freeText: 'A different account.' }));
    const s = await importJsonl(core, file, actor);
    expect(s).toMatchObject({ imported: 0, conflicts: 1 });
    expect(s.errors[0]?.reason).toMatch(/already held with different content/);
    const id = findAllegationId(core.store.db, { reference: input(5).reference });
    expect(readAllegation(core.store.db, id as string)?.freeText).not.toBe('A different account.');
  });

  it('says clearly when the file cannot be read', async () => {
    await expect(importJsonl(core, join(tmp.dir, 'missing.jsonl'), actor)).rejects.toThrow(/Cannot read .*missing.jsonl: no such file/);
    await expect(importJsonl(core, tmp.dir, actor)).rejects.toThrow(/not a file/);
  });

  it('finds words from the form, notes and attachment text with first search', () => {
    const withAttachment = inputs.find((i) => i.attachments.length && /\b[A-Z]{2}\d{3,4}\b/.test(i.attachments[0].ocrText));
    expect(withAttachment).toBeTruthy();
    const r = core.search.search({ q: input(0).subjects[0].surname, limit: 20 });
    expect(r.hits.some((h) => h.reference === input(0).reference)).toBe(true);
    const phoneOtherFormat = input(0).phones[0].replace(/\s/g, '').replace(/^0/, '+44 ');
    expect(core.search.search({ q: phoneOtherFormat, limit: 10 }).hits.map((h) => h.reference)).toContain(input(0).reference);
  });
});
