import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendoredAirlines, vendoredWords } from '../../build/vendor-text-data.ts';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'text', 'data');

describe('vendored text data', () => {
  it('the airlines are what the installed OpenFlights package gives (run build/vendor-text-data.ts after upgrading it)', () => {
    expect(JSON.parse(readFileSync(join(DATA, 'airlines.json'), 'utf8'))).toEqual(vendoredAirlines());
  });

  it('the common words are what the installed word-frequency package gives', () => {
    expect(JSON.parse(readFileSync(join(DATA, 'common-words.json'), 'utf8'))).toEqual(vendoredWords());
  });

  it('holds the airlines and words the rules depend on', () => {
    const airlines = vendoredAirlines().airlines;
    expect(airlines).toContainEqual(['U2', 'EZY', 'easyJet', 0]);
    expect(airlines).toContainEqual(['BA', 'BAW', 'British Airways', 0]);
    expect(vendoredWords().words.split(' ').slice(0, 20)).toContain('the');
  });
});
