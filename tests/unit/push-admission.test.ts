// The server's admission gate for pushes (server/sync/admission.ts): at most K pushes in their database transaction
// at once, the rest let in as places free up, in the order they came; K from the option, else the environment.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUSH_CONCURRENCY, pushConcurrency, pushGate } from '../../server/sync/admission.ts';

describe('push admission', () => {
  it('lets at most K transactions run at once and the waiting ones in, in arrival order', async () => {
    const gate = pushGate(2);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const all = [0, 1, 2, 3, 4].map((n) =>
      gate(async () => {
        started.push(n);
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => releases.push(resolve));
        active--;
        return n * 10;
      }),
    );
    const settle = () => new Promise((r) => setTimeout(r, 5));
    await settle();
    expect(started).toEqual([0, 1]);
    releases[1]?.();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    releases[0]?.();
    releases[2]?.();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    releases[3]?.();
    releases[4]?.();
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('frees the place of a transaction that failed', async () => {
    const gate = pushGate(1);
    await expect(gate(() => Promise.reject(new Error('deadlock')))).rejects.toThrow('deadlock');
    expect(await gate(() => Promise.resolve('next'))).toBe('next');
  });

  it('takes K from the option, then IMS_SERVER_PUSH_CONCURRENCY, then the default', () => {
    expect(pushConcurrency(5, { IMS_SERVER_PUSH_CONCURRENCY: '2' })).toBe(5);
    expect(pushConcurrency(undefined, { IMS_SERVER_PUSH_CONCURRENCY: '2' })).toBe(2);
    expect(pushConcurrency(undefined, {})).toBe(DEFAULT_PUSH_CONCURRENCY);
    expect(pushConcurrency(undefined, { IMS_SERVER_PUSH_CONCURRENCY: '' })).toBe(DEFAULT_PUSH_CONCURRENCY);
  });

  it('refuses a K that is not a whole number from 1 to 64, saying what it wants', () => {
    for (const bad of ['0', '-1', '2.5', 'three', '65']) {
      expect(() => pushConcurrency(undefined, { IMS_SERVER_PUSH_CONCURRENCY: bad })).toThrow(/IMS_SERVER_PUSH_CONCURRENCY must be a whole number from 1 to 64/);
    }
    expect(() => pushConcurrency(0)).toThrow(/not 0/);
  });
});
