// Management information in Chromium: a manager whose unit is in the Central region opens MI, sees Figure 8's
// buckets for that region (allegations assessed 1, 4, 7 and 20 working days after receipt, and one not yet
// assessed; a London allegation is not counted), clicks a bucket and lands on the allegations in it, opens one,
// and finds the national figures beside the region's, the breakdown by unit, and the guidance for the screen.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { assess, createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { allegationFormShape, emptyForm } from '../../shared/schemas/form.ts';
import { receivedWorkingDaysAgo } from '../mi-seed.ts';

let app: App;
const refs: Record<string, string> = {};

beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'cen.manager', role: 'manager', unit: 'WMID' },
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'ldn.analyst', role: 'analyst', unit: 'LACAT' },
    ],
  });
  const wm = findUserByName(app.core.store, 'wm.analyst')!;
  const ldn = findUserByName(app.core.store, 'ldn.analyst')!;
  const make = (who: typeof wm, days: number, name: string, postcode: string, assessed = true) => {
    const form = allegationFormShape.parse({
      ...emptyForm(receivedWorkingDaysAgo(days)),
      offenceTypes: ['illegal_working'],
      freeText: `${name} works at the car wash on the main road for cash, every day, with no right to work.`,
      subjects: [{ role: 'main', forename: name.split(' ')[0], surname: name.split(' ')[1] }],
      addresses: [{ type: 'offence_location', line1: '12 High Street', town: 'Town', postcode }],
    });
    const created = createAllegation(app.core, who, form);
    if (assessed) assess(app.core, who, created.id, 'thirty_days', '');
    refs[name] = created.reference;
  };
  make(wm, 1, 'Amir Haddad', 'B8 1JB');
  make(wm, 4, 'Bela Kovacs', 'B10 0RX');
  make(wm, 5, 'Chen Lu', 'B5 4BU');
  make(wm, 7, 'Dana Moss', 'B1 2HF');
  make(wm, 20, 'Emil Novak', 'B12 8JY');
  make(wm, 9, 'Farah Odeh', 'B6 4AA', false);
  make(ldn, 4, 'Gita Patel', 'N13 4BS');
});
afterAll(async () => {
  await app?.stop();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(app.page, `mi-failed-${ctx.task.name.slice(0, 30).replace(/[^a-z]+/gi, '-')}`).catch(() => undefined);
});

describe('management information', () => {
  it("opens at the manager's own region with Figure 8's buckets counted from the records", async () => {
    const { page } = app;
    await signInAs(page, 'cen.manager');
    await page.getByRole('link', { name: /Management information/ }).click();
    await page.getByRole('heading', { name: 'Management information', level: 2 }).waitFor();
    // Off the menu, so the check below sees the link as it rests, not hovered.
    await page.mouse.move(700, 10);
    await page.getByText(/Central \(incl\. Scotland and Northern Ireland\) region · allegations received/).waitFor();
    const figure8 = page.getByTestId('mi-timeliness');
    const row = (label: string) => figure8.getByRole('row', { name: new RegExp(`^${label}`) });
    await row('0-2 days').waitFor();
    expect(await row('0-2 days').getByRole('cell').nth(1).textContent()).toBe('1');
    expect(await row('3-5 days').getByRole('cell').nth(1).textContent()).toBe('2');
    expect(await row('6-8 days').getByRole('cell').nth(1).textContent()).toBe('1');
    expect(await row('9-11 days').getByRole('cell').nth(1).textContent()).toBe('0');
    expect(await row('15\\+ days').getByRole('cell').nth(1).textContent()).toBe('1');
    expect(await row('Not known').getByRole('cell').nth(1).textContent()).toBe('1');
    // The national column counts the London allegation too.
    expect(await row('3-5 days').getByRole('cell').nth(3).textContent()).toMatch(/^3/);
    // The chart is drawn (Recharts SVG) with a bar per bucket.
    expect(await figure8.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId('mi-headlines').textContent()).resolves.toContain('20.0%');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'mi-region');
  });

  it('clicking a bucket lands on the allegations in it, and each opens', async () => {
    const { page } = app;
    await page.getByTestId('mi-timeliness').getByRole('link', { name: /^2 allegations: 3-5 days/ }).click();
    await page.getByRole('heading', { name: '3-5 days: 2 allegations' }).waitFor();
    const grid = page.getByRole('grid', { name: /3-5 days/ });
    await grid.getByRole('row').nth(2).waitFor();
    const listed = (await grid.getByRole('row').allTextContents()).slice(1).join(' ');
    expect(listed).toContain(refs['Bela Kovacs']);
    expect(listed).toContain(refs['Chen Lu']);
    expect(listed).not.toContain(refs['Gita Patel']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'mi-bucket-records');
    await grid.getByRole('row', { name: new RegExp(refs['Chen Lu'] as string) }).click();
    await page.getByRole('heading', { name: refs['Chen Lu'] }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: '3-5 days: 2 allegations' }).waitFor();
  });

  it('breaks the figures down by unit and drills into a cell; the guidance for the screen is one click away', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Management information' }).first().click();
    const table = page.getByTestId('mi-breakdown');
    await table.getByRole('row', { name: /West Midlands RIU/ }).waitFor();
    await table.getByRole('row', { name: /West Midlands RIU/ }).getByRole('link', { name: /allegations: Awaiting, overdue, West Midlands/ }).click();
    await page.getByRole('heading', { name: /Awaiting, overdue — West Midlands RIU \(Solihull\): 1 allegation/ }).waitFor();
    await page.getByRole('grid').getByText(refs['Farah Odeh'] as string).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: 'What do I do here?' }).click();
    await page.getByRole('heading', { name: 'Reading the management information' }).waitFor();
    await page.getByTestId('guidance-operative').waitFor();
  });

  it('downloads the figures as CSV and as a PDF report', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Management information' }).first().click();
    await page.getByTestId('mi-timeliness').waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const text = await (await csv.createReadStream()).toArray().then((c) => Buffer.concat(c as Buffer[]).toString('utf8'));
    expect(csv.suggestedFilename()).toMatch(/^ims-mi-central.*\.csv$/);
    expect(text).toContain('"timeliness.buckets:3-5","2"');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PDF report' }).click()]);
    const bytes = Buffer.concat((await (await pdf.createReadStream()).toArray()) as Buffer[]);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(app.core.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action IN ('mi.export', 'mi.pdf')").get()).toEqual({ n: 2 });
  });
});
