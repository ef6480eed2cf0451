// The NAT scan inbox in Chromium: a fax the post-room scanner wrote to the watched folder waits in the inbox; the
// sifter opens it, keys a new allegation beside it, and the saved allegation carries the fax, which is then read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { FAX } from '../scan-maker.ts';

let app: App;

beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'nat.sifter', role: 'sifter', unit: 'NAT' },
      { username: 'the.admin', role: 'admin', unit: null },
    ],
  });
  const folder = join(app.profile, 'scanner');
  mkdirSync(folder);
  app.core.scans.configure(findUserByName(app.core.store, 'the.admin')!, folder, 5);
  const file = join(folder, 'post 0912.tif');
  writeFileSync(file, readFileSync(FAX));
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
  await app.core.scans.pollOnce();
});
afterAll(async () => {
  await app?.stop();
});

describe('the scan inbox', () => {
  it('a sifter keys a new allegation from a waiting fax, and the allegation carries it', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.getByRole('link', { name: /Scan inbox/ }).getByLabel('1 waiting').waitFor();
    await page.getByRole('link', { name: /Scan inbox/ }).click();
    await page.getByRole('heading', { name: 'Scan inbox' }).waitFor();
    await page.getByRole('img', { name: 'Page 1 of post 0912.tif' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('img', { name: 'Page 2 of post 0912.tif' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'scan-inbox');

    await page.getByRole('button', { name: 'New allegation from this scan' }).click();
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByRole('img', { name: 'Page 1 of post 0912.tif' }).waitFor();
    expect(await page.getByLabel('Channel').inputValue()).toBe('fax');
    await page.getByRole('checkbox', { name: 'Illegal working' }).check();
    await page.getByLabel('Free-text account').fill('Faxed report: men at a car wash working with no papers, paid cash.');
    await page.getByRole('button', { name: /Save allegation/ }).click();
    await page.getByText('Allegation saved').waitFor();
    const state = page.getByTestId('attachment-post 0912.tif').getByTestId('reading-state');
    await expect.poll(() => state.textContent(), { timeout: 60_000 }).toMatch(/^Read: 3 pages/);
    expect(await page.getByText('Original scan missing').count()).toBe(0);
    const inbox = app.core.scans.list('all');
    expect(inbox).toMatchObject([{ fileName: 'post 0912.tif', status: 'attached' }]);
  });
});
