// Writing and reading whole allegations. Every part of the record is its own table (subjects, addresses,
// phones...) so that search, matching and sync can address it; reading reassembles the record the API returns.
import type { Mutation } from './store.ts';
import { prepared, type Db } from './db.ts';
import type { AllegationRecord, QueueRow } from '../../shared/schemas/record.ts';
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

/** The restricted source record: only ever stored in source_details. */
export interface SourceIdentifiersPayload {
  name: string;
  phone: string;
  email: string;
  address: string;
  relationship: string;
  organisation: string;
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
}

export interface TimeCriticalPlan {
  deadline: string;
  evidence: unknown[];
  dueAt: string;
}

/** Seals restricted material and computes blind indexes: the vault, when it is unlocked. */
export interface Sealer {
  sealJson(scope: string, aad: string, value: unknown): Buffer;
  blindIndex(kind: string, value: string): string;
}

export const SEALED_FORMAT = 'aes256gcm-v1';
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
      prepared(
        m.db,
        `INSERT INTO restricted_texts (allegation_id, part, format, payload, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (allegation_id, part) DO UPDATE SET format = excluded.format, payload = excluded.payload, updated_at = excluded.updated_at, hlc = excluded.hlc`,
      ).run(allegationId, r.part, SEALED_FORMAT, sealer.sealJson(allegationScope(allegationId), `text:${r.part}`, { text: r.text }), m.at, m.hlc);
      // The change log says that a restricted original exists, never what it says.
      m.change('restricted_text', `${allegationId}:${r.part}`, 'insert', { part: r.part, restricted: true }, allegationId);
    }
  }
}

export function insertAllegation(m: Mutation, a: NewAllegation, newId: () => string, sealer: Sealer): { redactions: number } {
  const c = a.content;
  const { hlc, at } = m;
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
    free_text: withheld.text('freeText', c.freeText),
    scan_missing_reason: c.scanMissingReason,
    has_source: c.source ? 1 : 0,
    created_at: at,
    created_by: m.actor.name,
    updated_at: at,
    hlc,
  };
  const keys = Object.keys(row);
  prepared(m.db, `INSERT INTO allegations (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(row);
  const { hlc: _hlc, ...data } = row;
  m.change('allegation', a.id, 'insert', data, a.id);

  const offence = prepared(m.db, 'INSERT INTO allegation_offences (allegation_id, ordinal, offence_type) VALUES (?, ?, ?)');
  c.offenceTypes.forEach((o, i) => offence.run(a.id, i, o));
  if (c.offenceTypes.length) m.change('allegation_offences', a.id, 'insert', { offenceTypes: c.offenceTypes }, a.id);

  prepared(m.db, 'INSERT INTO unit_history (id, allegation_id, from_unit, to_unit, reason, at, by_user, hlc) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)').run(
    newId(),
    a.id,
    a.unit,
    `routed on receipt: ${a.routedBy}`,
    at,
    m.actor.name,
    hlc,
  );

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

  const insertNote = prepared(
    m.db,
    `INSERT INTO notes (id, allegation_id, note_date, author_name, author_user_id, text, amends_note_id, created_at, hlc)
     VALUES (@id, @allegation_id, @note_date, @author_name, NULL, @text, NULL, @created_at, @hlc)`,
  );
  for (const n of c.notes) {
    const id = newId();
    const r = { id, allegation_id: a.id, note_date: n.date, author_name: n.author, text: withheld.text(`note:${id}`, n.text), created_at: at, hlc };
    insertNote.run(r);
    const { hlc: _h, ...noteData } = r;
    m.change('note', id, 'append', noteData, a.id);
  }

  const insertAttachment = prepared(
    m.db,
    `INSERT INTO attachments (id, allegation_id, ordinal, file_name, mime_type, content_hash, byte_size, pages, ocr_status, legacy_text, reveals_source, added_at, added_by, hlc)
     VALUES (@id, @allegation_id, @ordinal, @file_name, @mime_type, NULL, NULL, @pages, 'legacy', @legacy_text, @reveals_source, @added_at, @added_by, @hlc)`,
  );
  c.legacyAttachments.forEach((att, i) => {
    const id = newId();
    const before = withheld.originals.length;
    const legacyText = withheld.text(`attachment:${id}`, att.text);
    const r = {
      id,
      allegation_id: a.id,
      ordinal: i,
      file_name: att.fileName,
      mime_type: att.mimeType,
      pages: att.pages,
      legacy_text: legacyText,
      reveals_source: withheld.originals.length > before ? 1 : 0,
      added_at: at,
      added_by: m.actor.name,
      hlc,
    };
    insertAttachment.run(r);
    const { hlc: _h, ...attData } = r;
    m.change('attachment', id, 'insert', attData, a.id);
  });

  if (c.source) writeSource(m, sealer, a.id, c.source);
  withheld.flush(m, sealer, a.id);
  return { redactions: withheld.count };
}

/** Stores the source details sealed, and their blind indexes for finding repeat referrers. */
export function writeSource(m: Mutation, sealer: Sealer, allegationId: string, source: SourceIdentifiersPayload): void {
  prepared(
    m.db,
    `INSERT INTO source_details (allegation_id, format, payload, updated_at, hlc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (allegation_id) DO UPDATE SET format = excluded.format, payload = excluded.payload, updated_at = excluded.updated_at, hlc = excluded.hlc`,
  ).run(allegationId, SEALED_FORMAT, sealer.sealJson(allegationScope(allegationId), 'source', source), m.at, m.hlc);
  prepared(m.db, 'DELETE FROM source_blind_index WHERE allegation_id = ?').run(allegationId);
  const insert = prepared(m.db, 'INSERT OR IGNORE INTO source_blind_index (allegation_id, kind, digest) VALUES (?, ?, ?)');
  for (const k of sourceKeys(source)) insert.run(allegationId, k.kind, sealer.blindIndex(k.kind, k.value));
  prepared(m.db, 'UPDATE allegations SET has_source = 1 WHERE id = ?').run(allegationId);
  m.change('source_details', allegationId, 'insert', { restricted: true }, allegationId);
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

// ---------------------------------------------------------------------------------------------- reading

interface AllegationRow {
  id: string;
  reference: string;
  submission_id: number | null;
  channel: AllegationRecord['channel'];
  reporter_type: AllegationRecord['reporterType'];
  received_at: string;
  status: AllegationRecord['status'];
  unit_code: string | null;
  routed_by: string | null;
  risk_rating: AllegationRecord['riskRating'];
  assessment_due_at: string | null;
  next_due_at: string | null;
  time_critical: number;
  outcome: AllegationRecord['outcome'];
  nfa_reason: AllegationRecord['nfaReason'];
  free_text: string;
  scan_missing_reason: string | null;
  has_source: number;
  assessed_at: string | null;
  time_critical_state: 'detected' | 'confirmed' | 'dismissed' | null;
  time_critical_deadline: string | null;
  time_critical_evidence: string;
  time_critical_due_at: string | null;
  time_critical_decided_at: string | null;
  time_critical_decided_by: string | null;
  time_critical_reason: string | null;
  created_at: string;
  updated_at: string;
}

export function findAllegationId(db: Db, key: { id: string } | { reference: string }): string | null {
  const row = ('id' in key
    ? prepared(db, 'SELECT id FROM allegations WHERE id = ?').get(key.id)
    : prepared(db, 'SELECT id FROM allegations WHERE reference = ?').get(key.reference)) as { id: string } | undefined;
  return row?.id ?? null;
}

export function readAllegation(db: Db, id: string): AllegationRecord | null {
  const a = prepared(db, 'SELECT * FROM allegations WHERE id = ?').get(id) as AllegationRow | undefined;
  if (!a) return null;
  const all = <T>(sql: string): T[] => prepared(db, sql).all(id) as T[];

  const offenceTypes = all<{ offence_type: AllegationRecord['offenceTypes'][number] }>(
    'SELECT offence_type FROM allegation_offences WHERE allegation_id = ? ORDER BY ordinal',
  ).map((r) => r.offence_type);

  const subjects = all<Record<string, unknown>>('SELECT * FROM subjects WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    role: r.role as AllegationRecord['subjects'][number]['role'],
    forename: r.forename as string,
    middleNames: r.middle_names as string,
    surname: r.surname as string,
    knownAs: r.known_as as string,
    aliases: JSON.parse(r.aliases as string) as string[],
    dob: (r.dob as string | null) ?? null,
    approxAge: (r.approx_age as number | null) ?? null,
    gender: r.gender as AllegationRecord['subjects'][number]['gender'],
    nationality: r.nationality as string,
  }));

  const addressRows = all<Record<string, unknown>>('SELECT * FROM addresses WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal');
  const addressFields = (r: Record<string, unknown>) => ({
    line1: r.line1 as string,
    line2: r.line2 as string,
    town: r.town as string,
    postcode: r.postcode_raw as string,
    postcodeNormalised: (r.postcode as string | null) ?? null,
    postcodeDistrict: (r.postcode_district as string | null) ?? null,
  });
  const addresses = addressRows
    .filter((r) => r.business_id === null)
    .map((r) => ({ id: r.id as string, type: r.type as AllegationRecord['addresses'][number]['type'], subjectId: (r.subject_id as string | null) ?? null, ...addressFields(r) }));
  const businessAddress = new Map(addressRows.filter((r) => r.business_id !== null).map((r) => [r.business_id as string, addressFields(r)]));
  const businesses = all<Record<string, unknown>>('SELECT * FROM businesses WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    name: r.name as string,
    type: r.type as string,
    address: businessAddress.get(r.id as string) ?? null,
  }));

  const phones = all<Record<string, unknown>>('SELECT * FROM phones WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    number: r.number_raw as string,
    e164: (r.e164 as string | null) ?? null,
    national: r.national as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const emails = all<Record<string, unknown>>('SELECT * FROM emails WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    email: r.email_raw as string,
    normalised: r.email as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const vehicles = all<Record<string, unknown>>('SELECT * FROM vehicles WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    vrm: r.vrm_raw as string,
    normalised: r.vrm as string,
    description: r.description as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const travel = all<Record<string, unknown>>('SELECT * FROM travel WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    flight: r.flight_raw as string,
    flightNumber: (r.flight_number as string | null) ?? null,
    travelDate: (r.travel_date as string | null) ?? null,
    origin: r.origin as string,
    destination: r.destination as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));

  const noteRows = all<Record<string, unknown>>('SELECT * FROM notes WHERE allegation_id = ? ORDER BY note_date, created_at, rowid');
  const amendedBy = new Map<string, string>();
  for (const n of noteRows) if (n.amends_note_id) amendedBy.set(n.amends_note_id as string, n.id as string);
  const notes = noteRows.map((r) => ({
    id: r.id as string,
    date: r.note_date as string,
    author: r.author_name as string,
    authorUserId: (r.author_user_id as string | null) ?? null,
    text: r.text as string,
    createdAt: r.created_at as string,
    amendsNoteId: (r.amends_note_id as string | null) ?? null,
    amendedByNoteId: amendedBy.get(r.id as string) ?? null,
  }));

  const pageRows = prepared(db, 
      `SELECT p.attachment_id, p.page_no, p.status, p.method, p.confidence, p.error, length(p.text) AS chars
       FROM attachment_pages p JOIN attachments a ON a.id = p.attachment_id WHERE a.allegation_id = ? ORDER BY p.page_no`,
    )
    .all(id) as Array<{ attachment_id: string; page_no: number; status: string; method: string | null; confidence: number | null; error: string | null; chars: number }>;
  const attachments = all<Record<string, unknown>>('SELECT * FROM attachments WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    fileName: r.file_name as string,
    mimeType: r.mime_type as string,
    pages: r.pages as number,
    contentHash: (r.content_hash as string | null) ?? null,
    byteSize: (r.byte_size as number | null) ?? null,
    ocrStatus: r.ocr_status as AllegationRecord['attachments'][number]['ocrStatus'],
    legacyText: r.legacy_text as string,
    pageStatus: pageRows
      .filter((p) => p.attachment_id === r.id)
      .map((p) => ({
        page: p.page_no,
        status: p.status as AllegationRecord['attachments'][number]['ocrStatus'],
        method: p.method as 'text_layer' | 'ocr' | 'legacy' | null,
        confidence: p.confidence,
        error: p.error,
        chars: p.chars,
      })),
    addedAt: r.added_at as string,
    addedBy: r.added_by as string,
  }));

  const unitHistory = all<Record<string, unknown>>('SELECT * FROM unit_history WHERE allegation_id = ? ORDER BY at, rowid').map((r) => ({
    fromUnit: (r.from_unit as string | null) ?? null,
    toUnit: r.to_unit as string,
    reason: r.reason as string,
    at: r.at as string,
    by: r.by_user as string,
  }));

  const allocatedTo = prepared(
    db,
    `SELECT l.user_id, u.display_name, l.allocated_at, l.allocated_by FROM allocations l JOIN users u ON u.id = l.user_id
     WHERE l.allegation_id = ? AND l.ended_at IS NULL ORDER BY l.allocated_at`,
  )
    .all(id)
    .map((r) => {
      const x = r as { user_id: string; display_name: string; allocated_at: string; allocated_by: string };
      return { userId: x.user_id, name: x.display_name, since: x.allocated_at, by: x.allocated_by };
    });

  return {
    id: a.id,
    reference: a.reference,
    submissionId: a.submission_id,
    receivedAt: a.received_at,
    channel: a.channel,
    reporterType: a.reporter_type,
    offenceTypes,
    status: a.status,
    unit: a.unit_code,
    routedBy: a.routed_by,
    riskRating: a.risk_rating,
    assessmentDueAt: a.assessment_due_at,
    nextDueAt: a.next_due_at,
    timeCritical: a.time_critical === 1,
    timeCriticalDetail: a.time_critical_state
      ? {
          state: a.time_critical_state,
          deadline: a.time_critical_deadline,
          evidence: JSON.parse(a.time_critical_evidence) as NonNullable<AllegationRecord['timeCriticalDetail']>['evidence'],
          dueAt: a.time_critical_due_at,
          decidedBy: a.time_critical_decided_by,
          decidedAt: a.time_critical_decided_at,
          reason: a.time_critical_reason,
        }
      : null,
    assessedAt: a.assessed_at,
    allocatedTo,
    outcome: a.outcome,
    nfaReason: a.nfa_reason,
    freeText: a.free_text,
    scanMissingReason: a.scan_missing_reason,
    subjects,
    addresses,
    businesses,
    phones,
    emails,
    vehicles,
    travel,
    notes,
    attachments,
    unitHistory,
    hasSource: a.has_source === 1,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------- queues

/**
 * The deadline a queue counts down to: for new work, initial assessment (or, if sooner, the 24-hour standard of a
 * time-critical allegation); after assessment, the service standard its risk rating set; none once closed.
 */
const DUE_SQL = `CASE
  WHEN a.status = 'closed' THEN NULL
  WHEN a.status = 'new' AND a.time_critical = 1 AND a.time_critical_due_at IS NOT NULL THEN min(a.time_critical_due_at, coalesce(a.assessment_due_at, a.time_critical_due_at))
  WHEN a.status = 'new' THEN coalesce(a.next_due_at, a.assessment_due_at)
  ELSE a.next_due_at END`;

const QUEUE_SQL = `
SELECT ${DUE_SQL} AS due_at, a.id, a.reference, a.received_at, a.channel, a.reporter_type, a.status, a.unit_code, a.assessment_due_at, a.next_due_at,
       a.time_critical, a.time_critical_state,
       EXISTS (SELECT 1 FROM compliance_signoffs c WHERE c.allegation_id = a.id AND c.decision = 'returned'
               AND c.decided_at >= (SELECT max(d.decided_at) FROM outcome_decisions d WHERE d.allegation_id = a.id)) AS returned,
       (SELECT group_concat(offence_type, ',') FROM (SELECT offence_type FROM allegation_offences o WHERE o.allegation_id = a.id ORDER BY ordinal)) AS offences,
       (SELECT trim(forename || ' ' || surname) FROM subjects s WHERE s.allegation_id = a.id AND s.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS main_subject,
       (SELECT coalesce(postcode, postcode_outward, postcode_raw) FROM addresses d WHERE d.allegation_id = a.id AND d.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS postcode,
       (SELECT count(*) FROM attachments t WHERE t.allegation_id = a.id) AS attachments,
       (SELECT count(*) FROM notes n WHERE n.allegation_id = a.id) AS notes
FROM allegations a`;

export interface QueueFilter {
  unit: string | null;
  statuses: readonly Status[];
  /** Only time-critical work still flagged (the duty intelligence manager's queue). */
  timeCriticalOnly?: boolean;
  /** true: only work allocated to someone; false: only unallocated work. */
  allocated?: boolean;
  /** Only work allocated to this user. */
  allocatedTo?: string;
  /** Only these allegations (the rows someone selected). */
  ids?: readonly string[];
  limit: number;
}

/** Most urgent first: time-critical, then the earliest due time, then the oldest receipt. */
export function queueRows(db: Db, filter: QueueFilter): { total: number; rows: QueueRow[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.unit) {
    where.push('a.unit_code = ?');
    params.push(filter.unit);
  }
  if (filter.statuses.length) {
    where.push(`a.status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  if (filter.timeCriticalOnly) where.push('a.time_critical = 1');
  const activeAllocation = 'SELECT 1 FROM allocations l WHERE l.allegation_id = a.id AND l.ended_at IS NULL';
  if (filter.allocated === true) where.push(`EXISTS (${activeAllocation})`);
  if (filter.allocated === false) where.push(`NOT EXISTS (${activeAllocation})`);
  if (filter.allocatedTo) {
    where.push(`EXISTS (${activeAllocation} AND l.user_id = ?)`);
    params.push(filter.allocatedTo);
  }
  if (filter.ids) {
    where.push('a.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (prepared(db, `SELECT count(*) AS n FROM allegations a${clause}`).get(...params) as { n: number }).n;
  const rows = prepared(db, 
      `${QUEUE_SQL}${clause}
       ORDER BY a.time_critical DESC, coalesce(due_at, '9999') ASC, a.received_at ASC
       LIMIT ?`,
    )
    .all(...params, filter.limit) as Array<Record<string, unknown>>;
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id as string,
      reference: r.reference as string,
      receivedAt: r.received_at as string,
      channel: r.channel as QueueRow['channel'],
      reporterType: r.reporter_type as QueueRow['reporterType'],
      offenceTypes: ((r.offences as string | null) ?? '').split(',').filter(Boolean) as QueueRow['offenceTypes'],
      status: r.status as Status,
      unit: (r.unit_code as string | null) ?? null,
      mainSubject: (r.main_subject as string | null) ?? '',
      postcode: (r.postcode as string | null) ?? '',
      assessmentDueAt: (r.assessment_due_at as string | null) ?? null,
      nextDueAt: (r.next_due_at as string | null) ?? null,
      dueAt: (r.due_at as string | null) ?? null,
      timeCritical: r.time_critical === 1,
      timeCriticalState: (r.time_critical_state as QueueRow['timeCriticalState']) ?? null,
      returned: r.returned === 1,
      attachments: r.attachments as number,
      notes: r.notes as number,
    })),
  };
}
