// The `ims` command given what an attacker or a clumsy user gives it: names with ESC, NUL and a right-to-left
// override, values that cannot be read, a report dated 2999, queries a shell mangles, and a file that cannot
// be read. Text is stored as written and shown safely; every exit status means what it says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_1K, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { FAX } from '../scan-maker.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
const tmp = tempDir('ims-cli-hostile-');
const profile = join(tmp.dir, 'profile');
const base = JSON.parse(readFileSync(CORPUS_1K, 'utf8').split('\n')[0] as string) as Record<string, unknown> & { subjects: Array<Record<string, unknown>> };
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function ims(...args: string[]) {
  // The profile first: after `--` everything is part of the query.
  const r = spawnSync(process.execPath, [IMS, '--profile', profile, ...args], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const record = (n: number, over: Record<string, unknown>) => JSON.stringify({ ...base, id: 800000 + n, reference: `IMS-2026-8${String(n).padStart(5, '0')}`, ...over });
const disguised = { role: 'main', forename: 'Ali\u202Ecod.exe', middleNames: '', surname: 'Smith\u001b[2J\u001b]0;owned\u0007', knownAs: 'Pop\u0000escu', dob: null, approxAge: null, gender: 'M', nationality: '' };

let summary: { imported: number; failed: number; flagged: number; errors: Array<{ line: number; reason: string }>; warnings: Array<{ line: number; reason: string }> };
let importRun: ReturnType<typeof ims>;

beforeAll(() => {
  const file = join(tmp.dir, 'hostile.jsonl');
  writeFileSync(
    file,
    [
      record(1, { subjects: [disguised], freeText: 'Account with a lone CR\rFAKE LINE and an ESC\u001b[31m in red.' }),
      record(2, { phones: ['abc123', '0', '☎️', '07700 900123'], addresses: [{ type: 'home', line1: '1 High St', line2: '', town: 'Leeds', postcode: 'NOT A POSTCODE' }, { type: 'work', line1: '2 Low St', line2: '', town: '', postcode: 'ZZ99 9ZZ' }] }),
      record(3, { receivedAt: '2999-01-01T00:00:00Z' }),
    ].join('\n'),
  );
  importRun = ims('import', file);
  summary = JSON.parse(importRun.stdout);
});
afterAll(() => tmp.cleanup());

describe('values that cannot be read, and a report from the future', () => {
  it('imports what it can read, keeps what it cannot as written with a flag, and refuses the 2999 report', () => {
    expect(importRun.code).toBe(0);
    expect(summary).toMatchObject({ imported: 2, failed: 1, flagged: 1 });
    expect(summary.errors).toEqual([{ line: 3, reference: 'IMS-2026-800003', reason: expect.stringMatching(/^receivedAt: 2999-01-01T00:00:00Z is in the future .*a report cannot be received in the future, so the record was not imported/) }]);
    expect(summary.warnings[0]?.line).toBe(2);
    expect(summary.warnings[0]?.reason).toBe(
      'kept as written and flagged for checking: addresses[0].postcode "NOT A POSTCODE" is not a UK postcode (e.g. SW1A 2AA, or the first half such as B71); addresses[1].postcode "ZZ99 9ZZ" is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area; phones[0] "abc123" is not a phone number: it has letters in it; phones[1] "0" is not a phone number: it has only 1 digit; phones[2] "☎️" is not a phone number: it has no digits',
    );
    expect(importRun.stderr).toMatch(/^line 2 \(IMS-2026-800002\): kept as written and flagged for checking/m);
    expect(ims('show', 'IMS-2026-800003').code).toBe(1);
  });

  it('shows each flagged value as written, with what could not be read, and never makes up a number', () => {
    const rec = JSON.parse(ims('show', 'IMS-2026-800002', '--json').stdout);
    expect(rec.phones.map((p: { number: string; e164: string | null }) => [p.number, p.e164])).toEqual([
      ['abc123', null],
      ['0', null],
      ['☎️', null],
      ['07700 900123', '+447700900123'],
    ]);
    expect(rec.phones[0].problem).toBe('is not a phone number: it has letters in it');
    expect(rec.addresses.map((a: { postcode: string; postcodeProblem: string | null; postcodeNormalised: string | null }) => [a.postcode, a.postcodeNormalised, a.postcodeProblem])).toEqual([
      ['NOT A POSTCODE', null, 'is not a UK postcode (e.g. SW1A 2AA, or the first half such as B71)'],
      ['ZZ99 9ZZ', null, 'is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area'],
    ]);
    // Routed by no usable location: ZZ names no place.
    expect(rec.unit).toBe('NAT');
    const text = ims('show', 'IMS-2026-800002').stdout;
    expect(text).toContain('Phones: abc123 [is not a phone number: it has letters in it; kept as written]; 0 [is not a phone number: it has only 1 digit; kept as written]');
    expect(text).toContain('- 2 Low St, ZZ99 9ZZ (work)  [postcode is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area; kept as written]');
  });
});

describe('names holding control characters and a right-to-left override', () => {
  it('stores them as written', () => {
    const rec = JSON.parse(ims('show', 'IMS-2026-800001', '--json').stdout);
    expect(rec.subjects[0]).toMatchObject({ forename: 'Ali\u202Ecod.exe', surname: 'Smith\u001b[2J\u001b]0;owned\u0007', knownAs: 'Pop\u0000escu' });
  });

  it('prints them to the terminal with each hidden character named, never obeyed', () => {
    const r = ims('show', 'IMS-2026-800001');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(HIDDEN);
    expect(r.stdout).toContain('- Ali<RLO>cod.exe Smith<ESC>[2J<ESC>]0;owned<BEL> (known as Pop<NUL>escu)');
    expect(r.stdout).toContain('Account with a lone CR<CR>FAKE LINE and an ESC<ESC>[31m in red.');
  });

  it('escapes them in JSON output too, which still parses to the text as written', () => {
    const r = ims('show', 'IMS-2026-800001', '--json');
    expect(r.stdout).not.toMatch(HIDDEN);
    expect(r.stdout).toContain('Ali\\u202ecod.exe');
  });

  it('names them in search results and in the queue', () => {
    const search = ims('search', 'Smith');
    expect(search.code).toBe(0);
    expect(search.stdout).not.toMatch(HIDDEN);
    expect(search.stdout).toMatch(/IMS-2026-800001 {2}Ali<RLO>cod\.exe Smith<ESC>/);
    const queue = ims('queue', '--unit', 'LACAT');
    expect(queue.stdout).not.toMatch(HIDDEN);
  });
});

describe('the command line', () => {
  it('reads a word starting with - as part of the query, before or after --', () => {
    const plain = ims('search', 'Smith', '-closed', '--json');
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout).query).toBe('Smith -closed');
    const ended = ims('search', '--json', '--', 'Smith', '-closed');
    expect(ended.code, ended.stderr).toBe(0);
    expect(JSON.parse(ended.stdout).total).toBe(JSON.parse(plain.stdout).total);
  });

  it('says what -smith alone means, as the search box does, and exits 2', () => {
    for (const args of [['search', '--', '-smith'], ['search', '-smith']]) {
      const r = ims(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('ims search: NOT needs something to exclude from: search for a word and add NOT word2 (a word starting with - is excluded: -smith means NOT smith; write smith to find it).\n');
    }
  });

  it('answers 5,000 nested brackets and 10,000 NOTs with one sentence', () => {
    const brackets = ims('search', `${'('.repeat(5000)}smith${')'.repeat(5000)}`);
    expect(brackets.code).toBe(2);
    expect(brackets.stderr).toMatch(/^ims search: The query is 10,005 characters long; a query can have at most 1,000\. Search for fewer words at a time\.\n$/);
    const nots = ims('search', 'akram', ...Array<string>(10_000).fill('NOT'), 'smith');
    expect(nots.code).toBe(2);
    expect(nots.stderr).not.toMatch(/Maximum call stack|\n\s+at /);
    expect(ims('search', `akram ${'NOT '.repeat(50)}smith`).stderr).toMatch(/more than 20 deep/);
  });

  it('exits 2 for a wrong command line, 1 for what cannot be done, 0 for what was done', () => {
    expect(ims('frobnicate').code).toBe(2);
    expect(ims('show').code).toBe(2);
    expect(ims('show', 'IMS-2026-800001', '--frobnicate').code).toBe(2);
    expect(ims('search', 'x', '--limit', 'many').code).toBe(2);
    expect(ims('queue', '--unit', 'NOWHERE').code).toBe(2);
    expect(ims('show', 'IMS-1999-000001')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no allegation IMS-1999-000001/) });
    expect(ims('source', 'IMS-2026-800001', '--as', 'nobody', '--reason', 'checking').code).toBe(1);
    expect(ims('show', 'IMS-2026-800001').code).toBe(0);
    expect(ims('show', '\u001b[2JIMS').stderr).toBe('ims show: no allegation <ESC>[2JIMS in ' + profile + '\n');
  });

  it('exits 1 from attach --wait when the file could not be read, saying why', () => {
    const truncated = join(tmp.dir, 'truncated.tif');
    writeFileSync(truncated, readFileSync(FAX).subarray(0, 5000));
    const r = ims('attach', 'IMS-2026-800001', truncated, '--wait');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).attachment).toMatchObject({ fileName: 'truncated.tif', ocrStatus: 'failed' });
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^truncated\.tif could not be read: This TIFF file is truncated/);
  });
});
