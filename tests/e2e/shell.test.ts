// The desk's shell in Chromium through the browser host: sign in, the unit's queue, an allegation with every
// part of its record, and no serious accessibility violations on those screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { CORPUS_1K } from '../helpers.ts';

let app: App;
beforeAll(async () => {
  app = await startApp({ seed: [CORPUS_1K], users: [{ username: 'ana.khan', role: 'analyst', unit: 'WMID' }] });
});
afterAll(async () => {
  await app?.stop();
});

describe('signing in and working the queue', () => {
  it('shows the sign-in screen and refuses a wrong password with a clear message', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin');
    await page.getByLabel('Username').fill('ana.khan');
    await page.getByLabel(/^Password/).fill('not my password');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The username or password is not right');
  });

  it("opens the analyst's unit queue, most urgent first", async () => {
    const { page } = app;
    await signInAs(page, 'ana.khan');
    const grid = page.getByRole('grid', { name: /Work queue, West Midlands RIU/ });
    await grid.waitFor();
    await page.getByRole('row').nth(1).waitFor();
    const rowCount = Number(await grid.getAttribute('aria-rowcount')) - 1;
    const expected = (app.core.store.db.prepare("SELECT count(*) AS n FROM allegations WHERE unit_code = 'WMID' AND status <> 'closed'").get() as { n: number }).n;
    expect(rowCount).toBe(expected);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'queue');
  });

  it('moves through the queue with the keyboard and opens an allegation with Enter', async () => {
    const { page } = app;
    const grid = page.getByRole('grid');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('[role="row"][aria-selected="true"]');
    // The queue's first cell is the box that chooses the row for bulk actions; the reference is the next.
    const reference = (await selected.locator('[role="gridcell"]').nth(1).textContent())?.trim() ?? '';
    expect(reference).toMatch(/^IMS-\d{4}-\d{6}$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: reference }).waitFor();
    expect(page.url()).toContain(`#/allegation/${reference}`);
  });

  it('shows every part of an allegation: subjects, addresses, notes and attachments', async () => {
    const { page } = app;
    // A faxed allegation with subjects, notes and an attachment, from the corpus.
    const row = app.core.store.db
      .prepare(
        `SELECT a.reference FROM allegations a WHERE a.channel = 'fax' AND a.unit_code = 'WMID'
           AND EXISTS (SELECT 1 FROM notes n WHERE n.allegation_id = a.id) AND EXISTS (SELECT 1 FROM attachments t WHERE t.allegation_id = a.id)
           AND (SELECT count(*) FROM subjects s WHERE s.allegation_id = a.id) >= 1 LIMIT 1`,
      )
      .get() as { reference: string };
    const record = JSON.parse(readFileSync(CORPUS_1K, 'utf8').split('\n').find((l) => l.includes(`"${row.reference}"`)) as string);
    await page.goto(`${app.host.url}/#/allegation/${row.reference}`);
    await page.getByRole('heading', { name: row.reference }).waitFor();

    const subjects = page.getByRole('table', { name: 'Subjects' });
    for (const s of record.subjects) await expect(subjects.textContent()).resolves.toContain(s.surname);
    const notes = page.getByRole('region', { name: /Notes/ });
    for (const n of record.notes) await expect(notes.textContent()).resolves.toContain(n.text.slice(0, 30));
    const attachments = page.getByRole('region', { name: /Attachments/ });
    await expect(attachments.textContent()).resolves.toContain(record.attachments[0].fileName);
    await attachments.getByRole('button', { name: 'Show text' }).first().click();
    await page.getByLabel(`Text of ${record.attachments[0].fileName}`).waitFor();
    await expect(page.getByRole('region', { name: /Addresses/ }).textContent()).resolves.toContain(record.addresses[0]?.line1 ?? '');
    await page.getByText('A source is recorded — details restricted').or(page.getByText('No source details recorded')).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'allegation');
  });

  it('searches across the records from the shell', async () => {
    const { page } = app;
    await page.keyboard.press('/');
    const box = page.getByRole('textbox', { name: /Search everything/ });
    await box.waitFor();
    await box.fill('"no papers"');
    await page.keyboard.press('Enter');
    await page.getByText(/allegations? match/).waitFor();
    expect(await page.locator('mark.hit').count()).toBeGreaterThan(3);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search');
  });
});
