import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, screenshot, seriousViolations, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('a new desk', () => {
  it('asks for the first administrator, then lets them add an analyst', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Set up this desk' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Username').fill('first.admin');
    await page.getByLabel('Your full name').fill('First Admin');
    await page.getByLabel(/^Password \*/).fill('a long admin password');
    await page.getByLabel(/^Password again/).fill('a long admin passwurd');
    await page.getByRole('button', { name: /Create administrator/ }).click();
    await page.getByText('The two passwords are not the same').waitFor();
    await page.getByLabel(/^Password again/).fill('a long admin password');
    await page.getByRole('button', { name: /Create administrator/ }).click();
    await page.getByRole('link', { name: /Users/ }).click();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Username').fill('new.analyst');
    await dialog.getByLabel('Full name').fill('New Analyst');
    await dialog.getByLabel(/^Initial password/).fill('another long password');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByText('must belong to a unit').or(dialog.getByText('choose the unit this person works in')).first().waitFor();
    await dialog.getByLabel(/^Unit/).fill('West Mid');
    await page.getByRole('option', { name: /West Midlands RIU/ }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'new.analyst' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'users');
    const users = app.core.store.db.prepare('SELECT username, role, unit_code FROM users ORDER BY username').all();
    expect(users).toEqual([
      { username: 'first.admin', role: 'admin', unit_code: null },
      { username: 'new.analyst', role: 'analyst', unit_code: 'WMID' },
    ]);
  });
});
