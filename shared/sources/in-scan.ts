// Where a scanned letter or fax reveals who sent it: the signature block after "Yours faithfully", "my name
// is …", a fax header's "FROM: <number>", contact lines with the writer's phone, email or address, and the
// letterhead above the salutation. 37% of cases with source details showed them outside the restricted
// pane (000 §5.8): these regions are offered for the pane and blacked out in the sanitised copy.
import { findIdentifiers } from '../text/identifiers.ts';
import { findPhonesInText } from '../text/phones-in-text.ts';
import { boxesForSpan, type Box, type PlacedWord } from '../attachments/page-text.ts';
import type { PageTextInput } from '../attachments/suggest-fields.ts';
import { readWriterBlock, type WriterDetails } from './writer-block.ts';

export type SourceRegionKind = 'signature' | 'self-introduction' | 'fax-header' | 'contact' | 'letterhead';

export interface SourceRegion {
  kind: SourceRegionKind;
  /** 1-based page number and the span in that page's text. */
  page: number;
  start: number;
  end: number;
  text: string;
  /** On the page image, when the page's words are known. */
  boxes: Box[];
  /** What the region says about the writer, for moving into the restricted pane (see writer-block.ts). */
  details: WriterDetails;
  /**
   * How sure OCR was of the phone's digits (the least confident of the words that wrote it, 0-100), when the
   * page's words are known: where two places give the writer's number read two ways, the surer reading wins.
   */
  phoneConfidence?: number;
}

/** The least OCR confidence of the words that wrote `value`'s phone in `span` (at `start` of the page text). */
function phoneConfidenceOf(words: readonly PlacedWord[] | undefined, span: string, start: number, phone: string | undefined): number | undefined {
  if (!words?.length || !phone) return undefined;
  const found = findIdentifiers(span).find((i) => i.kind === 'phone' && i.value === phone);
  if (!found) return undefined;
  const from = start + found.index;
  const to = from + found.text.length;
  const over = words.filter((w) => w.start < to && w.end > from);
  return over.length ? Math.min(...over.map((w) => w.confidence)) : undefined;
}

// Sign-offs, matched on their letters with up to two OCR slips ("Yours faithfu1ly", "Yoursfaithfully",
// "-Yours faithfiilly"), so a misread line does not hide the name under it.
const SIGN_OFFS = ['yoursfaithfully', 'yourssincerely', 'yourstruly', 'kindregards', 'bestregards', 'regards', 'manythanks', 'thankyou', 'signed'];

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

function isSignOff(line: string): boolean {
  // "Yours filly", "Yours faithfuliy": a line of "Yours" and one word closes a letter however the word was read.
  if (/^[^A-Za-z]*yours[ \t]+[A-Za-z0-9|!]{3,14}[.,]?[ \t]*$/i.test(line)) return true;
  const key = line.toLowerCase().replace(/[1|!]/g, 'l').replace(/[^a-z]/g, '');
  if (key.length < 6 || key.length > 20) return false;
  return SIGN_OFFS.some((w) => editDistance(key, w) <= (w.length >= 12 ? 2 : w.length >= 9 ? 1 : 0));
}
/** A line of OCR debris ("1", "l", "~~", "|") between a sign-off and the name. */
const DEBRIS = /^[^A-Za-z0-9]*[A-Za-z0-9]?[^A-Za-z0-9]*$/;
/** Sign-offs that do not identify anyone. */
const ANONYMOUS = /^(?:anon(?:ymous)?|a[ \t]+concerned[ \t]+\w+|a[ \t]+(?:neighbour|friend|resident|member of the public)|concerned[ \t]+\w+|n\/?a)$/i;
const SELF_INTRO = /\b(?:[Mm]y name is|I am called)[ \t]+((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3})/g;
// "FAX FROM:", and as OCR misreads it ("EAX EROM:").
const FAX_FROM = /^[ \t]*(?:[FE]AX[ \t]+)?[FE]ROM[ \t]*:[ \t]*(.*)$/gim;
/** A street line ("9 Villa Road"), which starts a signature block whose name line OCR lost. */
const STREET_LINE = /^(?:(?:flat|apartment|unit)\s+\w+,?\s+)?\d+[A-Za-z]?\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+(?:road|street|lane|avenue|drive|close|way|crescent|place|grove|gardens|terrace|court|hill|park|row|walk|square|parade|rise|mews|green|broadway|vale|view)\b/i;
const CONTACT_CUE = /\b(?:my (?:phone|mobile|number|telephone|email|e-mail|address) is|(?:contact|call|ring|text|reach|email) me (?:on|at)|you can (?:contact|reach|call) me (?:on|at)|I live at|tel(?:ephone)?\s*:|mob(?:ile)?\s*:|e-?mail\s*:)/gi;
const SALUTATION = /^[ \t]*(?:dear\b|to whom it may concern|to the home office|home office|immigration enforcement|re\s*:)/im;

function details(text: string): SourceRegion['details'] {
  const d: SourceRegion['details'] = {};
  for (const id of findIdentifiers(text)) {
    if (id.kind === 'phone' && !d.phone) d.phone = id.value;
    if (id.kind === 'email' && !d.email) d.email = id.value;
    if (id.kind === 'postcode' && !d.postcode) d.postcode = id.value;
  }
  return d;
}

const looksLikeName = (line: string) => /^(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|PC|DC)\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’.-]+){0,4}$/.test(line.trim()) && !ANONYMOUS.test(line.trim());

/** The lines of text after position `from`, each with its span. */
function linesFrom(text: string, from: number): Array<{ start: number; end: number; line: string }> {
  const out: Array<{ start: number; end: number; line: string }> = [];
  let i = from;
  while (i <= text.length) {
    const nl = text.indexOf('\n', i);
    const end = nl < 0 ? text.length : nl;
    out.push({ start: i, end, line: text.slice(i, end) });
    if (nl < 0) break;
    i = nl + 1;
  }
  return out;
}

export function findSourceRegions(pages: readonly PageTextInput[]): SourceRegion[] {
  const out: SourceRegion[] = [];
  for (const p of pages) {
    const { text } = p;
    const add = (kind: SourceRegionKind, start: number, end: number, extra: SourceRegion['details'] = {}, block = false) => {
      while (end > start && /\s/.test(text[end - 1] as string)) end--;
      while (start < end && /\s/.test(text[start] as string)) start++;
      if (end <= start) return;
      const span = text.slice(start, end);
      // A signature block or letterhead is read line by line for the whole address; other places for identifiers.
      const said = block ? readWriterBlock(span, extra.name) : details(span);
      const region: SourceRegion = { kind, page: p.page, start, end, text: span, boxes: p.words ? boxesForSpan(p.words, start, end) : [], details: { ...said, ...extra } };
      const phoneConfidence = phoneConfidenceOf(p.words, span, start, region.details.phone);
      if (phoneConfidence !== undefined) region.phoneConfidence = phoneConfidence;
      out.push(region);
    };

    // The signature block: up to nine lines after the sign-off (name, title, organisation, address, phone,
    // email), until a blank line follows text.
    for (const signOff of linesFrom(text, 0).filter((l) => isSignOff(l.line))) {
      const after = linesFrom(text, signOff.end + 1).slice(0, 10);
      let start = -1;
      let end = -1;
      let name: string | undefined;
      for (const l of after) {
        // Leading debris ("-Miss Shanice Gordon") is not part of the name.
        const t = l.line.trim().replace(/^[^A-Za-z0-9(+]+/, '');
        if (!t || (start < 0 && DEBRIS.test(t))) {
          if (start >= 0) break;
          continue;
        }
        if (start < 0 && ANONYMOUS.test(t)) break;
        if (start < 0 && !looksLikeName(t) && !STREET_LINE.test(t) && !findIdentifiers(t).length) break;
        if (start < 0) {
          start = l.start + l.line.indexOf(t);
          if (looksLikeName(t)) name = t;
        }
        end = l.end;
      }
      if (start >= 0) add('signature', start, end, name ? { name } : {}, true);
    }

    for (const m of text.matchAll(SELF_INTRO)) {
      const name = m[1] ?? '';
      const start = (m.index ?? 0) + m[0].length - name.length;
      add('self-introduction', start, start + name.length, { name });
    }

    // Fax header: the sender's number (or name) after FROM:, not the date and page count after it.
    for (const m of text.matchAll(FAX_FROM)) {
      const rest = m[1] ?? '';
      const restStart = (m.index ?? 0) + m[0].length - rest.length;
      const phone = findPhonesInText(rest)[0];
      if (phone) add('fax-header', restStart + phone.index, restStart + phone.index + phone.text.length);
      else {
        const sender = rest.split(/\s{2,}|\t/)[0] ?? '';
        if (sender.trim()) add('fax-header', restStart, restStart + sender.length);
      }
    }

    // Contact lines: from the cue to the end of the line.
    for (const m of text.matchAll(CONTACT_CUE)) {
      const start = m.index ?? 0;
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      const line = text.slice(start, end);
      const ids = findIdentifiers(line);
      if (ids.length || /\bI live at\b/i.test(m[0])) add('contact', start + m[0].length, end);
    }

    // Letterhead: on the first page, the block of lines above the salutation that names someone or gives an
    // address or contact details (the date and the fax header's lines are not part of it).
    if (p.page === 1) {
      const sal = SALUTATION.exec(text);
      const head = sal ? text.slice(0, sal.index) : '';
      let block: { start: number; end: number; name?: string; telling: boolean } | null = null;
      const close = () => {
        if (block?.telling) add('letterhead', block.start, block.end, block.name ? { name: block.name } : {}, true);
        block = null;
      };
      for (const l of linesFrom(head, 0)) {
        const t = l.line.trim().replace(/^[^A-Za-z0-9(+$]+/, '');
        const ids = t ? findIdentifiers(t).filter((i) => i.kind !== 'flight') : [];
        const isDate = /\b(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}|\d{1,2}\/\d{1,2}\/\d{2,4})\b/.test(t) && !ids.length;
        if (!t || /^(?:FAX|TO|FROM|P\.?\s?\d)\b/i.test(t) || isDate) {
          close();
          continue;
        }
        // "Office of Rt Hon Jack Green MP": an MP's or councillor's office names them.
        const office = /^(?:(?:the\s+)?office of|from)[;:,.]?\s+(.+?)(?:\s+MP)?$/i.exec(t);
        const name = office ? office[1] : looksLikeName(t) && /\s/.test(t) ? t : undefined;
        const start = l.start + l.line.indexOf(t);
        if (!block) block = { start, end: l.end, telling: false };
        const current = block as { start: number; end: number; name?: string; telling: boolean };
        current.end = l.end;
        if (name && !current.name) current.name = name;
        if (ids.length || name || /^\d+[A-Za-z]?\s+\w+/.test(t)) current.telling = true;
      }
      close();
    }
  }
  // Overlapping regions of one page are kept apart (each says why) but sorted by place.
  return out.sort((a, b) => a.page - b.page || a.start - b.start);
}
