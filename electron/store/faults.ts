// Faults of the store itself, as against a problem with one record: the disk is full, the file cannot be
// written or is damaged, another program holds it. Work that meets one stops (retrying the next record would
// only fail the same way) and says so in one sentence; what was committed before stays committed.
import { existsSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** SQLite's primary result codes that are the store's fault, with what they mean for the person. */
const FAULTS: Array<[RegExp, string]> = [
  [/^SQLITE_FULL/, 'the disk holding the case store is full'],
  [/^SQLITE_READONLY/, 'the case store cannot be written (the file or its folder is read-only)'],
  [/^SQLITE_IOERR/, 'the disk reported an error while the case store was being written'],
  [/^SQLITE_CORRUPT/, 'the case store is damaged'],
  [/^SQLITE_NOTADB/, 'the case store file is not a database'],
  [/^SQLITE_CANTOPEN/, 'the case store could not be opened for writing'],
  [/^SQLITE_BUSY|^SQLITE_LOCKED/, 'the case store is locked by another program'],
  [/^SQLITE_NOMEM/, 'the computer ran out of memory'],
  [/^SQLITE_PROTOCOL/, 'the case store is locked by another program'],
];

export class StoreFault extends Error {
  readonly code: string;
  constructor(code: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreFault';
    this.code = code;
  }
}

/** The error as a StoreFault when it is one (an SQLite error of the kinds above, or ENOSPC); null otherwise. */
export function storeFault(error: unknown): StoreFault | null {
  if (error instanceof StoreFault) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'ENOSPC') return new StoreFault(code, 'the disk is full', error);
  if (code === 'EROFS') return new StoreFault(code, 'the disk is read-only', error);
  const known = FAULTS.find(([pattern]) => pattern.test(code));
  return known ? new StoreFault(code, known[1], error) : null;
}

/**
 * A little room kept back on the store's disk. When the disk fills, the work that met the fault frees it to
 * write its last word (this attachment is failed and will be read again), instead of leaving "running" behind
 * because even that could not be written. It is made again once there is room; if it cannot be, the disk is
 * still full.
 */
export class DiskReserve {
  readonly path: string;
  private readonly bytes: number;

  constructor(profileDir: string, bytes = 1024 * 1024) {
    this.path = join(profileDir, 'disk-reserve');
    this.bytes = bytes;
  }

  /** Makes the reserve when it is missing. False when there is no room for it. */
  ensure(): boolean {
    try {
      if (statSync(this.path).size === this.bytes) return true;
    } catch {
      // Missing: made below.
    }
    const partial = `${this.path}.partial`;
    try {
      // Written out, not sized with a hole, so that the disk really holds the room.
      writeFileSync(partial, Buffer.alloc(this.bytes, 0x2e), { mode: 0o600 });
      renameSync(partial, this.path);
      return true;
    } catch {
      rmSync(partial, { force: true });
      return false;
    }
  }

  /** Whether work can carry on: the reserve is held again and the disk has `free` bytes beyond it. */
  hasRoom(free = 16 * 1024 * 1024): boolean {
    if (!this.ensure()) return false;
    try {
      const fs = statfsSync(this.path);
      return fs.bavail * fs.bsize >= free;
    } catch {
      return true;
    }
  }

  /** Gives the room back to the disk; true when there was some to give. */
  release(): boolean {
    if (!existsSync(this.path)) return false;
    rmSync(this.path, { force: true });
    return true;
  }
}
