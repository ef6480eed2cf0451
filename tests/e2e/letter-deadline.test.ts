// The inspection's missed flight, replayed in Chromium (issue 17): a two-page fax is attached to an allegation
// that already has a source. Page 1 names the subject; page 2 alone says he flies out "on Friday" on flight EZY8741
// and ends with the writer's signature block. The duty manager, sitting on their queue, is told as the page is
// read (a notification and the queue's count) and sees why; the allegation says which page, sentence and rule;
// the flight is suggested with its date, put on the form and recorded as accepted; the writer's name, address and
// phone are withheld from the open record and offered for the restricted pane, as the source or another person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { analyseText } from '../../shared/analysis/analyse-text.ts';
import { PAGE2, twoPageFax } from '../fixtures/letters/two-page-fax.ts';

const FAX_NAME = 'fax from Sheffield.tif';
let app: App;
let reference: string;
let allegationId: string;
let faxFile: string;
/** The Friday the letter means, read from the day it is received (today). */
let friday: string;

beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'yorks.duty', role: 'duty_manager', unit: 'YORKS' },
      { username: 'yorks.analyst', role: 'analyst', unit: 'YORKS' },
    ],
  });
  const received = new Date(Date.now() - 60_000);
  const created = createAllegation(app.core, findUserByName(app.core.store, 'yorks.analyst')!, {
    ...emptyForm(received, 'fax'),
    offenceTypes: ['illegal_working'],
    freeText: 'Fax about a man working cash in hand at a car wash in Sheffield. See the attached fax.',
    addresses: [{ type: 'work', line1: 'Abbeydale Road', line2: '', town: 'Sheffield', postcode: 'S7 1FS' }],
    source: { name: 'Peter Lawson', phone: '07700 900777', email: '', address: '', relationship: 'neighbour', organisation: '' },
  });
  reference = created.reference;
  allegationId = created.id;
  friday = analyseText({ page: 2, text: PAGE2.join('\n'), receivedAt: received.toISOString(), readWriter: false }).deadlines[0]?.date ?? '';
  faxFile = join(app.profile, FAX_NAME);
  await twoPageFax(faxFile);
});
afterAll(async () => {
  await app?.stop();
});

/** "11 Dec 2026", as the screens write a date. */
function shown(date: string): RegExp {
  const d = new Date(`${date}T12:00:00Z`);
  return new RegExp(`${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}`);
}

describe('a deadline only a scanned page holds reaches the duty manager', () => {
  it('tells the duty manager on their queue as page 2 is read, with the queue’s count and why', async () => {
    expect(new Date(`${friday}T12:00:00Z`).getUTCDay()).toBe(5);
    const { page } = app;
    await signInAs(page, 'yorks.duty');
    await page.getByRole('grid').waitFor();
    expect(await page.getByTestId('time-critical-count').count()).toBe(0);
    expect(await page.getByRole('row', { name: new RegExp(reference) }).count()).toBe(0);

    // Someone else attaches the fax; the duty manager does nothing.
    await app.core.attachments.attachFile({ userId: null, name: 'yorks.analyst' }, allegationId, faxFile);
    const note = page.getByTestId('time-critical-notification');
    await note.waitFor({ timeout: 90_000 });
    await expect.poll(() => note.textContent()).toContain(`Time-critical: ${reference}`);
    expect(await note.textContent()).toMatch(/Flight on .*found on page 2 of fax from Sheffield\.tif/);
    expect(await note.textContent()).toMatch(shown(friday));
    await expect.poll(() => page.getByTestId('time-critical-count').textContent(), { timeout: 10_000 }).toBe('1');

    // The queue shows it without a reload, saying why.
    const row = page.getByRole('row').filter({ hasText: reference });
    await row.waitFor({ timeout: 10_000 });
    const why = await row.textContent();
    expect(why).toContain('page 2 of fax from Sheffield.tif');
    expect(why).toMatch(/EZY8741|Friday/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'letter-duty-manager-told');
  });

  it('opens the allegation from the notification: which page, which sentence, which rule', async () => {
    const { page } = app;
    await page.getByTestId('time-critical-notification').getByRole('button', { name: `Open ${reference}` }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    expect(await page.getByTestId('time-critical-notification').count()).toBe(0);
    const banner = page.getByTestId('time-critical-banner');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('page 2 of fax from Sheffield.tif');
    expect(text).toMatch(/fly out on Friday\s+on flight EZY8741/);
    expect(text).toMatch(/Rule: .+/);
    expect(text).toMatch(shown(friday));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'letter-allegation-why');
  });

  it('withholds the writer, offers name, address and phone for the pane, and suggests the flight with its date', async () => {
    const { page } = app;
    const id = (app.core.store.db.prepare('SELECT id FROM attachments WHERE allegation_id = ?').get(allegationId) as { id: string }).id;
    await app.core.attachments.whenIdle(id);
    await page.goto(`${app.host.url}/#/allegation/${reference}?tab=attachments&attachment=${id}&page=2`);
    const viewer = page.getByRole('region', { name: FAX_NAME, exact: true });
    await viewer.getByTestId('page-indicator').filter({ hasText: 'Page 2 of 2' }).waitFor();
    const text = (await viewer.getByTestId('page-text').textContent()) ?? '';
    expect(text).toMatch(/EZY ?8741/);
    expect(text).not.toMatch(/Holloway|Whitham|496 ?0321|S10 3HJ/);
    const offer = viewer.getByTestId('writer-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toMatch(/name, .*address.* and phone/);
    expect(await offer.textContent()).toContain('already has a source');
    const flight = viewer.getByTestId('suggestion-flight-U28741');
    await flight.waitFor();
    expect(await flight.textContent()).toMatch(shown(friday));
    expect(await flight.textContent()).toContain('page 2');
    expect(await viewer.textContent()).not.toMatch(/Holloway/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'letter-viewer-offer');
  });

  it('puts the flight on the form with its date; saving records it as accepted', async () => {
    const { page } = app;
    const viewer = page.getByRole('region', { name: FAX_NAME, exact: true });
    await viewer.getByRole('button', { name: 'Add flight U28741 to the form' }).click();
    await page.getByRole('heading', { name: `Amend ${reference}` }).waitFor();
    expect(await page.getByRole('textbox', { name: /flight/i }).first().inputValue()).toBe('U28741');
    const aside = page.getByRole('complementary', { name: /Suggested from the allegation/ });
    await aside.getByText('added: save to accept').waitFor();
    await screenshot(page, 'letter-form-suggestions');
    await page.getByRole('button', { name: /Save amendments/ }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    const travel = app.core.store.db.prepare('SELECT flight_number, travel_date FROM travel WHERE allegation_id = ? AND removed_at IS NULL').all(allegationId);
    expect(travel).toEqual([{ flight_number: 'U28741', travel_date: friday }]);
    const decided = app.core.store.db.prepare('SELECT decision, kind, value, page, decided_by FROM suggestion_decisions WHERE allegation_id = ?').all(allegationId);
    expect(decided).toEqual([{ decision: 'accepted', kind: 'flight', value: 'U28741', page: 2, decided_by: expect.stringContaining('yorks duty') }]);
  });

  it('moves the writer into the restricted pane as another person who reported, once the person chooses', async () => {
    const { page } = app;
    const id = (app.core.store.db.prepare('SELECT id FROM attachments WHERE allegation_id = ?').get(allegationId) as { id: string }).id;
    await page.goto(`${app.host.url}/#/allegation/${reference}?tab=attachments&attachment=${id}&page=2`);
    const viewer = page.getByRole('region', { name: FAX_NAME, exact: true });
    await viewer.getByTestId('suggestion-flight-U28741').getByTestId('suggestion-decision').filter({ hasText: /Accepted from page 2 by yorks duty/ }).waitFor();
    await viewer.getByRole('button', { name: 'Move the details into the restricted pane' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move the writer’s details into the restricted pane' });
    await dialog.getByLabel('Why').fill('The writer of the fax, not the caller');
    const move = dialog.getByRole('button', { name: 'Move into the pane' });
    expect(await move.isDisabled()).toBe(true);
    await dialog.getByRole('radio', { name: /Someone else/ }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'letter-writer-choice');
    await move.click();
    await viewer.getByText(/Moved into the restricted source pane as another person who reported: name, .*address.*phone/).waitFor();
    await viewer.getByText(/Moved into the restricted source pane .* by yorks duty/).waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/Holloway/);
    await screenshot(page, 'letter-writer-moved');
  });
});
