import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { OcrPool } from '../../electron/attachments/ocr-pool.ts';
import { ROOT, DATA, tempDir } from '../helpers.ts';

const require = createRequire(import.meta.url);

describe('packaging', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: { add(k: string, v: unknown): void; isEnabled: boolean }): Promise<void>;
    };
    await expect(validateConfiguration(config, { add: () => undefined, isEnabled: false })).resolves.toBeUndefined();
  });

  it('flips Electron’s fuses: no NODE_OPTIONS or --inspect, cookies encrypted, only the validated asar loads, file: unprivileged', () => {
    expect(config.electronFuses).toEqual({
      // On only because the OCR pool forks its page workers with Electron as Node (electron-builder.yml says why).
      runAsNode: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('confines the window in the main process it bundles: exact-origin checks, redirects, new windows, one instance', () => {
    const main = readFileSync(join(ROOT, 'electron', 'main.ts'), 'utf8');
    // The checks go through the tested policy (tests/unit/window-navigation.test.ts), never a prefix compare.
    expect(main).not.toMatch(/startsWith\(APP_ORIGIN\)|startsWith\('https:/);
    for (const needed of ["on('will-navigate'", "on('will-redirect'", 'setWindowOpenHandler', "on('will-attach-webview'", 'requestSingleInstanceLock()', "app.on('web-contents-created'", 'isAppUrl(event.senderFrame.url)', 'externalUrlAllowed(url)']) expect(main).toContain(needed);
  });

  it('does not rebuild the Node-API module and writes outside the compiler output', () => {
    expect(config.npmRebuild).toBe(false);
    expect((config.directories as { output: string }).output).toBe('release');
  });

  it('starts the bundled main process that build:electron writes', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; engines: { node: string } };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect((config.extraMetadata as { main: string }).main).toBe(pkg.main);
    expect(pkg.engines.node).toMatch(/22/);
  });

  it('unpacks from the asar the native code and the files OCR reads: sharp, @napi-rs/canvas, the tesseract wasm, the English model', async () => {
    const { minimatch } = require('minimatch') as { minimatch: (path: string, pattern: string, options?: { dot?: boolean }) => boolean };
    const patterns = config.asarUnpack as string[];
    const unpacked = (file: string) => patterns.some((p) => minimatch(file, p, { dot: true }));
    const files = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    const must = [
      ...files('node_modules/sharp/lib'),
      ...files('node_modules/@img').filter((f) => /\.(node|so[.\d]*|dylib|dll)$/.test(f)),
      ...files('node_modules/@napi-rs').filter((f) => f.endsWith('.node')),
      ...files('node_modules/tesseract.js-core').filter((f) => f.endsWith('.wasm')),
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
    ];
    expect(must.length).toBeGreaterThan(10);
    expect(must.filter((f) => !unpacked(relative('.', f)))).toEqual([]);
    // The renderer, the app's own code and other packages stay in the asar.
    expect(unpacked('dist/renderer/index.html')).toBe(false);
    expect(unpacked('node_modules/zod/package.json')).toBe(false);
  });

  it('bundles the page worker as its own entry, which reads a page, and a core process that answers', async () => {
    execFileSync(process.execPath, [join(ROOT, 'build', 'build-electron.ts')], { cwd: ROOT, stdio: 'pipe' });
    const worker = join(ROOT, 'dist', 'electron', 'page-worker.cjs');
    expect(existsSync(worker)).toBe(true);
    // The pool runs it as the packaged app does: a given script on a given Node (Electron's own binary there).
    const pool = new OcrPool({ concurrency: 1, workerEntry: worker, execPath: process.execPath });
    try {
      const page = await pool.ocrPage(join(DATA, 'ocr', 'fax-fine-g4-3pages.tif'), 2);
      expect(page.status).toBe('done');
      expect(page.text).toMatch(/RESTRICTED/);
    } finally {
      await pool.close();
    }
    // The bundled core process starts (its import.meta.url points at itself) and answers over its channel.
    const tmp = tempDir();
    const child = fork(join(ROOT, 'dist', 'electron', 'core-process.cjs'), ['--profile', tmp.dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const answer = await new Promise<unknown>((resolve, reject) => {
        child.on('message', (m: { ready?: boolean; id?: number; result?: unknown }) => {
          if (m.ready) child.send({ id: 1, name: 'auth.status', input: {}, session: null });
          if (m.id === 1) resolve(m.result);
        });
        child.on('exit', (code) => reject(new Error(`the core process exited (${code})`)));
      });
      expect(answer).toEqual({ ok: true, value: { needsSetup: true, deskName: 'IMS Desk', server: null } });
    } finally {
      child.kill();
      tmp.cleanup();
    }
  });
});
