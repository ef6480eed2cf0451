// Numbered, code-first migrations of the server's database, as on the desk. Append a file NNNN-name.ts exporting
// `sql` and list it here; never edit one that has shipped (a server's database may already have run it).
import * as m0001 from './0001-national-record.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'national-record', sql: m0001.sql }];
