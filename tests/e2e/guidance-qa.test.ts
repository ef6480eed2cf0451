// Guidance and assurance in Chromium: the guidance for a step opens from its screen ("What do I do here?"), says
// when it became operative and what changed, and is searchable; a manager draws the month's random sample of a
// unit's closed cases, records a check with its finding, and sees the coverage in management information.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { assess, createAllegation } from '../../electron/core/cases.ts';
import { chooseOutcome, signOff } from '../../electron/core/assessment.ts';
import { recordReview } from '../../electron/core/link-reviews.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { allegationFormShape, emptyForm } from '../../shared/schemas/form.ts';
import { SIGNOFF_EVIDENCE } from '../../shared/domain/outcome.ts';

let app: App;
let first = '';

beforeAll(async () => {
  app = await startApp({
    users: [
      { username: 'wm.analyst', role: 'analyst', unit: 'WMID' },
      { username: 'wm.compliance', role: 'compliance_officer', unit: 'WMID' },
      { username: 'wm.manager', role: 'manager', unit: 'WMID' },
    ],
  });
  const analyst = findUserByName(app.core.store, 'wm.analyst')!;
  const compliance = findUserByName(app.core.store, 'wm.compliance')!;
  // Six cases closed this month: vague reports, NFA non-actionable, signed off.
  for (let i = 0; i < 6; i++) {
    const form = allegationFormShape.parse({
      ...emptyForm(new Date(Date.now() - 3_600_000)),
      offenceTypes: ['illegal_working'],
      freeText: `Report ${i + 1}: someone at the market in town works without papers, the caller did not know a name.`,
      addresses: [{ type: 'offence_location', line1: '', town: '', postcode: `B${i + 1}` }],
    });
    const a = createAllegation(app.core, analyst, form);
    if (!first) first = a.reference;
    assess(app.core, analyst, a.id, 'thirty_days', '');
    recordReview(app.core, analyst, a.id, '');
    chooseOutcome(app.core, analyst, a.id, { outcome: 'nfa_non_actionable', actions: [], nfaReason: 'insufficient_information', duplicateOf: null, rationale: 'No name, address or business to research' });
    signOff(app.core, compliance, a.id, { decision: 'approve', evidence: [...SIGNOFF_EVIDENCE], note: '' });
  }
});
afterAll(async () => {
  await app?.stop();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(app.page, `guidance-qa-failed-${ctx.task.name.slice(0, 30).replace(/[^a-z]+/gi, '-')}`).catch(() => undefined);
});

describe('guidance', () => {
  it('opens from the screen of its step, dated, with what changed, and finds any section by search', async () => {
    const { page } = app;
    await signInAs(page, 'wm.analyst');
    await page.goto(`${app.host.url}/#/allegation/${first}`);
    await page.getByRole('heading', { name: first }).waitFor();
    await page.getByRole('region', { name: 'Actions and results' }).getByRole('link', { name: 'What do I do here?' }).click();
    await page.getByRole('heading', { name: 'Actions and dissemination, followed to their result' }).waitFor();
    await expect(page.getByTestId('guidance-operative').textContent()).resolves.toMatch(/^Operative from \d+ \w+ \d{4} · version 1$/);
    await page.getByText('What changed in version 1').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'guidance-page');
    await page.getByLabel('Search the guidance').fill('agreement MoU');
    const results = page.getByTestId('guidance-result');
    await results.first().waitFor();
    expect(await results.first().textContent()).toContain('Actions and dissemination');
    await page.getByLabel('Search the guidance').fill('chis');
    await results.first().getByText(/Sources: the restricted pane/).waitFor();
    // A misspelling still finds it (fuzzy), and the result opens the page.
    await page.getByLabel('Search the guidance').fill('legal bases');
    await results.first().getByText(/Actions and dissemination/).waitFor();
    await page.getByLabel('Search the guidance').fill('bank holidays');
    await results.first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'guidance-search');
    await results.first().getByRole('link').click();
    await page.getByTestId('guidance-operative').waitFor();
  });
});

describe("managers' sample checks", () => {
  it('draws the sample of the month, records a check with its finding, and MI shows the coverage', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'wm.manager');
    await page.getByRole('link', { name: /^Sample checks/ }).click();
    await page.getByText(/closed 6 cases in \d{4}-\d{2}; the sample takes 5/).waitFor();
    await page.getByRole('button', { name: 'Draw the sample' }).click();
    const sample = page.getByRole('table', { name: 'The sample' });
    await sample.getByRole('row').nth(5).waitFor();
    expect(await sample.getByRole('row').count()).toBe(6);
    await sample.getByRole('button', { name: 'Record check' }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Sample check of IMS-/ });
    await dialog.getByRole('radio', { name: 'Issues found' }).check();
    await dialog.getByRole('checkbox', { name: /No cross-check/ }).check();
    await dialog.getByLabel(/^Note/).fill('Cross-check recorded but the panel showed an undecided candidate');
    await dialog.getByRole('button', { name: 'Record check' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sample.getByText('Issues found').waitFor();
    await page.getByText('1 of 5 checked').waitFor();
    expect(await page.getByRole('button', { name: 'Draw the sample' }).count()).toBe(0);
    await page.mouse.move(700, 10);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'qa-sample');
    await page.goto(`${app.host.url}/#/mi?level=unit&unit=WMID`);
    const card = page.getByRole('region', { name: 'Managers’ sample checks' });
    const figure = (region: typeof card, row: RegExp) => region.getByRole('row', { name: row }).getByRole('cell').nth(1);
    await card.getByRole('row', { name: /^Sampled/ }).waitFor();
    expect(await figure(card, /^Sampled/).textContent()).toBe('5');
    expect(await figure(card, /^Checked/).textContent()).toBe('1');
    expect(await figure(card, /^Issues found/).textContent()).toBe('1');
    const closure = page.getByRole('region', { name: /Compliance sign-off with evidence/ });
    expect(await figure(closure, /^Signed off with evidence/).textContent()).toBe('6');
  });
});
