// The matching index in the case store: each allegation's profile, its blocking keys and the value counts that
// make weights frequency-aware. Kept current inside the mutation that changes an allegation (like search), and
// rebuildable from the store at any time (it is derived data).
import type { Db, Stmt } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { prepareAllegation, statValues, type MatchProfile, type PreparedAllegation } from '../../shared/matching/allegation.ts';
import { storedKeys } from '../../shared/matching/allegation-keys.ts';
import { FrequencyTable, type FrequencyKind, type Frequencies } from '../../shared/matching/frequency.ts';
import { keyHash } from '../../shared/matching/key-hash.ts';
import { profileFromStore } from './store-profile.ts';
import type { LinkJudgement } from '../../shared/domain/vocabularies.ts';

/** Prepared allegations kept in memory (a few KB each). */
const PREPARED_CACHE = 50_000;

/** Most marked allegations a mutation re-profiles at once, newest first (its own; a backlog waits for the timer). */
const FLUSH_AFTER_MUTATION = 20;
/** Most marked allegations re-profiled before candidates are read. */
const FLUSH_BEFORE_READ = 500;

/** Bump when profiles or keys change meaning: older rows are then re-indexed by catchUp(). */
export const PROFILE_VERSION = 3;

export interface JudgementRow {
  a: string;
  b: string;
  judgement: LinkJudgement;
  reason: string;
  score: number | null;
  /** Evidence in bits when the judgement was made (older judgements may not have it). */
  weight: number | null;
  decided_by: string;
  decided_at: string;
}

export interface ProfileRow {
  n: number;
  allegationId: string;
  profile: MatchProfile;
}

export class MatchIndex {
  private readonly db: Db;
  /** While true (bulk import), marks are left for a later catch-up instead of being profiled at once. */
  deferred = false;
  private freq: FrequencyTable | null = null;
  private populationCount: number | null = null;
  private readonly cache = new Map<number, { allegationId: string; prepared: PreparedAllegation }>();
  private readonly selectOld: Stmt;
  private readonly insertProfile: Stmt;
  private readonly updateProfile: Stmt;
  private readonly insertKey: Stmt;
  private readonly deleteKey: Stmt;
  private readonly bumpStat: Stmt;
  private readonly lookupKey: Stmt;
  private readonly profileByN: Stmt;
  private readonly profileById: Stmt;
  private readonly judgementRows: Stmt;
  private readonly referenceOf: Stmt;

  constructor(db: Db) {
    this.db = db;
    this.selectOld = db.prepare('SELECT n, profile FROM match_profiles WHERE allegation_id = ?');
    this.insertProfile = db.prepare('INSERT INTO match_profiles (allegation_id, version, profile) VALUES (?, ?, ?)');
    this.updateProfile = db.prepare('UPDATE match_profiles SET version = ?, profile = ? WHERE n = ?');
    this.insertKey = db.prepare('INSERT OR IGNORE INTO match_keys (key, n) VALUES (?, ?)');
    this.deleteKey = db.prepare('DELETE FROM match_keys WHERE key = ? AND n = ?');
    this.bumpStat = db.prepare('INSERT INTO match_stats (kind, value, n) VALUES (?, ?, ?) ON CONFLICT (kind, value) DO UPDATE SET n = n + excluded.n');
    this.lookupKey = db.prepare('SELECT n FROM match_keys WHERE key = ? LIMIT ?').pluck();
    this.profileByN = db.prepare('SELECT n, allegation_id, profile FROM match_profiles WHERE n = ?');
    this.profileById = db.prepare('SELECT n, allegation_id, profile FROM match_profiles WHERE allegation_id = ?');
    this.judgementRows = db.prepare(
      `SELECT allegation_a AS a, allegation_b AS b, judgement, reason, score, json_extract(evidence, '$.weight') AS weight, decided_by, decided_at FROM link_judgements
       WHERE allegation_a = ? OR allegation_b = ? ORDER BY decided_at, rowid`,
    );
    this.referenceOf = db.prepare('SELECT reference FROM allegations WHERE id = ?').pluck();
  }

  /** Re-indexes one stored allegation (and clears its mark). Runs inside the caller's transaction. */
  indexAllegation(id: string): void {
    prepared(this.db, 'DELETE FROM match_pending WHERE allegation_id = ?').run(id);
    const profile = profileFromStore(this.db, id);
    if (profile) this.putProfile(id, profile);
  }

  /**
   * Re-profiles up to `max` marked allegations (the triggers mark any allegation whose rows changed); returns how
   * many. Runs inside the caller's transaction when there is one, so profiles change with the data.
   */
  flushPending(max = Number.POSITIVE_INFINITY, newestFirst = false): number {
    const run = () => {
      const ids = prepared(this.db, `SELECT allegation_id FROM match_pending ORDER BY seq ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`).pluck().all(Number.isFinite(max) ? max : -1) as string[];
      for (const id of ids) this.indexAllegation(id);
      return ids.length;
    };
    return this.db.inTransaction ? run() : this.db.transaction(run)();
  }

  /** Marks profiles written by an older version (their keys mean something else now) to be written again. */
  markStale(): number {
    return prepared(
      this.db,
      'INSERT INTO match_pending (allegation_id) SELECT allegation_id FROM match_profiles p WHERE version <> ? AND NOT EXISTS (SELECT 1 FROM match_pending m WHERE m.allegation_id = p.allegation_id)',
    ).run(PROFILE_VERSION).changes;
  }

  pendingCount(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM match_pending').get() as { n: number }).n;
  }

  /** Called after every mutation (Store.onMutation): profiles what the mutation marked, unless deferred. */
  afterMutation(): void {
    if (!this.deferred) this.flushPending(FLUSH_AFTER_MUTATION, true);
  }

  /** Before candidates are read: profiles written by other connections, or left by a bulk load, are brought up to date. */
  beforeRead(): void {
    if (!this.deferred && !this.db.inTransaction) this.flushPending(FLUSH_BEFORE_READ);
  }

  putProfile(allegationId: string, profile: MatchProfile): number {
    const old = this.selectOld.get(allegationId) as { n: number; profile: string } | undefined;
    let n: number;
    if (old) {
      n = old.n;
      this.cache.delete(n);
      const before = JSON.parse(old.profile) as MatchProfile;
      for (const k of storedKeys(before)) this.deleteKey.run(keyHash(k), n);
      this.addStats(before, -1);
      this.updateProfile.run(PROFILE_VERSION, JSON.stringify(profile), n);
    } else {
      n = Number(this.insertProfile.run(allegationId, PROFILE_VERSION, JSON.stringify(profile)).lastInsertRowid);
      if (this.populationCount !== null) this.populationCount++;
    }
    for (const k of storedKeys(profile)) this.insertKey.run(keyHash(k), n);
    this.addStats(profile, 1);
    return n;
  }

  private addStats(profile: MatchProfile, sign: 1 | -1): void {
    for (const [kind, value] of statValues(prepareAllegation(profile))) {
      this.bumpStat.run(kind, value, sign);
      this.freq?.add(kind, value, sign);
    }
  }

  /** Indexes every allegation that is marked, has no profile yet, or one from an older version. Returns how many. */
  catchUp(onProgress?: (done: number, total: number) => void): number {
    const ids = this.db
      .prepare(
        `SELECT a.id FROM allegations a LEFT JOIN match_profiles p ON p.allegation_id = a.id WHERE p.n IS NULL OR p.version <> ?
         UNION SELECT allegation_id FROM match_pending`,
      )
      .pluck()
      .all(PROFILE_VERSION) as string[];
    const batch = 500;
    for (let i = 0; i < ids.length; i += batch) {
      this.db.transaction(() => {
        for (const id of ids.slice(i, i + batch)) this.indexAllegation(id);
      })();
      onProgress?.(Math.min(ids.length, i + batch), ids.length);
    }
    return ids.length;
  }

  /** Value counts, loaded once and then kept in step with every profile written through this index. */
  frequencies(): Frequencies {
    if (!this.freq) {
      const f = new FrequencyTable();
      for (const r of this.db.prepare('SELECT kind, value, n FROM match_stats WHERE n > 0').iterate() as Iterable<{ kind: FrequencyKind; value: string; n: number }>) f.add(r.kind, r.value, r.n);
      this.freq = f;
    }
    return this.freq;
  }

  /** Forgets the in-memory counts (after a rolled-back write, or a rebuild by another process). */
  reloadFrequencies(): void {
    this.freq = null;
  }

  /** Forgets everything held in memory (after a mutation that indexed and then rolled back). */
  forgetCaches(): void {
    this.freq = null;
    this.populationCount = null;
    this.cache.clear();
  }

  /** Allegations filed under a key, at most `limit` of them. */
  lookup(key: string, limit: number): number[] {
    return this.lookupKey.all(keyHash(key), limit) as number[];
  }

  profile(n: number): ProfileRow | null {
    const r = this.profileByN.get(n) as { n: number; allegation_id: string; profile: string } | undefined;
    return r ? { n: r.n, allegationId: r.allegation_id, profile: JSON.parse(r.profile) as MatchProfile } : null;
  }

  /**
   * A stored allegation ready to compare, from a bounded cache: candidates recur across lookups (the same
   * common names, the same busy addresses), and parsing and preparing is most of a comparison's cost.
   */
  prepared(n: number): { allegationId: string; prepared: PreparedAllegation } | null {
    const hit = this.cache.get(n);
    if (hit) return hit;
    const row = this.profile(n);
    if (!row) return null;
    const entry = { allegationId: row.allegationId, prepared: prepareAllegation(row.profile) };
    if (this.cache.size >= PREPARED_CACHE) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(n, entry);
    return entry;
  }

  profileOf(allegationId: string): ProfileRow | null {
    const r = this.profileById.get(allegationId) as { n: number; allegation_id: string; profile: string } | undefined;
    return r ? { n: r.n, allegationId: r.allegation_id, profile: JSON.parse(r.profile) as MatchProfile } : null;
  }

  /** Every judgement recorded on a pair that includes this allegation, oldest first. */
  judgements(allegationId: string): JudgementRow[] {
    return this.judgementRows.all(allegationId, allegationId) as JudgementRow[];
  }

  reference(allegationId: string): string {
    return (this.referenceOf.get(allegationId) as string | undefined) ?? '';
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS c FROM match_profiles').get() as { c: number }).c;
  }

  /** How many allegations are indexed: the population that sets the prior. Counted once, then kept in step. */
  population(): number {
    if (this.populationCount === null) this.populationCount = this.count();
    return this.populationCount;
  }
}
