// Writing whole allegations: an allegation and every part of it (subjects, addresses, phones...) in its own
// table, so that search, matching and sync can address each; the source details sealed in their own table, and
// the originals of any open text that repeated them kept restricted. Reading is allegations.ts.
import type { Mutation } from './store.ts';
import { prepared, type Db } from './db.ts';
import { redactSource } from '../../shared/sources/redact.ts';
import { sourceKeys } from '../../shared/sources/keys.ts';
import type { Channel, OffenceType, ReporterType, Status } from '../../shared/domain/vocabularies.ts';
import {
  ADDRESSES,
  BUSINESSES,
  EMAILS,
  insertPart,
  PHONES,
  SUBJECTS,
  TRAVEL,
  VEHICLES,
  type AddressContent,
  type BusinessContent,
  type SubjectContent,
  type TravelContent,
  type VehicleContent,
} from './parts.ts';

/** What an allegation holds, whichever way it arrived (a submission file, the electronic form). */
export interface AllegationContent {
  reference: string;
  submissionId: number | null;
  receivedAt: string;
  channel: Channel;
  reporterType: ReporterType;
  offenceTypes: readonly OffenceType[];
  freeText: string;
  scanMissingReason: string | null;
  subjects: SubjectContent[];
  addresses: AddressContent[];
  businesses: Array<BusinessContent & { address: Omit<AddressContent, 'type'> | null }>;
  phones: string[];
  emails: string[];
  vehicles: VehicleContent[];
  travel: TravelContent[];
  /** Notes that came with it (legacy export); notes written here go through notes.add. */
  notes: Array<{ date: string; author: string; text: string }>;
  /** Attachments known only by the text a legacy system held (no file). */
  legacyAttachments: Array<{ fileName: string; mimeType: string; pages: number; text: string }>;
  source: SourceIdentifiersPayload | null;
}

/**
 * Further details in the pane, as letters gave them: another way to reach the source (`contact`), or another
 * person who reported (`source`), with the attachment they came from and when they were recorded.
 */
export interface SourceAlso {
  kind: 'contact' | 'source';
  name: string;
  organisation: string;
  address: string;
  phone: string;
  email: string;
  from: string;
  at: string;
}

/** The restricted source record: only ever stored in source_details. */
export interface SourceIdentifiersPayload {
  name: string;
  phone: string;
  email: string;
  address: string;
  relationship: string;
  organisation: string;
  also?: SourceAlso[];
  [key: string]: unknown;
}

/** An allegation ready to be stored: its content plus what intake decided about it. */
export interface NewAllegation {
  id: string;
  content: AllegationContent;
  submissionHash: string | null;
  status: Status;
  unit: string;
  routedBy: string;
  assessmentDueAt: string | null;
  nextDueAt: string | null;
  timeCritical: TimeCriticalPlan | null;
  /**
   * The texts as the analysis pipeline left them to be stored openly (the known source and a letter's writer
   * withheld); the originals of any that differ are kept restricted. Without it, the known source is withheld here.
   */
  open?: { freeText: string; notes: string[]; legacy: string[] };
}

export interface TimeCriticalPlan {
  deadline: string;
  evidence: unknown[];
  dueAt: string;
}

const MARKER = /\[source withheld\]/g;

/** Seals restricted material and computes blind indexes: the vault, when it is unlocked. */
export interface Sealer {
  sealJson(scope: string, aad: string, value: unknown): Buffer;
  blindIndex(kind: string, value: string): string;
}

export { SEALED_FORMAT } from './formats.ts';
import { SEALED_FORMAT } from './formats.ts';
export const allegationScope = (allegationId: string) => `allegation:${allegationId}`;

/**
 * Withholds a known source's identifiers from open text, keeping each original in restricted storage so that
 * nothing is lost. Returns the text to store openly.
 */
export class SourceWithholder {
  private readonly source: SourceIdentifiersPayload | null;
  readonly originals: Array<{ part: string; text: string }> = [];
  count = 0;
  constructor(source: SourceIdentifiersPayload | null) {
    this.source = source;
  }
  /** The text as withheld elsewhere (the analysis pipeline): the original is kept when anything was. */
  given(part: string, text: string, open: string | undefined): string {
    if (open === undefined) return this.text(part, text);
    if (open !== text) {
      this.originals.push({ part, text });
      this.count += Math.max(1, (open.match(MARKER) ?? []).length - (text.match(MARKER) ?? []).length);
    }
    return open;
  }
  text(part: string, text: string): string {
    if (!this.source) return text;
    const r = redactSource(text, this.source);
    if (r.count > 0) {
      this.originals.push({ part, text });
      this.count += r.count;
    }
    return r.text;
  }
  /** Stores the originals, sealed; call once the parts they belong to exist. */
  flush(m: Mutation, sealer: Sealer, allegationId: string): void {
    for (const r of this.originals.splice(0)) {
      m.put('restricted_text', {
        allegation_id: allegationId,
        part: r.part,
        format: SEALED_FORMAT,
        payload: sealer.sealJson(allegationScope(allegationId), `text:${r.part}`, { text: r.text }),
        updated_at: m.at,
      });
    }
  }
}

export function insertAllegation(m: Mutation, a: NewAllegation, newId: () => string, sealer: Sealer): { redactions: number } {
  const c = a.content;
  const { at } = m;
  const withheld = new SourceWithholder(c.source);
  const tc = a.timeCritical;
  const row = {
    id: a.id,
    reference: c.reference,
    submission_id: c.submissionId,
    submission_hash: a.submissionHash,
    channel: c.channel,
    reporter_type: c.reporterType,
    received_at: new Date(c.receivedAt).toISOString(),
    status: a.status,
    unit_code: a.unit,
    routed_by: a.routedBy,
    assessment_due_at: a.assessmentDueAt,
    next_due_at: a.nextDueAt,
    time_critical: tc ? 1 : 0,
    time_critical_state: tc ? 'detected' : null,
    time_critical_deadline: tc?.deadline ?? null,
    time_critical_evidence: JSON.stringify(tc?.evidence ?? []),
    time_critical_due_at: tc?.dueAt ?? null,
    free_text: withheld.given('freeText', c.freeText, a.open?.freeText),
    scan_missing_reason: c.scanMissingReason,
    has_source: c.source ? 1 : 0,
    created_at: at,
    created_by: m.actor.name,
    updated_at: at,
  };
  m.insert('allegation', row);
  [...new Set(c.offenceTypes)].forEach((type, ordinal) => m.insert('allegation_offence', { allegation_id: a.id, offence_type: type, ordinal, removed_at: null }));
  m.append('unit_history', { id: newId(), allegation_id: a.id, from_unit: null, to_unit: a.unit, reason: `routed on receipt: ${a.routedBy}`, at, by_user: m.actor.name });

  c.subjects.forEach((subject, i) => insertPart(m, SUBJECTS, a.id, i, subject, newId()));
  c.addresses.forEach((address, i) => insertPart(m, ADDRESSES, a.id, i, address, newId()));
  c.businesses.forEach((b, i) => {
    const businessId = insertPart(m, BUSINESSES, a.id, i, b, newId());
    if (b.address) insertPart(m, ADDRESSES, a.id, c.addresses.length + i, { ...b.address, type: 'business', businessId }, newId());
  });
  c.phones.forEach((number, i) => insertPart(m, PHONES, a.id, i, { number }, newId()));
  c.emails.forEach((email, i) => insertPart(m, EMAILS, a.id, i, { email }, newId()));
  c.vehicles.forEach((v, i) => insertPart(m, VEHICLES, a.id, i, v, newId()));
  c.travel.forEach((t, i) => insertPart(m, TRAVEL, a.id, i, t, newId()));

  c.notes.forEach((n, i) => {
    const id = newId();
    m.append('note', { id, allegation_id: a.id, note_date: n.date, author_name: n.author, author_user_id: null, text: withheld.given(`note:${id}`, n.text, a.open?.notes[i]), amends_note_id: null, created_at: at });
  });

  c.legacyAttachments.forEach((att, i) => {
    const id = newId();
    const before = withheld.originals.length;
    const legacyText = withheld.given(`attachment:${id}`, att.text, a.open?.legacy[i]);
    m.insert('attachment', {
      id,
      allegation_id: a.id,
      ordinal: i,
      file_name: att.fileName,
      mime_type: att.mimeType,
      content_hash: null,
      byte_size: null,
      pages: att.pages,
      ocr_status: 'legacy',
      legacy_text: legacyText,
      reveals_source: withheld.originals.length > before ? 1 : 0,
      added_at: at,
      added_by: m.actor.name,
    });
  });

  if (c.source) writeSource(m, sealer, a.id, c.source);
  withheld.flush(m, sealer, a.id);
  return { redactions: withheld.count };
}

/** Stores the source details sealed, and their blind indexes for finding repeat referrers. */
export function writeSource(m: Mutation, sealer: Sealer, allegationId: string, source: SourceIdentifiersPayload): void {
  m.put('source_details', { allegation_id: allegationId, format: SEALED_FORMAT, payload: sealer.sealJson(allegationScope(allegationId), 'source', source), updated_at: m.at });
  prepared(m.db, 'DELETE FROM source_blind_index WHERE allegation_id = ?').run(allegationId);
  const insert = prepared(m.db, 'INSERT OR IGNORE INTO source_blind_index (allegation_id, kind, digest) VALUES (?, ?, ?)');
  for (const k of sourceKeys(source)) insert.run(allegationId, k.kind, sealer.blindIndex(k.kind, k.value));
  m.update('allegation', allegationId, { has_source: 1 });
}

/** The allegation's offences, as a set: types no longer given are marked removed, new ones added, order kept. */
export function writeOffences(m: Mutation, allegationId: string, given: readonly string[]): void {
  const types = [...new Set(given)];
  const held = new Map((prepared(m.db, 'SELECT offence_type, removed_at FROM allegation_offences WHERE allegation_id = ?').all(allegationId) as Array<{ offence_type: string; removed_at: string | null }>).map((r) => [r.offence_type, r.removed_at]));
  types.forEach((type, ordinal) => {
    if (held.has(type)) m.update('allegation_offence', { allegation_id: allegationId, offence_type: type }, { ordinal, removed_at: null });
    else m.insert('allegation_offence', { allegation_id: allegationId, offence_type: type, ordinal, removed_at: null });
  });
  for (const [type, removedAt] of held) {
    if (!types.includes(type) && !removedAt) m.update('allegation_offence', { allegation_id: allegationId, offence_type: type }, { removed_at: m.at });
  }
}

/** The restricted source record, opened for the core's own use (redacting new text); never returned from here to a caller. */
export function readSourceForCore(db: Db, opener: Opener, allegationId: string): SourceIdentifiersPayload | null {
  const row = prepared(db, 'SELECT format, payload FROM source_details WHERE allegation_id = ?').get(allegationId) as { format: string; payload: Buffer } | undefined;
  if (!row) return null;
  return opener.openJson<SourceIdentifiersPayload>(allegationScope(allegationId), 'source', row.payload, row.format);
}

export interface Opener {
  openJson<T>(scope: string, aad: string, payload: Buffer, format: string): T;
}

