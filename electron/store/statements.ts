// The one statement cache: a statement is prepared once per connection, since hot paths (import, indexing,
// matching) run the same SQL many times and preparing is a large share of a small query's cost.
import type { Db, Stmt } from './db.ts';

const statementCache = new WeakMap<Db, Map<string, Stmt>>();

export function prepared(db: Db, text: string): Stmt {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = db.prepare(text);
    cache.set(text, stmt);
  }
  return stmt;
}
