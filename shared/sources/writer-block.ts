// The writer of a letter, gathered from every place the scan gives them away (source-in-scan.ts): the signature
// block and letterhead (name, street, town, postcode, phone, email, organisation), the fax header's number,
// "my name is ...", contact lines. This is what is offered for the restricted pane — as a new source, or as a
// second contact of the allegation's source, which the person chooses — and what is withheld from the open
// text wherever it is repeated (issue 17: the street line and an OCR-misread postcode were being lost).
import { findIdentifiers } from '../text/identifiers.ts';
import { normalisePhone } from '../text/normalise.ts';
import { repairPostcode } from '../text/ocr-repair.ts';
import type { SourceRegion } from './in-scan.ts';

export interface WriterAddress {
  /** The street line(s) ("Flat 2, 22 Whitham Road"). */
  street?: string;
  town?: string;
  /** Canonical, after any OCR repair ("S10 3HJ" for "$10 3HJ"). */
  postcode?: string;
  /** The whole address as the pane's address field takes it: street, town, postcode. */
  address?: string;
}

export interface WriterDetails extends WriterAddress {
  name?: string;
  organisation?: string;
  phone?: string;
  email?: string;
}

export interface WriterOffer extends WriterDetails {
  /** Every place on the scan that says it, for the person to see (never copied into the open record). */
  regions: Array<Pick<SourceRegion, 'kind' | 'page' | 'start' | 'end'>>;
}

/** What of a writer can be offered for the restricted pane, as the person choosing is told it. */
export const WRITER_FIELDS = ['name', 'organisation', 'address', 'phone', 'email'] as const;
export type WriterField = (typeof WRITER_FIELDS)[number];

/** Which of the writer's details a scan gives (never the details themselves: those are restricted). */
export function writerFields(w: WriterDetails): WriterField[] {
  return WRITER_FIELDS.filter((f) => (f === 'address' ? Boolean(w.address || w.street || w.postcode) : Boolean(w[f])));
}

const STREET = /^(?:(?:flat|apartment|unit|room)\s+\w+[,\s]+)?\d+[A-Za-z]?(?:[-/]\d+)?,?\s+\S+|\b(?:road|street|lane|avenue|drive|close|way|crescent|place|grove|gardens|terrace|court|hill|park|row|walk|square|parade|rise|mews|green|broadway|vale|view|house|cottages?)\b/i;
const ORGANISATION = /\b(?:ltd|limited|plc|llp|council|office of|mp\b|surgery|school|college|university|association|church|mosque|temple|centre|center|trust|housing|police|constabulary|solicitors?|services|agency|group)\b/i;
const CONTACT_LABEL = /^(?:tel(?:ephone)?|phone|mob(?:ile)?|fax|e-?mail|email)\b\s*[:.]?\s*/i;

/**
 * The postcode ending an address block's line when OCR wrote it in lower case or with a bracket for a J
 * ("Cv14J]" for CV1 4JJ). Read only on the few lines of a signature block or letterhead, never on running text
 * (where lower-case words of that shape are many), and kept only where the repair is a valid postcode.
 */
function blockPostcode(line: string): { index: number; value: string } | null {
  const m = /(?:^|[\s,])([A-Za-z0-9$|\]]{2,4}[ \t]?[A-Za-z0-9$|\]]{3})$/.exec(line);
  const written = m?.[1];
  if (!m || !written || !/\d/.test(written) || !/[a-z\]]/.test(written)) return null;
  // Capitals for letters (a lower-case l stays: it is OCR's 1), a J for the bracket.
  const value = repairPostcode(written.replace(/[a-km-z]/g, (c) => c.toUpperCase()).replace(/\]/g, 'J'));
  return value ? { index: m.index + m[0].length - written.length, value } : null;
}

const PHONE_LABEL = /^(?:tel(?:ephone)?|phone|mob(?:ile)?)\b\s*[:.]?\s*/i;

/**
 * A block's labelled number one digit too long ("Tel: 0113496 02883"): a speck after the number that OCR read
 * as a digit. Read without its last digit where that leaves a valid UK number; only after a phone label on a
 * signature block's or letterhead's own line, for a UK number written from its 0, never in running text, where a longer run of digits is something
 * else (a reference, an account).
 */
function labelledPhoneWithSpeck(line: string): string | undefined {
  const label = PHONE_LABEL.exec(line.replace(/^[^A-Za-z0-9]+/, ''));
  if (!label) return undefined;
  const rest = line.replace(/^[^A-Za-z0-9]+/, '').slice(label[0].length).trim();
  // Digits in groups with single separators, and nothing after but debris.
  if (!/^0\d[\d .-]*\d[^A-Za-z0-9]*$/.test(rest)) return undefined;
  const national = rest.replace(/\D/g, '');
  if (national.length !== 12 || normalisePhone(national).valid) return undefined;
  const trimmed = normalisePhone(national.slice(0, -1));
  return trimmed.valid ? trimmed.national : undefined;
}

/** Reads the address out of a block's lines (the name line already taken out). */
export function readAddressBlock(lines: readonly string[]): WriterAddress {
  const out: WriterAddress = {};
  const body: string[] = [];
  for (const raw of lines) {
    // OCR leaves specks around lines ("Leeds’", "- 3 Church Lane").
    const line = raw.trim().replace(/^[^A-Za-z0-9$]+/, '').replace(/[^A-Za-z0-9)]+$/, '');
    if (!line) continue;
    const ids = findIdentifiers(line);
    const pc = ids.find((i) => i.kind === 'postcode');
    if (pc) {
      out.postcode ??= pc.value;
      // "Sheffield S10 3HJ": the town before the postcode on its line.
      const before = line.slice(0, pc.index).replace(/[,\s]+$/, '');
      if (before) body.push(before);
      break;
    }
    // Phone, email and labelled contact lines are not the address.
    if (CONTACT_LABEL.test(line) || ids.some((i) => i.kind === 'phone' || i.kind === 'email')) continue;
    const loose = blockPostcode(raw.trim().replace(/[^A-Za-z0-9)\]]+$/, ''));
    if (loose) {
      out.postcode ??= loose.value;
      const before = raw.trim().slice(0, loose.index).replace(/^[^A-Za-z0-9$]+/, '').replace(/[,\s]+$/, '');
      if (before) body.push(before);
      break;
    }
    body.push(line);
  }
  if (!body.length && !out.postcode) return out;
  const streetAt = body.findIndex((l) => STREET.test(l));
  if (streetAt >= 0) {
    // Everything from the street line to the line before the town; the last line is the town when more follow the street.
    const rest = body.slice(streetAt);
    const town = rest.length > 1 ? rest.at(-1) : undefined;
    const street = (town ? rest.slice(0, -1) : rest).join(', ');
    if (street) out.street = street;
    if (town && !STREET.test(town)) out.town = town;
    else if (town) out.street = rest.join(', ');
  } else if (body.length && out.postcode) {
    out.town = body.at(-1);
  }
  const parts = [out.street, out.town, out.postcode].filter(Boolean);
  if (parts.length) out.address = parts.join(', ');
  return out;
}

/** The details one block of lines gives: a name line, an organisation line, the address, phone and email. */
export function readWriterBlock(text: string, name?: string): WriterDetails {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const out: WriterDetails = {};
  if (name) out.name = name;
  const rest: string[] = [];
  for (const line of lines) {
    if (name && line.replace(/^[^A-Za-z0-9(+]+/, '') === name) continue;
    if (!out.organisation && ORGANISATION.test(line) && !/^\d/.test(line) && !findIdentifiers(line).length) {
      out.organisation = line.replace(/^(?:the\s+)?office of[;:,.]?\s+/i, '');
      continue;
    }
    rest.push(line);
  }
  for (const id of findIdentifiers(text)) {
    if (id.kind === 'phone' && !out.phone) out.phone = id.value;
    if (id.kind === 'email' && !out.email) out.email = id.value;
  }
  if (!out.phone) {
    for (const line of lines) {
      const phone = labelledPhoneWithSpeck(line);
      if (phone) {
        out.phone = phone;
        break;
      }
    }
  }
  return { ...out, ...readAddressBlock(rest) };
}

/** OCR points by which another reading of the writer's number must be surer to be taken over the block's. */
const SURER_BY = 15;

/** Whether two readings of a number differ as one number misread does: the same length, a digit or two apart. */
function misreadOfEachOther(a: string, b: string): boolean {
  if (a === b || a.length !== b.length) return false;
  let apart = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) apart++;
  return apart <= 2;
}

/**
 * The writer's number when places on the scan read it two ways ("Tel: 0121 496 0436" under a fax header's
 * "0121 496 0456"): the reading OCR was clearly surer of. Numbers that differ more than a misread does are
 * different numbers, and the block's (first in `ordered`) stands.
 */
function surerPhone(ordered: readonly SourceRegion[]): string | undefined {
  const first = ordered.find((r) => r.details.phone);
  const firstPhone = first?.details.phone;
  if (!first || !firstPhone || first.phoneConfidence === undefined) return firstPhone;
  let best = { phone: firstPhone, confidence: first.phoneConfidence };
  for (const r of ordered) {
    const other = r.details.phone;
    if (!other || r.phoneConfidence === undefined || !misreadOfEachOther(other, firstPhone)) continue;
    if (r.phoneConfidence >= first.phoneConfidence + SURER_BY && r.phoneConfidence > best.confidence) best = { phone: other, confidence: r.phoneConfidence };
  }
  return best.phone;
}

const PRIORITY: Record<SourceRegion['kind'], number> = { signature: 0, letterhead: 1, 'self-introduction': 2, contact: 3, 'fax-header': 4 };

/**
 * Everything the scan says about its writer, merged: the signature block first, then the letterhead, "my name
 * is", contact lines and the fax header fill what it lacks. Null when the scan does not give its writer away.
 */
export function writerFromRegions(regions: readonly SourceRegion[]): WriterOffer | null {
  if (!regions.length) return null;
  const ordered = [...regions].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.page - b.page || a.start - b.start);
  const offer: WriterOffer = { regions: [] };
  const fields: Array<keyof WriterDetails> = ['name', 'organisation', 'street', 'town', 'postcode', 'phone', 'email'];
  for (const r of ordered) {
    for (const f of fields) {
      const v = r.details[f];
      if (v && !offer[f]) offer[f] = v;
    }
  }
  const phone = surerPhone(ordered);
  if (phone) offer.phone = phone;
  const parts = [offer.street, offer.town, offer.postcode].filter(Boolean);
  if (parts.length) offer.address = parts.join(', ');
  offer.regions = [...regions].sort((a, b) => a.page - b.page || a.start - b.start).map((r) => ({ kind: r.kind, page: r.page, start: r.start, end: r.end }));
  const said = fields.some((f) => offer[f]);
  return said ? offer : null;
}
