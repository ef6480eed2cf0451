// Postcodes as OCR misreads them: "$65 2LU" (S read as $), "SW1A 2AO" / "SWlA 2AA" (1 read as l), "N13 1L8",
// "5E1 7PB". A misread is repaired character by character, by what each position of a UK postcode may hold
// (letters in the area, a digit after it, digit-letter-letter inward), and kept only where the repair is a
// valid postcode in a real postcode area, so a word that merely looks like one is left alone.
import { parse as parsePostcode } from 'postcode';
import routing from '../domain/default-routing.json' with { type: 'json' };

/** What OCR writes for a letter where a letter belongs. */
const AS_LETTER: Record<string, string> = { $: 'S', '5': 'S', '0': 'O', '1': 'I', l: 'I', '|': 'I', '8': 'B', '2': 'Z', '6': 'G' };
/** ... and for a digit where a digit belongs. */
const AS_DIGIT: Record<string, string> = { $: '5', S: '5', s: '5', O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', '|': '1', i: '1', B: '8', Z: '2', z: '2', G: '6' };

const AREAS = new Set(Object.keys(routing.areas));

/** Whether letters are a UK postcode area ("SW", "B", "LS"; not "VN"). */
export function isPostcodeArea(letters: string): boolean {
  return AREAS.has(letters.toUpperCase());
}

// A token shaped like a postcode, letters in capitals, allowing the lookalikes above.
// (After a space, a line start or punctuation: a lookbehind cost twice as much on every character of long text.)
const CANDIDATE = /(?:^|[\s,(;:])([A-Z0-9$|l]{2,4}[ \t]?[0-9OoDQIl|iSsZzBG$][A-Z0-9$|l]{2})(?![\w$|])/gm;
/** Already a postcode's shape: nothing to repair. */
const WELL_FORMED = /^[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}$/;
/** Outward shapes (L letter, N digit, ? either): A9, A99, AA9, AA99, A9A, AA9A. */
const OUTWARD_SHAPES = ['LN', 'LNN', 'LLN', 'LLNN', 'LNL', 'LLNL'];

function asClass(c: string, cls: 'L' | 'N'): string | null {
  if (cls === 'L') return /[A-Z]/.test(c) ? c : (AS_LETTER[c] ?? null);
  return /\d/.test(c) ? c : (AS_DIGIT[c] ?? null);
}

function coerce(text: string, shape: string): string | null {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = asClass(text[i] as string, shape[i] as 'L' | 'N');
    if (c === null) return null;
    out += c;
  }
  return out;
}

export interface RepairedPostcode {
  /** As written ("$65 2LU"). */
  text: string;
  index: number;
  /** The postcode it is ("S65 2LU"). */
  value: string;
}

/** Repairs one written postcode ("$65 2LU" -> "S65 2LU"), or null when no repair makes a real one. */
export function repairPostcode(written: string): string | null {
  const compact = written.replace(/[ \t]/g, '');
  if (compact.length < 5 || compact.length > 7) return null;
  const outward = compact.slice(0, -3);
  const inward = coerce(compact.slice(-3), 'NLL');
  if (!inward) return null;
  // Every reading, with how many characters it changes; the fewest changes wins.
  const readings = new Map<string, number>();
  for (const shape of OUTWARD_SHAPES) {
    if (shape.length !== outward.length) continue;
    const out = coerce(outward, shape);
    if (!out) continue;
    const area = out.match(/^[A-Z]+/)?.[0] ?? '';
    if (!AREAS.has(area)) continue;
    const pc = parsePostcode(`${out} ${inward}`);
    if (!pc.valid || !pc.postcode) continue;
    const changes = [...(out + inward)].filter((c, i) => c !== compact[i]).length;
    readings.set(pc.postcode, Math.min(changes, readings.get(pc.postcode) ?? Infinity));
  }
  const ranked = [...readings].sort((a, b) => a[1] - b[1]);
  // Two readings as likely as each other leave the postcode unknown: better none than a wrong one.
  if (!ranked.length || (ranked.length > 1 && ranked[0]?.[1] === ranked[1]?.[1])) return null;
  return (ranked[0] as [string, number])[0];
}

/** Postcodes in text that are valid only once OCR misreads are repaired (valid ones as written are not listed). */
export function findRepairedPostcodes(text: string): RepairedPostcode[] {
  const out: RepairedPostcode[] = [];
  if (!/[$|l5SO0I18BZG]/.test(text)) return out;
  for (const m of text.matchAll(CANDIDATE)) {
    const written = m[1] as string;
    // A postcode has digits: a run of letters that repairs into one ("SOLO SAD") is a word.
    if (!/\d/.test(written) || WELL_FORMED.test(written)) continue;
    const value = repairPostcode(written);
    if (value) out.push({ text: written, index: (m.index ?? 0) + m[0].length - written.length, value });
  }
  return out;
}
