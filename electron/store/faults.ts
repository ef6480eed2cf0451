// Faults of the store itself, as against a problem with one record: the disk is full, the file cannot be
// written or is damaged, another program holds it. Work that meets one stops (retrying the next record would
// only fail the same way) and says so in one sentence; what was committed before stays committed.

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
