import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
