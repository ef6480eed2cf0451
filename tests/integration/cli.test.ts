import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_1K, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
let tmp: ReturnType<typeof tempDir>;
let profile: string;

function ims(...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_NEW_PASSWORD: 'a long test password', IMS_PASSPHRASE: TEST_PASSPHRASE } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
});
afterAll(() => tmp.cleanup());

describe('the ims command', () => {
  it('imports a file and prints a JSON summary', () => {
    const r = ims('import', CORPUS_1K);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 1000, imported: 1000, failed: 0 });
  });

  it('is idempotent by reference', () => {
    const r = ims('import', CORPUS_1K);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, unchanged: 1000 });
    expect(JSON.parse(ims('stats', '--json').stdout).allegations).toBe(1000);
  });

  it('prints management information as JSON, with Figure 8 buckets keyed as the issue names them, and as CSV and PDF', () => {
    const national = ims('mi', '--json');
    expect(national.code).toBe(0);
    const all = JSON.parse(national.stdout);
    expect(all.scope).toMatchObject({ level: 'national' });
    expect(all.total).toBe(1000);
    expect(Object.keys(all.timeliness.buckets)).toEqual(['0-2', '3-5', '6-8', '9-11', '12-14', '15+', 'not known']);
    // Every allegation falls in exactly one bucket.
    expect(Object.values(all.timeliness.buckets as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1000);
    const london = JSON.parse(ims('mi', '--region', 'london', '--json').stdout);
    expect(london.scope).toMatchObject({ level: 'region', region: 'london' });
    expect(london.total).toBeGreaterThan(0);
    expect(london.total).toBeLessThan(1000);
    expect(ims('mi', '--csv').stdout).toMatch(/"timeliness\.buckets:0-2","\d+"/);
    const pdf = join(tmp.dir, 'mi.pdf');
    expect(ims('mi', '--pdf', pdf).code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = ims('mi', '--region', 'atlantis', '--json');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/ims mi: region/);
  });

  it('shows a record as JSON without its source details', () => {
    const r = ims('show', 'IMS-2020-000001', '--json');
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec).toMatchObject({ reference: 'IMS-2020-000001', channel: 'online_form', hasSource: true });
    expect(rec.phones[0].number).toBe('079 1499 1204');
    expect(r.stdout).not.toMatch(/Garfield|clarkeg@icloud\.com|07813 382035/);
  });

  it('searches and prints hits as JSON', () => {
    const r = ims('search', '"no papers"', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total).toBeGreaterThan(10);
    expect(out.hits[0].matches[0].snippet).toMatch(/\u0002no papers\u0003/);
  });

  it('fails with a clear message and a non-zero exit', () => {
    const missing = ims('show', 'IMS-1999-000001', '--json');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/ims show: no allegation IMS-1999-000001/);
    expect(missing.stdout).toBe('');
    const badQuery = ims('search', 'NOT');
    expect(badQuery.code).not.toBe(0);
    expect(badQuery.stderr).toMatch(/NOT must be followed/);
    expect(ims('frobnicate').stderr).toMatch(/unknown command frobnicate/);
    expect(ims('import', join(tmp.dir, 'nope.jsonl')).stderr).toMatch(/no such file/);
  });

  it('reports bad lines with their numbers on stderr and in the summary', () => {
    const file = join(tmp.dir, 'bad.jsonl');
    writeFileSync(file, '{"reference":"IMS-2026-000001"}\nnot json\n');
    const r = ims('import', file);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ failed: 2, errors: [{ line: 1 }, { line: 2 }] });
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
  });

  it('adds and lists local accounts: the first is an administrator, who adds the others', () => {
    expect(ims('users', 'add', '--username', 'cli.user', '--name', 'Cli User', '--role', 'analyst', '--unit', 'WMID').stderr).toMatch(/the first must be an administrator/);
    expect(ims('users', 'add', '--username', 'cli.admin', '--name', 'Cli Admin', '--role', 'admin').code).toBe(0);
    const asAdmin = (...args: string[]) => {
      const r = spawnSync(process.execPath, [IMS, ...args, '--as', 'cli.admin', '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_NEW_PASSWORD: 'a long test password', IMS_PASSWORD: 'a long test password', IMS_PASSPHRASE: TEST_PASSPHRASE } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    expect(asAdmin('users', 'add', '--username', 'cli.user', '--name', 'Cli User', '--role', 'analyst', '--unit', 'WMID').code).toBe(0);
    expect(JSON.parse(ims('users', 'list', '--json').stdout)).toEqual([
      { username: 'cli.admin', displayName: 'Cli Admin', role: 'admin', unit: null, active: 1 },
      { username: 'cli.user', displayName: 'Cli User', role: 'analyst', unit: 'WMID', active: 1 },
    ]);
    expect(asAdmin('users', 'add', '--username', 'x', '--role', 'analyst', '--unit', 'WMID').stderr).toMatch(/username: must be at least 2 characters/);
    expect(asAdmin('users', 'add', '--username', 'no.unit', '--role', 'analyst').stderr).toMatch(/must belong to a unit/);
  });

  it('verifies the audit chain', () => {
    const r = ims('audit', 'verify', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });
});
