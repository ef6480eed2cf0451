// The whole data model of the local case store. Rules that hold for every table:
// - STRICT tables, foreign keys on; ids are UUIDs so records made on different desks never collide.
// - Nothing is deleted (000 §4.15, CPIA): triggers refuse DELETE on case data, and UPDATE on what is
//   append-only (notes, judgements, checks, the change log, the audit log). Amendments are new rows.
// - Every row that sync carries has an `hlc` (hybrid logical clock) timestamp of its last change.
import { CHANNELS, REPORTER_TYPES, STATUSES, RISK_RATINGS, OUTCOMES, NFA_REASONS, ROLES, OCR_STATUSES, LINK_JUDGEMENTS, CHECK_SYSTEMS, OUTCOME_ACTIONS } from '../../../shared/domain/vocabularies.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;
const noDelete = (table: string) => `
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'rows of ${table} are never deleted'); END;`;

export const sql = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL,
  updated_by TEXT
) STRICT;

CREATE TABLE units (
  code     TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('riu', 'lacat', 'nat', 'nsu')),
  region   TEXT,
  holidays TEXT NOT NULL CHECK (holidays IN ('england-wales', 'scotland', 'northern-ireland')),
  active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN (${list(ROLES)})),
  unit_code     TEXT REFERENCES units(code),
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    TEXT NOT NULL,
  created_by    TEXT,
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('users')}

CREATE TABLE allegations (
  id                     TEXT PRIMARY KEY,
  reference              TEXT NOT NULL UNIQUE,
  submission_id          INTEGER,
  submission_hash        TEXT,
  channel                TEXT NOT NULL CHECK (channel IN (${list(CHANNELS)})),
  reporter_type          TEXT NOT NULL CHECK (reporter_type IN (${list(REPORTER_TYPES)})),
  received_at            TEXT NOT NULL,
  status                 TEXT NOT NULL CHECK (status IN (${list(STATUSES)})),
  unit_code              TEXT REFERENCES units(code),
  routed_by              TEXT,
  risk_rating            TEXT CHECK (risk_rating IN (${list(RISK_RATINGS)})),
  assessment_due_at      TEXT,
  assessed_at            TEXT,
  next_due_at            TEXT,
  time_critical          INTEGER NOT NULL DEFAULT 0 CHECK (time_critical IN (0, 1)),
  outcome                TEXT CHECK (outcome IN (${list(OUTCOMES)})),
  nfa_reason             TEXT CHECK (nfa_reason IN (${list(NFA_REASONS)})),
  outcome_at             TEXT,
  outcome_by             TEXT,
  closed_at              TEXT,
  closed_by              TEXT,
  free_text              TEXT NOT NULL DEFAULT '',
  grading_source         TEXT CHECK (grading_source IN ('1', '2', '3')),
  grading_intelligence   TEXT CHECK (grading_intelligence IN ('A', 'B', 'C', 'D', 'E')),
  grading_handling       TEXT CHECK (grading_handling IN ('P', 'C')),
  malicious_suspected    INTEGER NOT NULL DEFAULT 0 CHECK (malicious_suspected IN (0, 1)),
  scan_missing_reason    TEXT,
  has_source             INTEGER NOT NULL DEFAULT 0 CHECK (has_source IN (0, 1)),
  created_at             TEXT NOT NULL,
  created_by             TEXT,
  updated_at             TEXT NOT NULL,
  hlc                    TEXT NOT NULL
) STRICT;
${noDelete('allegations')}
CREATE INDEX allegations_queue ON allegations (unit_code, status, received_at);
CREATE INDEX allegations_received ON allegations (received_at);

CREATE TABLE allegation_offences (
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  offence_type  TEXT NOT NULL,
  PRIMARY KEY (allegation_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX allegation_offences_type ON allegation_offences (offence_type);

-- Every unit the allegation has been routed or reallocated to, with the reason (issue: reallocation keeps history).
CREATE TABLE unit_history (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  from_unit     TEXT REFERENCES units(code),
  to_unit       TEXT NOT NULL REFERENCES units(code),
  reason        TEXT NOT NULL,
  at            TEXT NOT NULL,
  by_user       TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('unit_history')}
CREATE INDEX unit_history_allegation ON unit_history (allegation_id, at);

CREATE TABLE subjects (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  role          TEXT NOT NULL,
  forename      TEXT NOT NULL DEFAULT '',
  middle_names  TEXT NOT NULL DEFAULT '',
  surname       TEXT NOT NULL DEFAULT '',
  known_as      TEXT NOT NULL DEFAULT '',
  aliases       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
  dob           TEXT,
  approx_age    INTEGER,
  gender        TEXT NOT NULL DEFAULT 'U' CHECK (gender IN ('M', 'F', 'X', 'U')),
  nationality   TEXT NOT NULL DEFAULT '',
  surname_key   TEXT NOT NULL DEFAULT '',
  forename_key  TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('subjects')}
CREATE INDEX subjects_allegation ON subjects (allegation_id, ordinal);
CREATE INDEX subjects_surname ON subjects (surname_key);
CREATE INDEX subjects_dob ON subjects (dob);

CREATE TABLE businesses (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL DEFAULT '',
  name_key      TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('businesses')}
CREATE INDEX businesses_allegation ON businesses (allegation_id, ordinal);
CREATE INDEX businesses_name ON businesses (name_key);

-- Addresses of the allegation (home, offence location...), of a subject, or of a business.
CREATE TABLE addresses (
  id               TEXT PRIMARY KEY,
  allegation_id    TEXT NOT NULL REFERENCES allegations(id),
  ordinal          INTEGER NOT NULL,
  subject_id       TEXT REFERENCES subjects(id),
  business_id      TEXT REFERENCES businesses(id),
  type             TEXT NOT NULL,
  line1            TEXT NOT NULL DEFAULT '',
  line2            TEXT NOT NULL DEFAULT '',
  town             TEXT NOT NULL DEFAULT '',
  postcode_raw     TEXT NOT NULL DEFAULT '',
  postcode         TEXT,
  postcode_outward TEXT,
  postcode_district TEXT,
  postcode_area    TEXT,
  hlc              TEXT NOT NULL
) STRICT;
${noDelete('addresses')}
CREATE INDEX addresses_allegation ON addresses (allegation_id, ordinal);
CREATE INDEX addresses_postcode ON addresses (postcode);
CREATE INDEX addresses_district ON addresses (postcode_district);

CREATE TABLE phones (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  subject_id    TEXT REFERENCES subjects(id),
  number_raw    TEXT NOT NULL,
  e164          TEXT,
  national      TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('phones')}
CREATE INDEX phones_allegation ON phones (allegation_id, ordinal);
CREATE INDEX phones_national ON phones (national);

CREATE TABLE emails (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  subject_id    TEXT REFERENCES subjects(id),
  email_raw     TEXT NOT NULL,
  email         TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('emails')}
CREATE INDEX emails_allegation ON emails (allegation_id, ordinal);
CREATE INDEX emails_email ON emails (email);

CREATE TABLE vehicles (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  subject_id    TEXT REFERENCES subjects(id),
  vrm_raw       TEXT NOT NULL,
  vrm           TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('vehicles')}
CREATE INDEX vehicles_allegation ON vehicles (allegation_id, ordinal);
CREATE INDEX vehicles_vrm ON vehicles (vrm);

-- Flights and other travel (customs offences: the itinerary matters, Figure 7).
CREATE TABLE travel (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  ordinal       INTEGER NOT NULL,
  subject_id    TEXT REFERENCES subjects(id),
  flight_raw    TEXT NOT NULL DEFAULT '',
  flight_number TEXT,
  travel_date   TEXT,
  origin        TEXT NOT NULL DEFAULT '',
  destination   TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('travel')}
CREATE INDEX travel_allegation ON travel (allegation_id, ordinal);
CREATE INDEX travel_flight ON travel (flight_number);

-- Notes are appended, never edited: an amendment is a new note that points at the one it amends (CPIA).
CREATE TABLE notes (
  id             TEXT PRIMARY KEY,
  allegation_id  TEXT NOT NULL REFERENCES allegations(id),
  note_date      TEXT NOT NULL,
  author_name    TEXT NOT NULL,
  author_user_id TEXT REFERENCES users(id),
  text           TEXT NOT NULL,
  amends_note_id TEXT REFERENCES notes(id),
  created_at     TEXT NOT NULL,
  hlc            TEXT NOT NULL
) STRICT;
${appendOnly('notes')}
CREATE INDEX notes_allegation ON notes (allegation_id, created_at);

-- Files are content-addressed blobs (content_hash); an attachment with no file held (legacy import) keeps the
-- text that came with it in legacy_text and says so by ocr_status = 'legacy'.
CREATE TABLE attachments (
  id                  TEXT PRIMARY KEY,
  allegation_id       TEXT NOT NULL REFERENCES allegations(id),
  ordinal             INTEGER NOT NULL,
  file_name           TEXT NOT NULL,
  mime_type           TEXT NOT NULL,
  content_hash        TEXT,
  byte_size           INTEGER,
  pages               INTEGER NOT NULL DEFAULT 0,
  ocr_status          TEXT NOT NULL CHECK (ocr_status IN (${list(OCR_STATUSES)})),
  legacy_text         TEXT NOT NULL DEFAULT '',
  reveals_source      INTEGER NOT NULL DEFAULT 0 CHECK (reveals_source IN (0, 1)),
  sanitised_hash      TEXT,
  added_at            TEXT NOT NULL,
  added_by            TEXT NOT NULL,
  hlc                 TEXT NOT NULL
) STRICT;
${noDelete('attachments')}
CREATE INDEX attachments_allegation ON attachments (allegation_id, ordinal);
CREATE INDEX attachments_hash ON attachments (content_hash);

CREATE TABLE attachment_pages (
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  page_no       INTEGER NOT NULL CHECK (page_no >= 1),
  status        TEXT NOT NULL CHECK (status IN (${list(OCR_STATUSES)})),
  method        TEXT CHECK (method IN ('text_layer', 'ocr', 'legacy')),
  text          TEXT NOT NULL DEFAULT '',
  confidence    REAL,
  error         TEXT,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (attachment_id, page_no)
) STRICT, WITHOUT ROWID;

-- A person's judgement on a pair of allegations. Never automatic (000 §4.13); a new judgement on the same pair
-- supersedes the old one by being later, the old one stays.
CREATE TABLE link_judgements (
  id            TEXT PRIMARY KEY,
  allegation_a  TEXT NOT NULL REFERENCES allegations(id),
  allegation_b  TEXT NOT NULL REFERENCES allegations(id),
  judgement     TEXT NOT NULL CHECK (judgement IN (${list(LINK_JUDGEMENTS)})),
  reason        TEXT NOT NULL,
  score         REAL,
  evidence      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(evidence)),
  decided_by    TEXT NOT NULL,
  decided_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL,
  CHECK (allegation_a < allegation_b)
) STRICT;
${appendOnly('link_judgements')}
CREATE INDEX link_judgements_a ON link_judgements (allegation_a, decided_at);
CREATE INDEX link_judgements_b ON link_judgements (allegation_b, decided_at);

-- Background checks on Home Office systems (000 §4.17-4.19): which, when, by whom, the result.
CREATE TABLE checks (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  subject_id    TEXT REFERENCES subjects(id),
  system        TEXT NOT NULL CHECK (system IN (${list(CHECK_SYSTEMS)})),
  done_at       TEXT NOT NULL,
  done_by       TEXT NOT NULL,
  result        TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('checks')}
CREATE INDEX checks_allegation ON checks (allegation_id, done_at);

CREATE TABLE outcome_actions (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  action        TEXT NOT NULL CHECK (action IN (${list(OUTCOME_ACTIONS)})),
  detail        TEXT NOT NULL DEFAULT '',
  at            TEXT NOT NULL,
  by_user       TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('outcome_actions')}
CREATE INDEX outcome_actions_allegation ON outcome_actions (allegation_id);

-- Disseminations are tracked to their result (000 §4.6-4.9): who received it, what they did, when follow-up is due.
CREATE TABLE disseminations (
  id              TEXT PRIMARY KEY,
  allegation_id   TEXT NOT NULL REFERENCES allegations(id),
  recipient       TEXT NOT NULL,
  recipient_kind  TEXT NOT NULL CHECK (recipient_kind IN ('internal', 'external')),
  legal_basis     TEXT NOT NULL DEFAULT '',
  agreement_ref   TEXT NOT NULL DEFAULT '',
  sent_at         TEXT NOT NULL,
  sent_by         TEXT NOT NULL,
  follow_up_due   TEXT,
  result          TEXT NOT NULL DEFAULT '',
  result_at       TEXT,
  hlc             TEXT NOT NULL
) STRICT;
${noDelete('disseminations')}
CREATE INDEX disseminations_allegation ON disseminations (allegation_id);

-- Restricted source details: one opaque payload per allegation. Nothing else in the store may hold them; the
-- vault encrypts the payload in place (format says which).
CREATE TABLE source_details (
  allegation_id TEXT PRIMARY KEY REFERENCES allegations(id),
  format        TEXT NOT NULL,
  payload       BLOB NOT NULL,
  updated_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT, WITHOUT ROWID;
${noDelete('source_details')}

-- The originals of texts that revealed the source (a letter's signature block, a fax header, an MP's covering
-- note): the record and the search index hold the redacted text, the original is restricted like the pane.
CREATE TABLE restricted_texts (
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  part          TEXT NOT NULL,
  format        TEXT NOT NULL,
  payload       BLOB NOT NULL,
  updated_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL,
  PRIMARY KEY (allegation_id, part)
) STRICT, WITHOUT ROWID;
${noDelete('restricted_texts')}

CREATE TABLE allocations (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  allocated_at  TEXT NOT NULL,
  allocated_by  TEXT NOT NULL,
  ended_at      TEXT,
  hlc           TEXT NOT NULL
) STRICT;
${noDelete('allocations')}
CREATE INDEX allocations_allegation ON allocations (allegation_id) WHERE ended_at IS NULL;
CREATE INDEX allocations_user ON allocations (user_id) WHERE ended_at IS NULL;

-- The change log: one row per mutation of a synced entity, in local order, for the sync client to push.
-- Restricted payloads are never written here in plaintext.
CREATE TABLE changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  hlc           TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  allegation_id TEXT,
  op            TEXT NOT NULL CHECK (op IN ('insert', 'update', 'append')),
  data          TEXT NOT NULL CHECK (json_valid(data)),
  user_id       TEXT,
  pushed_at     TEXT
) STRICT;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_only_mark_pushed BEFORE UPDATE ON changes
  WHEN NEW.seq IS NOT OLD.seq OR NEW.hlc IS NOT OLD.hlc OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
    OR NEW.op IS NOT OLD.op OR NEW.data IS NOT OLD.data OR NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE INDEX changes_unpushed ON changes (seq) WHERE pushed_at IS NULL;

-- The audit log: who did what, when; each entry carries the hash of the one before (a hash chain).
CREATE TABLE audit_log (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  at            TEXT NOT NULL,
  user_id       TEXT,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  entity        TEXT,
  entity_id     TEXT,
  allegation_id TEXT,
  details       TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
) STRICT;
${appendOnly('audit_log')}
CREATE INDEX audit_log_allegation ON audit_log (allegation_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
`;
