// An import sent from the renderer sits in the profile's tmp/ folder while it runs, and that file holds every
// submission with its source details in plaintext. A desk killed half-way (power cut, kill -9) must not leave it
// there: the next start removes it, and keeps every record committed before the kill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Core } from '../../electron/core/core.ts';
import { CORPUS_10K, openCore, ROOT, tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core | null = null;

beforeAll(() => {
  tmp = tempDir();
});

afterAll(() => {
  core?.close();
  tmp.cleanup();
});

/** A source name from the file being imported, to look for in what is left on disk. */
function sourceNames(): string[] {
  const names: string[] = [];
  for (const line of readFileSync(CORPUS_10K, 'utf8').split('\n').slice(0, 400)) {
    if (!line.trim()) continue;
    const name = (JSON.parse(line) as { source?: { name?: string } | null }).source?.name;
    if (name && name.length > 8) names.push(name);
  }
  return names.slice(0, 50);
}

describe('an import killed half-way', () => {
  it('leaves no plaintext import file behind after the next start, and keeps what was committed', async () => {
    const profile = join(tmp.dir, 'desk');
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'tests', 'integration', 'children', 'import-upload.ts'), profile, CORPUS_10K], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let sawImportFile = false;
    for await (const line of createInterface({ input: child.stdout })) {
      const event = JSON.parse(line) as { imported?: number; finished?: boolean };
      if (event.finished) throw new Error('the import finished before it could be killed');
      if ((event.imported ?? 0) >= 600) {
        sawImportFile = readdirSync(join(profile, 'tmp')).some((f) => f.startsWith('import-'));
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');
    // The scenario is real: the plaintext file was there while the import ran.
    expect(sawImportFile).toBe(true);

    core = await openCore(profile);
    const left = existsSync(join(profile, 'tmp')) ? readdirSync(join(profile, 'tmp')) : [];
    expect(left.filter((f) => f.startsWith('import-'))).toEqual([]);
    for (const f of left) {
      const text = readFileSync(join(profile, 'tmp', f)).toString('latin1');
      for (const name of sourceNames()) expect(text.includes(name), `${f} holds ${name}`).toBe(false);
    }
    // Everything committed before the kill is there, whole.
    const held = (core.store.db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
    expect(held).toBeGreaterThanOrEqual(400);
    expect(core.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(core.store.audit.verify(core.vault.auditRoot())).toMatchObject({ ok: true });
  }, 240_000);
});
