// Phone numbers inside running text ("FAX FROM: 07722 918954    20th January", "call +44 (0)7700 900123").
// Digit groups are matched with single separators only, then the longest prefix of groups that is a valid
// number wins, so a date or time written after the number is not swallowed into it.
import { normalisePhone } from './normalise.ts';

export interface PhoneInText {
  text: string;
  index: number;
  national: string;
  e164: string | null;
}

// Groups may be split by a line break, as a letter wraps a number ("on 07700\n900889").
const CANDIDATE = /(?:\+\d{1,3}\s?(?:\(0\)\s?)?|\b00\d{1,3}\s?|\(?\b0)\d{1,5}\)?(?:(?:[ .-]|[ \t]*\n[ \t]*)?\d{1,5}){0,5}/g;

/** A number of the right length to be a phone number, even if no operator has that range (people mistype). */
function plausible(national: string): boolean {
  return national.startsWith('0') ? national.length === 10 || national.length === 11 : national.length >= 8 && national.length <= 15;
}

export function findPhonesInText(text: string): PhoneInText[] {
  const out: PhoneInText[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const whole = m[0];
    // Ends of digit groups, longest first.
    const ends: number[] = [];
    for (let i = 0; i < whole.length; i++) if (/\d/.test(whole[i] as string) && !/\d/.test(whole[i + 1] ?? '')) ends.push(i + 1);
    ends.reverse();
    let fallback: PhoneInText | null = null;
    let found: PhoneInText | null = null;
    for (const end of ends) {
      const candidate = whole.slice(0, end);
      if (candidate.replace(/\D/g, '').length < 9) break;
      const p = normalisePhone(candidate);
      const hit = { text: candidate, index: m.index ?? 0, national: p.national, e164: p.e164 };
      if (p.valid) {
        found = hit;
        break;
      }
      if (!fallback && plausible(p.national)) fallback = hit;
    }
    const chosen = found ?? fallback;
    // "(07700 900999)": the bracket opens the aside, not the area code.
    if (chosen?.text.startsWith('(') && !chosen.text.includes(')')) {
      chosen.text = chosen.text.slice(1);
      chosen.index += 1;
    }
    if (chosen) out.push(chosen);
  }
  return out;
}
