// Import from the renderer: the page cannot give the core a file path, so it uploads the file in pieces (the
// chunked uploads shared with attachments), then asks for it to be imported. Progress goes out as events.
import type { Store } from '../store/store.ts';
import type { UserRow } from './users.ts';
import type { Uploads } from './uploads.ts';
import { importJsonl, type ImportCore, type ImportSummary } from './import.ts';
import { actorFor } from './access.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

const CHUNK_BYTES = 512 * 1024;

export interface ImportJobsDeps extends ImportCore {
  store: Store;
  uploads: Uploads;
  emit(event: CoreEvent): void;
}

export class ImportJobs {
  private readonly deps: ImportJobsDeps;

  constructor(deps: ImportJobsDeps) {
    this.deps = deps;
  }

  begin(user: UserRow, fileName: string, size: number): { jobId: string; chunkBytes: number } {
    const id = this.deps.store.newId();
    this.deps.uploads.begin('import', user.id, id, fileName, size, { chunkBytes: CHUNK_BYTES * 4, slackBytes: 4 * CHUNK_BYTES });
    return { jobId: id, chunkBytes: CHUNK_BYTES };
  }

  chunk(user: UserRow, id: string, index: number, text: string): Promise<{ received: number }> {
    return this.deps.uploads.chunk('import', user.id, id, index, Buffer.from(text, 'utf8'));
  }

  finish(user: UserRow, id: string): Promise<ImportSummary> {
    return this.deps.uploads.finish('import', user.id, id, false, async (path, u) => {
      const total = u.received;
      const emit = this.deps.emit.bind(this.deps);
      const summary = await importJsonl(this.deps, path, actorFor(user), (p) =>
        emit({ type: 'import.progress', jobId: id, done: p.bytesRead, total, imported: p.imported, unchanged: p.unchanged, failed: p.failed, finished: false }),
      );
      emit({ type: 'import.progress', jobId: id, done: total, total, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed, finished: true });
      return { ...summary, file: u.fileName };
    });
  }
}
