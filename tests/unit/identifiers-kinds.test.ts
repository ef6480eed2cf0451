// Reading a text for some kinds of identifier only (search's highlighting reads a place for the kinds its query
// holds) finds exactly what a full reading finds of those kinds: the kinds give way to one another (a repaired
// postcode to a phone's digits, a registration or flight to a postcode, a flight to a registration), so a partial
// reading must still read what its kinds give way to.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_1K } from '../helpers.ts';
import { findIdentifiers, type FoundIdentifier, type FoundKind } from '../../shared/text/identifiers.ts';

const KINDS: FoundKind[] = ['phone', 'postcode', 'vrm', 'flight', 'email'];
const ofKinds = (found: FoundIdentifier[], only: ReadonlySet<FoundKind>) => found.filter((f) => only.has(f.kind));

/** Pieces that take each path and collide: digits that are also a postcode's, a registration beside a flight. */
const PIECES = [
  '07700 900123', '07950 514886', '08831 530111', '+44 20 7946 0958', '0044 7813 382035', 'on07700900123or', '0121 496\n0436', '447813382035',
  'tw5 6rh', 'PE1 3RR', '$65 2LU', 'SWlA 2AA', 'M8 SEP', 'B21 9LP', 'LS12', 'SE 12',
  'BW16 VTO', 'BW16VTO', 'AB12 CDE', 'U2 8741', 'EZY8741', 'BAW 249', 'flight BA 249', 'Al 114', 'onUL241', 'VN 99', 'TK2584',
  'afia.mensah@example.org', 'clarkeg [at] icloud.com', 'calledAfia', 'Mensah', 'on', 'flies', 'to', 'Colombo', 'Road', '57',
];
const SEPARATORS = [' ', ', ', '\n', '', '; ', '. '];

const text = fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 10 }).map((parts) => parts.map(([p, s]) => p + s).join(''));
const kinds = fc.subarray(KINDS, { minLength: 1 }).map((k) => new Set(k));

describe('reading a text for some kinds of identifier only', () => {
  it('finds exactly what a full reading finds of those kinds, on texts built to make the kinds collide', () => {
    fc.assert(
      fc.property(text, kinds, (t, only) => {
        expect(ofKinds(findIdentifiers(t, only), only)).toEqual(ofKinds(findIdentifiers(t), only));
      }),
      { numRuns: Number(process.env.IMS_PROPERTY_RUNS ?? 500) },
    );
  });

  it('finds the same on every text field of the 1k corpus, for each kind alone', () => {
    const texts = readFileSync(CORPUS_1K, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => JSON.stringify(JSON.parse(line)).split(/"[A-Za-z]+":|[{}[\],]/))
      .filter((v) => v.length > 5);
    expect(texts.length).toBeGreaterThan(10_000);
    const full = texts.map((t) => findIdentifiers(t));
    for (const kind of KINDS) {
      const only = new Set([kind]);
      const differing = texts.filter((t, i) => JSON.stringify(findIdentifiers(t, only).filter((f) => f.kind === kind)) !== JSON.stringify(ofKinds(full[i] ?? [], only)));
      expect(differing).toEqual([]);
    }
  }, 120_000);
});
