import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- better-sqlite3 binds positional or named parameters
export type Stmt = Database.Statement<any[]>;

export const STORE_FILE = 'ims-desk.sqlite';
/** Stores up to this size are integrity-checked in full when opened. */
const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Opens (creating if needed) the case store in a profile folder and brings its schema up to date. */
export function openDatabase(profileDir: string, options: { readonly?: boolean } = {}): Db {
  mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  const file = join(profileDir, STORE_FILE);
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new Error(`Cannot open the case store at ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // The store holds personal data: readable by this user only (the folder is 0700 too).
    if (!options.readonly) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('trusted_schema = OFF');
    // Overwrite deleted and replaced content, so that text sealed in place leaves no plaintext in free pages.
    db.pragma('secure_delete = ON');
    // quick_check reads every page: ~0.7 s for a 10k-allegation store and tens of seconds at 1M, which would
    // break "reopen to first answer within 2 s" (issue 5). Small stores are checked in full on open; a large
    // one has its schema read (which catches a wrong key or a file that is not a store) and relies on SQLite
    // reporting corruption where it meets it.
    if (fileSize(file) <= FULL_CHECK_MAX_BYTES) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    } else db.prepare('SELECT count(*) FROM sqlite_schema').get();
    if (!options.readonly) migrate(db);
  } catch (error) {
    db.close();
    const message = (error as { code?: string }).code === 'SQLITE_NOTADB' ? 'the file is not a case store (or is encrypted with another key)' : (error as Error).message;
    throw new Error(`Cannot open the case store at ${file}: ${message}`, { cause: error });
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function migrate(db: Db): void {
  const current = schemaVersion(db);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`the store was written by a newer IMS Desk (schema ${current}, this version knows ${latest}); update the app`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // PRAGMA foreign_keys has no effect inside a transaction: it is turned off around it (SQLite's way to rebuild
    // a table that others refer to), and the keys are checked before the transaction commits.
    if (migration.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        migration.run?.(db);
        if (migration.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
          if (broken.length) throw new Error(`migration ${migration.version} would leave ${broken.length} broken references (${broken[0]?.table} -> ${broken[0]?.parent})`);
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
}

export { prepared } from './statements.ts';
