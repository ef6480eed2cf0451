// The people, phones and places an analyst pivots on: what each kind of entity is, how a value written on a form
// (or typed) becomes the entity's canonical value, and the search query that finds every allegation naming it.
// The same normalisation as search (text/normalise.ts) and the same query language and fuzzy name matching
// (search/query.ts, run by the search engine), so an entity's page finds what search finds and nothing else.
import { prepareAddress } from '../matching/address.ts';
import { businessKey } from '../matching/business.ts';
import { foldName, normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../text/normalise.ts';

export const ENTITY_KINDS = ['person', 'phone', 'email', 'address', 'postcode', 'vehicle', 'business', 'flight'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const ENTITY_KIND_LABELS: Record<EntityKind, string> = {
  person: 'Person',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  postcode: 'Postcode',
  vehicle: 'Vehicle',
  business: 'Business',
  flight: 'Flight',
};

export interface EntityRef {
  kind: EntityKind;
  /** Canonical: national phone digits, lower-case email, "SW1A 2AA" or a district, a compact VRM, "AI308", a name. */
  value: string;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The canonical value of what was written, or null when it is not a usable value of that kind (a phone too
 * short to be one, a flight number that is not one). Person names keep their letters and order, folded.
 */
export function canonicalEntity(kind: EntityKind, raw: string): string | null {
  const text = squash(raw);
  if (!text) return null;
  switch (kind) {
    case 'phone': {
      const p = normalisePhone(text);
      return p.national.length >= 9 ? p.national : null;
    }
    case 'email': {
      const e = normaliseEmail(text);
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
    }
    case 'postcode': {
      const pc = parseUkPostcode(text);
      return pc.postcode ?? pc.outward;
    }
    case 'vehicle': {
      const v = normaliseVrm(text);
      return v.length >= 2 && v.length <= 8 ? v : null;
    }
    case 'flight':
      return normaliseFlightNumber(text);
    case 'person': {
      const name = foldName(text);
      return name ? name : null;
    }
    case 'business':
      return foldName(text) ? text : null;
    case 'address':
      return foldName(text) ? text : null;
  }
}

/** "Flat 2, 10 High Street" -> "10 High Street": the line a place is known by (a number and a street). */
function streetLine(line1: string, line2: string): string {
  const withNumber = [line1, line2].map(squash).find((l) => /\d/.test(l) && /\p{L}{3,}/u.test(l));
  return withNumber ?? squash(line1 || line2);
}

/** An address as an entity: its street line and postcode (or town), as written on the form. */
export function addressEntityValue(a: { line1: string; line2: string; town: string; postcode: string }): string | null {
  const pc = parseUkPostcode(a.postcode);
  const street = streetLine(a.line1, a.line2).replace(/^(?:flat|apartment|unit|room)\s+\w+,?\s*/i, '');
  const where = pc.postcode ?? (squash(a.town) || pc.outward || '');
  const value = [street, where].filter(Boolean).join(', ');
  return foldName(street) || pc.postcode ? value : null;
}

/** The query (search/query.ts language) that finds every allegation naming the entity, on the form or in text. */
export function entityQuery(ref: EntityRef): string {
  const phrase = (s: string) => `"${s.replace(/["“”]/g, ' ').trim()}"`;
  switch (ref.kind) {
    case 'phone':
    case 'email':
    case 'postcode':
    case 'vehicle':
    case 'flight':
      return ref.value;
    case 'person':
      // Name words: the engine reads them as names (exact, in text, corrected, similar).
      return ref.value;
    case 'business':
      return phrase(ref.value);
    case 'address': {
      // "10 High Street, SW1A 2AA": the street line as a phrase, and the postcode (any format) or the town.
      const [street = '', ...rest] = ref.value.split(',').map(squash);
      const where = rest.join(' ');
      const pc = parseUkPostcode(where);
      return [street ? phrase(street) : '', pc.postcode ?? (where ? phrase(where) : '')].filter(Boolean).join(' ');
    }
  }
}

/** How a value of this kind is shown ("07700 900123" stays as the person wrote it elsewhere; here: canonical). */
export function entityLabel(ref: EntityRef): string {
  if (ref.kind === 'person') return ref.value.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
  return ref.value;
}

/** The address of an entity's page. */
export function entityPath(ref: EntityRef): string {
  return `#/entity/${ref.kind}/${encodeURIComponent(ref.value)}`;
}

/** The page of what was written, or null when the value is not usable as that kind. */
export function entityHref(kind: EntityKind, raw: string): string | null {
  const value = canonicalEntity(kind, raw);
  return value ? entityPath({ kind, value }) : null;
}

/**
 * The key two written forms of one address share: the house number, the street with its type words expanded
 * ("Rd" = "Road") and the postcode parsed ("b81jb" = "B8 1JB"), or the town when there is no postcode — the
 * normalisation matching compares addresses by (matching/address.ts).
 */
export function addressKey(value: string): string {
  const [street = '', ...rest] = value.split(',').map(squash);
  const where = rest.join(' ');
  const pc = parseUkPostcode(where);
  const a = prepareAddress({ line1: street, postcode: pc.postcode ?? pc.outward ?? null, town: pc.postcode || pc.outward ? null : where });
  return `${a.number ?? ''} ${a.street}|${a.postcode ?? a.town}`;
}

/**
 * The chart's id of an entity's node: the same value written two ways is one node — a phone by its digits, an
 * address by its normalised parts, a business by its name without "Ltd" or "&". People are keyed by their folded
 * name here; which spellings are one person the chart decides (entities/chart-graph.ts).
 */
export function entityNodeId(ref: EntityRef): string {
  switch (ref.kind) {
    case 'person':
      return `person:${foldName(ref.value)}`;
    case 'address':
      return `address:${addressKey(ref.value)}`;
    case 'business':
      return `business:${businessKey(ref.value) || foldName(ref.value)}`;
    default:
      return `${ref.kind}:${ref.value}`;
  }
}
