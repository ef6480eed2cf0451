// Comparing addresses as written: the postcode normalised (UK postcodes parsed, so "ig49af" is "IG4 9AF";
// other postcodes compared as letters and digits), the house number, the street with its type words
// expanded ("Rd" = "Road"), the town. A person moves, so disagreement counts against a match only mildly
// when the caller says so (allegations), and more in a single snapshot (a person register).
import { parseUkPostcode, foldName } from '../text/normalise.ts';
import type { Evidence } from './evidence.ts';
import type { Frequencies } from './frequency.ts';
import { jaroWinkler, osaDistance } from './strings.ts';
import { ADDRESS } from './weights.ts';

export interface AddressInput {
  /** House number when held separately (FEBRL); otherwise found in the lines. */
  number?: string | null;
  line1?: string | null;
  line2?: string | null;
  town?: string | null;
  postcode?: string | null;
  /** State or county. */
  region?: string | null;
}

export interface PreparedAddress {
  postcode: string | null;
  /** UK district ("SW1") or outward code; null elsewhere. */
  district: string | null;
  uk: boolean;
  number: string | null;
  /** Street words (type words expanded, numbers and flat words removed), joined without spaces. */
  street: string;
  streetWords: string[];
  town: string;
  region: string;
  text: string;
}

const STREET_WORDS: Record<string, string> = {
  rd: 'road', st: 'street', str: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', cl: 'close', cres: 'crescent', cresc: 'crescent',
  dr: 'drive', gdns: 'gardens', gdn: 'gardens', pl: 'place', sq: 'square', ct: 'court', crt: 'court', gr: 'grove', gro: 'grove',
  pk: 'park', terr: 'terrace', ter: 'terrace', tce: 'terrace', hse: 'house', hts: 'heights', mt: 'mount', blvd: 'boulevard',
  pde: 'parade', wy: 'way', est: 'estate', bldgs: 'buildings', ho: 'house', rise: 'rise', vlge: 'village', vil: 'village',
};
const DROP_WORDS = new Set(['flat', 'apartment', 'apt', 'unit', 'room', 'rear', 'of', 'the', 'above', 'floor', 'ground', 'first', 'top', 'basement']);

export function prepareAddress(a: AddressInput): PreparedAddress {
  const uk = parseUkPostcode(a.postcode);
  const rawPc = (a.postcode ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const lines = foldName([a.line1, a.line2].filter(Boolean).join(' '));
  const tokens = lines ? lines.split(' ') : [];
  // House numbers compare by their digits: "203B", "B/203" and "203" are one building.
  let number = (a.number ?? '').trim().replace(/\s+/g, '').toLowerCase() || null;
  const words: string[] = [];
  for (const t of tokens) {
    if (/^\d+[a-z]?$/.test(t)) {
      // The last number before the street name is the house number ("Flat 3, 12 High St" -> 12).
      if (!a.number) number = t.replace(/[a-z]$/, '');
      continue;
    }
    if (DROP_WORDS.has(t) || /^\d/.test(t)) continue;
    if (t.length === 1 && !a.number) continue; // flat letters ("Flat B")
    words.push(STREET_WORDS[t] ?? t);
  }
  return {
    postcode: uk.postcode ?? uk.outward ?? (rawPc || null),
    district: uk.district,
    uk: !!(uk.postcode || uk.outward),
    number,
    street: words.join(''),
    streetWords: words,
    town: foldName(a.town),
    region: foldName(a.region),
    text: [a.number, a.line1, a.line2, a.town, a.postcode].filter((x) => x && String(x).trim()).join(', '),
  };
}

export interface AddressComparisonOptions {
  /** How much disagreement counts (1 = fully, as in a register; less where people move between reports). */
  disagreement: number;
  /**
   * Towns are coarse (UK allegations: "London", "Birmingham"): at most this many bits. Unset: a town counts
   * like any other field (FEBRL suburbs).
   */
  townCap?: number;
  /** Most bits a street name and number may give when neither postcode nor town agrees. Unset: no cap. */
  unlocatedStreetCap?: number;
}

/** The evidence from comparing one address with another. */
export function compareAddress(a: PreparedAddress, b: PreparedAddress, freq: Frequencies, opts: AddressComparisonOptions): Evidence[] {
  const out: Evidence[] = [];
  const neg = opts.disagreement;
  let postcodeAgrees = false;
  if (a.postcode && b.postcode) {
    const fullA = a.uk ? a.postcode.includes(' ') : true;
    const fullB = b.uk ? b.postcode.includes(' ') : true;
    if (a.postcode === b.postcode && fullA) {
      out.push({ field: 'postcode', level: 'exact', weight: ADDRESS.postcodeExact(freq.share('postcode', a.postcode)), a: a.postcode, b: b.postcode });
      postcodeAgrees = true;
    } else if (a.uk && b.uk && a.district && a.district === b.district) {
      const typo = fullA && fullB && osaDistance(a.postcode, b.postcode, 1) <= 1;
      out.push({
        field: 'postcode',
        level: typo ? 'typo' : 'same_district',
        weight: typo ? Math.max(ADDRESS.postcodeTypo, ADDRESS.postcodeDistrict(freq.share('district', a.district))) : ADDRESS.postcodeDistrict(freq.share('district', a.district)),
        a: a.postcode,
        b: b.postcode,
      });
      postcodeAgrees = true;
    } else if (!a.uk && !b.uk && osaDistance(a.postcode, b.postcode, 1) <= 1) {
      out.push({ field: 'postcode', level: 'typo', weight: ADDRESS.postcodeTypo, a: a.postcode, b: b.postcode });
    } else if (fullA && fullB) {
      out.push({ field: 'postcode', level: 'different', weight: ADDRESS.postcodeDifferent * neg, a: a.postcode, b: b.postcode });
    }
  }
  // Different UK districts or towns are different places: the same street name and number there is coincidence.
  const elsewhere = (a.uk && b.uk && !!a.district && !!b.district && a.district !== b.district) || (!postcodeAgrees && !!a.town && !!b.town && a.town !== b.town && !(a.postcode && b.postcode));
  if (a.number && b.number && !(elsewhere && a.number === b.number)) {
    const same = a.number === b.number;
    out.push({ field: 'house_number', level: same ? 'exact' : 'different', weight: same ? ADDRESS.numberExact(freq.share('number', a.number)) : ADDRESS.numberDifferent * neg, a: a.number, b: b.number });
  }
  if (a.street && b.street && !(elsewhere && streetsSimilar(a, b))) {
    if (a.street === b.street) {
      out.push({ field: 'street', level: 'exact', weight: ADDRESS.streetExact(freq.share('street', a.street)), a: a.streetWords.join(' '), b: b.streetWords.join(' ') });
    } else if (streetsSimilar(a, b)) {
      out.push({ field: 'street', level: 'similar', weight: ADDRESS.streetSimilar, a: a.streetWords.join(' '), b: b.streetWords.join(' ') });
    } else {
      out.push({ field: 'street', level: 'different', weight: ADDRESS.streetDifferent * neg, a: a.streetWords.join(' '), b: b.streetWords.join(' ') });
    }
  }
  // With no postcode or town agreeing, a street name and number alone ("12 High Street") is a weak coincidence.
  const located = postcodeAgrees || (!!a.town && a.town === b.town);
  if (!located && opts.unlocatedStreetCap !== undefined) {
    const cap = opts.unlocatedStreetCap;
    const place = out.filter((e) => (e.field === 'street' || e.field === 'house_number') && e.weight > 0);
    const total = place.reduce((w, e) => w + e.weight, 0);
    if (total > cap) for (const e of place) e.weight *= cap / total;
  }
  // A UK town adds little to an agreeing postcode (they go together); elsewhere it is its own field.
  if (a.town && b.town && !(postcodeAgrees && a.uk)) {
    if (a.town === b.town) out.push({ field: 'town', level: 'exact', weight: Math.min(opts.townCap ?? Number.POSITIVE_INFINITY, ADDRESS.townExact(freq.share('town', a.town))), a: a.town, b: b.town });
    else if (jaroWinkler(a.town.replace(/ /g, ''), b.town.replace(/ /g, '')) >= 0.9) out.push({ field: 'town', level: 'similar', weight: ADDRESS.townSimilar, a: a.town, b: b.town });
    else out.push({ field: 'town', level: 'different', weight: ADDRESS.townDifferent * neg, a: a.town, b: b.town });
  }
  if (a.region && b.region) {
    const same = a.region === b.region;
    out.push({ field: 'region', level: same ? 'exact' : 'different', weight: same ? ADDRESS.regionExact(freq.share('region', a.region)) : ADDRESS.regionDifferent * neg, a: a.region, b: b.region });
  }
  return out;
}

function streetsSimilar(a: PreparedAddress, b: PreparedAddress): boolean {
  if (jaroWinkler(a.street, b.street) >= 0.9) return true;
  // Words in another order or one part missing ("Brentwood Village" / "Village Brentwood", "High St" / "High St West").
  const wa = a.streetWords.filter((w) => w.length > 2);
  const wb = new Set(b.streetWords.filter((w) => w.length > 2));
  if (!wa.length || !wb.size) return false;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return common / Math.min(wa.length, wb.size) >= 0.99 && common >= 1 && !(common === 1 && isTypeWord(wa.find((w) => wb.has(w)) ?? ''));
}

const TYPE_WORDS = new Set(Object.values(STREET_WORDS));
function isTypeWord(w: string): boolean {
  return TYPE_WORDS.has(w);
}
