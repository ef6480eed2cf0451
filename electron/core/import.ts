// Bulk intake of submission files (JSON Lines): each line is validated, routed to a unit, given its due time,
// and stored in its own transaction, so one bad line is reported with its number and reason while every
// other line imports. Re-importing a file is idempotent by reference.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { submissionRecord, describeIssues, type SubmissionRecord } from '../../shared/schemas/submission.ts';
import { canonicalJson } from '../../shared/text/canonical-json.ts';
import type { Actor, Store } from '../store/store.ts';
import type { Vault } from '../vault/vault.ts';
import type { RoutingTable } from '../../shared/domain/routing.ts';
import type { DerivedIndexes } from './derived.ts';
import { insertAllegation } from '../store/allegation-write.ts';
import { planIntake } from './intake.ts';
import { contentFromSubmission } from './content.ts';

export interface ImportError {
  line: number;
  reference: string | null;
  reason: string;
}

export interface ImportSummary {
  file: string;
  lines: number;
  imported: number;
  unchanged: number;
  /** Already held under the same reference with different content: not overwritten. */
  conflicts: number;
  failed: number;
  errors: ImportError[];
  byUnit: Record<string, number>;
  timeCritical: number;
  sourceRedactions: number;
  seconds: number;
}

export interface ImportProgress {
  done: number;
  totalBytes: number;
  bytesRead: number;
  imported: number;
  unchanged: number;
  failed: number;
}

/** At most this many errors are kept in the summary; the count covers all. */
const MAX_ERRORS_KEPT = 1000;
/** Records stored per SQLite transaction. */
const BATCH_SIZE = 200;
/** A line longer than this is refused without parsing (a corrupt or hostile file). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

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

  const summary: ImportSummary = { file, lines: 0, imported: 0, unchanged: 0, conflicts: 0, failed: 0, errors: [], byUnit: {}, timeCritical: 0, sourceRedactions: 0, seconds: 0 };
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
  // rolls back alone and is reported.
  const routing = core.routingTable();
  const storeBatch = core.store.db.transaction((items: Pending[]) => {
    for (const { line, record, hash } of items) {
      try {
        const content = contentFromSubmission(record);
        const plan = planIntake(routing, content, 'imported', record.status);
        const id = core.store.newId();
        const { redactions } = core.store.mutate(
          { actor, action: 'allegation.import', entity: 'allegation', entityId: id, allegationId: id, details: { reference: record.reference, file, line, unit: plan.unit } },
          // The search index is updated by the store's mutation hook (or later, in bulk mode).
          (m) => {
            const r = insertAllegation(m, { id, content, submissionHash: hash, ...plan }, () => core.store.newId(), core.vault);
            return r;
          },
        );
        summary.imported++;
        summary.sourceRedactions += redactions;
        summary.byUnit[plan.unit] = (summary.byUnit[plan.unit] ?? 0) + 1;
        if (plan.timeCritical) summary.timeCritical++;
      } catch (error) {
        fail(line, record.reference, `could not be stored: ${(error as Error).message}`);
      }
    }
  });
  const flush = () => {
    if (!batch.length) return;
    storeBatch(batch);
    batch = [];
    const now = performance.now();
    if (onProgress && now - lastProgress > 200) {
      lastProgress = now;
      onProgress({ done: summary.lines, totalBytes: info.size, bytesRead, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed });
    }
  };

  const stream = createReadStream(file, { encoding: 'utf8' });
  let bytesRead = 0;
  stream.on('data', (chunk) => {
    bytesRead += Buffer.byteLength(chunk as string, 'utf8');
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let lastProgress = 0;
  const wasDeferred = core.derived.deferred;
  if (options.deferIndex) core.derived.deferred = true;
  try {
  for await (const raw of lines) {
    lineNo++;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    summary.lines++;
    if (text.length > MAX_LINE_BYTES) {
      fail(lineNo, null, `line is ${text.length} characters long; the limit is ${MAX_LINE_BYTES}`);
      continue;
    }
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
  } finally {
    core.derived.deferred = wasDeferred;
  }
  if (options.deferIndex && !wasDeferred) await core.derived.catchUp();
  onProgress?.({ done: summary.lines, totalBytes: info.size, bytesRead: info.size, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed });
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}
