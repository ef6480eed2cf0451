// Issue 19's bugs on the electronic form, each reproduced as reported and checked fixed, in Chromium (en-US, as
// the report's was):
//  1. a refused save's errors and banner go once the fields are put right; the badge counts blockers only;
//  9. a date of birth is typed day first (14031988 is 14 March 1988) and says how it was read;
// 12. keying from a scan, the scan is read and fields suggested before saving; "Add subject" puts the focus in
//     the new Forename; an address taken from a letter comes typed; a NAT case that gains a Leeds postcode moves
//     to Yorkshire and Humber, and Reallocate suggests the unit a record's postcode routes to;
//  4. a draft started from a scan keeps its scan when resumed from the queue;
// 14. the form's history shows each amendment, field by field, with what it replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { record, writeSeed } from './workbench-fixtures.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { findAllegationId, readAllegation } from '../../electron/store/allegations.ts';
import { letterScan } from '../scan-maker.ts';
import { signIn } from '../helpers.ts';

const SEED = [
  // 21: a faxed letter with no usable location: the NAT sift holds it
  record(21, { channel: 'fax', subjects: [{ role: 'main', forename: 'Kamil', surname: 'Mazur', gender: 'M' }], freeText: 'Letter says he works at a warehouse in Leeds with no papers.', status: 'new' }),
  // 22: a Leeds address, but the case is with West Midlands (reallocated there in set-up)
  record(22, { subjects: [{ role: 'main', forename: 'Olga', surname: 'Kowal', gender: 'F' }], addresses: [{ type: 'home', line1: '9 Mill Street', town: 'Leeds', postcode: 'LS1 4AP' }], freeText: 'She overstayed her visa.' }),
];

let app: App;
let seed: ReturnType<typeof writeSeed>;
const ref = (n: number) => `IMS-2024-${String(900000 + n).padStart(6, '0')}`;

beforeAll(async () => {
  seed = writeSeed(SEED);
  app = await startApp({
    seed: [seed.file],
    users: [
      { username: 'nat.sifter', role: 'sifter', unit: 'NAT' },
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'the.admin', role: 'admin', unit: null },
    ],
  });
  const admin = await signIn(app.core, 'the.admin');
  await admin.call('allegations.reallocate', { id: findAllegationId(app.core.store.db, { reference: ref(22) }) as string, unit: 'WMID', reason: 'Family in Birmingham: WMID asked for it' });
  // A letter in the scan folder: it names the subject, where he works and his phone, and is signed by its writer.
  const folder = join(app.profile, 'scanner');
  mkdirSync(folder);
  app.core.scans.configure(findUserByName(app.core.store, 'the.admin')!, folder, 5);
  const file = join(folder, 'letter 1107.png');
  writeFileSync(
    file,
    await letterScan([
      'Dear Sir or Madam,',
      'I want to report a man called Bogdan Wisniewski.',
      'He works at 14 Harehills Lane, Leeds LS8 5DR.',
      'He has no right to work here. His phone number is 07700 900777.',
      'Yours faithfully,',
      'Margaret Writer',
      '3 Oak Road, Leeds LS6 2AB. Tel 07700 900555',
    ]),
  );
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
  await app.core.scans.pollOnce();
});
afterAll(async () => {
  await app?.stop();
  seed?.cleanup();
});

/** The accessible name of the focused element. */
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return (el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '').replace(/\s*\*\s*$/, '').trim();
  });

describe('the electronic form', () => {
  it('1: the errors of a refused save go as the fields are put right; the badge counts only what blocks saving', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInAs(page, 'wm.analyst');
    await page.getByRole('grid').waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByRole('alert').filter({ hasText: 'The allegation was not saved' }).waitFor();
    const fieldError = (text: string | RegExp) => page.locator('.mantine-InputWrapper-error', { hasText: text });
    await fieldError('choose at least one offence type').waitFor();
    await fieldError('describe what is alleged').waitFor();
    await page.getByRole('checkbox', { name: 'Illegal working' }).check();
    await expect.poll(() => fieldError('choose at least one offence type').count()).toBe(0);
    // Still one thing to put right: the banner says so, live.
    await page.getByRole('alert').filter({ hasText: 'One thing still needs putting right' }).waitFor();
    await page.getByLabel('Free-text account').fill('Men at the car wash on Stratford Road are paid cash and have no papers.');
    await expect.poll(() => fieldError('describe what is alleged').count()).toBe(0);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /not saved|putting right/ }).count()).toBe(0);
    // Warnings (no subject, no postcode) do not block saving, and the badge does not count them.
    await expect.poll(() => page.getByTestId('save-readiness').textContent()).toMatch(/^Ready to save \(2 warnings above\)/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'form-errors-cleared-1280');
  });

  it('9, 12: a date of birth typed day first reads as such; Add subject puts the focus in the new Forename', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add subject' }).click();
    await expect.poll(() => focusedLabel(page)).toBe('Forename');
    await page.keyboard.type('Dariusz');
    await page.getByLabel('Surname').fill('Lewandowski');
    await page.getByLabel('Date of birth').fill('14031988');
    await page.getByText('Reads as 14 March 1988').waitFor();
    await page.getByLabel('Date of birth').blur();
    expect(await page.getByLabel('Date of birth').inputValue()).toBe('14/03/1988');
    await page.getByRole('button', { name: 'Add address' }).click();
    await expect.poll(() => focusedLabel(page)).toBe('Type');
    await page.getByLabel('Postcode').fill('B11 4BW');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Control+Enter');
    await page.getByText('Allegation saved').waitFor();
    const reference = ((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    const saved = readAllegation(app.core.store.db, findAllegationId(app.core.store.db, { reference }) as string);
    expect(saved?.subjects[0]?.dob).toBe('1988-03-14');
    await page.getByText(/14 Mar 1988/).first().waitFor();
  });

  it('12: Reallocate suggests the unit a record’s postcode routes to', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/${ref(22)}`);
    await page.getByRole('heading', { level: 2, name: ref(22), exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reallocate' }).click();
    const dialog = page.getByRole('dialog', { name: /Reallocate/ });
    await dialog.getByText('Its postcode routes to Yorkshire and Humber RIU').waitFor();
    expect(await dialog.getByLabel('New unit').inputValue()).toBe('Yorkshire and Humber RIU');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('12: a NAT case that gains a Leeds postcode goes to Yorkshire and Humber', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.goto(`${app.host.url}/#/allegation/${ref(21)}/edit`);
    await page.getByRole('heading', { name: `Amend ${ref(21)}` }).waitFor();
    await page.getByRole('button', { name: 'Add address' }).click();
    await page.getByLabel('Address line 1').fill('Unit 4, Gelderd Road');
    await page.getByLabel('Postcode').fill('LS12 6BD');
    await page.getByText('saving moves it there from the National Allegations Team', { exact: false }).waitFor();
    // The letter spells him Mazurek: corrected in the same amendment.
    await page.getByLabel('Surname').fill('Mazurek');
    await page.getByRole('button', { name: /Save amendments/ }).click();
    await page.getByRole('heading', { level: 2, name: ref(21), exact: true }).waitFor();
    await page.getByText('Yorkshire and Humber RIU').first().waitFor();
    const moved = readAllegation(app.core.store.db, findAllegationId(app.core.store.db, { reference: ref(21) }) as string);
    expect(moved?.unit).toBe('YORKS');
    expect(moved?.unitHistory.at(-1)?.reason).toMatch(/^routed on amendment/);

    // 14: the form's history, field by field, keeps what the amendment replaced (CPIA), with who and when.
    const history = page.getByRole('region', { name: 'Changes to the form' });
    const amendment = history.getByRole('article', { name: /^Amendment of .* by nat sifter$/ });
    await amendment.waitFor();
    const rows = await amendment.getByRole('row').allTextContents();
    expect(rows).toContain('Subject 1 (Kamil Mazur)SurnameMazurMazurek');
    expect(rows.some((r) => /^Address 1 \(LS12 6BD\)added\(not on the form\).*Unit 4, Gelderd Road.*LS12 6BD/.test(r))).toBe(true);
    await expect(history.textContent()).resolves.toMatch(/1 amendment, newest first; what each replaced is kept/);
    await history.scrollIntoViewIfNeeded();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'form-history-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'form-history-1920');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('12, 4: keying from a scan reads it at once; the draft keeps its scan when resumed from the queue', async () => {
    const { page } = app;
    await page.getByRole('link', { name: /Scan inbox/ }).click();
    await page.getByRole('button', { name: 'New allegation from this scan' }).click();
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    const read = page.getByRole('complementary', { name: 'Read from the scan' });
    await read.getByRole('button', { name: /Add name Bogdan Wisniewski to the form/ }).waitFor({ timeout: 120_000 });
    expect(await read.textContent()).not.toMatch(/Margaret Writer|900555/);
    await read.getByRole('button', { name: /Add name Bogdan Wisniewski to the form/ }).click();
    await read.getByRole('button', { name: /Add address 14 Harehills Lane/ }).click();
    expect(await page.getByLabel('Surname').inputValue()).toBe('Wisniewski');
    expect(await page.getByRole('group', { name: 'Address 1' }).getByLabel('Type').inputValue()).toBe('work');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'form-from-scan-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'form-from-scan-1920');
    await page.getByText(/Draft saved/).waitFor();

    // Leave, and carry on from the queue's list of unfinished forms: the scan is still beside the form.
    await page.getByRole('link', { name: 'Work queue' }).click();
    await page.getByRole('link', { name: /New letter from a scan/ }).click();
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByRole('img', { name: /Page 1 of letter 1107\.png/ }).waitFor();
    expect(await page.getByLabel('Surname').inputValue()).toBe('Wisniewski');
    await page.getByRole('checkbox', { name: 'Illegal working' }).check();
    await page.getByLabel('Free-text account').fill('Letter: he works at a warehouse with no right to work.');
    await expect.poll(() => page.getByText('Letters and faxes need their original scan').count()).toBe(0);
    await page.getByRole('button', { name: /Save allegation/ }).click();
    await page.getByText('Allegation saved').waitFor();
    await expect.poll(() => app.core.scans.list('all').find((s) => s.fileName === 'letter 1107.png')?.status).toBe('attached');
  });
});
