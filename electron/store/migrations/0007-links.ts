// The duplicate/link panel and the end of assessment (issue 6): the cross-check review that must come before an
// outcome, what the person saving a new allegation said when a strong candidate was shown to them, each outcome
// decision with its rationale (the allegation row holds the one in force), and the compliance officer's
// sign-off with the evidence of what was checked. All append-only: a returned outcome stays in the history.
const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

export const sql = `
-- "I have looked at the candidates": who, when, and what was on the panel then (references, scores, judgements).
CREATE TABLE link_reviews (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  reviewed_at   TEXT NOT NULL,
  reviewed_by   TEXT NOT NULL,
  user_id       TEXT REFERENCES users(id),
  candidates    TEXT NOT NULL CHECK (json_valid(candidates)),
  note          TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('link_reviews')}
CREATE INDEX link_reviews_allegation ON link_reviews (allegation_id, reviewed_at);

-- Saving a new allegation whose best candidate was strong: the candidate shown, and the reason for going on.
CREATE TABLE intake_link_warnings (
  id             TEXT PRIMARY KEY,
  allegation_id  TEXT NOT NULL REFERENCES allegations(id),
  candidate_id   TEXT NOT NULL REFERENCES allegations(id),
  score          REAL NOT NULL,
  label          TEXT NOT NULL,
  choice         TEXT NOT NULL CHECK (choice IN ('duplicate', 'associated', 'not_a_match', 'undecided')),
  reason         TEXT NOT NULL,
  decided_by     TEXT NOT NULL,
  decided_at     TEXT NOT NULL,
  hlc            TEXT NOT NULL
) STRICT;
${appendOnly('intake_link_warnings')}
CREATE INDEX intake_link_warnings_allegation ON intake_link_warnings (allegation_id);
CREATE INDEX intake_link_warnings_candidate ON intake_link_warnings (candidate_id);

-- Every outcome chosen, with what made it valid at the time. The allegation row holds the one in force.
CREATE TABLE outcome_decisions (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  outcome       TEXT NOT NULL,
  nfa_reason    TEXT,
  duplicate_of  TEXT REFERENCES allegations(id),
  rationale     TEXT NOT NULL,
  review_id     TEXT REFERENCES link_reviews(id),
  checks        TEXT NOT NULL CHECK (json_valid(checks)),
  decided_by    TEXT NOT NULL,
  user_id       TEXT REFERENCES users(id),
  decided_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('outcome_decisions')}
CREATE INDEX outcome_decisions_allegation ON outcome_decisions (allegation_id, decided_at);
ALTER TABLE outcome_actions ADD COLUMN decision_id TEXT REFERENCES outcome_decisions(id);

-- The compliance officer's check of a case with an outcome: approved (the case closes) or returned with a note.
CREATE TABLE compliance_signoffs (
  id            TEXT PRIMARY KEY,
  allegation_id TEXT NOT NULL REFERENCES allegations(id),
  decision_id   TEXT NOT NULL REFERENCES outcome_decisions(id),
  decision      TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
  evidence      TEXT NOT NULL CHECK (json_valid(evidence)),
  note          TEXT NOT NULL,
  decided_by    TEXT NOT NULL,
  user_id       TEXT REFERENCES users(id),
  decided_at    TEXT NOT NULL,
  hlc           TEXT NOT NULL
) STRICT;
${appendOnly('compliance_signoffs')}
CREATE INDEX compliance_signoffs_allegation ON compliance_signoffs (allegation_id, decided_at);

-- Background checks: what the check found, besides the free-text result.
ALTER TABLE checks ADD COLUMN finding TEXT NOT NULL DEFAULT 'recorded' CHECK (finding IN ('recorded', 'no_trace', 'trace', 'not_possible'));
`;
