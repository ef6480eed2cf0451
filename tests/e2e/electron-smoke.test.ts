// The Electron host itself, driven by Playwright's Electron support, where an Electron binary can run. On
// machines where it cannot be downloaded (these development machines, CI) the test is skipped and says why.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { ROOT, tempDir } from '../helpers.ts';

const require = createRequire(import.meta.url);

/** The installed Electron binary, without triggering the package's download-on-first-use. */
function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
  const pkg = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) console.warn('[e2e] Electron smoke test SKIPPED: no Electron binary on this machine (it cannot be downloaded here). The renderer is tested in Chromium through the browser host instead.');

describe('the Electron host', () => {
  it.skipIf(!binary)('opens the window on the sign-in screen with the sandboxed preload bridge', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [join(ROOT, 'build', 'build-electron.ts')]);
    const profile = tempDir();
    const app = await electron.launch({ executablePath: binary as string, args: [join(ROOT, 'dist', 'electron', 'main.cjs'), `--user-data-dir=${profile.dir}`] });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: /Set up this desk|Sign in/ }).waitFor();
      expect(await page.evaluate(() => typeof (globalThis as unknown as { ims?: { call?: unknown } }).ims?.call)).toBe('function');
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
      profile.cleanup();
    }
  });
});
