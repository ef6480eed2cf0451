// Two desks of one unit syncing through a real central server (PGlite in memory, on loopback): a file an analyst
// attaches on one desk reaches the other desk — its attachment row and its bytes — and a desk listening to the
// server's live nudge pulls what another desk pushed at once, long before its next poll; a desk closed while its
// nudge is connected reads nothing from its closed store afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import type { signIn } from '../helpers.ts';
import { joinDesk, natAndWestMidlands, syncOk, type TestServer } from '../sync/fixtures.ts';
import { makeTextPdf } from '../pdf-maker.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;

const form = (freeText: string, line1 = '140 Soho Road', postcode = 'B21 9LP'): AllegationFormInput => ({
  ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
  reporterType: 'public',
  offenceTypes: ['illegal_working'],
  freeText,
  addresses: [{ type: 'offence_location', line1, line2: '', town: 'Birmingham', postcode }],
  scanMissingReason: 'Letter scanned at the NAT post room',
});

async function until(what: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) if (what()) return true;
  return what();
}

describe('two West Midlands desks and the central server', () => {
  let desks: Awaited<ReturnType<typeof natAndWestMidlands>>;
  let s: TestServer;
  let nat: Core;
  let wm1: Core;
  let wm2: Core;
  let sifter: Caller;
  let analyst: Caller;

  beforeAll(async () => {
    // The second West Midlands desk polls only every ten minutes: anything it gets sooner came by the nudge.
    desks = await natAndWestMidlands({ wm2: { sync: { pollMs: 600_000 } } });
    ({ s, nat, wm1, wm2, sifter, analyst } = desks);
  }, 600_000);
  afterAll(async () => {
    await desks?.close();
  });

  it('brings a file attached on one desk to the other desk of the unit: its attachment row and its bytes', async () => {
    const id = (await sifter.call('allegations.create', { form: form('The car wash on Soho Road employs men with no papers.') })).id;
    await syncOk(nat);
    await syncOk(wm1);
    await syncOk(wm2);
    const pdf = makeTextPdf([['Witness statement: the car wash on Soho Road opens at 8am.']]);
    const file = join(desks.dir, 'statement.pdf');
    writeFileSync(file, pdf);
    const user = wm1.store.db.prepare('SELECT id, display_name FROM users WHERE username = ?').get('wm.analyst') as { id: string; display_name: string };
    await wm1.attachments.attachFile({ userId: user.id, name: user.display_name }, id, file, 'statement.pdf', { read: false });
    const attached = wm1.attachments.list(id);
    expect(attached.map((a) => a.fileName)).toEqual(['statement.pdf']);
    await syncOk(wm1);
    await syncOk(wm2);
    const arrived = wm2.attachments.list(id);
    expect(arrived.map((a) => [a.id, a.fileName])).toEqual(attached.map((a) => [a.id, a.fileName]));
    // The bytes came too (sealed under the second desk's own key), so the file opens there.
    const hash = createHash('sha256').update(pdf).digest('hex');
    expect(wm2.attachments.blobs.has(hash)).toBe(true);
    expect(Buffer.from(wm2.attachments.blobs.readRange(hash, 0, pdf.length).data).equals(pdf)).toBe(true);
  }, 120_000);

  it('pulls at once when the live nudge says another desk pushed something for its unit, without waiting to poll', async () => {
    wm2.syncScheduler.start();
    try {
      expect(await until(() => wm2.sync.live, 10_000)).toBe(true);
      // Settled: the first cycle after starting has run, and the next poll is minutes away.
      await new Promise((r) => setTimeout(r, 1_000));
      const id = (await analyst.call('allegations.create', { form: form('A nail bar on the Stratford Road pays its staff cash.', '12 Stratford Road', 'B11 1AA') })).id;
      const pushedAt = Date.now();
      await syncOk(wm1);
      const has = () => wm2.store.db.prepare('SELECT 1 FROM allegations WHERE id = ?').get(id) !== undefined;
      expect(await until(has, 10_000)).toBe(true);
      expect(Date.now() - pushedAt).toBeLessThan(10_000);
    } finally {
      wm2.syncScheduler.stop();
    }
  }, 60_000);

  it('closes a desk whose live nudge is connected with nothing left reading its closed store', async () => {
    const core = await joinDesk(s, join(desks.dir, 'wm3'), 'wm3', 'WMID', 'wm.analyst2', { sync: { pollMs: 600_000 } });
    const strays: unknown[] = [];
    const stray = (error: unknown) => strays.push(error);
    process.on('unhandledRejection', stray);
    try {
      const live: boolean[] = [];
      core.on((event) => {
        if (event.type === 'sync.status') live.push(event.status.live);
      });
      core.syncScheduler.start();
      expect(await until(() => core.sync.live, 10_000)).toBe(true);
      core.close();
      // The stream ends a turn after the close: before the fix, its ending read the sync state from the closed store.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(strays.map(String)).toEqual([]);
      expect(live.at(-1)).toBe(false);
    } finally {
      process.off('unhandledRejection', stray);
    }
  }, 60_000);
});
