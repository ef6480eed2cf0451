// The import screen (bulk intake with progress and per-record errors) and the routing table an administrator
// edits in the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { CORPUS_1K } from '../helpers.ts';

let app: App;
beforeAll(async () => {
  app = await startApp({ users: [{ username: 'the.admin', role: 'admin', unit: null }] });
  await signInAs(app.page, 'the.admin');
});
afterAll(async () => {
  await app?.stop();
});

describe('administering intake', () => {
  it('imports a file of online-form submissions with progress, routing counts and the lines that failed', async () => {
    const { page } = app;
    const file = join(app.profile, 'submissions.jsonl');
    const lines = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
    writeFileSync(file, [...lines.slice(0, 400), '{"reference": "IMS-2026-999999", "receivedAt": "not a date"}', 'this line is not JSON'].join('\n'));
    await page.getByRole('link', { name: /Import/ }).click();
    await page.getByRole('heading', { name: 'Import submissions' }).waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /Submissions file/ }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('table', { name: 'Records not imported' }).waitFor({ timeout: 120_000 });
    const summary = await page.locator('main').textContent();
    expect(summary).toMatch(/Lines read402/);
    expect(summary).toMatch(/Imported400/);
    expect(summary).toMatch(/Failed2/);
    await expect(page.getByRole('table', { name: 'Records not imported' }).textContent()).resolves.toMatch(/401IMS-2026-999999.*receivedAt.*402.*not valid JSON/);
    await expect(page.getByRole('table', { name: 'Routed to' }).textContent()).resolves.toContain('London Area Central Allegations Team');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-done');
    expect((app.core.store.db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n).toBe(400);
  });

  it('lists the records imported with values kept as written to check, and refuses a report from the future', async () => {
    const { page } = app;
    const [first] = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
    const base = JSON.parse(first as string) as Record<string, unknown>;
    const file = join(app.profile, 'flagged.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ ...base, id: 990001, reference: 'IMS-2026-990001', phones: ['abc123'], addresses: [{ type: 'home', line1: '1 High St', line2: '', town: 'Leeds', postcode: 'ZZ99 9ZZ' }] }),
        JSON.stringify({ ...base, id: 990002, reference: 'IMS-2026-990002', receivedAt: '2999-01-01T00:00:00Z' }),
      ].join('\n'),
    );
    await page.getByRole('link', { name: /Import/ }).click();
    await page.getByRole('heading', { name: 'Import submissions' }).waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /Submissions file/ }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const flagged = page.getByRole('table', { name: 'Imported with values kept as written' });
    await flagged.waitFor({ timeout: 120_000 });
    await expect(flagged.textContent()).resolves.toMatch(/IMS-2026-990001.*addresses\[0\]\.postcode "ZZ99 9ZZ" is not a UK postcode.*phones\[0\] "abc123" is not a phone number: it has letters in it/);
    await expect(page.getByRole('table', { name: 'Records not imported' }).textContent()).resolves.toMatch(/IMS-2026-990002.*2999-01-01T00:00:00Z is in the future/);
    expect(await page.locator('main').textContent()).toMatch(/Flagged to check1/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-flagged');
  });

  it('lets the administrator move a postcode area to another unit, with a reason kept in the audit log', async () => {
    const { page } = app;
    await page.getByRole('link', { name: /Routing/ }).click();
    await page.getByRole('heading', { name: 'Routing' }).waitFor();
    await page.getByRole('textbox', { name: 'Filter areas' }).fill('LD');
    await page.getByLabel('Unit for LD').selectOption('WMID');
    await page.getByLabel('Reason for the change').fill('Powys border area covered by the West Midlands this quarter');
    await page.getByRole('button', { name: 'Save routing table' }).click();
    await page.getByText('The routing table is saved').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'routing');
    expect(app.core.routingTable().areas.LD).toBe('WMID');
    const audit = app.core.store.db.prepare("SELECT details FROM audit_log WHERE action = 'routing.update'").get() as { details: string };
    expect(JSON.parse(audit.details).changedAreas).toEqual(['LD: WALES -> WMID']);
  });
});
