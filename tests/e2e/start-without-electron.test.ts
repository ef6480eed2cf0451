// Issue 19, item 15: `npm start` on a machine where Electron's binary cannot be fetched says the useful thing
// first — use the browser host, npm run web — in a few plain lines, with no stack trace. (A terminal, not a
// screen: there is nothing for an accessibility scan to check.) The fetch is pointed at a closed loopback port,
// so the test behaves the same with or without a network.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

const installed = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

describe('npm start where Electron cannot run', () => {
  it.skipIf(installed)('says to use the browser host first, and prints no stack trace', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build', 'start-electron.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_OVERRIDE_DIST_PATH: '', electron_config_cache: join(ROOT, 'node_modules', '.cache', 'no-electron') },
    });
    const out = `${r.stderr}${r.stdout}`;
    const lines = out.split('\n').filter((l) => l.trim());
    expect(r.status).toBe(1);
    expect(lines[0]).toContain('npm run web');
    expect(lines.at(-1)).toContain('Use the browser host instead: npm run web');
    expect(out).not.toMatch(/^\s+at\s/m);
    expect(out).not.toContain('delete `node_modules/electron`');
    expect(lines.length).toBeLessThanOrEqual(4);
  });
});
