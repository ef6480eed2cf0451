// Businesses a letter names: where the subject works ("works at Prime Packaging Ltd", "employed by Sunny's Hand
// Car Wash") and names that carry a trading word ("Star Kebab House", "Nail Bar 21"). Only names written with
// capitals: "the car wash on the corner" is no business name.

export interface BusinessInText {
  /** The name as written. */
  text: string;
  start: number;
  end: number;
  /** What kind of business the name says it is ("car wash", "restaurant"), or "" when it does not say. */
  type: string;
  cue: string;
}

// Words a trading name ends with, and the kind of business each says.
const TRADE_WORDS: Array<[string, string]> = [
  ['Hand Car Wash', 'car wash'], ['Car Wash', 'car wash'], ['Valeting', 'car wash'], ['Nail Bar', 'nail bar'], ['Nails', 'nail bar'], ['Beauty', 'salon'],
  ['Salon', 'salon'], ['Barbers', 'barber'], ['Barber', 'barber'], ['Restaurant', 'restaurant'], ['Takeaway', 'takeaway'], ['Kebab House', 'takeaway'],
  ['Kebabs', 'takeaway'], ['Kebab', 'takeaway'], ['Pizza', 'takeaway'], ['Chicken', 'takeaway'], ['Cafe', 'cafe'], ['Café', 'cafe'], ['Grill', 'restaurant'],
  ['Supermarket', 'shop'], ['Mini Market', 'shop'], ['Minimarket', 'shop'], ['Stores', 'shop'], ['Store', 'shop'], ['Off Licence', 'shop'], ['Convenience', 'shop'],
  ['Factory', 'factory'], ['Warehouse', 'warehouse'], ['Packaging', 'factory'], ['Logistics', 'warehouse'], ['Distribution', 'warehouse'], ['Foods', 'factory'],
  ['Construction', 'construction'], ['Builders', 'construction'], ['Cleaning', 'cleaning'], ['Care Home', 'care home'], ['Recruitment', 'agency'],
  ['Ltd', ''], ['Limited', ''], ['LLP', ''], ['PLC', ''], ['& Sons', ''], ['and Sons', ''], ['Bros', ''],
];
const TRADE = TRADE_WORDS.map(([w]) => w.replace(/[.*+?^${}()|[\]\\&]/g, (c) => (c === '&' ? '&' : `\\${c}`))).join('|');
// One to five capitalised words (allowing "Sunny's", "&", numbers) ending with a trading word.
const NAMED = new RegExp(`\\b((?:[A-Z][\\w'’&-]*|\\d+|&)(?:[ \\t]+(?:[A-Z][\\w'’&-]*|\\d+|&|of|the|and)){0,4}[ \\t]+(?:${TRADE}))\\b\\.?`, 'g');
// "works at X", "employed by X", "owns X": X capitalised.
const WORKS_AT = /\b(?:works?|working|worked|employed|job|shifts?)\s+(?:at|for|by|in)\s+(?:the\s+)?((?:[A-Z][\w'’&-]*)(?:[ \t]+(?:[A-Z][\w'’&-]*|&|of|and|\d+)){0,4})/g;
/** Capitalised words that are places or people rather than a business after "works at". */
const NOT_BUSINESS = /^(?:Home Office|Immigration|Police|Council|NHS|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|Heathrow|Gatwick|Stansted|Luton|Manchester Airport|London|Birmingham|Leeds|Manchester|Glasgow|He|She|They|The|His|Her|I)$/;

function typeOf(name: string): string {
  for (const [w, type] of TRADE_WORDS) if (name.toLowerCase().endsWith(w.toLowerCase())) return type;
  return '';
}

/** Businesses named in the text, each once, in order. */
export function findBusinesses(text: string): BusinessInText[] {
  const out: BusinessInText[] = [];
  const add = (name: string, start: number, cue: string) => {
    const clean = name.trim().replace(/[.,]$/, '');
    if (clean.split(/\s+/).length < 2 && !/\b(?:Ltd|Limited|LLP|PLC)$/.test(clean)) return;
    if (out.some((b) => start < b.end && start + clean.length > b.start)) return;
    out.push({ text: clean, start, end: start + clean.length, type: typeOf(clean), cue });
  };
  for (const m of text.matchAll(NAMED)) {
    let name = m[1] ?? '';
    let start = m.index ?? 0;
    // A sentence start ("He works at Star Kebab House") is not part of the name.
    const lead = /^(?:(?:He|She|They|It|I|We|The|His|Her|Their|My|A|An|At|In|For|From|To|And|But|Also|Then)[ \t]+)+/.exec(name);
    if (lead) {
      name = name.slice(lead[0].length);
      start += lead[0].length;
    }
    if (name.trim()) add(name, start, 'trading name');
  }
  for (const m of text.matchAll(WORKS_AT)) {
    const name = (m[1] ?? '').replace(/[ \t]+(?:and|of|&)$/, '');
    if (NOT_BUSINESS.test(name) || NOT_BUSINESS.test(name.split(/\s+/)[0] ?? '')) continue;
    add(name, (m.index ?? 0) + m[0].length - (m[1] ?? '').length, 'works at');
  }
  return out.sort((a, b) => a.start - b.start);
}
