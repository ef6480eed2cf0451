// A benchmark-only loader for very large corpora (1M allegations): the per-record import (validation, routing,
// every table, the search index, audit and change log, one transaction each) runs at ~100 records/s here, so
// a million would take hours. Candidate lookup reads only the allegation's reference and the matching tables,
// so this loader writes exactly those: a minimal allegations row and, through the same MatchIndex.putProfile
// the import uses, the profile, keys and statistics built by buildProfile from the submission. Batches of
// 5,000 per transaction. Figures measured on a store loaded this way say so.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Core } from '../electron/core/core.ts';
import { buildProfile, type AllegationDraft } from '../shared/matching/allegation.ts';
import { redactSource } from '../shared/sources/redact.ts';
import type { SubmissionSource } from '../shared/schemas/submission.ts';

interface Line extends AllegationDraft {
  reference: string;
  receivedAt: string;
  channel: string;
  reporterType: string;
  status: string;
  attachments?: Array<{ ocrText?: string }>;
  source?: SubmissionSource | null;
}

/** As the import does: what reveals the source is removed from the texts before anything indexes them. */
function withheld(r: Line): AllegationDraft {
  const clean = (t: string) => (r.source ? redactSource(t, r.source).text : t);
  return {
    ...r,
    freeText: clean(r.freeText ?? ''),
    notes: (r.notes ?? []).map((n) => ({ text: clean(n.text) })),
    attachmentTexts: (r.attachments ?? []).map((a) => clean(a.ocrText ?? '')),
  };
}

export async function bulkLoadForMatching(core: Core, file: string, onProgress?: (n: number) => void): Promise<{ loaded: number; seconds: number }> {
  const started = performance.now();
  const db = core.store.db;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO allegations (id, reference, channel, reporter_type, received_at, status, created_at, updated_at, hlc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bulk')`,
  );
  const now = new Date().toISOString();
  let batch: Line[] = [];
  let loaded = 0;
  const flush = () => {
    db.transaction(() => {
      for (const r of batch) {
        const id = core.store.newId();
        if (insert.run(id, r.reference, r.channel, r.reporterType, new Date(r.receivedAt).toISOString(), r.status, now, now).changes === 0) continue;
        core.matching.putProfile(id, buildProfile(withheld(r)));
        loaded++;
      }
    })();
    batch = [];
    onProgress?.(loaded);
  };
  for await (const text of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (!text.trim()) continue;
    batch.push(JSON.parse(text) as Line);
    if (batch.length >= 5000) flush();
  }
  if (batch.length) flush();
  return { loaded, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
