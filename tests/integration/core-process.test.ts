import { afterAll, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('the core in its own process (as Electron runs it)', () => {
  it('answers API calls over the message channel and reports malformed messages by ignoring them', async () => {
    const child = fork(join(ROOT, 'electron', 'host', 'core-process.ts'), ['--profile', join(tmp.dir, 'p')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const messages: unknown[] = [];
    const next = (pred: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const check = (m: unknown) => {
          if (pred(m as Record<string, unknown>)) {
            child.off('message', check);
            resolve(m as Record<string, unknown>);
          }
        };
        for (const m of messages) check(m);
        child.on('message', check);
      });
    child.on('message', (m) => messages.push(m));
    await next((m) => m.ready === true);
    child.send({ garbage: true });
    child.send({ id: 1, name: 'auth.status', input: {}, session: null });
    expect(await next((m) => m.id === 1)).toEqual({ id: 1, result: { ok: true, value: { needsSetup: true, deskName: 'IMS Desk', server: null } } });
    child.send({ id: 2, name: 'queue.list', input: {}, session: null });
    expect(await next((m) => m.id === 2)).toMatchObject({ result: { ok: false, error: { code: 'unauthenticated' } } });
    child.kill('SIGTERM');
  });
});
