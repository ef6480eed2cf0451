// The source pane of a letter sealed on another desk, in Chromium (issue 16): the NAT desk keys a letter naming its
// writer and syncs; the West Midlands analyst, allocated to it, opens the restricted pane on their own desk, which
// asks the server to release the key; once a manager moves the case to another unit, the desk's next pull takes the
// kept key back and the pane no longer opens there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { startApp, screenshot, seriousViolations, type App } from './harness.ts';
import { joinInBrowser } from './join-server.ts';
import { signIn, tempDir } from '../helpers.ts';
import { birminghamLetter, joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
let wm: App;
let nat: Core;
const natDir = tempDir('ims-e2e-keys-nat-');
let letterId = '';
let reference = '';

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('a.manager', 'manager', null);
  nat = await joinDesk(s, natDir.dir, 'NAT post room', 'NAT', 'nat.sifter');
  wm = await startApp();
});
afterAll(async () => {
  await wm?.stop();
  nat?.close();
  natDir.cleanup();
  await s?.stop();
});

async function openPane(reason: string) {
  const { page } = wm;
  await page.goto(`${wm.host.url}/#/allegation/${reference}`);
  await page.getByRole('button', { name: 'Open restricted pane' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open the restricted source pane' });
  await dialog.getByLabel(/Why do you need/).fill(reason);
  await dialog.getByRole('button', { name: 'Record and open' }).click();
  return dialog;
}

describe('the source pane of a letter sealed on another desk', () => {
  it('opens for the allocated analyst, the key released by the server', async () => {
    const sifter = await signIn(nat, 'nat.sifter');
    const created = await sifter.call('allegations.create', {
      form: birminghamLetter({
        source: { name: 'Garfield Clarke', address: '53 Tottenham High Road, London N15 4RX', phone: '07813 382035', email: '', relationship: 'neighbour', organisation: '' },
      }),
    });
    letterId = created.id;
    await syncOk(nat);
    await joinInBrowser(s, wm, 'West Midlands 1', /West Midlands RIU/, 'West Mid', 'wm.analyst');
    await syncOk(wm.core);
    const analyst = await signIn(wm.core, 'wm.analyst');
    await analyst.call('allegations.allocate', { id: letterId });
    await syncOk(wm.core);
    reference = (await analyst.call('allegations.get', { id: letterId })).reference;

    await openPane('Recontact the writer about the rota');
    const pane = wm.page.getByRole('region', { name: 'Restricted source pane' });
    await pane.waitFor();
    await expect(pane.textContent()).resolves.toContain('Garfield Clarke');
    const [release] = await s.server.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM server_audit WHERE action = 'key.release'");
    expect(release?.n).toBe(1);
    expect(await seriousViolations(wm.page)).toEqual([]);
    await screenshot(wm.page, 'desk-keys-released');
  });

  it('takes the key back when the case moves to another unit: the pane no longer opens on this desk', async () => {
    await syncOk(nat);
    const manager = await signIn(nat, 'a.manager');
    await manager.call('allegations.reallocate', { id: letterId, unit: 'NEAST', reason: 'The subject moved to Newcastle' });
    await syncOk(nat);
    // The desk pulls on the server's nudge; a sync here makes sure it has.
    await syncOk(wm.core);
    const kept = wm.core.store.db.prepare('SELECT sealed, dropped_why FROM released_keys WHERE allegation_id = ?').get(letterId) as { sealed: Buffer | null; dropped_why: string };
    expect(kept.sealed).toBeNull();
    expect(kept.dropped_why).toMatch(/moved to another unit|no longer allocated/);
    await wm.page.reload();
    await wm.page.getByText(reference).first().waitFor();
    await expect.poll(() => wm.page.getByRole('button', { name: 'Open restricted pane' }).count()).toBe(0);
    expect(await wm.page.locator('body').textContent()).not.toContain('Garfield Clarke');
    expect(await seriousViolations(wm.page)).toEqual([]);
    await screenshot(wm.page, 'desk-keys-revoked');
  });
});
