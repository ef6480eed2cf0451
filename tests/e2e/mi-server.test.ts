// National management information on a desk, in Chromium: a manager at a West Midlands desk connected to a central
// server opens MI and sees the desk's own figures (a manager's desk holds every allegation it has pulled: the two
// keyed there and the two a London desk synced), switches "Figures from" to the national record by keyboard and sees
// the server's figures, said to be from the server and as of when; opens the allegations behind a national figure and
// finds the London references by unit; and, once the server cannot be reached, sees the desk's figures again with the
// reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { startApp, screenshot, seriousViolations, type App } from './harness.ts';
import { joinInBrowser } from './join-server.ts';
import { signIn, tempDir } from '../helpers.ts';
import { joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
let app: App;
let london: Core;
const londonDir = tempDir('ims-e2e-mi-desk-');
const londonRefs: string[] = [];

function letter(daysAgo: number, forename: string, surname: string, line1: string, town: string, postcode: string): AllegationFormInput {
  return {
    ...emptyForm(new Date(Date.now() - daysAgo * 86_400_000), 'letter'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: `${forename} ${surname} works at the car wash for cash, every day, with no right to work.`,
    subjects: [{ role: 'main', forename, surname }],
    addresses: [{ type: 'offence_location', line1, line2: '', town, postcode }],
    scanMissingReason: 'Scanned at the post room',
  };
}

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('central.manager', 'manager', 'WMID');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('ldn.analyst', 'analyst', 'LACAT');
  london = await joinDesk(s, londonDir.dir, 'London desk', 'LACAT', 'ldn.analyst');
  const ldn = await signIn(london, 'ldn.analyst');
  for (const [i, who] of [['Ana', 'Silva', '3 Holloway Road', 'London', 'N7 8JG'], ['Kwame', 'Mensah', '41 Seven Sisters Road', 'London', 'N4 3NX']].entries()) {
    const { id } = await ldn.call('allegations.create', { form: letter(3 + i * 5, ...(who as [string, string, string, string, string])) });
    if (i === 0) await ldn.call('allegations.assess', { id, riskRating: 'thirty_days' });
  }
  await syncOk(london);
  for (const r of london.store.db.prepare('SELECT reference FROM allegations').pluck().all() as string[]) londonRefs.push(r);
  app = await startApp();
}, 300_000);
afterAll(async () => {
  await app?.stop();
  london?.close();
  londonDir.cleanup();
  await s?.stop().catch(() => undefined);
});

describe('national management information from the server', () => {
  it('shows the desk’s figures, then the national record’s from the server, and says which', async () => {
    await joinInBrowser(s, app, 'West Midlands 1', /West Midlands RIU/, 'West Mid', 'central.manager');
    const wm = await signIn(app.core, 'wm.analyst');
    const { id } = await wm.call('allegations.create', { form: letter(2, 'Amir', 'Haddad', '140 Soho Road', 'Birmingham', 'B21 9LP') });
    await wm.call('allegations.assess', { id, riskRating: 'thirty_days' });
    await wm.call('allegations.create', { form: letter(6, 'Bela', 'Kovacs', '12 Stratford Road', 'Birmingham', 'B11 1AA') });
    await syncOk(app.core);

    const { page } = app;
    await page.evaluate(() => {
      window.location.hash = '#/mi?level=national';
    });
    await page.getByTestId('mi-source').getByText(/^This desk’s records, as of/).waitFor();
    await page.getByTestId('mi-headlines').getByRole('link', { name: '4 allegations: all allegations in scope. Open the list' }).waitFor();
    await screenshot(page, 'mi-national-desk');

    // By keyboard: the "Figures from" choice is a radio group.
    await page.getByRole('radio', { name: 'This desk' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('mi-source').getByText(/^National record, from the server, as of/).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('radio', { name: 'National record (server)' }).isChecked()).toBe(true);
    await page.getByTestId('mi-headlines').getByRole('link', { name: '4 allegations: all allegations in scope. Open the list' }).waitFor();
    await page.getByTestId('mi-breakdown').getByText('London Area Central Allegations Team').waitFor();
    expect(await page.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(true);
    await screenshot(page, 'mi-national-server');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opens the allegations behind a national figure, by reference and unit', async () => {
    const { page } = app;
    const link = page.getByTestId('mi-headlines').getByRole('link', { name: '4 allegations: all allegations in scope. Open the list' });
    expect(await link.getAttribute('href')).toContain('source=server');
    await link.click();
    const table = page.getByTestId('mi-national-records');
    await table.waitFor();
    for (const ref of londonRefs) await table.getByRole('link', { name: ref }).waitFor();
    await expect.poll(() => table.getByText('London Area Central Allegations Team').count()).toBe(2);
    await page.getByText(/national record, from the server/).waitFor();
    await screenshot(page, 'mi-national-records');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the desk’s own figures, and says why, when the server cannot be reached', async () => {
    await s.server.close();
    const { page } = app;
    await page.evaluate(() => {
      window.location.hash = '#/mi?level=national&source=server';
    });
    const why = page.getByTestId('mi-offline');
    await why.waitFor({ timeout: 60_000 });
    await why.getByText(/cannot be reached/).waitFor();
    await page.getByTestId('mi-source').getByText(/^This desk’s records, as of/).waitFor();
    await page.getByTestId('mi-headlines').getByRole('link', { name: '4 allegations: all allegations in scope. Open the list' }).waitFor();
    // The header follows: the failed request for national figures is enough to say Offline, without waiting for a poll.
    await expect.poll(() => page.getByTestId('sync-indicator').textContent()).toMatch(/^Offline/);
    await screenshot(page, 'mi-national-offline');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
