// Bulk intake of submission files (JSON Lines): each line is validated, routed to a unit, given its due time,
// and stored, so one bad line is reported with its number and reason while every other line imports. Lines are
// read with a bounded length (jsonl-lines.ts). Records are stored in batches, each committed as it completes:
// a fault of the store itself (a full disk, a read-only or damaged file) stops the import with a sentence that
// says how many were committed, and importing the same file again continues (idempotent by reference).
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { submissionFlags, submissionRecord, submissionRefusal, describeIssues, type SubmissionRecord } from '../../shared/schemas/submission.ts';
import { canonicalJson } from '../../shared/text/canonical-json.ts';
import type { Actor, Store } from '../store/store.ts';
import type { Vault } from '../vault/vault.ts';
import type { RoutingTable } from '../../shared/domain/routing.ts';
import type { DerivedIndexes } from './derived.ts';
import { insertAllegation } from '../store/allegation-write.ts';
import { StoreFault, storeFault } from '../store/faults.ts';
import { planIntake } from './intake.ts';
import { contentFromSubmission } from './content.ts';
import { jsonlLines, MAX_LINE_BYTES, UnreadableFileError } from './jsonl-lines.ts';
import { formatBytes } from '../attachments/errors.ts';

export interface ImportError {
  line: number;
  reference: string | null;
  reason: string;
}

export interface ImportSummary {
  file: string;
  lines: number;
  /** Records stored and committed by this import. */
  imported: number;
  unchanged: number;
  /** Already held under the same reference with different content: not overwritten. */
  conflicts: number;
  failed: number;
  errors: ImportError[];
  /** Imported records holding a value that could not be read (a postcode, a phone number), kept as written. */
  flagged: number;
  warnings: ImportError[];
  byUnit: Record<string, number>;
  timeCritical: number;
  sourceRedactions: number;
  seconds: number;
  /** Why the import stopped before the end of the file, with what was committed; null when it read it all. */
  stopped: string | null;
}

export interface ImportProgress {
  done: number;
  totalBytes: number;
  bytesRead: number;
  imported: number;
  unchanged: number;
  failed: number;
}

/** At most this many errors (and as many warnings) are kept in the summary; the counts cover all. */
const MAX_ERRORS_KEPT = 1000;
/** Records stored per SQLite transaction: each batch is committed before the next is read. */
const BATCH_SIZE = 200;

/** What an import needs of the core. */
export interface ImportCore {
  store: Store;
  vault: Vault;
  derived: DerivedIndexes;
  routingTable(): RoutingTable;
}

export interface ImportOptions {
  /**
   * Bulk load: records are stored without being indexed one by one (each mutation still marks its allegation),
   * and the search index catches up once at the end in large batches. Searches during the load see the index
   * as it was, and say how many allegations wait to be indexed.
   */
  deferIndex?: boolean;
}

/** The sentence an import that stopped early ends with: why, and exactly what is safe in the store. */
function stopSentence(s: ImportSummary, why: string, lastLine: number): string {
  const held = s.unchanged ? ` (${s.unchanged} more were already held)` : '';
  return `The import stopped at line ${lastLine}: ${why}. ${s.imported} record${s.imported === 1 ? ' was' : 's were'} imported and committed before it stopped${held}; nothing after them was stored. Import the same file again to continue: records already held are not imported twice.`;
}

export async function importJsonl(
  core: ImportCore,
  file: string,
  actor: Actor,
  onProgress?: (p: ImportProgress) => void,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  if (!info.isFile()) throw new Error(`Cannot import ${file}: it is not a file`);
  // Submissions carry source details, which are only ever stored sealed.
  if (!core.vault.unlocked) throw new Error('The vault is locked: source details in the file could not be sealed. Give the desk passphrase (IMS_PASSPHRASE, or at the prompt) and import again.');

  const summary: ImportSummary = { file, lines: 0, imported: 0, unchanged: 0, conflicts: 0, failed: 0, errors: [], flagged: 0, warnings: [], byUnit: {}, timeCritical: 0, sourceRedactions: 0, seconds: 0, stopped: null };
  const fail = (line: number, reference: string | null, reason: string) => {
    summary.failed++;
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ line, reference, reason });
  };
  const existing = core.store.db.prepare('SELECT submission_hash FROM allegations WHERE reference = ?');
  /** References met earlier in this file, with their content hash: a repeat is treated like a held record. */
  const seen = new Map<string, string>();

  interface Pending {
    line: number;
    record: SubmissionRecord;
    hash: string;
  }
  let batch: Pending[] = [];

  // A batch of records shares one SQLite transaction (one commit, one FTS5 segment) for speed; each record is
  // still its own mutation in a savepoint, with its own change rows and audit entry, so one that fails to store
  // rolls back alone and is reported. A fault of the store itself rolls the whole batch back and stops the
  // import: the summary counts only what was committed.
  interface Tally {
    imported: number;
    redactions: number;
    timeCritical: number;
    byUnit: Record<string, number>;
    failures: ImportError[];
    warnings: ImportError[];
  }
  const routing = core.routingTable();
  const storeBatch = core.store.db.transaction((items: Pending[]): Tally => {
    const t: Tally = { imported: 0, redactions: 0, timeCritical: 0, byUnit: {}, failures: [], warnings: [] };
    for (const { line, record, hash } of items) {
      try {
        const content = contentFromSubmission(record);
        const plan = planIntake(routing, content, 'imported', record.status);
        const id = core.store.newId();
        const { redactions } = core.store.mutate(
          { actor, action: 'allegation.import', entity: 'allegation', entityId: id, allegationId: id, details: { reference: record.reference, file, line, unit: plan.unit } },
          // The search index is updated by the store's mutation hook (or later, in bulk mode).
          (m) => insertAllegation(m, { id, content, submissionHash: hash, ...plan }, () => core.store.newId(), core.vault),
        );
        t.imported++;
        t.redactions += redactions;
        t.byUnit[plan.unit] = (t.byUnit[plan.unit] ?? 0) + 1;
        if (plan.timeCritical) t.timeCritical++;
        const flags = submissionFlags(record, core.store.now());
        if (flags.length) {
          t.warnings.push({ line, reference: record.reference, reason: `kept as written and flagged for checking: ${flags.map((f) => `${f.path} "${f.value}" ${f.problem}`).join('; ')}` });
        }
      } catch (error) {
        const fault = storeFault(error);
        if (fault) throw fault;
        t.failures.push({ line, reference: record.reference, reason: `could not be stored: ${(error as Error).message}` });
      }
    }
    return t;
  });
  const flush = () => {
    if (!batch.length) return;
    let t: Tally;
    try {
      t = storeBatch(batch);
    } catch (error) {
      // The batch rolled back, records its mutations had committed included: in-memory state that followed
      // them (the match index's counts) is stale.
      core.store.rolledBack();
      stoppedAt = batch[0]?.line ?? null;
      throw storeFault(error) ?? error;
    } finally {
      batch = [];
    }
    summary.imported += t.imported;
    summary.sourceRedactions += t.redactions;
    summary.timeCritical += t.timeCritical;
    for (const [unit, n] of Object.entries(t.byUnit)) summary.byUnit[unit] = (summary.byUnit[unit] ?? 0) + n;
    for (const f of t.failures) fail(f.line, f.reference, f.reason);
    summary.flagged += t.warnings.length;
    summary.warnings.push(...t.warnings.slice(0, Math.max(0, MAX_ERRORS_KEPT - summary.warnings.length)));
    const now = performance.now();
    if (onProgress && now - lastProgress > 200) {
      lastProgress = now;
      onProgress({ done: summary.lines, totalBytes: info.size, bytesRead, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed });
    }
  };

  let bytesRead = 0;
  let lastProgress = 0;
  let lineNo = 0;
  /** The first line of the batch a store fault rolled back. */
  let stoppedAt: number | null = null;
  const wasDeferred = core.derived.deferred;
  if (options.deferIndex) core.derived.deferred = true;
  try {
    for await (const line of jsonlLines(file, { onBytes: (n) => (bytesRead = n) })) {
      lineNo = line.lineNo;
      if (line.kind === 'too_long') {
        summary.lines++;
        fail(lineNo, null, `is ${formatBytes(line.bytes)} long, over the limit of ${formatBytes(MAX_LINE_BYTES)} for one record: skipped unread (a damaged file, or not a submissions file?)`);
        continue;
      }
      if (line.kind === 'not_utf8') {
        summary.lines++;
        fail(lineNo, null, 'is not UTF-8 text (a damaged line, or a file saved in another encoding)');
        continue;
      }
      const text = line.text;
      if (!text.trim()) continue;
      summary.lines++;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        fail(lineNo, null, `not valid JSON (${(error as Error).message})`);
        continue;
      }
      const reference = typeof (json as { reference?: unknown })?.reference === 'string' ? (json as { reference: string }).reference : null;
      const parsed = submissionRecord.safeParse(json);
      if (!parsed.success) {
        fail(lineNo, reference, describeIssues(parsed.error));
        continue;
      }
      const record: SubmissionRecord = parsed.data;
      const refused = submissionRefusal(record, core.store.now());
      if (refused) {
        fail(lineNo, record.reference, refused);
        continue;
      }
      const hash = createHash('sha256').update(canonicalJson(record)).digest('hex');
      const heldHash = seen.get(record.reference) ?? (existing.get(record.reference) as { submission_hash: string | null } | undefined)?.submission_hash;
      if (heldHash !== undefined) {
        if (heldHash === hash) summary.unchanged++;
        else {
          summary.conflicts++;
          if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ line: lineNo, reference: record.reference, reason: 'already held with different content; not overwritten (open it to amend)' });
        }
        continue;
      }
      seen.set(record.reference, hash);
      batch.push({ line: lineNo, record, hash });
      if (batch.length >= BATCH_SIZE) flush();
    }
    flush();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`Cannot import ${file}: ${error.message}`, { cause: error });
    if (error instanceof StoreFault) summary.stopped = stopSentence(summary, error.message, stoppedAt ?? lineNo);
    else if (typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      // The file could not be read further (a disk error, a file on a share that went away): what was read is
      // stored, then the import stops.
      const why = `the file could not be read further (${(error as Error).message})`;
      try {
        flush();
        summary.stopped = stopSentence(summary, why, lineNo + 1);
      } catch (inner) {
        if (!(inner instanceof StoreFault)) throw inner;
        summary.stopped = stopSentence(summary, inner.message, stoppedAt ?? lineNo);
      }
    } else throw error;
  } finally {
    core.derived.deferred = wasDeferred;
  }
  if (!summary.stopped && options.deferIndex && !wasDeferred) {
    try {
      await core.derived.catchUp();
    } catch (error) {
      const fault = storeFault(error);
      if (!fault) throw error;
      summary.stopped = `All ${summary.imported} records were imported and committed, but the search index could not catch up (${fault.message}); it catches up by itself when IMS Desk next runs with room to write, or with ims reindex.`;
    }
  }
  onProgress?.({ done: summary.lines, totalBytes: info.size, bytesRead: summary.stopped ? bytesRead : info.size, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed });
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}
