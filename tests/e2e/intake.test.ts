// Intake in Chromium: a NAT sifter keys a faxed allegation with the keyboard alone; it routes to the unit of the
// offence postcode and appears in that unit's queue with its due time. An allegation saying "the appeal hearing
// is this Friday" appears flagged in the duty intelligence manager's queue. Bad input is marked at its field,
// and nothing typed is lost when the window closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'nat.sifter', role: 'sifter', unit: 'NAT' },
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'wm.duty', role: 'duty_manager', unit: 'WMID' },
    ],
  });
});
afterAll(async () => {
  await app?.stop();
});

/** Presses Tab until the focused element is the one with this accessible label. */
async function tabTo(page: Page, label: string | RegExp, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '';
      return labelled.replace(/\s*\*\s*$/, '').trim();
    });
    if (typeof label === 'string' ? focused === label : label.test(focused)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(label)}`);
}

async function type(page: Page, label: string | RegExp, text: string): Promise<void> {
  await tabTo(page, label);
  await page.keyboard.type(text);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

describe('intake through the electronic form', () => {
  it('a sifter keys a faxed allegation with the keyboard alone, and it routes to the unit of the offence', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    // Focus starts on the channel: choose Fax by typing its first letter.
    await page.keyboard.press('f');
    await type(page, 'Original scan', 'Original fax held by NAT post room, scan to follow');
    await tabTo(page, 'Illegal working');
    await page.keyboard.press('Space');
    await type(page, 'Free-text account', 'Fax received. The owner of Sparkle Hand Car Wash employs men with no papers and pays them cash in hand.');
    await tabTo(page, 'Add subject');
    await page.keyboard.press('Enter');
    await type(page, 'Forename', 'Tomasz');
    await type(page, 'Surname', 'Nowak');
    await tabTo(page, 'Add business');
    await page.keyboard.press('Enter');
    await type(page, 'Business name', 'Sparkle Hand Car Wash');
    await type(page, 'Address line 1', '12 Coventry Road');
    await type(page, 'Town', 'Birmingham');
    await type(page, 'Postcode', 'b10 0rx');
    await page.keyboard.press('Tab');
    await page.getByTestId('routes-to').getByText('Routes to West Midlands RIU (Solihull)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'intake-form');
    await page.keyboard.press('Control+Enter');
    await page.getByText('Allegation saved').waitFor();
    const heading = (await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '';
    expect(heading).toMatch(/^IMS-\d{4}-000001-/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('is with West Midlands RIU (Solihull) (postcode area B)');
    await screenshot(page, 'intake-saved');

    // It is in the West Midlands queue, with its due time, for the unit's analyst.
    await signOut(page);
    await signInAs(page, 'wm.analyst');
    const row = page.getByRole('row', { name: new RegExp(heading) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Fax.*Illegal working.*Tomasz Nowak.*B10 0RX.*New.*in \d/);
    await signOut(page);
  });

  it('an allegation saying "the appeal hearing is this Friday" is flagged in the duty manager queue', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByLabel('Channel').selectOption('email');
    await page.getByRole('checkbox', { name: 'Overstayer' }).check();
    await page.getByLabel('Free-text account').fill('Her visa ran out last year. The appeal hearing is this Friday and she says she will not go back.');
    await page.getByRole('button', { name: 'Add address' }).click();
    await page.getByLabel('Address line 1').fill('4 Rose Lane');
    await page.getByLabel('Postcode').fill('WV3 0AA');
    await page.getByRole('alert').filter({ hasText: 'Time-critical' }).waitFor();
    await page.getByRole('button', { name: /Save allegation/ }).click();
    await page.getByText('It is time-critical and is in the duty intelligence manager’s queue.').waitFor();
    const reference = ((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    await signOut(page);

    await signInAs(page, 'wm.duty');
    await page.getByRole('heading', { name: 'Time-critical work' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(reference) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Time-critical');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'duty-manager-queue');
    await row.click();
    await page.getByText('Time-critical: detected').waitFor();
    await page.getByRole('button', { name: 'Confirm time-critical' }).click();
    // The dialog is whole the moment it opens: the desk honours the OS's request for less motion.
    expect(await page.getByRole('dialog').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await page.getByRole('dialog').getByLabel('Reason').fill('Hearing listed at Birmingham IAC on Friday');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Time-critical (confirmed)').waitFor();
    await screenshot(page, 'time-critical-confirmed');
    await signOut(page);
  });

  it('marks bad input at its field, saves nothing, and keeps every keystroke in a draft across a closed window', async () => {
    const { page } = app;
    await signInAs(page, 'nat.sifter');
    await page.getByRole('heading', { name: 'NAT sift queue' }).waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByRole('checkbox', { name: 'Sham marriage' }).check();
    await page.getByRole('button', { name: 'Add subject' }).click();
    await page.getByLabel('Surname').fill('Ionescu');
    await page.getByLabel('Date of birth').fill('2099-05-01');
    await page.getByRole('button', { name: 'Add address' }).click();
    await page.getByLabel('Postcode').fill('NOT A POSTCODE');
    await page.getByRole('button', { name: /Save allegation/ }).click();
    await page.getByRole('alert').filter({ hasText: 'The allegation was not saved' }).waitFor();
    // Each problem is shown at its own field, which is marked invalid.
    const fieldError = (text: string | RegExp) => page.locator('.mantine-InputWrapper-error', { hasText: text });
    await fieldError('describe what is alleged (the account cannot be empty)').waitFor();
    await fieldError('cannot be in the future').waitFor();
    await fieldError(/is not a UK postcode/).waitFor();
    expect(await page.getByLabel('Free-text account').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Postcode').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'intake-errors');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByText(/Draft saved/).waitFor();
    const url = page.url();
    expect(url).toMatch(/#\/new\?draft=/);

    // Close the window and open the desk again: the draft is offered, and everything typed is there.
    const context = app.context;
    await page.close();
    // Closing the last window ends the browser session, as on a desk: open the desk's link again and sign in.
    const again = await context.newPage();
    await again.goto(app.host.launchUrl);
    await signInAs(again, 'nat.sifter');
    await again.getByText(/unfinished form/).waitFor();
    await screenshot(again, 'drafts-offered');
    await again.getByRole('link', { name: /Ionescu/ }).click();
    await again.getByRole('heading', { name: 'New allegation' }).waitFor();
    expect(await again.getByLabel('Surname').inputValue()).toBe('Ionescu');
    expect(await again.getByLabel('Postcode').inputValue()).toBe('NOT A POSTCODE');
    expect(await again.getByRole('checkbox', { name: 'Sham marriage' }).isChecked()).toBe(true);
    app.page = again;
  });

  it('names its spinner while it looks for earlier reports, so a screen reader hears what the desk is doing', async () => {
    const page = await app.context.newPage();
    await page.goto(app.host.launchUrl);
    await signInAs(page, 'wm.analyst');
    await page.getByRole('heading', { name: /queue/ }).first().waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByRole('button', { name: 'Add subject' }).click();
    // Hold the lookup so the spinner stays up long enough to be checked, whatever the machine's speed.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/call/links.draftCandidates', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Surname').fill('Popa');
    const spinner = page.getByRole('progressbar', { name: 'Looking for earlier reports' });
    await spinner.waitFor();
    await screenshot(page, 'live-candidates-looking');
    expect(await seriousViolations(page)).toEqual([]);
    release();
    await spinner.waitFor({ state: 'hidden' });
    await page.getByText('None so far.').waitFor();
    await page.close();
  });
});
