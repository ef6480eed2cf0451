// `ims linkage` judged on the public benchmarks through ../shared/data/linkage/eval.mjs, at the panel's own
// fixed threshold (a constant of the product, never chosen per data set).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fake1000Quality, febrlQuality } from '../../bench/_linkage-quality.ts';
import { link, readFebrl } from '../../electron/matching/linkage.ts';
import { tempDir } from '../helpers.ts';

describe('linkage on FEBRL-layout files', () => {
  it('reads values written ", value" and empty fields, and never pairs a record with itself', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'people.csv');
      writeFileSync(
        file,
        [
          'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id',
          'rec-1-org, mitchell, green, 7, wallaby place, delmar, cleveland, 2119, sa, 19560409, 1804974',
          'rec-1-dup-0, green, mitchell, 7, wallaby place, , cleveland, 2119, sa, 19560904, 1804974',
          'rec-2-org, harley, mccarthy, 177, pridham street, milton, marsden, 3165, nsw, 19080419, 6089216',
        ].join('\n'),
      );
      const records = readFebrl(file, 0);
      expect(records[1]?.prepared.address?.street).toBe('wallabyplace');
      const { pairs } = link(records);
      expect(pairs).toHaveLength(1);
      expect([pairs[0]?.a, pairs[0]?.b].sort()).toEqual(['rec-1-dup-0', 'rec-1-org']);
      expect(pairs[0]?.score).toBeGreaterThan(0.99);
    } finally {
      tmp.cleanup();
    }
  });

  it('FEBRL3 without soc_sec_id: F1 ≥ 0.99 at the fixed threshold, shown suggestions ≥ 99% right, ≤ 2% false alarms', () => {
    const q = febrlQuality(3);
    expect(q.f1).toBeGreaterThanOrEqual(0.99);
    expect(q.shownPrecision).toBeGreaterThanOrEqual(0.99);
    expect(q.falseAlarmRate).toBeLessThanOrEqual(0.02);
  });

  it('fake_1000 (UK-style, its email in the id column): best F1 ≥ 0.90 and the true partner in the top 5 for ≥ 97%', () => {
    const q = fake1000Quality(true);
    expect(q.bestF1).toBeGreaterThanOrEqual(0.9);
    expect(q.hitAt5).toBeGreaterThanOrEqual(0.97);
  });
});
