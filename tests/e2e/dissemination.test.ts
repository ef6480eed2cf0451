// From assessment to result in Chromium: an analyst grades a new allegation in its initial assessment, then grades another (3x5x2, handling C with its conditions,
// harm), tasks the ICE team — the report that leaves is the sanitised one, graded — and, the follow-up date having
// passed, finds it in the overdue follow-up queue; records the ICE team's result on the allegation, and the
// follow-up leaves the queue. The intelligence report prints the grading; the history shows who did what.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { assess, createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { allegationFormShape, emptyForm } from '../../shared/schemas/form.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { RISK_RATING_LABELS } from '../../shared/domain/vocabularies.ts';

let app: App;
let reference = '';
let fresh = '';
const sentOn = ukDate(new Date(Date.now() - 40 * 86_400_000));

beforeAll(async () => {
  app = await startApp({ users: [{ username: 'wm.analyst', role: 'analyst', unit: 'WMID' }] });
  const analyst = findUserByName(app.core.store, 'wm.analyst')!;
  const form = allegationFormShape.parse({
    ...emptyForm(new Date(Date.now() - 45 * 86_400_000)),
    offenceTypes: ['illegal_working'],
    freeText: 'Waseem Iqbal works every day at the Sparkle hand car wash on Coventry Road, paid cash, with no right to work.',
    subjects: [{ role: 'main', forename: 'Waseem', surname: 'Iqbal', gender: 'M', nationality: 'Pakistani' }],
    addresses: [{ type: 'work', line1: '12 Coventry Road', town: 'Birmingham', postcode: 'B10 0RX' }],
    source: { name: 'Marek Zielinski', phone: '07700 900123', email: '', address: '', relationship: 'neighbour', organisation: '' },
  });
  const created = createAllegation(app.core, analyst, form);
  assess(app.core, analyst, created.id, 'thirty_days', 'Named subject at a named business');
  reference = created.reference;
  // A second report, not yet assessed: graded in the initial assessment itself.
  fresh = createAllegation(
    app.core,
    analyst,
    allegationFormShape.parse({
      ...emptyForm(new Date(Date.now() - 2 * 86_400_000)),
      offenceTypes: ['illegal_working'],
      freeText: 'Lena Vogel cleans offices at night for Brightstar Cleaning on Digbeth High Street, cash in hand, no right to work.',
      subjects: [{ role: 'main', forename: 'Lena', surname: 'Vogel', gender: 'F' }],
      addresses: [{ type: 'work', line1: '40 Digbeth High Street', town: 'Birmingham', postcode: 'B5 6DT' }],
    }),
  ).reference;
});
afterAll(async () => {
  await app?.stop();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(app.page, `dissemination-failed-${ctx.task.name.slice(0, 30).replace(/[^a-z]+/gi, '-')}`).catch(() => undefined);
});

describe('grading and dissemination tracked to the result', () => {
  it('the initial assessment offers the 3x5x2 grading, refuses a C without its conditions, and records both in one step', async () => {
    const { page } = app;
    await signInAs(page, 'wm.analyst');
    await page.goto(`${app.host.url}/#/allegation/${fresh}`);
    await page.getByRole('heading', { name: fresh }).waitFor();
    await page.getByRole('toolbar', { name: 'Actions on this allegation' }).getByRole('button', { name: 'Record assessment' }).click();
    const dialog = page.getByRole('dialog', { name: `Initial assessment of ${fresh}` });
    await dialog.getByRole('radio', { name: RISK_RATING_LABELS.forty_eight_hours }).check();
    await dialog.getByRole('radio', { name: /^1 — Reliable/ }).check();
    await dialog.getByRole('radio', { name: /^A — Known directly/ }).check();
    await dialog.getByRole('radio', { name: /^C — Lawful sharing permitted with conditions/ }).check();
    await dialog.getByRole('radio', { name: /^High harm/ }).check();
    // C without its conditions cannot be recorded.
    expect(await dialog.getByRole('button', { name: 'Record assessment' }).isDisabled()).toBe(true);
    await dialog.getByText(/Handling code C needs its conditions/).waitFor();
    await dialog.getByLabel(/Conditions of sharing/).fill('Immigration Enforcement only; not for onward disclosure');
    await dialog.getByText('Assessed and graded in one step, with your name and the time.').waitFor();
    await page.mouse.move(5, 5);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'assessment-with-grading');
    await dialog.getByRole('button', { name: 'Record assessment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const grading = page.getByRole('region', { name: 'Grading' });
    await expect(grading.getByTestId('grading-code').textContent()).resolves.toBe('1/A/C');
    await grading.getByText('Conditions: Immigration Enforcement only; not for onward disclosure').waitFor();
    await page.getByTestId('history').getByText(/risk rating forty eight hours; graded 1\/A\/C, high harm/).waitFor();
  });

  it('grades the allegation: 3x5x2 with the conditions of handling code C, and the harm', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/${reference}`);
    await page.getByRole('heading', { name: reference }).waitFor();
    const grading = page.getByRole('region', { name: 'Grading' });
    await grading.getByText('Not graded').waitFor();
    await grading.getByRole('button', { name: 'Grade' }).click();
    const dialog = page.getByRole('dialog', { name: `Grade ${reference}` });
    await dialog.getByRole('radio', { name: /^2 — Untested/ }).check();
    await dialog.getByRole('radio', { name: /^B — Known indirectly, corroborated/ }).check();
    await dialog.getByRole('radio', { name: /^C — Lawful sharing permitted with conditions/ }).check();
    await dialog.getByRole('radio', { name: /^Medium harm/ }).check();
    expect(await dialog.getByRole('button', { name: 'Record grading' }).isDisabled()).toBe(true);
    await dialog.getByLabel(/Conditions of sharing/).fill('Law enforcement only; not to be used in civil proceedings');
    await dialog.getByText('Suggested risk rating for this harm').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'grading-dialog');
    await dialog.getByRole('button', { name: 'Record grading' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(grading.getByTestId('grading-code').textContent()).resolves.toBe('2/B/C');
    await grading.getByText('Conditions: Law enforcement only; not to be used in civil proceedings').waitFor();
  });

  it('tasks the ICE team: the sanitised, graded report is kept as sent, with a follow-up date by rule', async () => {
    const { page } = app;
    const panel = page.getByRole('region', { name: 'Actions and results' });
    await panel.getByRole('button', { name: 'Record action' }).click();
    const dialog = page.getByRole('dialog', { name: `Record an action on ${reference}` });
    await dialog.getByLabel('Action').selectOption('tasked_ice');
    await dialog.getByRole('textbox', { name: /^Recipient/ }).fill('ICE Birmingham');
    await dialog.getByLabel('Sent on').fill(sentOn);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Record action' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = panel.getByTestId('actions-table').getByRole('row', { name: /Tasked to ICE team/ });
    await row.getByText('ICE Birmingham (ICE team)').waitFor();
    await row.getByText('Overdue').waitFor();
    await row.getByText('ICE tasking: 20 working days').waitFor();
    await row.getByRole('button', { name: 'What was sent (2/B/C)' }).click();
    const sent = page.getByRole('dialog', { name: 'What was sent to ICE Birmingham' });
    const text = (await sent.textContent()) ?? '';
    expect(text).toContain('Sent to: ICE Birmingham (ICE team) for: Tasked to ICE team');
    expect(text).toContain('Grading (3x5x2): 2/B/C');
    expect(text).toContain('sharing permitted only on these conditions: Law enforcement only');
    expect(text).not.toMatch(/Zielinski|07700/);
    await screenshot(page, 'dissemination-what-was-sent');
    await page.keyboard.press('Escape');
    await page.mouse.move(700, 10);
    await screenshot(page, 'dissemination-actions-panel');
  });

  it('finds the overdue follow-up in the queue, records the ICE team’s result, and the follow-up leaves the queue', async () => {
    const { page } = app;
    await page.getByRole('link', { name: /^Follow-ups/ }).click();
    const queue = page.getByRole('table', { name: 'Overdue follow-ups' });
    const item = queue.getByRole('row', { name: new RegExp(reference) });
    await item.waitFor();
    await item.getByText(/working days? overdue/).waitFor();
    await page.mouse.move(700, 10);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'followups-overdue');
    await item.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    const panel = page.getByRole('region', { name: 'Actions and results' });
    await panel.getByRole('button', { name: 'Record result' }).click();
    const dialog = page.getByRole('dialog', { name: 'Result from ICE Birmingham' });
    await dialog.getByLabel('What the recipient did').selectOption('arrested');
    await dialog.getByLabel(/^Detail/).fill('Visit made: subject arrested (overstayer); two others working illegally referred.');
    await dialog.getByRole('button', { name: 'Record result' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel.getByText('Arrested', { exact: true }).waitFor();
    expect(await panel.getByText('Overdue').count()).toBe(0);
    await page.getByTestId('history').getByText(/Result recorded/).waitFor();
    await page.getByRole('link', { name: /^Follow-ups/ }).click();
    await page.getByTestId('followups-count').getByText('0 overdue').waitFor();
    expect(await page.getByRole('table', { name: 'Overdue follow-ups' }).count()).toBe(0);
    await screenshot(page, 'followups-cleared');
  });

  it('prints the grading on the intelligence report', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}/#/allegation/${reference}/report`);
    await page.getByRole('heading', { name: `Intelligence report ${reference}` }).waitFor();
    await page.getByText(/OFFICIAL-SENSITIVE\. Grading 2\/B\/C \(conditions below\)/).waitFor();
    await page.getByRole('heading', { name: 'Grading and handling' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'report-graded');
  });
});
