// Attachments in Chromium: a NAT sifter attaches a fax to an allegation that lacks its scan, watches it being
// read, opens the viewer (the fax reveals its writer, so the sanitised copy shows), accepts the suggested flight
// number into the form and saves it; a deep link opens the viewer on a page with the search terms highlighted; a
// PDF shows through react-pdf with its worker from the bundle; a scan dropped on the record is attached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { faxOf, FUNSD, letterScan } from '../scan-maker.ts';
import { makeTextPdf } from '../pdf-maker.ts';

let app: App;
let reference: string;
let allegationId: string;
let faxFile: string;

beforeAll(async () => {
  app = await startApp({ users: [{ username: 'nat.sifter', role: 'sifter', unit: 'NAT' }] });
  const created = createAllegation(app.core, findUserByName(app.core.store, 'nat.sifter')!, {
    ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'),
    offenceTypes: ['illegal_working'],
    freeText: 'Fax received about a man working at a car wash with no papers; he may be leaving the country.',
  });
  reference = created.reference;
  allegationId = created.id;
  faxFile = join(app.profile, 'fax 14 March.tif');
  writeFileSync(
    faxFile,
    await faxOf(
      await letterScan([
        'FAX FROM: 0113 496 0000',
        '',
        'Dear Sir',
        '',
        'RE: TARIQ MAHMOOD',
        'He is flying to Istanbul on flight TK 1984 on 14 March 2026.',
        'He works at the car wash on Elm Road every day.',
        '',
        'Yours faithfully',
        'Margaret Thompson',
      ]),
    ),
  );
});
afterAll(async () => {
  await app?.stop();
});

describe('attachments in the renderer', () => {
  it('a sifter attaches a fax, watches it being read, and opens it in the viewer', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.goto(`${app.host.url}/#/allegation/${reference}`);
    await page.getByText('Original scan missing').first().waitFor();

    // Every state the reading goes through, as the page shows it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { readingStates: string[] }).readingStates = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="reading-state"]')) {
          const t = el.textContent ?? '';
          if (seen.at(-1) !== t) seen.push(t);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Attach files').setInputFiles(faxFile);
    const state = page.getByTestId('attachment-fax 14 March.tif').getByTestId('reading-state');
    await expect.poll(() => state.textContent(), { timeout: 60_000 }).toMatch(/^Read: 1 page · \d+ suggested fields?$/);
    const states = await page.evaluate(() => (window as unknown as { readingStates: string[] }).readingStates);
    expect(states.some((s) => /^(Waiting to be read|Opening the file|Reading: )/.test(s))).toBe(true);
    expect(await page.getByText('Original scan missing').count()).toBe(0);
    await page.getByTestId('attachment-fax 14 March.tif').getByText('reveals its writer').waitFor();

    await page.getByRole('button', { name: 'View fax 14 March.tif' }).click();
    const viewer = page.getByRole('region', { name: 'fax 14 March.tif', exact: true });
    await viewer.waitFor();
    expect(page.url()).toContain(`tab=attachments`);
    expect(page.url()).toContain('page=1');
    // It reveals its writer: the sanitised copy is what shows, and the text leaves the writer out.
    await viewer.getByText('This scan reveals who sent it').waitFor();
    await viewer.getByRole('img', { name: 'Page 1 (sanitised copy)' }).waitFor();
    const text = await viewer.getByTestId('page-text').textContent();
    expect(text).toContain('flight TK 1984');
    expect(text).not.toMatch(/Thompson|496/);
    await viewer.getByRole('button', { name: 'Show flight TK1984 on page 1' }).click();
    expect(await viewer.locator('.page-box-suggestion').count()).toBeGreaterThan(0);
    expect(await viewer.locator('mark.hit').first().textContent()).toBe('TK 1984');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'attachment-viewer');
  });

  it('accepts the suggested flight number into the form, and it is saved only when the person saves', async () => {
    const { page } = app;
    const viewer = page.getByRole('region', { name: 'fax 14 March.tif', exact: true });
    await viewer.getByRole('button', { name: 'Add flight TK1984 to the form' }).click();
    await page.getByRole('heading', { name: `Amend ${reference}` }).waitFor();
    await page.getByText('Added from fax 14 March.tif page 1').waitFor();
    const flight = page.getByRole('textbox', { name: /flight/i }).first();
    expect(await flight.inputValue()).toBe('TK1984');
    // Not on the record until saved.
    expect((await app.core.store.db.prepare('SELECT count(*) AS n FROM travel WHERE allegation_id = ?').get(allegationId)) as { n: number }).toEqual({ n: 0 });
    await screenshot(page, 'attachment-suggestion-in-form');
    await page.getByRole('button', { name: /Save amendments/ }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    await page.getByText('TK1984').first().waitFor();
    const travel = app.core.store.db.prepare('SELECT flight_number, travel_date FROM travel WHERE allegation_id = ? AND removed_at IS NULL').all(allegationId);
    expect(travel).toEqual([{ flight_number: 'TK1984', travel_date: '2026-03-14' }]);
  });

  it('opens the viewer from a deep link on the page given, with the search terms highlighted', async () => {
    const { page } = app;
    const id = (app.core.store.db.prepare('SELECT id FROM attachments WHERE allegation_id = ?').get(allegationId) as { id: string }).id;
    await page.goto(`${app.host.url}/#/allegation/${reference}?tab=attachments&attachment=${id}&page=1&q=Istanbul`);
    const viewer = page.getByRole('region', { name: 'fax 14 March.tif', exact: true });
    await viewer.getByTestId('page-indicator').filter({ hasText: 'Page 1 of 1' }).waitFor();
    expect(await viewer.locator('mark.hit').allTextContents()).toEqual(['Istanbul']);
    // The accepted suggestion now reads as being on the form.
    await viewer.getByTestId('suggestion-flight-TK1984').getByText('on the form').waitFor();
  });

  it('shows a PDF through react-pdf, page by page, and attaches a scan dropped on the record', async () => {
    const { page } = app;
    const pdf = join(app.profile, 'statement.pdf');
    writeFileSync(pdf, makeTextPdf([['Statement page one'], ['Statement page two: the van is FX62 KLM.']]));
    const { attachment } = await app.core.attachments.attachFile({ userId: null, name: 'e2e' }, allegationId, pdf);
    await app.core.attachments.whenIdle(attachment.id);
    await page.goto(`${app.host.url}/#/allegation/${reference}?tab=attachments&attachment=${attachment.id}&page=2`);
    const viewer = page.getByRole('region', { name: 'statement.pdf', exact: true });
    await viewer.locator('.react-pdf__Page canvas').waitFor({ timeout: 30_000 });
    await viewer.getByTestId('page-indicator').filter({ hasText: 'Page 2 of 2' }).waitFor();
    expect(await viewer.getByTestId('page-text').textContent()).toContain('FX62 KLM');
    await viewer.getByRole('button', { name: 'Previous page' }).click();
    await viewer.getByTestId('page-text').filter({ hasText: 'Statement page one' }).waitFor();
    expect(page.url()).toContain('page=1');
    await screenshot(page, 'attachment-viewer-pdf');

    // Drag and drop onto the attachments.
    const png = readFileSync(join(FUNSD, '0000971160.png')).toString('base64');
    await page.getByTestId('attachments-drop-zone').evaluate((zone, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped form.png', { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, png);
    await expect.poll(() => page.getByTestId('attachment-dropped form.png').getByTestId('reading-state').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/^Read: 1 page/);
  });
});
