// Import from the renderer: the page cannot give the core a file path, so it uploads the file in pieces to a
// temporary file in the profile, then asks for it to be imported. Progress goes out as events.
import { createWriteStream, mkdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Core } from './core.ts';
import type { UserRow } from './users.ts';
import { importJsonl, type ImportSummary } from './import.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { actorFor } from './access.ts';

const CHUNK_BYTES = 512 * 1024;

interface Job {
  id: string;
  userId: string;
  fileName: string;
  size: number;
  path: string;
  out: WriteStream;
  next: number;
  received: number;
  started: boolean;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly core: Core;
  constructor(core: Core) {
    this.core = core;
  }

  begin(user: UserRow, fileName: string, size: number): { jobId: string; chunkBytes: number } {
    const dir = join(this.core.store.profileDir, 'tmp');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const id = this.core.store.newId();
    const path = join(dir, `import-${id}.jsonl`);
    this.jobs.set(id, { id, userId: user.id, fileName, size, path, out: createWriteStream(path, { mode: 0o600 }), next: 0, received: 0, started: false });
    return { jobId: id, chunkBytes: CHUNK_BYTES };
  }

  private job(user: UserRow, id: string): Job {
    const job = this.jobs.get(id);
    if (!job || job.userId !== user.id) throw new ApiError('not_found', 'No such upload (it may have finished or the app restarted): start again');
    return job;
  }

  async chunk(user: UserRow, id: string, index: number, text: string): Promise<{ received: number }> {
    const job = this.job(user, id);
    if (index !== job.next) throw new ApiError('conflict', `Piece ${index} arrived out of order (expected ${job.next}); start the upload again`);
    job.next++;
    job.received += Buffer.byteLength(text, 'utf8');
    if (job.received > job.size + 4 * CHUNK_BYTES) throw new ApiError('bad_request', 'The upload is larger than announced');
    await new Promise<void>((resolve, reject) => job.out.write(text, (err) => (err ? reject(err) : resolve())));
    return { received: job.received };
  }

  async finish(user: UserRow, id: string): Promise<ImportSummary> {
    const job = this.job(user, id);
    if (job.started) throw new ApiError('conflict', 'This import is already running');
    job.started = true;
    await new Promise<void>((resolve) => job.out.end(resolve));
    try {
      const total = statSync(job.path).size;
      const summary = await importJsonl(this.core, job.path, actorFor(user), (p) =>
        this.core.emit({ type: 'import.progress', jobId: id, done: p.bytesRead, total, imported: p.imported, unchanged: p.unchanged, failed: p.failed, finished: false }),
      );
      this.core.emit({ type: 'import.progress', jobId: id, done: total, total, imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed, finished: true });
      return { ...summary, file: job.fileName };
    } finally {
      this.jobs.delete(id);
      rmSync(job.path, { force: true });
    }
  }
}
