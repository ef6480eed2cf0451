// Numbered, code-first migrations. Append a file NNNN-name.ts exporting `sql` and list it here; never edit one
// that has shipped (a desk's store may already have run it).
import * as m0001 from './0001-case-store.ts';
import * as m0002 from './0002-search-index.ts';
import * as m0003 from './0003-intake.ts';
import * as m0004 from './0004-vault.ts';
import * as m0005 from './0005-matching.ts';
import * as m0006 from './0006-search-v2.ts';
import * as m0007 from './0007-links.ts';
import * as m0008 from './0008-attachments.ts';
import * as m0009 from './0009-search-marks.ts';
import * as m0010 from './0010-change-log.ts';
import * as m0011 from './0011-derived-marks.ts';
import * as m0012 from './0012-ocr-queue.ts';
import * as m0013 from './0013-results.ts';
import * as m0014 from './0014-sign-in-attempts.ts';
import * as m0015 from './0015-sync.ts';
import * as m0016 from './0016-suggestion-decisions.ts';
import * as m0017 from './0017-watch-list.ts';
import * as m0018 from './0018-change-history.ts';
import * as m0019 from './0019-server-trust.ts';
import * as m0020 from './0020-released-keys.ts';
import type { Db } from '../db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL alone cannot do (after `sql`, in the same transaction). */
  run?: (db: Db) => void;
  /** Rebuilds a table other tables refer to: runs with foreign keys off, and every key is checked before it commits. */
  foreignKeysOff?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'case-store', sql: m0001.sql },
  { version: 2, name: 'search-index', sql: m0002.sql },
  { version: 3, name: 'intake', sql: m0003.sql },
  { version: 4, name: 'vault', sql: m0004.sql },
  { version: 5, name: 'matching', sql: m0005.sql },
  { version: 6, name: 'search-v2', sql: m0006.sql },
  { version: 7, name: 'links', sql: m0007.sql },
  { version: 8, name: 'attachments', sql: m0008.sql },
  { version: 9, name: 'search-marks', sql: m0009.sql },
  { version: 10, name: 'change-log', sql: m0010.sql, run: m0010.run },
  { version: 11, name: 'derived-marks', sql: m0011.sql },
  { version: 12, name: 'ocr-queue', sql: m0012.sql },
  { version: 13, name: 'results', sql: m0013.sql },
  { version: 14, name: 'sign-in-attempts', sql: m0014.sql },
  { version: 15, name: 'sync', sql: m0015.sql, foreignKeysOff: m0015.foreignKeysOff },
  { version: 16, name: 'suggestion-decisions', sql: m0016.sql },
  { version: 17, name: 'watch-list', sql: m0017.sql },
  { version: 18, name: 'change-history', sql: m0018.sql },
  { version: 19, name: 'server-trust', sql: m0019.sql },
  { version: 20, name: 'released-keys', sql: m0020.sql },
];
