// Issue 19 in Chromium, for the people who work the desk:
//  5. "Add … to the form" from the viewer, twice, then leaving: one draft of amendments, which "Amend form" opens;
// 13. a candidate's comparison says how strong each piece of evidence is in words and a probability, not bits;
// 14. an administrator changes a person's role and unit and resets their password; they change their own;
// and bulk actions on queue rows (choose, allocate, export, watch) with the watch list saying what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { record, writeSeed } from './workbench-fixtures.ts';
import { signIn, TEST_PASSWORD } from '../helpers.ts';
import { findAllegationId } from '../../electron/store/allegations.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { makeTextPdf } from '../pdf-maker.ts';

const dupe = (n: number, surname: string) =>
  record(n, {
    subjects: [{ role: 'main', forename: 'Yusuf', surname, dob: '1990-06-02', gender: 'M', nationality: 'Turkish' }],
    addresses: [{ type: 'work', line1: '88 Soho Road', town: 'Birmingham', postcode: 'B21 9BH' }],
    phones: ['07700 900321'],
    freeText: 'Yusuf works in the kitchen of the grill house on Soho Road without papers.',
  });

const SEED = [dupe(31, 'Demir'), dupe(32, 'Demirr'), record(33, { subjects: [{ role: 'main', forename: 'Leon', surname: 'Marsh', gender: 'M' }], addresses: [{ type: 'home', line1: '5 Park Road', town: 'Birmingham', postcode: 'B13 8AB' }], freeText: 'He works at a bar without papers.' })];

let app: App;
let seed: ReturnType<typeof writeSeed>;
const ref = (n: number) => `IMS-2024-${String(900000 + n).padStart(6, '0')}`;
const id = (n: number) => findAllegationId(app.core.store.db, { reference: ref(n) }) as string;

beforeAll(async () => {
  seed = writeSeed(SEED);
  app = await startApp({
    seed: [seed.file],
    users: [
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'new.starter', role: 'sifter', unit: 'NAT' },
      { username: 'the.admin', role: 'admin', unit: null },
    ],
  });
  // A born-digital letter attached to 33: its text layer is read at once (no OCR), and it names two people.
  const pdf = join(app.profile, 'letter.pdf');
  writeFileSync(pdf, makeTextPdf([['Dear Sir,', 'The bar manager is a man called Piotr Nowacki.', 'His friend is called Adam Sowa.', 'Regards']]));
  await app.core.attachments.attachFile({ userId: null, name: 'e2e set-up' }, id(33), pdf, 'letter.pdf', { read: true });
  await app.core.attachments.whenIdle();
});
afterAll(async () => {
  await app?.stop();
  seed?.cleanup();
});

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

describe('the workbench for the people who use it', () => {
  it('5: adding from the viewer twice leaves one draft of amendments, which Amend form opens', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInAs(page, 'wm.analyst');
    await page.getByRole('grid').waitFor();
    await page.goto(`${app.host.url}/#/allegation/${ref(33)}`);
    await page.getByRole('link', { name: /letter\.pdf/ }).first().click();
    const viewer = page.locator('#attachment-viewer');
    const surnames = async () => page.getByLabel('Surname').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await viewer.getByRole('button', { name: /Add .*Piotr Nowacki/ }).click();
    await page.getByRole('heading', { name: `Amend ${ref(33)}` }).waitFor();
    await page.getByText(/Draft saved|Added from/).first().waitFor();
    // Leave without saving, and add the second name from the viewer.
    await page.goto(`${app.host.url}/#/allegation/${ref(33)}`);
    await page.getByRole('link', { name: /letter\.pdf/ }).first().click();
    await viewer.getByRole('button', { name: /Add .*Adam Sowa/ }).click();
    await page.getByRole('heading', { name: `Amend ${ref(33)}` }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Added from' }).waitFor();
    await expect.poll(surnames).toEqual(['Marsh', 'Nowacki', 'Sowa']);
    const analyst = findUserByName(app.core.store, 'wm.analyst')!;
    const drafts = app.core.store.db.prepare('SELECT count(*) AS n FROM drafts WHERE user_id = ? AND allegation_id = ?').get(analyst.id, id(33)) as { n: number };
    expect(drafts.n).toBe(1);
    // "Amend form" from the record carries on from that draft.
    await page.goto(`${app.host.url}/#/allegation/${ref(33)}`);
    await page.getByRole('button', { name: 'Amend form' }).click();
    await page.getByText('Carrying on from your unsaved amendments').waitFor();
    await expect.poll(surnames).toEqual(['Marsh', 'Nowacki', 'Sowa']);
    await screenshot(page, 'amend-resumed-1280');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('heading', { level: 2, name: ref(33), exact: true }).waitFor();
  });

  it('13: a candidate is compared in words and a probability, never bits', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/${ref(32)}`);
    const panel = page.getByRole('region', { name: 'Duplicates and links' });
    await panel.getByText(ref(31)).first().waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toMatch(/\d+% likely the same|over 99% likely the same/);
    expect(text).toMatch(/(strong|moderate|weak) evidence for a match \((about )?[\d,.]+ times as likely\)/);
    expect(text).not.toMatch(/\bbits\b/);
    expect(text).not.toMatch(/\(\+\d/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'candidate-in-words-1280');
  });

  it('bulk: rows chosen on the queue are allocated, exported and watched; the watch list says what changed', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Work queue' }).click();
    const grid = page.getByRole('grid');
    await grid.getByRole('row', { name: new RegExp(ref(31)) }).waitFor();
    await grid.getByRole('checkbox', { name: `Choose ${ref(31)}` }).check();
    await grid.getByRole('checkbox', { name: `Choose ${ref(32)}` }).check();
    const bar = page.getByRole('region', { name: 'Actions on the chosen rows' });
    await bar.getByText('2 allegations chosen').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'queue-bulk-1280');
    await bar.getByRole('button', { name: 'Allocate to me' }).click();
    await bar.getByText('2 allegations allocated to you').waitFor();
    const analyst = findUserByName(app.core.store, 'wm.analyst')!;
    const allocated = app.core.store.db.prepare('SELECT count(*) AS n FROM allocations WHERE user_id = ? AND ended_at IS NULL').get(analyst.id) as { n: number };
    expect(allocated.n).toBe(2);
    // The choice was done and cleared: choose again for the export and the watch list.
    await grid.getByRole('checkbox', { name: `Choose ${ref(31)}` }).check();
    await grid.getByRole('checkbox', { name: `Choose ${ref(33)}` }).check();
    const download = page.waitForEvent('download');
    await bar.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ims-allegations-.*\.csv$/);
    const csv = (await import('node:fs')).readFileSync((await file.path()) as string, 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv).toContain(ref(31));
    expect(app.core.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'allegations.export'").get()).toEqual({ n: 1 });
    await bar.getByRole('button', { name: 'Add to watch list' }).click();
    await bar.getByText('2 allegations added to your watch list').waitFor();

    await page.getByRole('link', { name: 'Watch list' }).click();
    const list = page.getByRole('table', { name: 'Your watch list' });
    await list.getByRole('row', { name: new RegExp(ref(33)) }).waitFor();
    await expect(list.getByRole('row', { name: new RegExp(ref(33)) }).textContent()).resolves.toContain('nothing new');
    // Someone else adds a note to 33: the watch list, open on screen, says it changed.
    const admin = await signIn(app.core, 'the.admin');
    await admin.call('notes.add', { allegationId: id(33), text: 'Licensing visit booked for Friday.' });
    await expect.poll(() => list.getByRole('row', { name: new RegExp(ref(33)) }).textContent(), { timeout: 20_000 }).toContain('changed');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'watch-list-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'watch-list-1920');
    await signOut(page);
  });

  it('14: an administrator changes a role and unit and resets a password; the person changes their own', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInAs(page, 'the.admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: /Change new starter's account/ }).click();
    const dialog = page.getByRole('dialog', { name: /Change new starter's account/ });
    await dialog.getByLabel(/^Role/).click();
    await page.getByRole('option', { name: 'RIU analyst' }).click();
    await dialog.getByLabel(/^Unit/).fill('West Midlands');
    await page.getByRole('option', { name: /West Midlands RIU/ }).click();
    await dialog.getByLabel(/Reset password/).fill('a temporary one 123');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /new starter/ });
    await expect.poll(() => row.textContent()).toMatch(/RIU analyst.*West Midlands/);
    await signOut(page);

    await page.getByLabel('Username').fill('new.starter');
    await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByLabel(/^Password/).fill('a temporary one 123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Change password' }).click();
    const change = page.getByRole('dialog', { name: 'Change your password' });
    await change.getByLabel('Current password').fill('a temporary one 123');
    await change.getByLabel(/^New password\s*\*?$/).fill('my own passphrase 456');
    await change.getByLabel('New password again').fill('my own passphrase 456');
    await change.getByRole('button', { name: 'Change password' }).click();
    await change.getByText('Your password is changed').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await signOut(page);
    await page.getByLabel('Username').fill('new.starter');
    await page.getByLabel(/^Password/).fill('my own passphrase 456');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Work queue' }).waitFor();
  });
});
