// What the desk keeps about its exchange with the server (the local sync_state table): the server and this desk's
// registration with it, and how far push and pull have got. Written in the same transaction as the work it
// records, so a crash leaves the cursors where the store is.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import type { DeskView } from '../../shared/server/api.ts';

export type DeskStatus = 'unregistered' | DeskView['status'];

export interface ServerConfig {
  url: string;
  /** How this desk is named to the server's administrators. */
  deskName: string;
  unit: string;
  status: DeskStatus;
  deskId: string | null;
  /** The desk's credential, given once at registration. */
  deskToken: string | null;
  configuredAt: string;
}

export interface Cursors {
  /** The next change of this desk's log to push. */
  pushNext: number;
  /** Pull from here (the server's change number). */
  pull: number;
  /** The first fill of a new desk, page by page: null once done. */
  snapshot: { after: string | null; cursor: number } | null;
}

export interface LastSync {
  /** When push and pull last both completed with the server. */
  syncAt: string | null;
  pushAt: string | null;
  pullAt: string | null;
}

function read<T>(db: Db, key: string): T | null {
  const row = prepared(db, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}

function write(db: Db, key: string, value: unknown): void {
  prepared(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

export const serverConfig = (db: Db) => read<ServerConfig>(db, 'server');
export const saveServerConfig = (db: Db, c: ServerConfig) => write(db, 'server', c);

export function cursors(db: Db): Cursors {
  return read<Cursors>(db, 'cursors') ?? { pushNext: 1, pull: 0, snapshot: { after: null, cursor: -1 } };
}
export const saveCursors = (db: Db, c: Cursors) => write(db, 'cursors', c);

export function lastSync(db: Db): LastSync {
  return read<LastSync>(db, 'last') ?? { syncAt: null, pushAt: null, pullAt: null };
}
export function noteSync(db: Db, patch: Partial<LastSync>): void {
  write(db, 'last', { ...lastSync(db), ...patch });
}

/** Changes of this desk not yet accepted or rejected by the server. */
export function waitingChanges(db: Db): number {
  const next = cursors(db).pushNext;
  return (prepared(db, 'SELECT count(*) AS n FROM changes WHERE seq >= ?').get(next) as { n: number }).n;
}
