// Offence hints: the words of a letter that say what kind of offence is alleged ("paid cash in hand, no right
// to work" -> illegal working; "came in the back of a lorry" -> illegal entry), for the analyst to tick the
// offence type with the words in view. A hint, never a decision: the person ticks the box.
import type { OffenceType } from '../domain/vocabularies.ts';

export interface OffenceHint {
  offence: OffenceType;
  /** The words that suggest it, as written, and where. */
  text: string;
  start: number;
  end: number;
}

// Each offence with the phrases that point to it, most specific first. Written loosely on purpose: OCR and
// reporters both vary the words ("no papers", "no visa", "no right to work").
const RULES: Array<[OffenceType, RegExp]> = [
  ['sham_marriage', /\b(?:sham marriage|marriage of convenience|fake marriage|paid (?:him|her|them|someone)? ?to marry|(?:getting|get) married (?:for|to get) (?:papers|a visa|status)|marrying (?:him|her) for (?:papers|a visa))\b/gi],
  ['modern_slavery', /\b(?:(?:passports?|documents?) (?:were |are )?(?:taken|kept) (?:off|from|by)|not (?:being )?paid at all|forced to work|sleep(?:s|ing)? (?:in the back|on mattresses|at the premises)|locked in|debt (?:to|bondage)|trafficked)\b/gi],
  ['facilitation', /\b(?:smuggl\w* (?:people|migrants|them|him|her) (?:in|into|over)|brings? people (?:over|in)|people smuggl\w*|paid an agent|agent (?:brought|got) (?:him|her|them)|in the back of (?:his|her|their) (?:van|lorry))\b/gi],
  ['illegal_entry', /\b(?:(?:came|come|arrived|got) (?:here |to the uk |into the country |in )?(?:in|on|by) (?:the back of a )?(?:lorry|small boat|boat|dinghy)|back of a lorry|entered illegally|illegal(?:ly)? entr\w+|no passport at all|clandestine\w*)\b/gi],
  ['absconder_location', /\b(?:abscond\w*|ran away (?:from|before)|stopped reporting|does not report|doesn'?t report|was supposed to be deported|hiding from (?:the )?home office|on the run)\b/gi],
  ['document_fraud', /\b(?:fake|false|forged|counterfeit|stolen|bought) (?:passport|id|identity|documents?|papers|national insurance|ni number|visa|driving licen[cs]e|birth certificate)s?\b|\b(?:uses|using) (?:someone else'?s|another person'?s|a different) (?:name|identity|passport|documents?)\b/gi],
  ['visa_abuse', /\b(?:student visa|study visa)\b[^.]{0,60}\b(?:never|doesn'?t|does not|not) (?:go(?:es)?|attend\w*) (?:to )?(?:class|classes|college|university|lessons)\b|\b(?:works? (?:full[- ]time|more than 20 hours) on (?:a )?student visa)\b/gi],
  ['overstayer', /\b(?:overstay\w*|visa (?:has )?(?:expired|ran out|run out)|out of date visa|no longer has (?:a )?visa|stayed (?:on )?after (?:his|her|their) visa)\b/gi],
  ['benefit_fraud', /\b(?:claim\w* benefits?|on benefits|universal credit|housing benefit|child benefit|claiming (?:for|dole))\b/gi],
  ['tobacco_alcohol_smuggling', /\b(?:(?:smuggl\w*|illicit|fake|counterfeit|cheap|duty[- ]free|boxes of) (?:cigarettes|tobacco|vodka|alcohol|spirits|rolling tobacco)|(?:cigarettes|tobacco) (?:under the counter|from abroad)|hand[- ]rolling tobacco)\b/gi],
  ['outbound_drug_smuggling', /\b(?:cocaine|heroin|cannabis|drugs|mdma|ketamine)\b[^.]{0,80}\b(?:luggage|suitcase|flight|flying|airport|abroad|out of the country)\b|\b(?:drug mule|carrying drugs)\b/gi],
  ['firearms_importation', /\b(?:guns?|firearms?|pistols?|rifles?|ammunition)\b[^.]{0,60}\b(?:bring\w*|import\w*|smuggl\w*|from abroad|shipment)\b/gi],
  ['illegal_working', /\b(?:no (?:papers|visa|right to work|work permit)|working illegally|illegal(?:ly)? work\w*|cash in hand|paid (?:in )?cash|paid (?:him|her|them) cash|works? (?:there )?without (?:papers|a visa|permission)|(?:not|isn'?t) allowed to work)\b/gi],
];

/** Offence types the text points to, each once, at the first words that suggest it. */
export function findOffenceHints(text: string): OffenceHint[] {
  const out: OffenceHint[] = [];
  for (const [offence, re] of RULES) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) out.push({ offence, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}
