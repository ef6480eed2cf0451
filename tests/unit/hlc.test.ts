import { describe, expect, it } from 'vitest';
import { HybridClock, formatHlc, parseHlc } from '../../shared/sync/hlc.ts';

describe('hybrid logical clock', () => {
  it('follows wall time and orders as text', () => {
    let now = 1_700_000_000_000;
    const c = new HybridClock('deskA', () => now);
    const a = c.tick();
    now += 5;
    const b = c.tick();
    expect(a < b).toBe(true);
    expect(parseHlc(b).wall).toBe(now);
  });

  it('never goes backwards when the wall clock does', () => {
    let now = 1_700_000_000_000;
    const c = new HybridClock('deskA', () => now);
    const a = c.tick();
    now -= 60_000;
    const b = c.tick();
    const d = c.tick();
    expect(a < b && b < d).toBe(true);
    expect(parseHlc(d).wall).toBe(1_700_000_000_000);
  });

  it('moves past a remote timestamp on receive', () => {
    const now = 1_700_000_000_000;
    const c = new HybridClock('deskA', () => now);
    const remote = formatHlc({ wall: now + 1000, counter: 7, node: 'deskB' });
    const r = c.receive(remote);
    expect(r > remote).toBe(true);
    expect(c.tick() > r).toBe(true);
  });

  it('refuses a remote clock far in the future', () => {
    const c = new HybridClock('deskA', () => 1_700_000_000_000);
    expect(() => c.receive(formatHlc({ wall: 1_700_000_000_000 + 3_600_000, counter: 0, node: 'deskB' }))).toThrow(/ahead/);
  });

  it('resumes after a restart from the last timestamp it issued', () => {
    const c1 = new HybridClock('deskA', () => 1_000);
    c1.tick();
    const last = c1.tick();
    const c2 = new HybridClock('deskA', () => 500, last);
    expect(c2.tick() > last).toBe(true);
  });

  it('rejects malformed timestamps', () => {
    expect(() => parseHlc('yesterday')).toThrow(/Not a hybrid logical clock/);
  });
});
