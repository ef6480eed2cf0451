// Numbered, code-first migrations of the server's database, as on the desk. Append a file NNNN-name.ts exporting
// `sql` and list it here; never edit one that has shipped (a server's database may already have run it).
import * as m0001 from './0001-national-record.ts';
import * as m0002 from './0002-key-service.ts';
import * as m0003 from './0003-rows-by-allegation.ts';
import * as m0004 from './0004-mi-facts.ts';
import * as m0005 from './0005-national-referrers.ts';
import * as m0006 from './0006-concurrent-pushes.ts';
import * as m0007 from './0007-lighter-writes.ts';
import * as m0008 from './0008-unused-rows-index.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'national-record', sql: m0001.sql },
  { version: 2, name: 'key-service', sql: m0002.sql },
  { version: 3, name: 'rows-by-allegation', sql: m0003.sql },
  { version: 4, name: 'mi-facts', sql: m0004.sql },
  { version: 5, name: 'national-referrers', sql: m0005.sql + m0005.sourceAccessSql },
  { version: 6, name: 'concurrent-pushes', sql: m0006.sql },
  { version: 7, name: 'lighter-writes', sql: m0007.sql },
  { version: 8, name: 'unused-rows-index', sql: m0008.sql },
];
