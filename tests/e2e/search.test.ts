// Search in Chromium through the browser host: a misspelt surname with a postcode typed without its space, a
// flight number that only a faxed attachment's second page holds (the hit opens the allegation at that page),
// the advanced panel's filters, a query the parser cannot read, saved searches and the accessibility check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_1K } from '../helpers.ts';
import { faxOf, faxPages, letterScan } from '../scan-maker.ts';

let app: App;
let faxReference = '';
let faxAttachmentId = '';

beforeAll(async () => {
  app = await startApp({ seed: [CORPUS_1K], users: [{ username: 'sam.ali', role: 'analyst', unit: 'LACAT' }] });
  // A two-page fine-mode G4 fax, read by the OCR pool like any attachment: the flight number is only on page 2.
  const db = app.core.store.db;
  faxReference = (db.prepare("SELECT reference FROM allegations WHERE channel = 'fax' ORDER BY reference LIMIT 1").get() as { reference: string }).reference;
  const allegationId = (db.prepare('SELECT id FROM allegations WHERE reference = ?').get(faxReference) as { id: string }).id;
  const pages = [
    await faxOf(await letterScan(['FAX FROM: 0113 496 0000', '', 'RE: enquiry about a lodger', '', 'Please see over.'])),
    await faxOf(await letterScan(['He showed me his ticket,', 'flight QZ7713 to Lagos on Friday.'])),
  ];
  const file = join(app.profile, 'fax two pages.tif');
  writeFileSync(file, await faxPages(pages));
  const { attachment } = await app.core.attachments.attachFile({ userId: null, name: 'e2e' }, allegationId, file);
  faxAttachmentId = attachment.id;
  await app.core.attachments.whenIdle(attachment.id);
}, 180_000);
afterAll(async () => {
  await app?.stop();
});

describe('searching the records', () => {
  it('finds the right allegation from a misspelt surname and a postcode without its space', async () => {
    const { page } = app;
    await signInAs(page, 'sam.ali');
    await page.getByRole('link', { name: /Search/ }).click();
    await page.mouse.move(900, 700);
    const box = page.getByRole('textbox', { name: /Search everything/ });
    await box.waitFor();
    // IMS-2020-000001 is Asma Akram at N13 1LB.
    await box.fill('Akrem n131lb');
    await page.keyboard.press('Enter');
    const results = page.getByRole('list', { name: 'Results' });
    await results.getByRole('listitem').first().waitFor();
    await expect(results.getByRole('listitem').first().textContent()).resolves.toContain('IMS-2020-000001');
    await expect(results.getByRole('listitem').first().textContent()).resolves.toContain('Corrected spelling');
    await expect(page.getByText(/Read as Akrem: also Akram/).isVisible()).resolves.toBe(true);
    // The postcode is marked in the address it matched, written with its space.
    const first = results.getByRole('listitem').first();
    await expect(first.locator('mark.hit').allTextContents()).resolves.toEqual(expect.arrayContaining(['Akram', 'N13 1LB']));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-misspelt-surname');
  });

  it('says clearly what is wrong with a query it cannot read', async () => {
    const { page } = app;
    const box = page.getByRole('textbox', { name: /Search everything/ });
    await box.fill('"no papers');
    await page.keyboard.press('Enter');
    await page.getByText('A quotation mark is not closed: add the closing " to end the phrase.').waitFor();
    await box.fill('Akram NOT');
    await page.keyboard.press('Enter');
    await page.getByText('NOT must be followed by the word or "phrase" to exclude.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-bad-query');
  });

  it('finds a flight number that only page 2 of a faxed attachment holds, and opens the allegation at that page', async () => {
    const { page } = app;
    const box = page.getByRole('textbox', { name: /Search everything/ });
    await box.fill('QZ 7713');
    await page.keyboard.press('Enter');
    const results = page.getByRole('list', { name: 'Results' });
    await results.getByRole('link', { name: faxReference }).waitFor();
    const hit = results.getByRole('listitem').first();
    await expect(hit.textContent()).resolves.toContain(faxReference);
    const where = hit.getByRole('link', { name: /page 2/ });
    expect(await where.getAttribute('href')).toBe(`#/allegation/${faxReference}?tab=attachments&attachment=${faxAttachmentId}&page=2&q=QZ%207713`);
    await screenshot(page, 'search-attachment-page');
    await where.click();
    await page.getByRole('heading', { name: faxReference }).waitFor();
    expect(page.url()).toContain(`tab=attachments&attachment=${faxAttachmentId}&page=2`);
    // The viewer opens on page 2, with the searched words marked in its text.
    await page.getByRole('region', { name: 'Page 2 of fax two pages.tif' }).waitFor();
    const text = page.getByTestId('page-text');
    await expect(text.textContent()).resolves.toContain('QZ7713');
    await expect(text.locator('mark').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/QZ|7713/)]));
    await screenshot(page, 'search-opens-viewer-page-2');
  });

  it('opens a note hit at that note, and a form hit at the section holding the field, with the focus there', async () => {
    const { page } = app;
    const note = app.core.store.db
      .prepare("SELECT a.reference, n.id FROM notes n JOIN allegations a ON a.id = n.allegation_id WHERE a.unit_code = 'LACAT' ORDER BY a.reference DESC, n.note_date DESC LIMIT 1")
      .get() as { reference: string; id: string };
    await page.goto(`${app.host.url}/#/allegation/${note.reference}?tab=notes&note=${note.id}`);
    await page.getByRole('heading', { name: note.reference }).waitFor();
    await page.waitForFunction((id) => document.activeElement?.id === `note-${id}`, note.id);
    expect(await page.locator(`#note-${note.id}`).getAttribute('class')).toContain('place-target');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-opens-note');
    await page.goto(`${app.host.url}/#/allegation/${note.reference}?tab=form&field=${encodeURIComponent('Address (home)')}`);
    await page.waitForFunction(() => document.activeElement?.id === 'section-addresses-card');
  });

  it('narrows with the advanced panel and saves the search', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/search`);
    await page.getByRole('button', { name: /Advanced search/ }).click();
    await page.getByLabel('Subject name').fill('Asma Akram');
    await page.getByLabel('Postcode or district').fill('N13');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('list', { name: 'Results' });
    await results.getByRole('listitem').first().waitFor();
    await expect(results.getByRole('listitem').first().textContent()).resolves.toContain('IMS-2020-000001');
    expect(page.url()).toContain('postcode=N13');
    await page.getByLabel('Save this search as').fill('Asma Akram in N13');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = page.getByRole('region', { name: 'Saved searches' });
    await saved.getByRole('button', { name: 'Asma Akram in N13', exact: true }).waitFor();
    await expect(saved.textContent()).resolves.toContain('0 new');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-advanced-saved');
  });
});
