// The desk's sync state follows every call it makes to the server, not only sync cycles: a manager who asks for
// national figures while the server is down sees this desk's figures with the reason, and the header says
// "Offline" at once (it used to say "Online" until the next poll); when the server answers again, it says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import type { SyncStatus } from '../../shared/api/sync.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { signIn, tempDir } from '../helpers.ts';
import { joinDesk, startTestServer, type TestServer } from '../sync/fixtures.ts';

const DAY = 86_400_000;
const wholeYear = { from: new Date(Date.now() - 400 * DAY).toISOString().slice(0, 10), to: new Date(Date.now() + DAY).toISOString().slice(0, 10) };

describe('the sync state follows any call to the server', () => {
  const serverDir = mkdtempSync(join(tmpdir(), 'ims-reach-server-'));
  const desk = tempDir('ims-reach-desk-');
  let s: TestServer;
  let restarted: RunningServer | null = null;
  let core: Core;
  let manager: Awaited<ReturnType<typeof signIn>>;
  const seen: SyncStatus[] = [];

  beforeAll(async () => {
    s = await startTestServer({ dataDir: serverDir });
    await s.addUser('wm.manager', 'manager', 'WMID');
    core = await joinDesk(s, desk.dir, 'West Midlands 1', 'WMID', 'wm.manager');
    core.on((event) => {
      if (event.type === 'sync.status') seen.push(event.status);
    });
    manager = await signIn(core, 'wm.manager');
  }, 300_000);
  afterAll(async () => {
    core?.close();
    await restarted?.close();
    desk.cleanup();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('says Offline as soon as a request for national figures finds the server gone, and Online when it answers again', async () => {
    expect((await manager.call('sync.status', {})).connection).toBe('online');
    const national = await manager.call('mi.national', { level: 'unit', unit: 'WMID', by: 'unit', ...wholeYear });
    expect(national.available).toBe(true);

    const port = Number(new URL(s.url).port);
    await s.stop();
    const before = seen.length;
    const fallback = await manager.call('mi.national', { level: 'unit', unit: 'WMID', by: 'unit', ...wholeYear });
    expect(fallback.available).toBe(false);
    const offline = await manager.call('sync.status', {});
    expect(offline.connection).toBe('offline');
    expect(offline.problem).toMatchObject({ kind: 'offline' });
    expect(offline.problem?.message).toMatch(/kept on this desk/);
    // The window was told, without waiting for a poll.
    expect(seen.slice(before).some((st) => st.connection === 'offline')).toBe(true);

    restarted = await startServer({ dataDir: serverDir, port, pollSeconds: 30 });
    const back = await manager.call('mi.national', { level: 'unit', unit: 'WMID', by: 'unit', ...wholeYear });
    expect(back.available).toBe(true);
    const online = await manager.call('sync.status', {});
    expect(online.connection).toBe('online');
    expect(online.problem).toBeNull();
  }, 120_000);
});
