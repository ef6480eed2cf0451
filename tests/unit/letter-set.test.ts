// The replay set of letters and faxes (tests/fixtures/letters): its committed truth is what the generator
// composes, and the set holds what issue 17 asks of it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRUTH_DIR, letterTruths } from '../fixtures/letters/generate.ts';

const truths = letterTruths();

describe('the letter replay set', () => {
  it('has its truth committed as the generator composes it (run node tests/fixtures/letters/generate.ts after a change)', () => {
    const committed = readdirSync(TRUTH_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(truths.map((t) => `${t.file.replace(/\.\w+$/, '')}.json`).sort());
    for (const t of truths) expect(JSON.parse(readFileSync(join(TRUTH_DIR, `${t.file.replace(/\.\w+$/, '')}.json`), 'utf8'))).toEqual(t);
  });

  it('holds at least 20 letters and faxes, with and without a deadline', () => {
    expect(truths.length).toBeGreaterThanOrEqual(20);
    expect(truths.filter((t) => t.deadline).length).toBeGreaterThanOrEqual(10);
    expect(truths.filter((t) => !t.deadline).length).toBeGreaterThanOrEqual(8);
  });

  it('comes as Group 3 and 4 faxes at standard and fine resolution, scanned PDFs, skewed and noisy pages', () => {
    const kinds = new Set(truths.map((t) => (t.format.kind === 'fax' ? `fax-${t.format.compression}-${t.format.mode}` : 'pdf')));
    expect([...kinds].sort()).toEqual(['fax-g3-fine', 'fax-g3-standard', 'fax-g4-fine', 'fax-g4-standard', 'pdf']);
    expect(truths.some((t) => 'skewDeg' in t.format && t.format.skewDeg)).toBe(true);
    expect(truths.some((t) => 'noise' in t.format && t.format.noise)).toBe(true);
    expect(truths.some((t) => t.format.kind === 'pdf' && t.format.dpi <= 100)).toBe(true);
  });

  it('has two-page faxes whose page 2 alone holds the deadline and the flight and ends with the signature block', () => {
    const cases = truths.filter((t) => t.format.kind === 'fax' && t.pages.length === 2 && t.deadline?.page === 2 && t.flights.some((f) => f.page === 2));
    expect(cases.length).toBeGreaterThanOrEqual(2);
    for (const t of cases) {
      const page2 = t.pages[1] as string;
      // The block closes the page: name, street, town and postcode, then the phone.
      expect(page2).toContain(`\n${t.writer?.name}\n${t.writer?.street}\n`);
      expect(page2.trimEnd().split('\n').at(-1)).toMatch(/^Tel: /);
      expect(t.pages[0]).not.toContain(t.writer?.name ?? '?');
    }
  });

  it('gives every letter truth for deadlines, flights, phones, vehicles, names and the writer', () => {
    for (const t of truths) {
      expect(t.names[0]?.role).toBe('subject');
      expect(Array.isArray(t.flights) && Array.isArray(t.phones) && Array.isArray(t.vrms)).toBe(true);
      if (t.deadline) expect(t.pages[t.deadline.page - 1]).toBeDefined();
    }
    expect(truths.filter((t) => t.writer === null).length).toBeGreaterThanOrEqual(1);
  });
});
