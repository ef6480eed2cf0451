// The analyst's workbench in Chromium: from an allegation, a phone is a link to its page, which lists every
// allegation, note and attachment page naming it (written four ways) with its first and last appearance; from
// there an allegation opens, its link chart grows from a node, and its timeline says who did what and when.
// The source's phone, repeated in an account, is withheld: its page finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { writeSeed, SOURCE_PHONE } from './workbench-fixtures.ts';

let app: App;
let seed: ReturnType<typeof writeSeed>;
beforeAll(async () => {
  seed = writeSeed();
  app = await startApp({ seed: [seed.file], users: [{ username: 'wm.analyst', role: 'analyst', unit: 'WMID' }] });
});
afterAll(async () => {
  await app?.stop();
  seed?.cleanup();
});

describe('entity page → allegation → chart expand → timeline', () => {
  it('a phone on an allegation opens its page: every allegation, note and attachment page naming it, first and last appearance', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInAs(page, 'wm.analyst');
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await page.goto(`${app.host.url}/#/allegation/IMS-2024-900001`);
    await page.getByRole('heading', { level: 2, name: 'IMS-2024-900001' }).waitFor();
    await page.getByRole('link', { name: '07700 900461' }).click();
    await page.getByRole('heading', { level: 2, name: '07700900461' }).waitFor();
    const table = page.getByRole('table', { name: /Allegations naming 07700900461/ });
    await table.getByRole('row').nth(4).waitFor();
    const rows = await table.getByRole('row').allTextContents();
    expect(rows.slice(1).map((r) => r.slice(0, 15))).toEqual(['IMS-2024-900001', 'IMS-2024-900002', 'IMS-2024-900003', 'IMS-2024-900004']);
    await expect(table.textContent()).resolves.toMatch(/note of 20 Mar 2024 by RIU analyst/);
    await expect(table.textContent()).resolves.toMatch(/fax-0412\.tif/);
    await expect(page.getByText('First appearance').locator('..').textContent()).resolves.toContain('IMS-2024-900001');
    await expect(page.getByText('Last appearance').locator('..').textContent()).resolves.toContain('IMS-2024-900004');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'entity-phone-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'entity-phone-1920');
  });

  it('a person is found with the spelling another caller used; the source’s phone is never found', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/entity/person/Tomasz%20Nowak`);
    const table = page.getByRole('table', { name: /Allegations naming Tomasz Nowak/ });
    await table.getByRole('row', { name: /IMS-2024-900002/ }).waitFor();
    await expect(table.getByRole('row', { name: /IMS-2024-900002/ }).textContent()).resolves.toMatch(/Corrected spelling|Similar name/);
    await page.goto(`${app.host.url}/#/entity/phone/${encodeURIComponent(SOURCE_PHONE)}`);
    await page.getByText('No allegation, note or attachment page names it.').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Alan Reporter');
  });

  it('opens an allegation from the page, grows its chart from the phone, and reads its timeline', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/entity/phone/07700900461`);
    await page.getByRole('link', { name: 'IMS-2024-900003' }).first().click();
    await page.getByRole('heading', { level: 2, name: 'IMS-2024-900003' }).waitFor();
    const panel = page.getByRole('region', { name: 'Duplicates and links' });
    await panel.getByRole('tab', { name: 'Link chart' }).click();
    const chart = panel.getByTestId('link-chart');
    await chart.locator('canvas').first().waitFor();
    const table = panel.getByRole('table', { name: /chart as text/ });
    await table.getByRole('row', { name: /Person.*Jan Kowalski/ }).waitFor();
    // The phone is in a note of this record, not on its form: grow from the address to reach its neighbours,
    // then from the allegation the page names the phone in.
    expect(await chart.getAttribute('data-nodes')).toBe('3');
    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await panel.getByText(/^Allegation IMS-2024-900003/).waitFor();
    await page.goto(`${app.host.url}/#/entity/phone/07700900461?tab=chart`);
    const entityChart = page.getByTestId('link-chart');
    await entityChart.locator('canvas').first().waitFor();
    await expect.poll(() => entityChart.getAttribute('data-nodes')).toBe('5');
    await entityChart.focus();
    // Allegations first in keyboard order: the first is IMS-2024-900001; E expands it.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('ArrowRight');
      if (((await page.getByText(/^Allegation IMS-2024-900001/).count()) as number) > 0) break;
    }
    await page.keyboard.press('e');
    await page.getByText(/nodes? added/).waitFor();
    const entityTable = page.getByRole('table', { name: /chart as text/ });
    await entityTable.getByRole('row', { name: /Business.*Sparkle Hand Car Wash/ }).waitFor();
    await entityTable.getByRole('row', { name: /Vehicle.*BW16VTO/ }).waitFor();
    expect(Number(await entityChart.getAttribute('data-nodes'))).toBeGreaterThan(5);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'entity-chart-expanded-1280');
    // Hide and pin from the keyboard; export the chart as an image.
    await page.keyboard.press('h');
    await page.getByRole('button', { name: /Show hidden \(1\)/ }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export image' }).click();
    expect((await download).suggestedFilename()).toMatch(/^link-chart-.*\.png$/);

    // The allegation's timeline: received, routed, the note, with who and when.
    await page.goto(`${app.host.url}/#/allegation/IMS-2024-900003`);
    const timeline = page.getByRole('list', { name: 'Timeline of IMS-2024-900003' }).or(page.locator('[aria-label="Timeline of IMS-2024-900003"]'));
    await timeline.first().waitFor();
    const text = (await timeline.first().textContent()) ?? '';
    expect(text).toMatch(/Received by online form/);
    expect(text).toMatch(/Routed to West Midlands/);
    expect(text).toMatch(/Note added.*Called 07700900461/s);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('#section-timeline-card').scrollIntoViewIfNeeded();
    await screenshot(page, 'allegation-timeline-1920');
  });
});
