// Text from users as an analyst sees it: a name disguised by a right-to-left override and holding escape
// sequences is shown with each hidden character marked, and values that could not be read (a phone number with
// letters in it, a postcode of no UK area) are shown as written with what could not be read beside them, on
// the record and in the form, where amending the record is not blocked by a value the analyst did not type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { CORPUS_1K, tempDir } from '../helpers.ts';

let app: App;
const tmp = tempDir('ims-e2e-hostile-');
const base = JSON.parse(readFileSync(CORPUS_1K, 'utf8').split('\n')[0] as string) as Record<string, unknown> & { subjects: Array<Record<string, unknown>> };

beforeAll(async () => {
  const file = join(tmp.dir, 'hostile.jsonl');
  writeFileSync(
    file,
    [
      JSON.stringify({ ...base, id: 910001, reference: 'IMS-2026-910001', subjects: [{ ...base.subjects[0], forename: 'Ali\u202Ecod.exe', surname: 'Smith\u001b[31m' }], freeText: 'The man calls himself Ali\u202Eeciov. He works nights.' }),
      JSON.stringify({
        ...base,
        id: 910002,
        reference: 'IMS-2026-910002',
        phones: ['abc123', '07700 900123'],
        addresses: [
          { type: 'home', line1: '1 High Street', line2: '', town: 'London', postcode: 'N13 1LB' },
          { type: 'work', line1: '2 Low Street', line2: '', town: '', postcode: 'ZZ99 9ZZ' },
        ],
      }),
    ].join('\n'),
  );
  app = await startApp({ seed: [file], users: [{ username: 'lacat.analyst', role: 'analyst', unit: 'LACAT' }] });
}, 180_000);
afterAll(async () => {
  await app?.stop();
  tmp.cleanup();
});

describe('hidden characters and values that could not be read', () => {
  it('marks every hidden character in a name and in the account, so a disguised name is seen for what it is', async () => {
    const { page } = app;
    await signInAs(page, 'lacat.analyst');
    await page.getByRole('heading', { name: /queue/ }).first().waitFor();
    await page.goto(`${app.host.url}/#/allegation/IMS-2026-910001`);
    await page.getByRole('heading', { name: 'IMS-2026-910001' }).waitFor();
    const subjects = page.getByRole('table', { name: 'Subjects' });
    const name = subjects.locator('.has-hidden-chars').first();
    await name.waitFor();
    // The override is drawn as a badge and has no effect: the letters after it keep their order.
    expect(await name.locator('.hidden-char [aria-hidden="true"]').allTextContents()).toEqual(['RLO', 'ESC']);
    const shown = await name.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll('.mantine-VisuallyHidden-root')) hidden.remove();
      return copy.textContent;
    });
    expect(shown).toBe('AliRLOcod.exe SmithESC[31m');
    expect(await name.textContent()).not.toMatch(/[\u202E\u001b]/);
    // A screen reader hears what each one is.
    await expect(name.textContent()).resolves.toContain('[hidden character: right-to-left override (reverses how text is shown)]');
    const account = page.locator('section', { has: page.getByRole('heading', { name: 'Account' }) }).locator('.hidden-char');
    expect(await account.locator('[aria-hidden="true"]').allTextContents()).toEqual(['RLO']);
    await name.scrollIntoViewIfNeeded();
    await screenshot(page, 'record-hidden-characters');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a phone number and a postcode that could not be read as written, with what could not be read beside them', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/IMS-2026-910002`);
    await page.getByRole('heading', { name: 'IMS-2026-910002' }).waitFor();
    await page.getByText('Check this number: it is not a phone number: it has letters in it. Kept as written.').waitFor();
    await page.getByText('Check this postcode: it is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area. Kept as written.').waitFor();
    const phones = page.locator('div', { has: page.getByText('Phones', { exact: true }) }).last();
    await expect(phones.textContent()).resolves.toContain('abc123');
    // Never made into a number it is not.
    expect(await page.locator('body').textContent()).not.toContain('+44123');
    await page.getByText('Check this number').scrollIntoViewIfNeeded();
    await screenshot(page, 'record-flagged-values');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('says the same at the fields of the form, and lets the record be amended without retyping them', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Amend form' }).click();
    await page.getByRole('heading', { name: /Amend|IMS-2026-910002/ }).first().waitFor();
    await page.getByText('This is not a phone number: it has letters in it. Kept as it was written; correct it if you can.').waitFor();
    await page.getByText(/This is not a UK postcode: it is shaped like one, but ZZ is not a UK postcode area\. Kept as it was written/).waitFor();
    expect(await page.getByLabel('Number').first().inputValue()).toBe('abc123');
    await page.getByText('This is not a phone number').scrollIntoViewIfNeeded();
    await screenshot(page, 'form-flagged-values');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Free-text account').fill('Amended: the man works nights at the car wash.');
    await page.getByRole('button', { name: /Save amendments/ }).click();
    await page.getByRole('heading', { name: 'IMS-2026-910002' }).waitFor();
    await page.locator('#section-account-card').getByText('Amended: the man works nights at the car wash.').waitFor();
    await page.getByText('Check this number: it is not a phone number: it has letters in it. Kept as written.').waitFor();
  });

  it('refuses a new value it cannot read at its field', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Amend form' }).click();
    await page.getByRole('button', { name: 'Add phone' }).click();
    const added = page.getByLabel('Number').last();
    await added.fill('☎️');
    await added.blur();
    await page.locator('.mantine-InputWrapper-error', { hasText: 'is not a phone number: it has no digits' }).waitFor();
    expect(await added.getAttribute('aria-invalid')).toBe('true');
  });
});
