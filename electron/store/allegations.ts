// Reading whole allegations: the one reader of an allegation's rows (the allegation, its offences, the parts
// of the form still in force, notes, attachments and the text of their pages), from which the record the API
// returns, the search index's document and the matching profile are all made — so that the three see the same
// allegation. Writing is allegation-write.ts; the work queues are queues.ts.
import { prepared } from './statements.ts';
import type { Db } from './db.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import type { OffenceType } from '../../shared/domain/vocabularies.ts';
import { phoneProblem, postcodeProblem } from '../../shared/text/normalise.ts';

export interface AllegationRow {
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
  grading_source: '1' | '2' | '3' | null;
  grading_intelligence: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  grading_handling: 'P' | 'C' | null;
  grading_conditions: string;
  harm: 'high' | 'medium' | 'low' | null;
  graded_at: string | null;
  graded_by: string | null;
}

export interface SubjectRow {
  id: string;
  role: AllegationRecord['subjects'][number]['role'];
  forename: string;
  middle_names: string;
  surname: string;
  known_as: string;
  aliases: string;
  dob: string | null;
  approx_age: number | null;
  gender: AllegationRecord['subjects'][number]['gender'];
  nationality: string;
}

export interface AddressRow {
  id: string;
  type: AllegationRecord['addresses'][number]['type'];
  subject_id: string | null;
  business_id: string | null;
  line1: string;
  line2: string;
  town: string;
  postcode_raw: string;
  postcode: string | null;
  postcode_outward: string | null;
  postcode_district: string | null;
  postcode_area: string | null;
}

export interface BusinessRow {
  id: string;
  name: string;
  type: string;
}

export interface PhoneRow {
  id: string;
  number_raw: string;
  e164: string | null;
  national: string;
  subject_id: string | null;
}

export interface EmailRow {
  id: string;
  email_raw: string;
  email: string;
  subject_id: string | null;
}

export interface VehicleRow {
  id: string;
  vrm_raw: string;
  vrm: string;
  description: string;
  subject_id: string | null;
}

export interface TravelRow {
  id: string;
  flight_raw: string;
  flight_number: string | null;
  travel_date: string | null;
  origin: string;
  destination: string;
  subject_id: string | null;
}

export interface NoteRow {
  id: string;
  note_date: string;
  author_name: string;
  author_user_id: string | null;
  text: string;
  amends_note_id: string | null;
  created_at: string;
}

export interface AttachmentPartRow {
  id: string;
  file_name: string;
  mime_type: string;
  pages: number;
  content_hash: string | null;
  byte_size: number | null;
  ocr_status: AllegationRecord['attachments'][number]['ocrStatus'];
  legacy_text: string;
  added_at: string;
  added_by: string;
}

export interface PageTextRow {
  attachment_id: string;
  page_no: number;
  status: AllegationRecord['attachments'][number]['ocrStatus'];
  method: 'text_layer' | 'ocr' | 'legacy' | null;
  confidence: number | null;
  error: string | null;
  text: string;
}

/** An allegation as stored: every row of it still in force, parts in form order, pages in attachment order. */
export interface StoredAllegation {
  a: AllegationRow;
  offences: OffenceType[];
  subjects: SubjectRow[];
  addresses: AddressRow[];
  businesses: BusinessRow[];
  phones: PhoneRow[];
  emails: EmailRow[];
  vehicles: VehicleRow[];
  travel: TravelRow[];
  notes: NoteRow[];
  attachments: AttachmentPartRow[];
  pages: PageTextRow[];
}

const PART = (columns: string, table: string) => `SELECT ${columns} FROM ${table} WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal`;

// Within one pass of the derived indexes (the search document and the matching profile of the allegations a
// mutation marked), each allegation is read once for both instead of once for each: nothing they write changes it.
let sharedReads: { db: Db; read: Map<string, StoredAllegation | null> } | null = null;

/** Runs `fn` with `readStored` answering repeated reads of one allegation from the first (nothing in `fn` may change it). */
export function readingOnce<T>(db: Db, fn: () => T): T {
  if (sharedReads) return fn();
  sharedReads = { db, read: new Map() };
  try {
    return fn();
  } finally {
    sharedReads = null;
  }
}

export function readStored(db: Db, id: string): StoredAllegation | null {
  if (sharedReads?.db !== db) return readFromStore(db, id);
  const held = sharedReads.read.get(id);
  if (held !== undefined) return held;
  const stored = readFromStore(db, id);
  sharedReads.read.set(id, stored);
  return stored;
}

function readFromStore(db: Db, id: string): StoredAllegation | null {
  const a = prepared(db, 'SELECT * FROM allegations WHERE id = ?').get(id) as AllegationRow | undefined;
  if (!a) return null;
  const all = <T>(sql: string): T[] => prepared(db, sql).all(id) as T[];
  return {
    a,
    offences: all<{ offence_type: OffenceType }>(PART('offence_type', 'allegation_offences')).map((r) => r.offence_type),
    subjects: all<SubjectRow>(PART('id, role, forename, middle_names, surname, known_as, aliases, dob, approx_age, gender, nationality', 'subjects')),
    addresses: all<AddressRow>(PART('id, type, subject_id, business_id, line1, line2, town, postcode_raw, postcode, postcode_outward, postcode_district, postcode_area', 'addresses')),
    businesses: all<BusinessRow>(PART('id, name, type', 'businesses')),
    phones: all<PhoneRow>(PART('id, number_raw, e164, national, subject_id', 'phones')),
    emails: all<EmailRow>(PART('id, email_raw, email, subject_id', 'emails')),
    vehicles: all<VehicleRow>(PART('id, vrm_raw, vrm, description, subject_id', 'vehicles')),
    travel: all<TravelRow>(PART('id, flight_raw, flight_number, travel_date, origin, destination, subject_id', 'travel')),
    notes: all<NoteRow>('SELECT id, note_date, author_name, author_user_id, text, amends_note_id, created_at FROM notes WHERE allegation_id = ? ORDER BY note_date, created_at, rowid'),
    attachments: all<AttachmentPartRow>('SELECT id, file_name, mime_type, pages, content_hash, byte_size, ocr_status, legacy_text, added_at, added_by FROM attachments WHERE allegation_id = ? ORDER BY ordinal'),
    pages: all<PageTextRow>(
      `SELECT p.attachment_id, p.page_no, p.status, p.method, p.confidence, p.error, p.text FROM attachment_pages p JOIN attachments t ON t.id = p.attachment_id
       WHERE t.allegation_id = ? ORDER BY t.ordinal, p.page_no`,
    ),
  };
}

export function findAllegationId(db: Db, key: { id: string } | { reference: string }): string | null {
  const row = ('id' in key
    ? prepared(db, 'SELECT id FROM allegations WHERE id = ?').get(key.id)
    : (prepared(db, 'SELECT id FROM allegations WHERE reference = ?').get(key.reference) ??
      // A provisional reference this desk gave before the server numbered the allegation still finds it.
      prepared(db, 'SELECT allegation_id AS id FROM reference_aliases WHERE alias = ?').get(key.reference))) as { id: string } | undefined;
  return row?.id ?? null;
}

/** The record the API returns: the stored allegation, with its routing history and who it is allocated to. */
export function readAllegation(db: Db, id: string): AllegationRecord | null {
  const s = readStored(db, id);
  if (!s) return null;
  const { a } = s;
  const addressFields = (r: AddressRow) => ({
    line1: r.line1,
    line2: r.line2,
    town: r.town,
    postcode: r.postcode_raw,
    postcodeNormalised: r.postcode ?? null,
    postcodeDistrict: r.postcode_district ?? null,
    postcodeProblem: postcodeProblem(r.postcode_raw),
  });
  const businessAddress = new Map(s.addresses.filter((r) => r.business_id !== null).map((r) => [r.business_id as string, addressFields(r)]));
  const amendedBy = new Map<string, string>();
  for (const n of s.notes) if (n.amends_note_id) amendedBy.set(n.amends_note_id, n.id);

  const unitHistory = (prepared(db, 'SELECT from_unit, to_unit, reason, at, by_user FROM unit_history WHERE allegation_id = ? ORDER BY at, rowid').all(id) as Array<{ from_unit: string | null; to_unit: string; reason: string; at: string; by_user: string }>).map((r) => ({
    fromUnit: r.from_unit ?? null,
    toUnit: r.to_unit,
    reason: r.reason,
    at: r.at,
    by: r.by_user,
  }));
  const allocatedTo = (
    prepared(
      db,
      `SELECT l.user_id, u.display_name, l.allocated_at, l.allocated_by FROM allocations l JOIN users u ON u.id = l.user_id
       WHERE l.allegation_id = ? AND l.ended_at IS NULL ORDER BY l.allocated_at`,
    ).all(id) as Array<{ user_id: string; display_name: string; allocated_at: string; allocated_by: string }>
  ).map((x) => ({ userId: x.user_id, name: x.display_name, since: x.allocated_at, by: x.allocated_by }));

  return {
    id: a.id,
    reference: a.reference,
    submissionId: a.submission_id,
    receivedAt: a.received_at,
    channel: a.channel,
    reporterType: a.reporter_type,
    offenceTypes: s.offences,
    status: a.status,
    unit: a.unit_code,
    routedBy: a.routed_by,
    riskRating: a.risk_rating,
    grading:
      a.grading_source && a.grading_intelligence && a.grading_handling && a.harm && a.graded_at
        ? { source: a.grading_source, intelligence: a.grading_intelligence, handling: a.grading_handling, conditions: a.grading_conditions, harm: a.harm, gradedAt: a.graded_at, gradedBy: a.graded_by ?? '' }
        : null,
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
    subjects: s.subjects.map((r) => ({
      id: r.id,
      role: r.role,
      forename: r.forename,
      middleNames: r.middle_names,
      surname: r.surname,
      knownAs: r.known_as,
      aliases: JSON.parse(r.aliases) as string[],
      dob: r.dob ?? null,
      approxAge: r.approx_age ?? null,
      gender: r.gender,
      nationality: r.nationality,
    })),
    addresses: s.addresses.filter((r) => r.business_id === null).map((r) => ({ id: r.id, type: r.type, subjectId: r.subject_id ?? null, ...addressFields(r) })),
    businesses: s.businesses.map((r) => ({ id: r.id, name: r.name, type: r.type, address: businessAddress.get(r.id) ?? null })),
    phones: s.phones.map((r) => {
      // Read from the number as written: rows stored before numbers that cannot be read were left alone may
      // hold an international form made up from them ("abc123" as +44123).
      const problem = phoneProblem(r.number_raw);
      return { id: r.id, number: r.number_raw, e164: problem ? null : (r.e164 ?? null), national: r.national, problem, subjectId: r.subject_id ?? null };
    }),
    emails: s.emails.map((r) => ({ id: r.id, email: r.email_raw, normalised: r.email, subjectId: r.subject_id ?? null })),
    vehicles: s.vehicles.map((r) => ({ id: r.id, vrm: r.vrm_raw, normalised: r.vrm, description: r.description, subjectId: r.subject_id ?? null })),
    travel: s.travel.map((r) => ({
      id: r.id,
      flight: r.flight_raw,
      flightNumber: r.flight_number ?? null,
      travelDate: r.travel_date ?? null,
      origin: r.origin,
      destination: r.destination,
      subjectId: r.subject_id ?? null,
    })),
    notes: s.notes.map((r) => ({
      id: r.id,
      date: r.note_date,
      author: r.author_name,
      authorUserId: r.author_user_id ?? null,
      text: r.text,
      createdAt: r.created_at,
      amendsNoteId: r.amends_note_id ?? null,
      amendedByNoteId: amendedBy.get(r.id) ?? null,
    })),
    attachments: s.attachments.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      mimeType: r.mime_type,
      pages: r.pages,
      contentHash: r.content_hash ?? null,
      byteSize: r.byte_size ?? null,
      ocrStatus: r.ocr_status,
      legacyText: r.legacy_text,
      pageStatus: s.pages
        .filter((p) => p.attachment_id === r.id)
        .map((p) => ({ page: p.page_no, status: p.status, method: p.method, confidence: p.confidence, error: p.error, chars: p.text.length })),
      addedAt: r.added_at,
      addedBy: r.added_by,
    })),
    unitHistory,
    hasSource: a.has_source === 1,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
  };
}
