// The registry of synced entities: every table whose rows travel between desks and the server, declared once, so
// that the desk's store writes them, the change log describes them and the server validates and merges them
// from the same description (DESIGN.md, "Sync"). A table is either here or in LOCAL_TABLES with the reason it
// stays on one desk; a test walks the schema and fails on any table, or column, that is neither.
//
// - key: the columns that identify a row. A change names the row by `encodeKey` of their values.
// - merge 'fields': each field merges on its own, last writer by hybrid logical clock (form fields, parts,
//   allocations); 'append': a row is written once and never changed, so desks merge by union (notes, checks,
//   judgements, decisions).
// - state: fields whose change is a state transition the server validates against the rules (an outcome, a
//   closure, a reallocation) and may refuse; a refused one comes back to its author as a conflict.
// - scope: who may hold the row. 'allegation': whoever holds the allegation(s) named by `allegations` (columns of
//   the row) or by the parent row; 'national': every desk; 'user': the desk of the user in `userColumn`;
//   'nsu': NSU desks only; 'nat': National Allegations Team desks (the scan inbox of the post room).
// - binary: BLOB columns (sealed payloads); they travel as `{ b64 }`.
// - restricted: the row holds sealed source material; only ciphertext ever enters the change log.
// - local: columns of a synced table that stay on this desk, with why; `arriving` gives them a value for rows
//   that come from elsewhere.
// The order of ENTITIES is the order in which rows can be created (a row's references come before it).

export type MergeKind = 'fields' | 'append';
export type ScopeKind = 'allegation' | 'national' | 'user' | 'nsu' | 'nat';

export interface EntitySpec {
  readonly entity: string;
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: readonly string[];
  readonly merge: MergeKind;
  readonly scope: ScopeKind;
  /** Columns naming the allegation(s) the row belongs to (scope 'allegation'). */
  readonly allegations?: readonly string[];
  /** For a row without an allegation column: the entity and the column holding its key. */
  readonly parent?: { readonly entity: string; readonly column: string };
  /** Scope 'user': the owning user's column. */
  readonly userColumn?: string;
  readonly state?: readonly string[];
  readonly binary?: readonly string[];
  readonly restricted?: boolean;
  readonly local?: Readonly<Record<string, string>>;
  /** Values of local columns for a row that arrives from elsewhere (this desk has not made them yet). */
  readonly arriving?: Readonly<Record<string, string | number | null>>;
}

const PART_COLUMNS = ['allegation_id', 'ordinal', 'removed_at'] as const;

export const ENTITIES = [
  {
    entity: 'user',
    table: 'users',
    key: ['id'],
    merge: 'fields',
    scope: 'national',
    columns: ['username', 'display_name', 'role', 'unit_code', 'active', 'created_at', 'created_by'],
    local: { password_hash: "this desk's verifier for offline sign-in; the server keeps its own and never receives this one" },
    // A user who arrives by sync has no verifier here until they first sign in online on this desk.
    arriving: { password_hash: '' },
  },
  {
    entity: 'setting',
    table: 'settings',
    key: ['key'],
    merge: 'fields',
    scope: 'national',
    columns: ['value', 'updated_at', 'updated_by'],
  },
  {
    entity: 'allegation',
    table: 'allegations',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['id'],
    columns: [
      'reference', 'submission_id', 'submission_hash', 'channel', 'reporter_type', 'received_at', 'status', 'unit_code', 'routed_by',
      'risk_rating', 'assessment_due_at', 'assessed_at', 'next_due_at', 'time_critical', 'outcome', 'nfa_reason', 'outcome_at', 'outcome_by',
      'closed_at', 'closed_by', 'free_text', 'grading_source', 'grading_intelligence', 'grading_handling', 'malicious_suspected',
      'scan_missing_reason', 'has_source', 'created_at', 'created_by', 'updated_at', 'time_critical_state', 'time_critical_deadline',
      'time_critical_evidence', 'time_critical_due_at', 'time_critical_decided_at', 'time_critical_decided_by', 'time_critical_reason',
      'grading_conditions', 'harm', 'graded_at', 'graded_by',
    ],
    state: ['status', 'unit_code', 'outcome', 'nfa_reason', 'outcome_at', 'outcome_by', 'closed_at', 'closed_by'],
  },
  {
    entity: 'allegation_offence',
    table: 'allegation_offences',
    key: ['allegation_id', 'offence_type'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['ordinal', 'removed_at'],
  },
  {
    entity: 'unit_history',
    table: 'unit_history',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'from_unit', 'to_unit', 'reason', 'at', 'by_user'],
  },
  {
    entity: 'subject',
    table: 'subjects',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'role', 'forename', 'middle_names', 'surname', 'known_as', 'aliases', 'dob', 'approx_age', 'gender', 'nationality', 'surname_key', 'forename_key'],
  },
  {
    entity: 'business',
    table: 'businesses',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'name', 'type', 'name_key'],
  },
  {
    entity: 'address',
    table: 'addresses',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'subject_id', 'business_id', 'type', 'line1', 'line2', 'town', 'postcode_raw', 'postcode', 'postcode_outward', 'postcode_district', 'postcode_area'],
  },
  {
    entity: 'phone',
    table: 'phones',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'subject_id', 'number_raw', 'e164', 'national'],
  },
  {
    entity: 'email',
    table: 'emails',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'subject_id', 'email_raw', 'email'],
  },
  {
    entity: 'vehicle',
    table: 'vehicles',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'subject_id', 'vrm_raw', 'vrm', 'description'],
  },
  {
    entity: 'travel',
    table: 'travel',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [...PART_COLUMNS, 'subject_id', 'flight_raw', 'flight_number', 'travel_date', 'origin', 'destination'],
  },
  {
    entity: 'note',
    table: 'notes',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'note_date', 'author_name', 'author_user_id', 'text', 'amends_note_id', 'created_at'],
  },
  {
    entity: 'attachment',
    table: 'attachments',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [
      'allegation_id', 'ordinal', 'file_name', 'mime_type', 'content_hash', 'byte_size', 'pages', 'ocr_status', 'legacy_text', 'reveals_source',
      'sanitised_hash', 'added_at', 'added_by', 'kind', 'error_code', 'error', 'analysis', 'source_moved_at', 'source_moved_by',
    ],
  },
  {
    entity: 'attachment_page',
    table: 'attachment_pages',
    key: ['attachment_id', 'page_no'],
    merge: 'fields',
    scope: 'allegation',
    parent: { entity: 'attachment', column: 'attachment_id' },
    columns: ['status', 'method', 'text', 'confidence', 'error', 'updated_at', 'width', 'height', 'error_code', 'reveals_source', 'data_format', 'data'],
    binary: ['data'],
    restricted: true,
  },
  {
    entity: 'attachment_sanitised',
    table: 'attachment_sanitised',
    key: ['attachment_id', 'page_no'],
    merge: 'fields',
    scope: 'allegation',
    parent: { entity: 'attachment', column: 'attachment_id' },
    columns: ['blob_hash', 'width', 'height', 'boxes', 'made_at'],
  },
  {
    entity: 'suggestion_decision',
    table: 'suggestion_decisions',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [
      'allegation_id', 'origin', 'origin_id', 'origin_label', 'suggestion_key', 'kind', 'value', 'page', 'words', 'sentence', 'decision', 'reason', 'field',
      'decided_by', 'user_id', 'decided_at',
    ],
  },
  {
    entity: 'link_judgement',
    table: 'link_judgements',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_a', 'allegation_b'],
    columns: ['allegation_a', 'allegation_b', 'judgement', 'reason', 'score', 'evidence', 'decided_by', 'decided_at'],
  },
  {
    entity: 'link_review',
    table: 'link_reviews',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'reviewed_at', 'reviewed_by', 'user_id', 'candidates', 'note'],
  },
  {
    entity: 'intake_link_warning',
    table: 'intake_link_warnings',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'candidate_id', 'score', 'label', 'choice', 'reason', 'decided_by', 'decided_at'],
  },
  {
    entity: 'check',
    table: 'checks',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'subject_id', 'system', 'done_at', 'done_by', 'result', 'finding'],
  },
  {
    entity: 'outcome_decision',
    table: 'outcome_decisions',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'outcome', 'nfa_reason', 'duplicate_of', 'rationale', 'review_id', 'checks', 'decided_by', 'user_id', 'decided_at'],
  },
  {
    entity: 'outcome_action',
    table: 'outcome_actions',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'action', 'detail', 'at', 'by_user', 'decision_id'],
  },
  {
    entity: 'compliance_signoff',
    table: 'compliance_signoffs',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'decision_id', 'decision', 'evidence', 'note', 'decided_by', 'user_id', 'decided_at'],
  },
  {
    entity: 'dissemination',
    table: 'disseminations',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: [
      'allegation_id', 'recipient', 'recipient_kind', 'legal_basis', 'agreement_ref', 'sent_at', 'sent_by', 'follow_up_due', 'result', 'result_at',
      'action', 'recipient_type', 'recipient_unit', 'report_text', 'report_hash', 'grading', 'follow_up_rule', 'note', 'result_detail', 'result_by', 'user_id',
    ],
  },
  {
    entity: 'operational_feedback',
    table: 'operational_feedback',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'dissemination_id', 'kind', 'result', 'detail', 'debrief', 'occurred_on', 'recorded_at', 'recorded_by', 'user_id'],
  },
  {
    entity: 'qa_check',
    table: 'qa_checks',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'unit_code', 'month', 'population', 'drawn_at', 'drawn_by', 'checked_at', 'checked_by', 'result', 'findings', 'note'],
  },
  {
    entity: 'allocation',
    table: 'allocations',
    key: ['id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'user_id', 'allocated_at', 'allocated_by', 'ended_at'],
    state: ['allegation_id', 'user_id', 'allocated_at', 'allocated_by', 'ended_at'],
  },
  {
    entity: 'source_details',
    table: 'source_details',
    key: ['allegation_id'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['format', 'payload', 'updated_at'],
    binary: ['payload'],
    restricted: true,
  },
  {
    entity: 'restricted_text',
    table: 'restricted_texts',
    key: ['allegation_id', 'part'],
    merge: 'fields',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['format', 'payload', 'updated_at'],
    binary: ['payload'],
    restricted: true,
  },
  {
    entity: 'source_contact',
    table: 'source_contacts',
    key: ['id'],
    merge: 'append',
    scope: 'allegation',
    allegations: ['allegation_id'],
    columns: ['allegation_id', 'at', 'by_user', 'method', 'direction', 'tasking', 'format', 'payload'],
    binary: ['payload'],
    restricted: true,
  },
  {
    entity: 'nsu_decision',
    table: 'nsu_decisions',
    key: ['id'],
    merge: 'append',
    scope: 'nsu',
    columns: ['group_key', 'allegation_ids', 'decision', 'format', 'note', 'decided_by', 'decided_at'],
    binary: ['note'],
    restricted: true,
  },
  {
    entity: 'watch_item',
    table: 'watch_items',
    key: ['id'],
    merge: 'fields',
    scope: 'user',
    userColumn: 'user_id',
    columns: ['user_id', 'kind', 'value', 'label', 'added_at', 'removed_at'],
    local: {
      seen_at: 'when the user last looked at the item on this desk',
      seen_count: 'how many allegations naming it this desk held then (another desk holds others)',
    },
    arriving: { seen_at: null, seen_count: 0 },
  },
  {
    entity: 'saved_search',
    table: 'saved_searches',
    key: ['id'],
    merge: 'fields',
    scope: 'user',
    userColumn: 'user_id',
    columns: ['user_id', 'name', 'query', 'created_at', 'removed_at'],
    local: {
      seen_at: 'when the user last looked at the matches on this desk',
      seen_docs: "the matches seen, as this desk's own search-index document numbers, which mean nothing elsewhere",
      seen_count: 'how many matches were seen on this desk',
    },
  },
  {
    entity: 'scan',
    table: 'scan_inbox',
    key: ['id'],
    merge: 'fields',
    scope: 'nat',
    columns: ['file_name', 'source_path', 'source_mtime', 'content_hash', 'byte_size', 'kind', 'mime_type', 'pages', 'status', 'error', 'found_at', 'attachment_id', 'allegation_id', 'attached_at', 'attached_by'],
  },
] as const satisfies readonly EntitySpec[];

/** The name of a synced entity, as the change log and the writer know it. */
export type EntityName = (typeof ENTITIES)[number]['entity'];

/** Tables that never leave this desk, each with the reason. */
export const LOCAL_TABLES: Readonly<Record<string, string>> = {
  meta: "this desk's identity (its clock node id) and the head of its own audit chain",
  desk_settings: "this desk's own configuration (the scan folder it watches): a path on this machine",
  units: 'reference data seeded from shared/domain/units.ts at every start',
  drafts: "a form being typed by one user on this desk, saved every few seconds so nothing is lost; it becomes synced rows when saved",
  reference_sequences: "this desk's counter of provisional references (the server gives the national reference)",
  data_keys: "data keys wrapped by this desk's key ring; a server's key service wraps its own",
  source_blind_index: "derived from sealed source details with this desk's blind-index key (the server computes its own nationally)",
  match_profiles: 'derived: the matching profile of each allegation, rebuilt from the synced rows',
  match_keys: 'derived: blocking keys of the matching profiles',
  match_stats: 'derived: frequencies of names, dates and places for matching weights',
  search_docs: 'derived: the search index document of each allegation',
  search_pending: 'derived: allegations whose index entry is out of date',
  match_pending: 'derived: allegations whose matching profile is out of date',
  search_names: 'derived: the vocabulary of name tokens for fuzzy search',
  search_fts: 'derived: the full-text index',
  search_names_fts: 'derived: the name-token index',
  ocr_queue: "this desk's reading work: attachments it has still to read (a desk reads the files it holds)",
  mi_facts: 'derived: the management-information fact of each allegation, recomputed from the synced rows',
  mi_pending: 'derived: allegations whose management-information fact is out of date',
  field_clocks: 'the per-field clocks of synced rows, kept beside them (they travel in each change row)',
  changes: 'the change log itself: what sync pushes',
  changes_legacy: 'change rows written before the registry, in their old shapes; kept, never pushed',
  audit_log: 'the audit chain travels by its own path (heads countersigned by the server), not as entity rows',
  sign_in_attempts: "failed sign-ins at this desk, for its back-off and lockout (the server counts its own)",
  sync_state: "this desk's registration with the central server, its credential, and where push and pull have reached",
  sync_conflicts: "this desk's changes the server rejected, kept for the person who made them to resolve (the server keeps its own record)",
  sync_withdrawn: 'rows this desk wrote whose change the server rejected: the server does not hold them, so neither does sync',
  sync_moved: "allegations that left this desk's scope: what this desk held is kept as it stood, marked as moved",
  sync_blobs: "this desk's queue of attachment files still to send to the server or fetch from it",
  offline_signins: 'until when a person may sign in on this desk without the server (the server keeps its own password hash)',
  reference_aliases: "the provisional references this desk gave allegations the server has since numbered (the server keeps its own list)",
  server_key_deposits: 'which data keys this desk has deposited with the server (the server keeps the keys themselves, wrapped)',
  released_keys: "data keys the server released to a person here, sealed to their sign-in, until the server's expiry (the server keeps the keys, and its record of each release)",
  audit_countersigns: "the server's countersignatures of this desk's audit heads, kept to check the local chain against (the server chains its own)",
};

const BY_ENTITY = new Map<string, EntitySpec>(ENTITIES.map((e) => [e.entity, e]));
const BY_TABLE = new Map<string, EntitySpec>(ENTITIES.map((e) => [e.table, e]));

export function entitySpec(entity: string): EntitySpec {
  const spec = BY_ENTITY.get(entity);
  if (!spec) throw new Error(`No synced entity is called ${JSON.stringify(entity)}`);
  return spec;
}

export function entityOfTable(table: string): EntitySpec | undefined {
  return BY_TABLE.get(table);
}

/** The row id a change names: the key value, or the key values as a JSON array when the key has several columns. */
export function encodeKey(spec: EntitySpec, row: Readonly<Record<string, unknown>>): string {
  const values = spec.key.map((k) => {
    const v = row[k];
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${spec.entity}: key column ${k} has no value`);
    return v;
  });
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}

export function decodeKey(spec: EntitySpec, id: string): Record<string, string | number> {
  if (spec.key.length === 1) return { [spec.key[0] as string]: id };
  const values = JSON.parse(id) as unknown;
  if (!Array.isArray(values) || values.length !== spec.key.length || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new Error(`${spec.entity}: ${JSON.stringify(id)} is not a key of this entity`);
  }
  return Object.fromEntries(spec.key.map((k, i) => [k, values[i] as string | number]));
}
