// The MI fact of every allegation (shared/mi/facts.ts), kept in the store beside the search index: triggers mark
// an allegation whenever anything MI counts changes (migration 0013; MI reads more tables than search, so it has
// its own marks), the mutation that marked it brings its fact up to date in the same transaction (the one hook of
// core/derived.ts), and every read catches up first, so the figures are those of the records as they stand. The readers here are thin SQL; what the figures mean is shared code.
import { prepared, type Db } from '../store/db.ts';
import { dayNumber, miFact, type MiFact, type MiSource } from '../../shared/mi/facts.ts';
import { CODED_COLUMNS, decodeFact, encodeFact, type CodedRow } from '../../shared/mi/codec.ts';
import { UNIT_CODES } from '../../shared/domain/units.ts';
import type { Region } from '../../shared/domain/units.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';

/** Most marks a mutation brings up to date at once (its own); a backlog waits for the next read. */
const FLUSH_AFTER_MUTATION = 50;
const BATCH = 2000;

const SOURCE_SQL = `
SELECT a.id AS allegationId, a.unit_code AS unit, a.received_at AS receivedAt, a.channel AS channel, a.reporter_type AS reporterType,
  a.status AS status, a.assessed_at AS assessedAt, a.assessment_due_at AS assessmentDueAt, a.time_critical_state AS timeCriticalState,
  a.time_critical_due_at AS timeCriticalDueAt, a.risk_rating AS riskRating, a.next_due_at AS serviceDueAt,
  (SELECT min(d.decided_at) FROM outcome_decisions d WHERE d.allegation_id = a.id) AS firstOutcomeAt,
  a.outcome AS outcome, a.nfa_reason AS nfaReason,
  (SELECT group_concat(x.action) FROM disseminations x WHERE x.allegation_id = a.id AND x.action IS NOT NULL) AS dissActions,
  (SELECT group_concat(o.action) FROM outcome_actions o WHERE o.allegation_id = a.id) AS outcomeActions,
  (SELECT group_concat(f.result) FROM operational_feedback f WHERE f.allegation_id = a.id AND f.kind = 'result') AS results,
  (SELECT group_concat(x.follow_up_due) FROM disseminations x WHERE x.allegation_id = a.id AND x.result = '' AND x.follow_up_due IS NOT NULL) AS openFollowUps,
  (SELECT count(*) FROM allegation_offences o WHERE o.allegation_id = a.id AND o.removed_at IS NULL) AS offences,
  (SELECT count(*) FROM subjects s WHERE s.allegation_id = a.id AND s.removed_at IS NULL AND (trim(s.surname) <> '' OR trim(s.forename) <> '')) AS namedSubjects,
  (SELECT count(*) FROM businesses b WHERE b.allegation_id = a.id AND b.removed_at IS NULL) AS businesses,
  (SELECT count(*) FROM addresses d WHERE d.allegation_id = a.id AND d.removed_at IS NULL AND (d.postcode IS NOT NULL OR (trim(d.line1) <> '' AND trim(d.town) <> ''))) AS locatedAddresses,
  length(trim(a.free_text)) AS accountChars,
  (SELECT count(*) FROM attachments t WHERE t.allegation_id = a.id) AS attachments,
  a.scan_missing_reason AS scanMissingReason,
  a.has_source AS hasSource,
  (EXISTS (SELECT 1 FROM restricted_texts r WHERE r.allegation_id = a.id) OR EXISTS (SELECT 1 FROM attachments t WHERE t.allegation_id = a.id AND t.reveals_source = 1)) AS sourceWithheld,
  EXISTS (SELECT 1 FROM attachments t WHERE t.allegation_id = a.id AND t.reveals_source = 1 AND t.content_hash IS NOT NULL AND t.sanitised_hash IS NULL) AS sourceAwaitingSanitised,
  (a.grading_source IS NOT NULL AND a.grading_intelligence IS NOT NULL AND a.grading_handling IS NOT NULL AND a.harm IS NOT NULL) AS graded,
  (a.status = 'closed' AND EXISTS (SELECT 1 FROM compliance_signoffs c WHERE c.allegation_id = a.id AND c.decision = 'approved')) AS signedOff,
  EXISTS (SELECT 1 FROM qa_checks q WHERE q.allegation_id = a.id) AS qaSampled,
  EXISTS (SELECT 1 FROM qa_checks q WHERE q.allegation_id = a.id AND q.result IS NOT NULL) AS qaChecked,
  EXISTS (SELECT 1 FROM qa_checks q WHERE q.allegation_id = a.id AND q.result = 'issues') AS qaIssues
FROM allegations a WHERE a.id = ?`;

type SourceRow = Omit<MiSource, 'actions' | 'results' | 'openFollowUps' | 'hasSource' | 'sourceWithheld' | 'sourceAwaitingSanitised' | 'graded' | 'signedOff' | 'qaSampled' | 'qaChecked' | 'qaIssues'> & {
  dissActions: string | null;
  outcomeActions: string | null;
  results: string | null;
  openFollowUps: string | null;
  hasSource: number;
  sourceWithheld: number;
  sourceAwaitingSanitised: number;
  graded: number;
  signedOff: number;
  qaSampled: number;
  qaChecked: number;
  qaIssues: number;
};

const list = (s: string | null): string[] => (s ? s.split(',') : []);

/** What MI needs to know about one allegation, read from the store; null if there is no such allegation. */
export function readMiSource(db: Db, allegationId: string): MiSource | null {
  const r = prepared(db, SOURCE_SQL).get(allegationId) as SourceRow | undefined;
  if (!r) return null;
  const { dissActions, outcomeActions, results, openFollowUps, ...rest } = r;
  return {
    ...rest,
    actions: [...new Set([...list(dissActions), ...list(outcomeActions)])] as MiSource['actions'],
    results: list(results) as MiSource['results'],
    openFollowUps: list(openFollowUps),
    hasSource: r.hasSource === 1,
    sourceWithheld: r.sourceWithheld === 1,
    sourceAwaitingSanitised: r.sourceAwaitingSanitised === 1,
    graded: r.graded === 1,
    signedOff: r.signedOff === 1,
    qaSampled: r.qaSampled === 1,
    qaChecked: r.qaChecked === 1,
    qaIssues: r.qaIssues === 1,
  };
}

// The region leads the table's key (so it cannot be null): '' stands for "no region" (the national teams).
// REPLACE also removes the allegation's old row when its region or day changed (allegation_id is UNIQUE).
const UPSERT = `INSERT OR REPLACE INTO mi_facts (region, allegation_id, ${CODED_COLUMNS.join(', ')}) VALUES (?, ?, ${CODED_COLUMNS.map(() => '?').join(', ')})`;
const SELECT_CODED = `SELECT ${CODED_COLUMNS.join(', ')} FROM mi_facts`;
const SELECT_WITH_ID = `SELECT ${CODED_COLUMNS.join(', ')}, allegation_id FROM mi_facts`;

export interface MiScope {
  region?: Region | undefined;
  unit?: string | undefined;
  /** UK dates of receipt, inclusive. */
  from: string;
  to: string;
}

export class MiFactsIndex {
  readonly db: Db;
  /** True while a bulk load runs (core/derived.ts sets it with the other indexes'): marks wait for the next read. */
  deferred = false;

  constructor(db: Db) {
    this.db = db;
  }

  pendingCount(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM mi_pending').get() as { n: number }).n;
  }

  /** Brings up to `max` marked facts up to date; inside the caller's transaction when there is one. */
  flushPending(max = Number.POSITIVE_INFINITY, newestFirst = false): number {
    const run = () => {
      const ids = prepared(this.db, `SELECT allegation_id FROM mi_pending ORDER BY seq ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`).pluck().all(Number.isFinite(max) ? max : -1) as string[];
      for (const id of ids) this.write(id);
      return ids.length;
    };
    return this.db.inTransaction ? run() : this.db.transaction(run)();
  }

  /** Everything marked, in batches (a migration or a bulk load leaves a backlog); returns how many. */
  catchUp(onProgress?: (done: number, total: number) => void): number {
    const total = this.pendingCount();
    let done = 0;
    for (;;) {
      const n = this.flushPending(BATCH);
      if (!n) break;
      done += n;
      onProgress?.(done, Math.max(total, done));
    }
    return done;
  }

  /** Called after every mutation (Store.onMutation): the facts the mutation marked, unless a bulk load runs. */
  afterMutation(): void {
    if (!this.deferred) this.flushPending(FLUSH_AFTER_MUTATION, true);
  }

  /** Marks every allegation and recomputes every fact. */
  rebuild(onProgress?: (done: number, total: number) => void): number {
    this.db.exec('INSERT INTO mi_pending (allegation_id) SELECT id FROM allegations a WHERE NOT EXISTS (SELECT 1 FROM mi_pending p WHERE p.allegation_id = a.id)');
    return this.catchUp(onProgress);
  }

  /**
   * The facts in scope, current: pending marks are brought up to date first. `withIds`: with each fact's allegation
   * (the records behind a figure); without, counting needs none.
   */
  facts(scope: MiScope, withIds = false): MiFact[] {
    if (!this.deferred) this.catchUp();
    const where = ['received_day BETWEEN ? AND ?'];
    const params: unknown[] = [dayNumber(scope.from), dayNumber(scope.to)];
    if (scope.unit) {
      where.unshift('unit = ?');
      params.unshift(UNIT_CODES.indexOf(scope.unit));
    } else if (scope.region) {
      // A range of the table's own order: region, then day.
      where.unshift('region = ?');
      params.unshift(scope.region);
    }
    const rows = prepared(this.db, `${withIds ? SELECT_WITH_ID : SELECT_CODED} WHERE ${where.join(' AND ')}`).raw().all(...params) as CodedRow[];
    return withIds ? rows.map((r) => decodeFact(r, r[CODED_COLUMNS.length] as unknown as string)) : rows.map((r) => decodeFact(r));
  }

  /** One allegation's fact as stored (tests, and anyone checking a figure by hand). */
  factOf(allegationId: string): MiFact | null {
    const r = prepared(this.db, `${SELECT_WITH_ID} WHERE allegation_id = ?`).raw().get(allegationId) as CodedRow | undefined;
    return r ? decodeFact(r, allegationId) : null;
  }

  /** The earliest and latest day of receipt held (the default period), from the receipt index. */
  span(): { first: string | null; last: string | null } {
    const r = prepared(this.db, 'SELECT (SELECT min(received_at) FROM allegations) AS first, (SELECT max(received_at) FROM allegations) AS last').get() as { first: string | null; last: string | null };
    return { first: r.first ? ukDate(new Date(r.first)) : null, last: r.last ? ukDate(new Date(r.last)) : null };
  }

  private write(id: string): void {
    prepared(this.db, 'DELETE FROM mi_pending WHERE allegation_id = ?').run(id);
    const source = readMiSource(this.db, id);
    if (!source) return;
    const fact = miFact(source);
    prepared(this.db, UPSERT).run(fact.region ?? '', id, ...encodeFact(fact));
  }
}
