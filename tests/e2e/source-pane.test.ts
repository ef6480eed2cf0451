// The restricted source pane in Chromium: an analyst allocated to the case opens it through the audit warning;
// one who is not allocated sees that a source exists and whom to ask, never the details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startApp, signInAs, screenshot, seriousViolations, type App } from './harness.ts';
import { CORPUS_1K } from '../helpers.ts';
import { findAllegationId } from '../../electron/store/allegations.ts';
import { allocate } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';

const first = JSON.parse(readFileSync(CORPUS_1K, 'utf8').split('\n')[0] as string) as { reference: string; source: { name: string; email: string } };

let app: App;
beforeAll(async () => {
  app = await startApp({
    seed: [CORPUS_1K],
    users: [
      { username: 'allocated.analyst', role: 'analyst', unit: 'LACAT' },
      { username: 'other.analyst', role: 'analyst', unit: 'LACAT' },
    ],
  });
  const id = findAllegationId(app.core.store.db, { reference: first.reference }) as string;
  allocate(app.core, findUserByName(app.core.store, 'allocated.analyst')!, id, undefined);
});
afterAll(async () => {
  await app?.stop();
});

describe('the restricted source pane', () => {
  it('an analyst not allocated to the case sees the "ask NSU" notice and no details', async () => {
    const { page } = app;
    await signInAs(page, 'other.analyst');
    await page.getByRole('grid').waitFor();
    await page.goto(`${app.host.url}/#/allegation/${first.reference}`);
    const notice = page.getByRole('note').filter({ hasText: 'A source is recorded' });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(/ask .*allocated to this case.* or the National Source Unit/);
    expect(await page.getByRole('button', { name: 'Open restricted pane' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(first.source.name);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'source-pane-refused');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('the allocated analyst opens it through the warning, and the opening is audited', async () => {
    const { page } = app;
    await signInAs(page, 'allocated.analyst');
    await page.getByRole('grid').waitFor();
    await page.goto(`${app.host.url}/#/allegation/${first.reference}`);
    await page.getByRole('button', { name: 'Open restricted pane' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open the restricted source pane' });
    await expect(dialog.textContent()).resolves.toContain('An audit entry for the Security and Anti-Corruption Unit is written before the details are shown');
    await screenshot(page, 'source-pane-warning');
    await dialog.getByLabel(/Why do you need/).fill('Recontact the reporter about the address');
    await dialog.getByRole('button', { name: 'Record and open' }).click();
    const pane = page.getByRole('region', { name: 'Restricted source pane' });
    await pane.waitFor();
    await expect(pane.textContent()).resolves.toContain(first.source.name);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'source-pane-open');
    const entries = app.core.store.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'source.open'").all() as Array<{ actor: string; details: string }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor).toContain('allocated.analyst');
    expect(JSON.parse(entries[0]?.details ?? '{}').reason).toBe('Recontact the reporter about the address');
  });
});
