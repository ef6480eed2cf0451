// The duplicate/link panel in Chromium. Typing a subject into a new allegation shows the earlier report of the
// same person live; saving shows it first and needs a reason; the analyst marks it "same allegation" with a
// reason in the panel; the judgement appears on both records and in the audit log, and the pair is not proposed
// again. Then the case is finished: background check, cross-check, "NFA — duplicate" (which needs the linked
// original) and the compliance officer's sign-off that closes it. The link chart works from the keyboard.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { findCandidates } from '../../electron/matching/candidates.ts';
import { allegationFormShape, emptyForm } from '../../shared/schemas/form.ts';

let app: App;
let earlier: { id: string; reference: string };
let later = '';

beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'wm.compliance', role: 'compliance_officer', unit: 'WMID' },
    ],
  });
  const analyst = findUserByName(app.core.store, 'wm.analyst')!;
  const received = new Date(Date.now() - 5 * 86_400_000);
  const form = (f: Record<string, unknown>) => allegationFormShape.parse({ ...emptyForm(received), offenceTypes: ['illegal_working'], ...f });
  // The earlier report, and two others that are not about him.
  earlier = createAllegation(
    app.core,
    analyst,
    form({
      freeText: 'Farhan Qureshi works every day at the takeaway on Alum Rock Road for cash. He has no visa.',
      subjects: [{ role: 'main', forename: 'Farhan', surname: 'Qureshi', dob: '1990-04-12', gender: 'M', nationality: 'Pakistani' }],
      addresses: [{ type: 'home', line1: '27 Alum Rock Road', town: 'Birmingham', postcode: 'B8 1JB' }],
      businesses: [{ name: 'Alum Rock Grill', type: 'takeaway', address: { line1: '102 Alum Rock Road', line2: '', town: 'Birmingham', postcode: 'B8 1HU' } }],
    }),
  );
  createAllegation(app.core, analyst, form({ freeText: 'A sham marriage is planned at the register office.', subjects: [{ role: 'main', forename: 'Ioana', surname: 'Marin', dob: '1996-09-30' }], addresses: [{ type: 'home', line1: '4 Rose Lane', town: 'Wolverhampton', postcode: 'WV3 0AA' }] }));
  createAllegation(app.core, analyst, form({ freeText: 'Men sleep at the car wash and are paid cash.', businesses: [{ name: 'Sparkle Hand Car Wash', type: 'car wash', address: { line1: '12 Coventry Road', line2: '', town: 'Birmingham', postcode: 'B10 0RX' } }] }));
});
afterAll(async () => {
  await app?.stop();
});
// What the screen showed when a step failed, to read beside the error.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(app.page, `links-failed-${ctx.task.name.slice(0, 30).replace(/[^a-z]+/gi, '-')}`).catch(() => undefined);
});

const auditFor = (allegationId: string) =>
  app.core.store.db.prepare("SELECT actor, details FROM audit_log WHERE allegation_id = ? AND action = 'link.judge'").all(allegationId) as Array<{ actor: string; details: string }>;

describe('the duplicate/link panel', () => {
  it('shows the earlier report live while a subject is typed, and shows it again before saving', async () => {
    const { page } = app;
    await signInAs(page, 'wm.analyst');
    await page.getByRole('heading', { name: /queue/i }).first().waitFor();
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New allegation' }).waitFor();
    await page.getByRole('checkbox', { name: 'Illegal working' }).check();
    await page.getByLabel('Free-text account').fill('Caller says the man at the takeaway on Alum Rock Road is still working there illegally.');
    const live = page.getByTestId('live-candidates');
    await expect(live.textContent()).resolves.toContain('Type a subject');
    await page.getByRole('button', { name: 'Add subject' }).click();
    await page.getByLabel('Forename').fill('Farhan');
    await page.getByLabel('Surname').fill('Qurehsi');
    await page.getByLabel('Date of birth').fill('1990-04-12');
    // Live, a moment after typing stops: the earlier report, with why.
    await live.getByText(earlier.reference, { exact: true }).waitFor();
    const liveText = (await live.textContent()) ?? '';
    expect(liveText).toMatch(/Likely duplicate/);
    expect(liveText).toMatch(/Agree: .*date of birth \(same\).*surname \(typo\)/);
    await page.getByRole('button', { name: 'Add address' }).click();
    await page.getByLabel('Address line 1').fill('27 Alum Rock Rd');
    await page.getByLabel('Postcode').fill('B8 1JB');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'links-live-candidates');

    // Compare side by side without leaving the form.
    await live.getByRole('button', { name: `Compare ${earlier.reference}` }).click();
    const compare = page.getByRole('dialog');
    await compare.getByRole('table').waitFor();
    await expect(compare.getByRole('row', { name: /Subjects/ }).textContent()).resolves.toMatch(/Farhan Qurehsi.*Farhan Qureshi.*Agrees/);
    await page.keyboard.press('Escape');

    // Saving: the strong candidate is shown first, and going on needs a reason.
    await page.getByRole('button', { name: /Save allegation/ }).click();
    const warning = page.getByRole('dialog', { name: new RegExp(`Before saving: ${earlier.reference}`) });
    await warning.waitFor();
    const save = warning.getByRole('button', { name: 'Save with this reason' });
    expect(await save.isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'links-intake-warning');
    await warning.getByLabel(/Reason for saving/).fill('Caller adds a new address detail; decide in the panel');
    await save.click();
    await page.getByText('Allegation saved').waitFor();
    later = ((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    expect(later).toMatch(/^IMS-\d{4}-\d{6}-/);
    await page.getByText(/At intake, .* saved .* with .* shown as a strong candidate/).waitFor();
  });

  it('the analyst marks it "same allegation" with a reason: it shows on both records and in the audit log, and is not proposed again', async () => {
    const { page } = app;
    const panel = page.getByRole('region', { name: 'Duplicates and links' });
    // The best suggestion is open, side by side with this record, with its explanation.
    const item = panel.getByRole('button', { name: new RegExp(`^${earlier.reference}`) });
    await item.waitFor();
    expect(await item.getAttribute('aria-expanded')).toBe('true');
    await panel.getByRole('table', { name: /side by side/ }).waitFor();
    await panel.getByText(/Agrees:.*Date of birth: same/).first().waitFor();
    await expect(panel.getByTestId('links-status').textContent()).resolves.toMatch(/1 still to judge/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'links-panel-candidate');

    await panel.getByRole('button', { name: 'Same allegation (duplicate)' }).click();
    const dialog = page.getByRole('dialog', { name: `Judge ${earlier.reference}` });
    await dialog.getByLabel(/^Reason/).fill('Same man at the same address: the second caller misspelt his surname');
    await dialog.getByRole('button', { name: 'Record judgement' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const inForce = panel.getByTestId('links-in-force');
    await inForce.getByText(earlier.reference).waitFor();
    await expect(inForce.textContent()).resolves.toContain('Same allegation as');
    await expect(inForce.textContent()).resolves.toContain('the second caller misspelt his surname');
    // Not proposed again on this record.
    await expect(panel.getByTestId('links-status').textContent()).resolves.toMatch(/No (other )?candidates|every suggestion judged/);
    expect(await panel.getByRole('button', { name: new RegExp(`^${earlier.reference}`) }).count()).toBe(0);
    await screenshot(page, 'links-judged');

    // On the earlier record too, and not proposed there either.
    await inForce.getByRole('link', { name: earlier.reference }).click();
    await page.getByRole('heading', { level: 2, name: earlier.reference }).waitFor();
    const other = page.getByRole('region', { name: 'Duplicates and links' });
    await other.getByTestId('links-in-force').getByText(later).waitFor();
    await expect(other.getByTestId('links-in-force').textContent()).resolves.toContain('the second caller misspelt his surname');
    await other.getByTestId('links-status').filter({ hasText: /No (other )?candidates|every suggestion judged/ }).waitFor();
    expect(await other.getByRole('button', { name: new RegExp(`^${later}`) }).count()).toBe(0);
    await other.getByRole('tab', { name: /Linked records and judgements/ }).click();
    await other.getByRole('table', { name: 'Linked records' }).getByRole('link', { name: later }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'links-earlier-record');

    // In the audit log of both records, and the chain holds.
    const laterId = (app.core.store.db.prepare('SELECT id FROM allegations WHERE reference = ?').get(later) as { id: string }).id;
    for (const [self, otherRef] of [
      [laterId, earlier.reference],
      [earlier.id, later],
    ] as const) {
      const entries = auditFor(self);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.actor).toContain('wm.analyst');
      expect(JSON.parse(entries[0]?.details ?? '{}')).toMatchObject({ judgement: 'duplicate', reason: 'Same man at the same address: the second caller misspelt his surname', otherReference: otherRef });
    }
    expect(app.core.store.audit.verify(app.core.vault.auditRoot()).ok).toBe(true);
    expect(findCandidates(app.core.store.db, app.core.matching, { id: earlier.id, includeLinked: false }).candidates.map((c) => c.allegationId)).not.toContain(laterId);
  });

  it('draws the link chart, operable from the keyboard, with its text equivalent', async () => {
    const { page } = app;
    const panel = page.getByRole('region', { name: 'Duplicates and links' });
    await panel.getByRole('tab', { name: 'Link chart' }).click();
    const chart = panel.getByTestId('link-chart');
    await chart.locator('canvas').first().waitFor();
    const table = panel.getByRole('table', { name: /chart as text/ });
    // One man, written "Qureshi" on the earlier record and "Qurehsi" on the later, at "27 Alum Rock Road" and
    // "27 Alum Rock Rd": one person and one address, shared by both records; the node says how else it is written.
    const person = table.getByRole('row', { name: /Person.*Farhan Qureshi.*shared/ });
    await expect(person.textContent()).resolves.toContain(later);
    await expect(person.textContent()).resolves.toContain(earlier.reference);
    await expect(person.textContent()).resolves.toContain('also written: Farhan Qurehsi');
    expect(await table.getByRole('row', { name: /^Person/ }).count()).toBe(1);
    const address = table.getByRole('row', { name: /Address.*27 Alum Rock Road.*shared/ });
    await expect(address.textContent()).resolves.toContain(later);
    await expect(address.textContent()).resolves.toContain(earlier.reference);
    await expect(table.getByRole('row', { name: /Judged link/ }).textContent()).resolves.toContain('same allegation');
    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await panel.getByText(/^Allegation IMS-.*press Enter to open it$/).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await panel.getByText(/^(Person|Address) .*, in IMS-/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'links-chart');
    // Labels readable at the common desk sizes (wrapped, spaced by the layout).
    await panel.getByRole('button', { name: 'Re-arrange' }).click();
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await panel.getByRole('button', { name: 'Re-arrange' }).click();
      await chart.scrollIntoViewIfNeeded();
      await screenshot(page, `links-chart-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('finishes the duplicate: checks and cross-check before "NFA — duplicate", then the compliance officer closes it', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/${later}`);
    await page.getByRole('heading', { level: 2, name: later }).waitFor();
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Record assessment' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const work = page.getByRole('region', { name: 'Checks and outcome' });
    const needs = work.getByTestId('outcome-requirements');
    await needs.getByText(/Needed: Record the cross-check/).waitFor();
    await needs.getByText(/Needed: The record has a full name and a full address: record background checks/).waitFor();
    // Choosing the outcome now is refused, saying why.
    await work.getByRole('button', { name: 'Record outcome' }).click();
    let dialog = page.getByRole('dialog', { name: `Outcome for ${later}` });
    await dialog.getByLabel('Why not actionable').selectOption('duplicate');
    await dialog.getByLabel(/^Original/).waitFor();
    await dialog.getByLabel(/^Rationale/).fill('Same report as the original, which is being researched');
    await dialog.getByRole('button', { name: 'Record outcome' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The outcome cannot be recorded yet' }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('region', { name: 'Duplicates and links' }).getByRole('button', { name: 'Record cross-check' }).click();
    await needs.getByText('Done: Cross-check against existing allegations recorded').waitFor();
    await work.getByRole('button', { name: 'Record a check' }).click();
    const check = work.getByRole('form', { name: 'Record a background check' });
    await check.getByLabel('On').selectOption({ label: 'Farhan Qurehsi' });
    await check.getByLabel('Result').fill('No trace on CID under either spelling');
    await check.getByRole('button', { name: 'Record check' }).click();
    await needs.getByText(/Done: Background checks recorded \(1 on Home Office systems\)/).waitFor();
    await work.getByRole('row', { name: /CID \/ Atlas.*No trace/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await work.getByRole('button', { name: 'Record outcome' }).click();
    dialog = page.getByRole('dialog', { name: `Outcome for ${later}` });
    await dialog.getByLabel('Why not actionable').selectOption('duplicate');
    await expect(dialog.getByLabel(/^Original/).inputValue()).resolves.toBe(earlier.id);
    await dialog.getByLabel(/^Rationale/).fill('Same report as the original, which is being researched');
    await screenshot(page, 'links-outcome-dialog');
    await dialog.getByRole('button', { name: 'Record outcome' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await work.getByText(/NFA — non-actionable — Duplicate/).waitFor();
    await work.getByText('Awaiting the compliance officer.').waitFor();
    await screenshot(page, 'links-outcome-recorded');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'wm.compliance');
    await page.getByRole('heading', { name: /queue/i }).first().waitFor();
    await page.goto(`${app.host.url}/#/allegation/${later}`);
    await page.getByRole('button', { name: 'Compliance sign-off' }).click();
    const signOff = page.getByRole('dialog', { name: `Compliance check of ${later}` });
    for (const box of await signOff.getByRole('checkbox').all()) await box.check();
    await signOff.getByLabel(/^Note/).fill('Checked the duplicate link and the CID check');
    expect(await seriousViolations(page)).toEqual([]);
    await signOff.getByRole('button', { name: 'Approve and close' }).click();
    await signOff.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Checks and outcome' }).getByText(/Approved and closed by .*wm.compliance/).waitFor();
    await expect(page.getByRole('heading', { level: 2, name: later }).locator('..').textContent()).resolves.toContain('Closed');
    await screenshot(page, 'links-closed');
  });
});
