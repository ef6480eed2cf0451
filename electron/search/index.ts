// The search index over everything the record holds: one FTS5 document per allegation (documents.ts), kept
// current by marks that triggers write whenever any part of an allegation changes (migration 0003). Marked
// allegations are indexed inside the mutation that marked them (Store.onMutation), by a background timer
// (core/derived.ts, for writes from other connections), and before each search; `rebuild` (ims reindex) recreates it all from
// the store with progress. Queries are answered by engine.ts.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { prepared, type Db } from '../store/db.ts';
import { buildDocument } from './documents.ts';
import { NameVocabulary } from './vocabulary.ts';
import { executeSearch, type SearchRequest, type SearchResult } from './engine.ts';
import { prepareIdentifierReader } from '../../shared/text/identifiers.ts';

export interface IndexProgress {
  done: number;
  total: number;
}

/** Most marked allegations indexed before a search answers; the rest wait for the timer (bulk loads). */
const FLUSH_BEFORE_SEARCH = 500;
/** Most marks a mutation indexes at once, newest first: its own (a backlog is left to the timer). */
const FLUSH_AFTER_MUTATION = 20;
/** Allegations indexed per transaction by catch-up and rebuilds, and per timer tick. */
const BATCH = 1000;
/** A catch-up of at least this many allegations ends with a merge of the index segments. */
const OPTIMIZE_AFTER = 10_000;

/** Whether this process has done the identifier reader's one-time work (it is shared by every store opened). */
let identifierReaderPrepared = false;

export class SearchIndex {
  readonly db: Db;
  /** While true (bulk import), mutations leave their marks for a later catch-up instead of indexing at once. */
  deferred = false;
  private vocab: NameVocabulary | null = null;
  /** True while a catch-up or rebuild is running (the background timer leaves the index to it). */
  busy = false;

  constructor(db: Db) {
    this.db = db;
  }

  /** The name vocabulary, loaded from its side table on first use. */
  vocabulary(): NameVocabulary {
    this.vocab ??= NameVocabulary.load(this.db);
    return this.vocab;
  }

  /** How far behind the index is: allegations marked and not yet indexed, and the age of the oldest mark. */
  pending(): { count: number; oldestSeconds: number | null } {
    const row = prepared(this.db, 'SELECT count(*) AS n, min(marked_at) AS oldest FROM search_pending').get() as { n: number; oldest: number | null };
    return { count: row.n, oldestSeconds: row.oldest === null ? null : Math.max(0, Date.now() / 1000 - row.oldest) };
  }

  /** How many allegations are marked and not yet indexed (cheap: usually the table is empty). */
  pendingCount(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM search_pending').get() as { n: number }).n;
  }

  /**
   * Indexes up to `max` marked allegations, oldest mark first; returns how many. Runs inside the caller's
   * transaction when there is one (so the index changes with the data), else in its own.
   */
  flushPending(max = Number.POSITIVE_INFINITY, newestFirst = false): number {
    const run = () => {
      const sql = `SELECT allegation_id FROM search_pending ORDER BY seq ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`;
      const ids = prepared(this.db, sql).pluck().all(Number.isFinite(max) ? max : -1) as string[];
      if (!ids.length) return 0;
      const names = new Map<string, number>();
      for (const id of ids) this.writeDocument(id, names);
      this.applyNameCounts(names);
      return ids.length;
    };
    return this.db.inTransaction ? run() : this.db.transaction(run)();
  }

  /** Indexes one allegation now, whether or not it is marked. */
  indexAllegation(id: string): void {
    const run = () => {
      const names = new Map<string, number>();
      this.writeDocument(id, names);
      this.applyNameCounts(names);
    };
    if (this.db.inTransaction) run();
    else this.db.transaction(run)();
  }

  /** Indexes everything marked, in batches, yielding to the event loop between them. */
  async catchUp(onProgress?: (p: IndexProgress) => void): Promise<number> {
    const total = this.pending().count;
    let done = 0;
    const wasBusy = this.busy;
    this.busy = true;
    try {
      for (;;) {
        const n = this.flushPending(BATCH);
        if (!n) break;
        done += n;
        onProgress?.({ done, total: Math.max(total, done) });
        await yieldToLoop();
      }
    } finally {
      this.busy = wasBusy;
    }
    // A large catch-up (a bulk import) leaves many small FTS segments; one merge makes every later query cheaper
    // (100k: name-and-postcode p95 20 -> 13 ms CPU; the merge itself took 2.5 s).
    if (done >= OPTIMIZE_AFTER) this.optimize();
    return done;
  }

  /** Merges the full-text indexes' segments into one each. */
  optimize(): void {
    this.db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
    this.db.exec("INSERT INTO search_names_fts (search_names_fts) VALUES ('optimize')");
  }

  /** Rebuilds the whole index from the store (ims reindex). Document numbers are kept, so saved searches stay valid. */
  async rebuild(onProgress?: (p: IndexProgress) => void): Promise<{ allegations: number; seconds: number }> {
    const started = performance.now();
    this.db.transaction(() => {
      this.db.exec("INSERT INTO search_fts (search_fts) VALUES ('delete-all')");
      this.db.exec("INSERT INTO search_names_fts (search_names_fts) VALUES ('delete-all')");
      this.db.exec('DELETE FROM search_names');
      this.db.exec("UPDATE search_docs SET in_fts = 0, names = '', keys = '{}', display = '{}'");
      this.db.exec('INSERT OR IGNORE INTO search_pending (allegation_id) SELECT id FROM allegations ORDER BY received_at, rowid');
    })();
    this.vocab = null;
    const allegations = await this.catchUp(onProgress);
    if (allegations < OPTIMIZE_AFTER) this.optimize();
    return { allegations, seconds: Math.round((performance.now() - started) / 10) / 100 };
  }

  /** Indexes marks left by other connections (OCR workers, sync) within about a second. */
  /** Called after every mutation (Store.onMutation): indexes what the mutation marked, unless deferred. */
  afterMutation(): void {
    if (!this.deferred) this.flushPending(FLUSH_AFTER_MUTATION, true);
  }

  search(request: SearchRequest): SearchResult {
    // The first search after opening loads the name vocabulary; it also does the identifier reader's one-time
    // work (compiling patterns, loading phone metadata and the word list), whatever it searches for, which the
    // first search that highlights a postcode or phone would otherwise pay for (100k: its p95 0.9 -> 4.2 ms cold).
    if (!identifierReaderPrepared) {
      prepareIdentifierReader();
      identifierReaderPrepared = true;
    }
    if (!this.deferred && !this.busy) this.flushPending(FLUSH_BEFORE_SEARCH);
    return executeSearch(this, request, this.pendingCount());
  }

  stats(): { documents: number; pending: number; names: number } {
    return {
      documents: (prepared(this.db, 'SELECT count(*) AS n FROM search_docs WHERE in_fts = 1').get() as { n: number }).n,
      pending: this.pending().count,
      names: (prepared(this.db, 'SELECT count(*) AS n FROM search_names WHERE n > 0').get() as { n: number }).n,
    };
  }

  private writeDocument(id: string, names: Map<string, number>): void {
    const doc = buildDocument(this.db, id);
    const held = prepared(this.db, 'SELECT doc, names, in_fts FROM search_docs WHERE allegation_id = ?').get(id) as { doc: number; names: string; in_fts: number } | undefined;
    prepared(this.db, 'DELETE FROM search_pending WHERE allegation_id = ?').run(id);
    if (!doc) return;
    let docId: number;
    if (held) {
      docId = held.doc;
      if (held.in_fts) {
        prepared(this.db, 'DELETE FROM search_fts WHERE rowid = ?').run(docId);
        prepared(this.db, 'DELETE FROM search_names_fts WHERE rowid = ?').run(docId);
      }
      for (const t of nameSet(held.names)) names.set(t, (names.get(t) ?? 0) - 1);
      prepared(this.db, "UPDATE search_docs SET received_at = ?, names = ?, keys = ?, display = ?, in_fts = 1, indexed_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE doc = ?").run(
        doc.receivedAt,
        doc.names,
        JSON.stringify(doc.keys),
        JSON.stringify(doc.display),
        docId,
      );
    } else {
      docId = Number(
        prepared(this.db, "INSERT INTO search_docs (allegation_id, received_at, names, keys, display, in_fts, indexed_at) VALUES (?, ?, ?, ?, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ'))").run(
          id,
          doc.receivedAt,
          doc.names,
          JSON.stringify(doc.keys),
          JSON.stringify(doc.display),
        ).lastInsertRowid,
      );
    }
    const c = doc.columns;
    prepared(this.db, 'INSERT INTO search_fts (rowid, sname, gname, form, biz, body, notes, attach, keys, facets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      docId,
      c.sname,
      c.gname,
      c.form,
      c.biz,
      c.body,
      c.notes,
      c.attach,
      c.keys,
      c.facets,
    );
    prepared(this.db, 'INSERT INTO search_names_fts (rowid, names) VALUES (?, ?)').run(docId, [...doc.nameTerms, ...doc.blocking].join(' '));
    for (const t of doc.nameTerms) names.set(t, (names.get(t) ?? 0) + 1);
  }

  private applyNameCounts(deltas: Map<string, number>): void {
    const upsert = prepared(this.db, 'INSERT INTO search_names (term, n) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET n = n + excluded.n');
    for (const [term, delta] of deltas) {
      if (!delta) continue;
      upsert.run(term, delta);
      this.vocab?.adjust(term, delta);
    }
  }
}

/** The distinct name tokens of a stored profile ("given;surname|given;surname"). */
export function nameSet(names: string): Set<string> {
  const out = new Set<string>();
  for (const t of names.split(/[|; ]/)) if (t) out.add(t);
  return out;
}
