// Joins a browser desk to a central server from its set-up screen and signs its first person in (registering it),
// then has the server's administrator approve it.
import type { TestServer } from '../sync/fixtures.ts';
import { screenshot, signInAs, type App } from './harness.ts';

export async function joinInBrowser(s: Pick<TestServer, 'url' | 'approve'>, app: App, deskName: string, unitLabel: RegExp, unitTyped: string, username: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Connect this desk to a central server' }).click();
  await page.getByLabel('Server address').fill(s.url);
  await page.getByLabel('Name of this desk').fill(deskName);
  await page.getByRole('combobox', { name: 'Unit this desk serves' }).fill(unitTyped);
  await page.getByRole('option', { name: unitLabel }).click();
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByText('use your account on the central server').waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
    await screenshot(page, 'debug-connect');
    throw e;
  });
  await signInAs(page, username);
  await page.getByText('This desk is waiting for an administrator to approve it').waitFor();
  await s.approve(app.core.sync.config?.deskId as string);
}
