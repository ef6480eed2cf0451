// Two desks and one central server, in Chromium: each desk is joined to the server from its set-up screen and
// registered by its first sign-in; a letter keyed at the NAT desk for Birmingham reaches the West Midlands
// analyst's queue after sync, numbered nationally; amendments of different fields made offline on two West
// Midlands desks both survive; an outcome recorded on a case closed elsewhere comes back as a conflict, shown on
// the Sync screen to the analyst who made it, who resolves it there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Core } from '../../electron/core/core.ts';
import { startApp, screenshot, seriousViolations, type App } from './harness.ts';
import { joinInBrowser as join } from './join-server.ts';
import { signIn, tempDir } from '../helpers.ts';
import { birminghamLetter, closeAsActioned, joinDesk, readyForOutcome, recordLateOutcome, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
let nat: App;
let wm: App;
let colleagueDesk: Core;
const colleagueDir = tempDir('ims-e2e-desk-');
let letterId = '';
let reference = '';

const joinInBrowser = (app: App, deskName: string, unitLabel: RegExp, unitTyped: string, username: string) => join(s, app, deskName, unitLabel, unitTyped, username);

async function syncNow(page: Page): Promise<void> {
  await page.getByTestId('sync-indicator').click();
  await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText('Online', { exact: false }).first().waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Sync now' }).getAttribute('data-loading'), { timeout: 60_000 }).toBeNull();
}

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('wm.analyst2', 'analyst', 'WMID');
  await s.addUser('wm.compliance', 'compliance_officer', 'WMID');
  nat = await startApp();
  wm = await startApp();
  colleagueDesk = await joinDesk(s, colleagueDir.dir, 'West Midlands 2', 'WMID', 'wm.analyst2');
});
afterAll(async () => {
  await nat?.stop();
  await wm?.stop();
  colleagueDesk?.close();
  colleagueDir.cleanup();
  await s?.stop();
});

describe('two desks syncing through a central server', () => {
  it('brings a letter keyed at NAT for Birmingham into the West Midlands analyst’s queue', async () => {
    await joinInBrowser(nat, 'NAT post room', /National Allegations Team/, 'National Alleg', 'nat.sifter');
    await joinInBrowser(wm, 'West Midlands 1', /West Midlands RIU/, 'West Mid', 'wm.analyst');
    const sifter = await signIn(nat.core, 'nat.sifter');
    const created = await sifter.call('allegations.create', {
      form: birminghamLetter(),
    });
    letterId = created.id;
    await syncNow(nat.page);
    await nat.page.getByText('Changes waiting').waitFor();
    await expect.poll(async () => (await sifter.call('sync.status', {})).waiting, { timeout: 30_000 }).toBe(0);
    reference = (await sifter.call('allegations.get', { id: letterId })).reference;
    expect(reference).toMatch(/^IMS-\d{4}-\d{6}$/);
    await nat.page.reload();
    await nat.page.getByText('Last sync').first().waitFor();
    await screenshot(nat.page, 'sync-state');
    expect(await seriousViolations(nat.page)).toEqual([]);

    await syncNow(wm.page);
    await wm.page.getByRole('link', { name: /Work queue/ }).click();
    await wm.page.getByText(reference).first().waitFor();
    await screenshot(wm.page, 'sync-queue-after-sync');
  });

  it('keeps both amendments of different fields made offline on two West Midlands desks', async () => {
    await syncOk(colleagueDesk);
    const analyst = await signIn(wm.core, 'wm.analyst');
    const colleague = await signIn(colleagueDesk, 'wm.analyst2');
    const f1 = (await analyst.call('allegations.form', { id: letterId })).form;
    const f2 = (await colleague.call('allegations.form', { id: letterId })).form;
    await analyst.call('allegations.update', { id: letterId, form: { ...f1, vehicles: [{ vrm: 'BW16 VTO', description: 'white Transit' }] } });
    await colleague.call('allegations.update', { id: letterId, form: { ...f2, freeText: `${f2.freeText} Open every day from 8am.` } });
    await syncOk(colleagueDesk);
    await syncNow(wm.page);
    await wm.page.evaluate((r) => {
      window.location.hash = `#/allegation/${r}`;
    }, reference);
    await wm.page.getByText('BW16VTO').first().waitFor();
    await wm.page.getByText('Open every day from 8am.').first().waitFor();
  });

  it('sends an outcome recorded on a case closed elsewhere back to the analyst, who resolves it on the Sync screen', async () => {
    const analyst = await signIn(wm.core, 'wm.analyst');
    const colleague = await signIn(colleagueDesk, 'wm.analyst2');
    const compliance = await signIn(colleagueDesk, 'wm.compliance');
    await readyForOutcome(colleague, letterId);
    await syncOk(colleagueDesk);
    await syncNow(wm.page);
    // The colleague's desk closes the case; the analyst, not yet synced, records another outcome.
    await closeAsActioned(colleague, compliance, letterId);
    await syncOk(colleagueDesk);
    await recordLateOutcome(analyst, letterId);

    const page = wm.page;
    await syncNow(page);
    await page.getByText('1 open (1 yours)').waitFor();
    const card = page.getByRole('region', { name: new RegExp(`Your change to ${reference} was not accepted`) });
    await card.waitFor();
    await card.getByText(/the allegation is closed/i).first().waitFor();
    await card.getByText('NFA — non-actionable').first().waitFor();
    await card.getByText('Insufficient information').first().waitFor();
    await screenshot(page, 'sync-conflict');
    expect(await seriousViolations(page)).toEqual([]);
    await card.getByLabel('Note (kept with the record)').fill('Closed by the other desk first: their outcome stands');
    await card.getByRole('button', { name: 'Accept the record as it is' }).click();
    await page.getByText('Nothing to resolve.').waitFor();
    await page.getByText('All', { exact: true }).click();
    await page.getByText('Server’s version kept').waitFor();
    await screenshot(page, 'sync-conflict-resolved');
    // The server hears of the resolution at the next sync (at once where the desk syncs by itself).
    await syncNow(page);
    await expect.poll(async () => (await s.server.ctx.db.query<{ resolution: string | null }>('SELECT resolution FROM conflicts')).every((c) => c.resolution === 'discarded'), { timeout: 30_000 }).toBe(true);
  });
});
