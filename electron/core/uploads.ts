// Files sent from the renderer in pieces (the page cannot hand the core a path): attachments and import files
// alike. Each upload is written to a temporary file in the profile's tmp/ folder, readable by this user only,
// and removed when it is finished, abandoned, or the desk closes. A temporary file names the process that
// wrote it, so that the next start sweeps what a process killed mid-upload left behind (an import file holds
// submissions with source details) without touching the uploads of a desk still running on the same profile.
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import { formatBytes } from '../attachments/errors.ts';

export type UploadKind = 'upload' | 'import';

export interface UploadLimits {
  /** Largest piece accepted. */
  chunkBytes: number;
  /** Bytes allowed beyond the announced size (text re-encoded by the browser may differ slightly). */
  slackBytes?: number;
}

/**
 * What one person may have in flight at once, and the desk as a whole. Each upload holds an open file, so without
 * a bound a page (or a script with a session) that begins uploads in a loop runs the process out of file handles.
 * An upload nobody sends a piece to for `idleMs` is abandoned, so a closed window does not hold a place forever.
 */
export interface UploadBounds {
  perUser: number;
  perUserBytes: number;
  total: number;
  idleMs: number;
  /** The clock idleness is measured by. */
  now: () => number;
}

export const UPLOAD_BOUNDS: UploadBounds = { perUser: 8, perUserBytes: 2 * 1024 ** 3, total: 64, idleMs: 10 * 60_000, now: Date.now };

interface Upload {
  id: string;
  kind: UploadKind;
  userId: string;
  fileName: string;
  size: number;
  path: string;
  out: WriteStream;
  next: number;
  received: number;
  finishing: boolean;
  limits: UploadLimits;
  /** What the upload is for (the allegation an attachment goes to). */
  target: string | null;
  touched: number;
}

/** Temporary files of this module: `<kind>-<pid>-<id>`, and sanitising folders of the attachment reader. */
const TEMPORARY = /^(upload|import)-(\d+)-|^(sanitise)-/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Uploads {
  readonly dir: string;
  private readonly uploads = new Map<string, Upload>();
  private readonly bounds: UploadBounds;

  constructor(profileDir: string, bounds: Partial<UploadBounds> = {}) {
    this.dir = join(profileDir, 'tmp');
    this.bounds = { ...UPLOAD_BOUNDS, ...bounds };
  }

  /** The working folder (made on first use), for uploads and for other short-lived work of the core. */
  workDir(): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return this.dir;
  }

  /**
   * Removes what earlier processes left in tmp/ (killed mid-upload, mid-import or mid-sanitise). Files of a
   * process still running are left alone.
   */
  sweep(): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const f of readdirSync(this.dir)) {
      const m = TEMPORARY.exec(f);
      if (!m) continue;
      if (m[2] && alive(Number(m[2]))) continue;
      if ([...this.uploads.values()].some((u) => u.path === join(this.dir, f))) continue;
      rmSync(join(this.dir, f), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Uploads in progress (all, or one person's). */
  open(userId?: string): number {
    return [...this.uploads.values()].filter((u) => !userId || u.userId === userId).length;
  }

  /**
   * Starts an upload, within the bounds: a person with too many files (or bytes) in flight, or a desk with too
   * many, is refused with a sentence before any file is opened.
   */
  begin(kind: UploadKind, userId: string, id: string, fileName: string, size: number, limits: UploadLimits, target: string | null = null): void {
    this.expireIdle();
    const mine = [...this.uploads.values()].filter((u) => u.userId === userId);
    if (mine.length >= this.bounds.perUser) {
      throw new ApiError('unavailable', `You are already sending ${mine.length} files, the most one person may send at once: wait for them to finish, then send ${fileName}`);
    }
    const inFlight = mine.reduce((n, u) => n + u.size, 0);
    if (inFlight + size > this.bounds.perUserBytes) {
      throw new ApiError('unavailable', `You are already sending ${formatBytes(inFlight)}; with ${fileName} (${formatBytes(size)}) that is over the ${formatBytes(this.bounds.perUserBytes)} one person may send at once: wait for them to finish, then send it`);
    }
    if (this.uploads.size >= this.bounds.total) {
      throw new ApiError('unavailable', `IMS Desk is taking in ${this.uploads.size} files already, the most it takes at once: send ${fileName} again in a minute`);
    }
    const path = join(this.workDir(), `${kind}-${process.pid}-${id}`);
    const out = createWriteStream(path, { mode: 0o600 });
    // A failed open or write (no file handles left, disk full) is reported by the next piece or finish; the
    // stream must never crash the process with an unhandled 'error'.
    out.on('error', () => undefined);
    this.uploads.set(id, { id, kind, userId, fileName, size, path, out, next: 0, received: 0, finishing: false, limits, target, touched: this.bounds.now() });
  }

  /** Abandons uploads nobody has sent a piece to for the idle time (a closed window, a lost connection). */
  private expireIdle(): void {
    const before = this.bounds.now() - this.bounds.idleMs;
    for (const u of [...this.uploads.values()]) if (!u.finishing && u.touched < before) this.abandon(u.id);
  }

  private get(kind: UploadKind, userId: string, id: string): Upload {
    const u = this.uploads.get(id);
    if (!u || u.userId !== userId || u.kind !== kind) throw new ApiError('not_found', 'No such upload (it may have finished, or IMS Desk restarted): send the file again');
    return u;
  }

  /**
   * Appends one piece, in order. `inspect` sees the first piece before it is written (a file that is not what it
   * claims to be is refused before the rest is sent).
   */
  async chunk(kind: UploadKind, userId: string, id: string, index: number, bytes: Buffer, inspect?: (first: Buffer, fileName: string) => void): Promise<{ received: number }> {
    const u = this.get(kind, userId, id);
    if (index !== u.next) throw new ApiError('conflict', `Piece ${index} arrived out of order (expected ${u.next}); send the file again`);
    if (bytes.length > u.limits.chunkBytes) throw new ApiError('bad_request', `A piece may be at most ${formatBytes(u.limits.chunkBytes)}`);
    if (u.received + bytes.length > u.size + (u.limits.slackBytes ?? 0)) {
      this.abandon(id);
      throw new ApiError('bad_request', `${u.fileName} is larger than announced (${formatBytes(u.size)}); send it again`);
    }
    if (index === 0 && inspect) {
      try {
        inspect(bytes, u.fileName);
      } catch (error) {
        this.abandon(id);
        throw new ApiError('bad_request', (error as Error).message);
      }
    }
    u.next++;
    u.received += bytes.length;
    u.touched = this.bounds.now();
    try {
      await new Promise<void>((resolve, reject) => u.out.write(bytes, (err) => (err ? reject(err) : resolve())));
    } catch (error) {
      this.abandon(id);
      throw new ApiError('unavailable', `${u.fileName} could not be written to this desk's disk (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); free some space and send it again`);
    }
    return { received: u.received };
  }

  /**
   * Closes the upload and hands its file to `use`; the file is removed afterwards, whatever `use` does.
   * `exact`: every announced byte must have arrived.
   */
  async finish<T>(kind: UploadKind, userId: string, id: string, exact: boolean, use: (path: string, u: { fileName: string; size: number; received: number; target: string | null }) => Promise<T>): Promise<T> {
    const u = this.get(kind, userId, id);
    if (u.finishing) throw new ApiError('conflict', `${u.fileName} is already being taken in`);
    u.finishing = true;
    try {
      await new Promise<void>((resolve, reject) => {
        u.out.once('error', reject);
        u.out.end(resolve);
      });
      if (exact && u.received !== u.size) throw new ApiError('bad_request', `Only ${formatBytes(u.received)} of ${u.fileName}'s ${formatBytes(u.size)} arrived; send it again`);
      return await use(u.path, { fileName: u.fileName, size: u.size, received: u.received, target: u.target });
    } finally {
      this.uploads.delete(id);
      rmSync(u.path, { force: true });
    }
  }

  abandon(id: string): void {
    const u = this.uploads.get(id);
    if (!u) return;
    this.uploads.delete(id);
    u.out.destroy();
    rmSync(u.path, { force: true });
  }

  /** Ends every upload in progress and removes its file (the desk is closing). */
  close(): void {
    for (const id of [...this.uploads.keys()]) this.abandon(id);
  }
}
