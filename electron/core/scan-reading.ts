// Reading a scan while it is keyed: a sifter keying an allegation from a scan in the NAT inbox gets its text read
// and fields suggested beside the form at once, not only after saving. The reading is the OCR pool's (as for any
// attachment) and the suggestions are the attachments' own analysis, with anything in a place that reveals the
// writer left out (the writer is a source: their details go to the restricted pane, never the open form). What is
// read is held in memory for the session that keys it; once attached, the scan is read and stored as usual.
import type { HasStore } from './deps.ts';
import type { Attachments } from './attachments.ts';
import { prepared } from '../store/db.ts';
import { analyseScan } from '../../shared/analysis/analyse-text.ts';
import { suggestionView } from './suggestions.ts';
import type { SuggestionView } from '../../shared/api/attachments.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** What reading a waiting scan needs: the store, the blob files and the OCR pool. */
export interface ScanReadingDeps extends HasStore {
  readonly attachments: Pick<Attachments, 'blobs' | 'pool'>;
}

export interface ScanReading {
  pages: number;
  pagesRead: number;
  suggestions: SuggestionView[];
}

const readings = new WeakMap<ScanReadingDeps, Map<string, Promise<ScanReading>>>();

async function read(core: ScanReadingDeps, hash: string): Promise<ScanReading> {
  if (!core.attachments.blobs.has(hash)) throw new ApiError('not_found', 'The scan’s file is missing from this desk');
  // The blob is sealed at rest: the pool is handed a source that decrypts it, never the file's path.
  const ocr = await core.attachments.pool().ocrAttachment(core.attachments.blobs.source(hash));
  const done = ocr.pages.filter((p) => p.status === 'done');
  // The one pipeline every text goes through (the writer withheld, their details never suggested); the form being
  // keyed has no subject yet, so the first person named is offered as the subject.
  const analysis = analyseScan(
    done.map((p) => ({ page: p.page, text: p.text, words: p.words })),
    { receivedAt: new Date(), form: { subjectCount: 0 } },
  );
  const seen = new Set<string>();
  const out: SuggestionView[] = [];
  for (const s of analysis.suggestions) {
    const view = suggestionView(s);
    if (seen.has(view.key)) continue;
    seen.add(view.key);
    out.push(view);
  }
  return { pages: ocr.pages.length, pagesRead: done.length, suggestions: out };
}

/** Reads a waiting scan (once: a second call waits for the first) and suggests fields from it. */
export function readWaitingScan(core: ScanReadingDeps, scanId: string): Promise<ScanReading> {
  const row = prepared(core.store.db, 'SELECT status, content_hash, file_name FROM scan_inbox WHERE id = ?').get(scanId) as { status: string; content_hash: string | null; file_name: string } | undefined;
  if (!row) throw new ApiError('not_found', 'No such scan in the inbox');
  if (row.status !== 'waiting' || !row.content_hash) throw new ApiError('conflict', `${row.file_name} is no longer waiting in the inbox`);
  let held = readings.get(core);
  if (!held) readings.set(core, (held = new Map()));
  let reading = held.get(scanId);
  if (!reading) {
    reading = read(core, row.content_hash);
    held.set(scanId, reading);
    // A failed reading can be asked for again.
    reading.catch(() => held?.delete(scanId));
  }
  return reading;
}
