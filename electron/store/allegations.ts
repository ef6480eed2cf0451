// Writing and reading whole allegations. Every part of the record is its own table (subjects, addresses,
// phones...) so that search, matching and sync can address it; reading reassembles the record the API returns.
import type { Mutation } from './store.ts';
import { prepared, type Db } from './db.ts';
import type { SubmissionRecord, SubmissionSource } from '../../shared/schemas/submission.ts';
import type { AllegationRecord, QueueRow } from '../../shared/schemas/record.ts';
import { foldName, normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../../shared/normalise.ts';
import { redactSource } from '../../shared/redact.ts';
import type { Status } from '../../shared/domain.ts';

/** An allegation ready to be stored: the submission's content plus what intake decided about it. */
export interface NewAllegation {
  id: string;
  submission: SubmissionRecord;
  submissionHash: string | null;
  status: Status;
  unit: string;
  routedBy: string;
  assessmentDueAt: string | null;
  nextDueAt: string | null;
  timeCritical: boolean;
}

export const PLAIN_FORMAT = 'plain-json-v0';

/** The parts of the record that may reveal the source and are redacted before storage, with their originals. */
interface RestrictedOriginal {
  part: string;
  text: string;
}

export function insertAllegation(m: Mutation, a: NewAllegation, newId: () => string): { redactions: number } {
  const s = a.submission;
  const { db, hlc, at } = m;
  const source = s.source;
  const restricted: RestrictedOriginal[] = [];
  let redactions = 0;
  const withhold = (part: string, text: string): string => {
    if (!source) return text;
    const r = redactSource(text, source);
    if (r.count > 0) {
      restricted.push({ part, text });
      redactions += r.count;
    }
    return r.text;
  };

  const freeText = withhold('freeText', s.freeText);
  const row = {
    id: a.id,
    reference: s.reference,
    submission_id: s.id ?? null,
    submission_hash: a.submissionHash,
    channel: s.channel,
    reporter_type: s.reporterType,
    received_at: new Date(s.receivedAt).toISOString(),
    status: a.status,
    unit_code: a.unit,
    routed_by: a.routedBy,
    assessment_due_at: a.assessmentDueAt,
    next_due_at: a.nextDueAt,
    time_critical: a.timeCritical ? 1 : 0,
    free_text: freeText,
    has_source: source ? 1 : 0,
    created_at: at,
    created_by: m.actor.name,
    updated_at: at,
    hlc,
  };
  prepared(db, 
    `INSERT INTO allegations (id, reference, submission_id, submission_hash, channel, reporter_type, received_at, status, unit_code,
       routed_by, assessment_due_at, next_due_at, time_critical, free_text, has_source, created_at, created_by, updated_at, hlc)
     VALUES (@id, @reference, @submission_id, @submission_hash, @channel, @reporter_type, @received_at, @status, @unit_code,
       @routed_by, @assessment_due_at, @next_due_at, @time_critical, @free_text, @has_source, @created_at, @created_by, @updated_at, @hlc)`,
  ).run(row);
  m.change('allegation', a.id, 'insert', { ...row, hlc: undefined }, a.id);

  const offence = prepared(db, 'INSERT INTO allegation_offences (allegation_id, ordinal, offence_type) VALUES (?, ?, ?)');
  s.offenceTypes.forEach((o, i) => offence.run(a.id, i, o));
  if (s.offenceTypes.length) m.change('allegation_offences', a.id, 'insert', { offenceTypes: s.offenceTypes }, a.id);

  prepared(db, 'INSERT INTO unit_history (id, allegation_id, from_unit, to_unit, reason, at, by_user, hlc) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)').run(
    newId(),
    a.id,
    a.unit,
    `routed on receipt: ${a.routedBy}`,
    at,
    m.actor.name,
    hlc,
  );

  const insertSubject = prepared(db, 
    `INSERT INTO subjects (id, allegation_id, ordinal, role, forename, middle_names, surname, known_as, dob, approx_age, gender, nationality, surname_key, forename_key, hlc)
     VALUES (@id, @allegation_id, @ordinal, @role, @forename, @middle_names, @surname, @known_as, @dob, @approx_age, @gender, @nationality, @surname_key, @forename_key, @hlc)`,
  );
  s.subjects.forEach((subj, i) => {
    const r = {
      id: newId(),
      allegation_id: a.id,
      ordinal: i,
      role: subj.role,
      forename: subj.forename,
      middle_names: subj.middleNames,
      surname: subj.surname,
      known_as: subj.knownAs,
      dob: subj.dob,
      approx_age: subj.approxAge,
      gender: subj.gender,
      nationality: subj.nationality,
      surname_key: foldName(subj.surname),
      forename_key: foldName(subj.forename),
      hlc,
    };
    insertSubject.run(r);
    m.change('subject', r.id, 'insert', { ...r, hlc: undefined });
  });

  const insertAddress = prepared(db, 
    `INSERT INTO addresses (id, allegation_id, ordinal, subject_id, business_id, type, line1, line2, town, postcode_raw, postcode, postcode_outward, postcode_district, postcode_area, hlc)
     VALUES (@id, @allegation_id, @ordinal, NULL, @business_id, @type, @line1, @line2, @town, @postcode_raw, @postcode, @postcode_outward, @postcode_district, @postcode_area, @hlc)`,
  );
  const addAddress = (ordinal: number, type: string, addr: { line1: string; line2: string; town: string; postcode: string }, businessId: string | null) => {
    const pc = parseUkPostcode(addr.postcode);
    const r = {
      id: newId(),
      allegation_id: a.id,
      ordinal,
      business_id: businessId,
      type,
      line1: addr.line1,
      line2: addr.line2,
      town: addr.town,
      postcode_raw: addr.postcode,
      postcode: pc.postcode,
      postcode_outward: pc.outward,
      postcode_district: pc.district,
      postcode_area: pc.area,
      hlc,
    };
    insertAddress.run(r);
    m.change('address', r.id, 'insert', { ...r, hlc: undefined });
  };
  s.addresses.forEach((addr, i) => addAddress(i, addr.type, addr, null));

  const insertBusiness = prepared(db, 
    'INSERT INTO businesses (id, allegation_id, ordinal, name, type, name_key, hlc) VALUES (@id, @allegation_id, @ordinal, @name, @type, @name_key, @hlc)',
  );
  s.businesses.forEach((b, i) => {
    const r = { id: newId(), allegation_id: a.id, ordinal: i, name: b.name, type: b.type, name_key: foldName(b.name), hlc };
    insertBusiness.run(r);
    m.change('business', r.id, 'insert', { ...r, hlc: undefined });
    if (b.address) addAddress(s.addresses.length + i, 'business', b.address, r.id);
  });

  const insertPhone = prepared(db, 
    'INSERT INTO phones (id, allegation_id, ordinal, subject_id, number_raw, e164, national, hlc) VALUES (@id, @allegation_id, @ordinal, NULL, @number_raw, @e164, @national, @hlc)',
  );
  s.phones.forEach((p, i) => {
    const n = normalisePhone(p);
    const r = { id: newId(), allegation_id: a.id, ordinal: i, number_raw: p, e164: n.e164, national: n.national, hlc };
    insertPhone.run(r);
    m.change('phone', r.id, 'insert', { ...r, hlc: undefined });
  });

  const insertEmail = prepared(db, 
    'INSERT INTO emails (id, allegation_id, ordinal, subject_id, email_raw, email, hlc) VALUES (@id, @allegation_id, @ordinal, NULL, @email_raw, @email, @hlc)',
  );
  s.emails.forEach((e, i) => {
    const r = { id: newId(), allegation_id: a.id, ordinal: i, email_raw: e, email: normaliseEmail(e), hlc };
    insertEmail.run(r);
    m.change('email', r.id, 'insert', { ...r, hlc: undefined });
  });

  const insertVehicle = prepared(db, 
    "INSERT INTO vehicles (id, allegation_id, ordinal, subject_id, vrm_raw, vrm, description, hlc) VALUES (@id, @allegation_id, @ordinal, NULL, @vrm_raw, @vrm, '', @hlc)",
  );
  s.vehicles.forEach((v, i) => {
    const r = { id: newId(), allegation_id: a.id, ordinal: i, vrm_raw: v, vrm: normaliseVrm(v), hlc };
    insertVehicle.run(r);
    m.change('vehicle', r.id, 'insert', { ...r, hlc: undefined });
  });

  const insertTravel = prepared(db, 
    `INSERT INTO travel (id, allegation_id, ordinal, subject_id, flight_raw, flight_number, travel_date, origin, destination, hlc)
     VALUES (@id, @allegation_id, @ordinal, NULL, @flight_raw, @flight_number, NULL, '', '', @hlc)`,
  );
  s.flights.forEach((f, i) => {
    const r = { id: newId(), allegation_id: a.id, ordinal: i, flight_raw: f, flight_number: normaliseFlightNumber(f), hlc };
    insertTravel.run(r);
    m.change('travel', r.id, 'insert', { ...r, hlc: undefined });
  });

  const insertNote = prepared(db, 
    `INSERT INTO notes (id, allegation_id, note_date, author_name, author_user_id, text, amends_note_id, created_at, hlc)
     VALUES (@id, @allegation_id, @note_date, @author_name, NULL, @text, NULL, @created_at, @hlc)`,
  );
  s.notes.forEach((n) => {
    const id = newId();
    const r = { id, allegation_id: a.id, note_date: n.date, author_name: n.author, text: withhold(`note:${id}`, n.text), created_at: at, hlc };
    insertNote.run(r);
    m.change('note', id, 'append', { ...r, hlc: undefined });
  });

  const insertAttachment = prepared(db, 
    `INSERT INTO attachments (id, allegation_id, ordinal, file_name, mime_type, content_hash, byte_size, pages, ocr_status, legacy_text, reveals_source, added_at, added_by, hlc)
     VALUES (@id, @allegation_id, @ordinal, @file_name, @mime_type, NULL, NULL, @pages, 'legacy', @legacy_text, @reveals_source, @added_at, @added_by, @hlc)`,
  );
  s.attachments.forEach((att, i) => {
    const id = newId();
    const before = restricted.length;
    const legacyText = withhold(`attachment:${id}`, att.ocrText);
    const r = {
      id,
      allegation_id: a.id,
      ordinal: i,
      file_name: att.fileName,
      mime_type: att.mimeType,
      pages: att.pages,
      legacy_text: legacyText,
      reveals_source: restricted.length > before ? 1 : 0,
      added_at: at,
      added_by: m.actor.name,
      hlc,
    };
    insertAttachment.run(r);
    m.change('attachment', id, 'insert', { ...r, hlc: undefined });
  });

  if (source) writeSource(m, a.id, source);
  const insertRestricted = prepared(db, 
    'INSERT INTO restricted_texts (allegation_id, part, format, payload, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const r of restricted) {
    insertRestricted.run(a.id, r.part, PLAIN_FORMAT, Buffer.from(JSON.stringify({ text: r.text }), 'utf8'), at, hlc);
    // The change log says that a restricted original exists, never what it says.
    m.change('restricted_text', `${a.id}:${r.part}`, 'insert', { part: r.part, restricted: true }, a.id);
  }
  return { redactions };
}

function writeSource(m: Mutation, allegationId: string, source: SubmissionSource): void {
  prepared(m.db, 'INSERT INTO source_details (allegation_id, format, payload, updated_at, hlc) VALUES (?, ?, ?, ?, ?)')
    .run(allegationId, PLAIN_FORMAT, Buffer.from(JSON.stringify(source), 'utf8'), m.at, m.hlc);
  m.change('source_details', allegationId, 'insert', { restricted: true }, allegationId);
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

  const subjects = all<Record<string, unknown>>('SELECT * FROM subjects WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
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

  const addressRows = all<Record<string, unknown>>('SELECT * FROM addresses WHERE allegation_id = ? ORDER BY ordinal');
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
  const businesses = all<Record<string, unknown>>('SELECT * FROM businesses WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    name: r.name as string,
    type: r.type as string,
    address: businessAddress.get(r.id as string) ?? null,
  }));

  const phones = all<Record<string, unknown>>('SELECT * FROM phones WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    number: r.number_raw as string,
    e164: (r.e164 as string | null) ?? null,
    national: r.national as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const emails = all<Record<string, unknown>>('SELECT * FROM emails WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    email: r.email_raw as string,
    normalised: r.email as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const vehicles = all<Record<string, unknown>>('SELECT * FROM vehicles WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
    id: r.id as string,
    vrm: r.vrm_raw as string,
    normalised: r.vrm as string,
    description: r.description as string,
    subjectId: (r.subject_id as string | null) ?? null,
  }));
  const travel = all<Record<string, unknown>>('SELECT * FROM travel WHERE allegation_id = ? ORDER BY ordinal').map((r) => ({
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

/** The deadline a queue counts down to: initial assessment while new, then the service standard. */
const DUE_SQL = `CASE WHEN a.status = 'closed' THEN NULL WHEN a.status = 'new' THEN coalesce(a.next_due_at, a.assessment_due_at) ELSE a.next_due_at END`;

const QUEUE_SQL = `
SELECT ${DUE_SQL} AS due_at, a.id, a.reference, a.received_at, a.channel, a.reporter_type, a.status, a.unit_code, a.assessment_due_at, a.next_due_at,
       a.time_critical,
       (SELECT group_concat(offence_type, ',') FROM (SELECT offence_type FROM allegation_offences o WHERE o.allegation_id = a.id ORDER BY ordinal)) AS offences,
       (SELECT trim(forename || ' ' || surname) FROM subjects s WHERE s.allegation_id = a.id ORDER BY ordinal LIMIT 1) AS main_subject,
       (SELECT coalesce(postcode, postcode_outward, postcode_raw) FROM addresses d WHERE d.allegation_id = a.id ORDER BY ordinal LIMIT 1) AS postcode,
       (SELECT count(*) FROM attachments t WHERE t.allegation_id = a.id) AS attachments,
       (SELECT count(*) FROM notes n WHERE n.allegation_id = a.id) AS notes
FROM allegations a`;

export interface QueueFilter {
  unit: string | null;
  statuses: readonly Status[];
  timeCriticalOnly?: boolean;
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
      attachments: r.attachments as number,
      notes: r.notes as number,
    })),
  };
}
