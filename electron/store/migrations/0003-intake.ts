// Intake: time-critical triage on receipt, drafts that autosave the form, and parts of the form that can be
// removed without being deleted (the row stays, marked removed, for disclosure).
const parts = ['subjects', 'addresses', 'businesses', 'phones', 'emails', 'vehicles', 'travel'];

export const sql = `
ALTER TABLE allegations ADD COLUMN time_critical_state TEXT CHECK (time_critical_state IN ('detected', 'confirmed', 'dismissed'));
ALTER TABLE allegations ADD COLUMN time_critical_deadline TEXT;
ALTER TABLE allegations ADD COLUMN time_critical_evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(time_critical_evidence));
ALTER TABLE allegations ADD COLUMN time_critical_due_at TEXT;
ALTER TABLE allegations ADD COLUMN time_critical_decided_at TEXT;
ALTER TABLE allegations ADD COLUMN time_critical_decided_by TEXT;
ALTER TABLE allegations ADD COLUMN time_critical_reason TEXT;
CREATE INDEX allegations_time_critical ON allegations (unit_code, time_critical) WHERE time_critical = 1;

${parts.map((t) => `ALTER TABLE ${t} ADD COLUMN removed_at TEXT;`).join('\n')}

-- The form as it is being typed, saved every few seconds, so that nothing typed is ever lost. Source details
-- typed into the restricted section are kept apart, in their own payload (encrypted by the vault).
CREATE TABLE drafts (
  id             TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users(id),
  allegation_id  TEXT REFERENCES allegations(id),
  data           TEXT NOT NULL CHECK (json_valid(data)),
  source_format  TEXT,
  source_payload BLOB,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX drafts_user ON drafts (user_id, updated_at);

-- Locally created references: the next number per year for this desk.
CREATE TABLE reference_sequences (
  year  INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL
) STRICT;
`;
