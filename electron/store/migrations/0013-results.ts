// From assessment to result (issue 20): the 3x5x2 grading with its handling conditions and the harm rating on the
// allegation; actions tracked to their result (who received what, when, the sanitised report sent, the follow-up
// date and the rule that set it); what came back from operations (results and visit debriefs); managers' sample
// checks; and the management-information fact of each allegation, kept current like the search index.
const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;
const noDelete = (table: string) => `
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'rows of ${table} are never deleted'); END;`;

/** Tables whose rows change what MI counts, and how each names its allegation. */
const MI_SOURCES: Array<[string, string]> = [
  ['allegations', 'NEW.id'],
  ['allegation_offences', 'NEW.allegation_id'],
  ['subjects', 'NEW.allegation_id'],
  ['businesses', 'NEW.allegation_id'],
  ['addresses', 'NEW.allegation_id'],
  ['attachments', 'NEW.allegation_id'],
  ['restricted_texts', 'NEW.allegation_id'],
  ['source_details', 'NEW.allegation_id'],
  ['outcome_decisions', 'NEW.allegation_id'],
  ['outcome_actions', 'NEW.allegation_id'],
  ['compliance_signoffs', 'NEW.allegation_id'],
  ['disseminations', 'NEW.allegation_id'],
  ['operational_feedback', 'NEW.allegation_id'],
  ['qa_checks', 'NEW.allegation_id'],
];
const markOnce = (key: string) => `INSERT INTO mi_pending (allegation_id) SELECT ${key} WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mi_pending WHERE allegation_id = ${key});`;
const mark = ([table, key]: [string, string]) => `
CREATE TRIGGER mi_mark_${table}_insert AFTER INSERT ON ${table} BEGIN ${markOnce(key)} END;
CREATE TRIGGER mi_mark_${table}_update AFTER UPDATE ON ${table} BEGIN ${markOnce(key)} END;`;

export const sql = `
ALTER TABLE allegations ADD COLUMN grading_conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE allegations ADD COLUMN harm TEXT CHECK (harm IN ('high', 'medium', 'low'));
ALTER TABLE allegations ADD COLUMN graded_at TEXT;
ALTER TABLE allegations ADD COLUMN graded_by TEXT;

-- An action is a dissemination (or a marker on a system) with its recipient. recipient_kind stays internal or
-- external; recipient_type says which kind of recipient (shared/domain/dissemination.ts). What was sent is kept
-- as sent: the sanitised report's text and its hash, with the grading it carried.
ALTER TABLE disseminations ADD COLUMN action TEXT;
ALTER TABLE disseminations ADD COLUMN recipient_type TEXT;
ALTER TABLE disseminations ADD COLUMN recipient_unit TEXT;
ALTER TABLE disseminations ADD COLUMN report_text TEXT NOT NULL DEFAULT '';
ALTER TABLE disseminations ADD COLUMN report_hash TEXT;
ALTER TABLE disseminations ADD COLUMN grading TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(grading));
ALTER TABLE disseminations ADD COLUMN follow_up_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE disseminations ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE disseminations ADD COLUMN result_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE disseminations ADD COLUMN result_by TEXT;
ALTER TABLE disseminations ADD COLUMN user_id TEXT REFERENCES users(id);
CREATE INDEX disseminations_follow_up ON disseminations (follow_up_due) WHERE result = '';

-- What came back from operations: a recipient's result on an action, or a debrief of a visit (004 §7.1-7.7),
-- attached to the allegation as such. Appended, never changed.
CREATE TABLE operational_feedback (
  id               TEXT PRIMARY KEY,
  allegation_id    TEXT NOT NULL REFERENCES allegations(id),
  dissemination_id TEXT REFERENCES disseminations(id),
  kind             TEXT NOT NULL CHECK (kind IN ('result', 'debrief')),
  result           TEXT CHECK (result IN ('visited', 'arrested', 'no_trace', 'not_actioned', 'marker_placed', 'other')),
  detail           TEXT NOT NULL DEFAULT '',
  debrief          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(debrief)),
  occurred_on      TEXT,
  recorded_at      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL,
  user_id          TEXT REFERENCES users(id),
  hlc              TEXT NOT NULL
) STRICT;
${appendOnly('operational_feedback')}
CREATE INDEX operational_feedback_allegation ON operational_feedback (allegation_id, recorded_at);

-- A manager's sample check: the allegation drawn into a unit's monthly random sample (drawn_*), then checked
-- once (checked_*, result, findings). The row is never deleted; a check once recorded is not changed.
CREATE TABLE qa_checks (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  unit_code     TEXT NOT NULL REFERENCES units(code),
  month         TEXT NOT NULL,
  population    INTEGER NOT NULL,
  drawn_at      TEXT NOT NULL,
  drawn_by      TEXT NOT NULL,
  checked_at    TEXT,
  checked_by    TEXT,
  result        TEXT CHECK (result IN ('no_issues', 'issues')),
  findings      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings)),
  note          TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL,
  UNIQUE (unit_code, month, allegation_id)
) STRICT;
${noDelete('qa_checks')}
CREATE TRIGGER qa_checks_checked_once BEFORE UPDATE ON qa_checks WHEN OLD.result IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'a sample check, once recorded, is kept as it was'); END;
CREATE INDEX qa_checks_sample ON qa_checks (unit_code, month);

-- Management information: one fact row per allegation (shared/mi/facts.ts), derived from the store and brought
-- up to date inside the mutation that changed it; mi_pending marks allegations whose fact is out of date.
-- Clustered by region and day of receipt, so that a region's figures (the common question) read one contiguous
-- range of the table; region is '' for the national teams. Every other value is an integer (shared/mi/codec.ts):
-- a vocabulary index, epoch milliseconds, a yyyymmdd day, one word of flags, so a read makes no strings.
CREATE TABLE mi_facts (
  region           TEXT NOT NULL,
  received_day     INTEGER NOT NULL,
  allegation_id    TEXT NOT NULL UNIQUE REFERENCES allegations(id),
  unit             INTEGER,
  channel          INTEGER NOT NULL,
  reporter_type    INTEGER NOT NULL,
  status           INTEGER NOT NULL,
  assess_days      INTEGER,
  timeliness       INTEGER NOT NULL,
  assessment_due   INTEGER,
  tc_state         INTEGER,
  tc_due           INTEGER,
  tc_met           INTEGER,
  risk_rating      INTEGER,
  service_due      INTEGER,
  service_met      INTEGER,
  outcome          INTEGER,
  nfa_reason       INTEGER,
  actions          INTEGER NOT NULL,
  results          INTEGER NOT NULL,
  awaiting_results INTEGER NOT NULL,
  follow_up_due    INTEGER,
  flags            INTEGER NOT NULL,
  PRIMARY KEY (region, received_day, allegation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX mi_facts_unit ON mi_facts (unit, received_day);

CREATE TABLE mi_pending (
  seq           INTEGER PRIMARY KEY,
  allegation_id TEXT NOT NULL UNIQUE
) STRICT;

${MI_SOURCES.map(mark).join('\n')}

-- Every allegation already held gets its fact.
INSERT INTO mi_pending (allegation_id) SELECT id FROM allegations ORDER BY received_at, rowid;
`;
