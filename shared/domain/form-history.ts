// The history of an allegation's form, field by field, read from the change log (CPIA: an amendment never loses
// what it replaced). The change log says, for every write, what each field was and became; this turns the writes
// of one allegation's form (its own fields, offences, subjects, addresses, businesses, phones, emails, vehicles
// and travel) into amendments a person can read: "Subject 1 (Radu Ilie) · Surname: Illie → Ilie". Derived columns
// (normalised forms, search keys), state changes (status, unit, outcome: the timeline's business) and restricted
// rows are not the form's history and are left out.
import { parseHlc } from '../sync/hlc.ts';
import { CHANNEL_LABELS, GENDER_LABELS, OFFENCE_TYPE_LABELS, REPORTER_TYPE_LABELS, type Channel, type Gender, type OffenceType, type ReporterType } from './vocabularies.ts';

/** One change row of the log, as the history reads it. */
export interface HistoryChange {
  hlc: string;
  entity: string;
  id: string;
  op: 'insert' | 'update' | 'append';
  fields: Record<string, { from: unknown; to: unknown }>;
  userId: string | null;
}

export type HistoryFormat = 'text' | 'date' | 'datetime';

export interface HistoryItem {
  /** What the field belongs to: "Allegation", "Subject 1 (Radu Ilie)", "Phone 2". */
  part: string;
  /** The field's label; empty for a part added or removed whole. */
  field: string;
  kind: 'changed' | 'added' | 'removed' | 'restored';
  was: string | null;
  now: string | null;
  format: HistoryFormat;
}

export interface HistoryEntry {
  /** When, from the write's clock. */
  at: string;
  userId: string | null;
  items: HistoryItem[];
}

export interface FormHistory {
  /** When the allegation was first written (on this desk, or as the store's baseline when it was upgraded). */
  created: { at: string; userId: string | null } | null;
  /** Amendments, oldest first. */
  entries: HistoryEntry[];
}

interface FieldSpec {
  label: string;
  format?: HistoryFormat;
  show?: (value: string) => string;
}

const label = <K extends string>(labels: Record<K, string>) => (v: string) => labels[v as K] ?? v;
const words = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).replace(/_/g, ' ');
const aliases = (v: string) => {
  try {
    const list = JSON.parse(v) as unknown;
    return Array.isArray(list) ? list.join(', ') : v;
  } catch {
    return v;
  }
};

/** The form's fields of each entity, in the order the form shows them; any other column is not the form's. */
const FIELDS: Record<string, Record<string, FieldSpec>> = {
  allegation: {
    channel: { label: 'Channel', show: label<Channel>(CHANNEL_LABELS) },
    reporter_type: { label: 'Reported by', show: label<ReporterType>(REPORTER_TYPE_LABELS) },
    received_at: { label: 'Received', format: 'datetime' },
    free_text: { label: 'Account' },
    scan_missing_reason: { label: 'Why no scan is attached' },
  },
  subject: {
    role: { label: 'Role', show: words },
    forename: { label: 'Forename' },
    middle_names: { label: 'Middle names' },
    surname: { label: 'Surname' },
    known_as: { label: 'Known as' },
    aliases: { label: 'Aliases', show: aliases },
    dob: { label: 'Date of birth', format: 'date' },
    approx_age: { label: 'Approximate age' },
    gender: { label: 'Gender', show: label<Gender>(GENDER_LABELS) },
    nationality: { label: 'Nationality' },
  },
  address: {
    type: { label: 'Type', show: words },
    line1: { label: 'Line 1' },
    line2: { label: 'Line 2' },
    town: { label: 'Town' },
    postcode_raw: { label: 'Postcode' },
  },
  business: { name: { label: 'Name' }, type: { label: 'Type' } },
  phone: { number_raw: { label: 'Number' } },
  email: { email_raw: { label: 'Email' } },
  vehicle: { vrm_raw: { label: 'Registration' }, description: { label: 'Description' } },
  travel: {
    flight_raw: { label: 'Flight' },
    travel_date: { label: 'Date', format: 'date' },
    origin: { label: 'From' },
    destination: { label: 'To' },
  },
};

const PART_NAMES: Record<string, string> = {
  subject: 'Subject',
  address: 'Address',
  business: 'Business',
  phone: 'Phone',
  email: 'Email',
  vehicle: 'Vehicle',
  travel: 'Travel',
};

type State = Record<string, unknown>;

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function shown(spec: FieldSpec, v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  return spec.show ? spec.show(t) : t;
}

/** The name of a part as the person knows it: its place on the form and what identifies it. */
function partName(entity: string, row: State, businesses: Map<string, State>): string {
  const n = typeof row.ordinal === 'number' ? row.ordinal + 1 : null;
  const base = `${PART_NAMES[entity] ?? entity}${n === null ? '' : ` ${n}`}`;
  const s = (k: string) => text(row[k]) ?? '';
  switch (entity) {
    case 'subject': {
      const name = [s('forename'), s('surname')].filter(Boolean).join(' ');
      return name ? `${base} (${name})` : base;
    }
    case 'address': {
      const business = text(row.business_id);
      const what = s('postcode_raw') || s('line1');
      if (business) return `Address of ${text(businesses.get(business)?.name) ?? 'a business'}`;
      return what ? `${base} (${what})` : base;
    }
    case 'business':
      return s('name') ? `${base} (${s('name')})` : base;
    case 'phone':
      return s('number_raw') ? `${base} (${s('number_raw')})` : base;
    case 'email':
      return s('email_raw') ? `${base} (${s('email_raw')})` : base;
    case 'vehicle':
      return s('vrm_raw') ? `${base} (${s('vrm_raw')})` : base;
    case 'travel':
      return s('flight_raw') ? `${base} (${s('flight_raw')})` : base;
    default:
      return base;
  }
}

function summary(entity: string, row: State): string {
  const specs = FIELDS[entity] ?? {};
  return Object.entries(specs)
    .map(([k, spec]) => shown(spec, row[k]))
    .filter((v): v is string => v !== null)
    .join(', ');
}

const atOf = (hlc: string) => new Date(parseHlc(hlc).wall).toISOString();

/**
 * The history of one allegation's form from its change rows, in the order they were written. The writes of one
 * mutation share a clock, so each clock is one entry. What a part was called is what it was called when changed.
 */
export function formHistory(changes: readonly HistoryChange[]): FormHistory {
  const rows = new Map<string, State>();
  const businesses = new Map<string, State>();
  const entries: HistoryEntry[] = [];
  let created: FormHistory['created'] = null;
  let current: { hlc: string; entry: HistoryEntry } | null = null;
  const createdHlc = changes.find((x) => x.entity === 'allegation' && x.op === 'insert')?.hlc;

  for (const c of changes) {
    const key = `${c.entity}:${c.id}`;
    const before = rows.get(key);
    const after: State = { ...(before ?? {}) };
    for (const [f, v] of Object.entries(c.fields)) after[f] = v.to;
    rows.set(key, after);
    if (c.entity === 'business') businesses.set(c.id, after);

    // Everything written with the allegation itself is its original form.
    if (c.hlc === createdHlc) {
      if (c.entity === 'allegation') created = { at: atOf(c.hlc), userId: c.userId };
      continue;
    }

    const items: HistoryItem[] = [];
    if (c.entity === 'allegation_offence') {
      const offence = label<OffenceType>(OFFENCE_TYPE_LABELS)(c.id.startsWith('[') ? String((JSON.parse(c.id) as unknown[])[1]) : c.id);
      const removal = c.fields.removed_at;
      if (c.op === 'insert' || (removal && !text(removal.to))) items.push({ part: 'Offences', field: '', kind: 'added', was: null, now: offence, format: 'text' });
      else if (removal) items.push({ part: 'Offences', field: '', kind: 'removed', was: offence, now: null, format: 'text' });
    } else if (c.entity === 'allegation') {
      for (const [f, spec] of Object.entries(FIELDS.allegation ?? {})) {
        const v = c.fields[f];
        if (v) items.push({ part: 'Allegation', field: spec.label, kind: 'changed', was: shown(spec, v.from), now: shown(spec, v.to), format: spec.format ?? 'text' });
      }
    } else if (FIELDS[c.entity]) {
      const specs = FIELDS[c.entity] ?? {};
      if (c.op === 'insert') {
        items.push({ part: partName(c.entity, after, businesses), field: '', kind: 'added', was: null, now: summary(c.entity, after), format: 'text' });
      } else {
        const removal = c.fields.removed_at;
        if (removal && text(removal.to)) {
          items.push({ part: partName(c.entity, before ?? after, businesses), field: '', kind: 'removed', was: summary(c.entity, before ?? after), now: null, format: 'text' });
        } else {
          if (removal && !text(removal.to)) items.push({ part: partName(c.entity, after, businesses), field: '', kind: 'restored', was: null, now: summary(c.entity, after), format: 'text' });
          for (const [f, spec] of Object.entries(specs)) {
            const v = c.fields[f];
            if (v && shown(spec, v.from) !== shown(spec, v.to)) {
              items.push({ part: partName(c.entity, before ?? after, businesses), field: spec.label, kind: 'changed', was: shown(spec, v.from), now: shown(spec, v.to), format: spec.format ?? 'text' });
            }
          }
        }
      }
    }
    if (!items.length) continue;
    if (!current || current.hlc !== c.hlc) {
      current = { hlc: c.hlc, entry: { at: atOf(c.hlc), userId: c.userId, items: [] } };
      entries.push(current.entry);
    }
    current.entry.items.push(...items);
  }
  return { created, entries };
}
