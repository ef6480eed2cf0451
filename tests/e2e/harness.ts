// Starts the browser host on a temporary profile and drives Debian's Chromium with playwright-core.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { startWebHost, type WebHost } from '../../electron/host/web.ts';
import { ROOT, addUser, tempDir, TEST_PASSWORD, openCore } from '../helpers.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');

export interface App {
  core: Core;
  host: WebHost;
  context: BrowserContext;
  page: Page;
  profile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  seed?: string[];
  users?: Array<{ username: string; role: Role; unit: string | null }>;
}

export async function startApp(options: StartOptions = {}): Promise<App> {
  const profile = tempDir('ims-e2e-');
  const core = await openCore(join(profile.dir, 'profile'));
  for (const file of options.seed ?? []) await importJsonl(core, file, { userId: null, name: 'e2e seed' });
  for (const u of options.users ?? []) await addUser(core, u.username, u.role, u.unit);
  const host = await startWebHost({ core, rendererDir: join(ROOT, 'dist', 'renderer') });
  const context = await chromium.launchPersistentContext(join(profile.dir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    // No fades or slides: an accessibility scan never meets a dialog half-drawn (the desk honours this setting).
    reducedMotion: 'reduce',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(host.launchUrl);
  return {
    core,
    host,
    context,
    page,
    profile: profile.dir,
    async stop() {
      await context.close().catch(() => undefined);
      await host.close();
      core.close();
      profile.cleanup();
    },
  };
}

export async function signInAs(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Serious and critical accessibility violations on the current screen (axe-core). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} [${n.any[0]?.message ?? n.failureSummary ?? ''}]`).join('; ')}`);
}
