// A user's watch list: allegations and entities (people, phones, places…) they follow. The list says, for each,
// what has happened since they last looked: an allegation's last activity, an entity's new appearances. Items
// are removed by marking them (nothing is deleted).
import type { HasSearch, HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { prepared } from '../store/db.ts';
import { findEntity } from '../search/entities.ts';
import { canonicalEntity, type EntityKind } from '../../shared/entities/entity.ts';
import type { WatchItemView, WatchKind } from '../../shared/api/watch.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** What the watch list reads and writes: the store, and the search engine for an entity's appearances. */
export type WatchDeps = HasStore & HasSearch;

interface WatchRow {
  id: string;
  kind: WatchKind;
  value: string;
  label: string;
  added_at: string;
  seen_at: string | null;
  seen_count: number;
}

/** The canonical value of what is to be watched: an allegation's reference, an entity's canonical value. */
function canonical(core: WatchDeps, kind: WatchKind, value: string): { value: string } {
  if (kind === 'allegation') {
    const row = prepared(core.store.db, 'SELECT id, reference FROM allegations WHERE reference = ? OR id = ?').get(value, value) as { id: string; reference: string } | undefined;
    if (!row) throw new ApiError('not_found', `No allegation ${value}`);
    return { value: row.reference };
  }
  const v = canonicalEntity(kind as EntityKind, value);
  if (!v) throw new ApiError('bad_request', `“${value}” cannot be read as a ${kind}`);
  return { value: v };
}

/** What the entity or allegation looks like now, to compare with what the user saw. */
function now(core: WatchDeps, kind: WatchKind, value: string): { count: number; lastActivity: string | null; status: string | null } {
  if (kind === 'allegation') {
    const a = prepared(core.store.db, 'SELECT id, status, updated_at FROM allegations WHERE reference = ?').get(value) as { id: string; status: string; updated_at: string } | undefined;
    if (!a) return { count: 0, lastActivity: null, status: null };
    const last = (prepared(core.store.db, 'SELECT max(at) AS at FROM audit_log WHERE allegation_id = ?').get(a.id) as { at: string | null }).at;
    return { count: 1, lastActivity: last && last > a.updated_at ? last : a.updated_at, status: a.status };
  }
  const found = findEntity(core.search, { kind: kind as EntityKind, value }, 2000);
  return { count: found.allegations, lastActivity: found.lastSeen?.at ?? null, status: null };
}

export function listWatch(core: WatchDeps, user: UserRow): WatchItemView[] {
  const rows = prepared(core.store.db, 'SELECT * FROM watch_items WHERE user_id = ? AND removed_at IS NULL ORDER BY added_at DESC').all(user.id) as WatchRow[];
  return rows.map((r) => {
    const n = now(core, r.kind, r.value);
    const since = r.seen_at ?? r.added_at;
    return {
      id: r.id,
      kind: r.kind,
      value: r.value,
      label: r.label,
      addedAt: r.added_at,
      seenAt: r.seen_at,
      allegations: n.count,
      status: n.status as WatchItemView['status'],
      lastActivity: n.lastActivity,
      newAppearances: r.kind === 'allegation' ? 0 : Math.max(0, n.count - r.seen_count),
      changedSinceSeen: !!n.lastActivity && n.lastActivity > since,
    };
  });
}

export function addToWatch(core: WatchDeps, user: UserRow, items: Array<{ kind: WatchKind; value: string; label: string }>): { added: number; already: number } {
  const wanted = items.map((i) => ({ ...i, ...canonical(core, i.kind, i.value) }));
  let added = 0;
  let already = 0;
  core.store.mutate({ actor: actorFor(user), action: 'watch.add', entity: 'watch_item', details: { items: wanted.length } }, (m) => {
    for (const w of wanted) {
      if (prepared(m.db, 'SELECT 1 FROM watch_items WHERE user_id = ? AND kind = ? AND value = ? AND removed_at IS NULL').get(user.id, w.kind, w.value)) {
        already++;
        continue;
      }
      const id = core.store.newId();
      const count = now(core, w.kind, w.value).count;
      m.insert('watch_item', { id, user_id: user.id, kind: w.kind, value: w.value, label: w.label.trim() || w.value, added_at: m.at, seen_at: m.at, seen_count: count });
      added++;
    }
    m.note({ added, already });
  });
  return { added, already };
}

function own(core: WatchDeps, user: UserRow, id: string): WatchRow {
  const row = prepared(core.store.db, 'SELECT * FROM watch_items WHERE id = ? AND user_id = ? AND removed_at IS NULL').get(id, user.id) as WatchRow | undefined;
  if (!row) throw new ApiError('not_found', 'That is not on your watch list');
  return row;
}

export function removeFromWatch(core: WatchDeps, user: UserRow, id: string): void {
  own(core, user, id);
  core.store.mutate({ actor: actorFor(user), action: 'watch.remove', entity: 'watch_item', entityId: id }, (m) => {
    m.update('watch_item', id, { removed_at: m.at });
  });
}

/** The user has looked: what each item shows now counts as seen. */
export function markWatchSeen(core: WatchDeps, user: UserRow, ids: string[]): void {
  const rows = ids.map((id) => own(core, user, id));
  const counts = rows.map((r) => now(core, r.kind, r.value).count);
  core.store.mutate({ actor: actorFor(user), action: 'watch.seen', entity: 'watch_item', details: { items: ids.length } }, (m) => {
    rows.forEach((r, i) => {
      m.update('watch_item', r.id, { seen_at: m.at, seen_count: counts[i] ?? 0 });
    });
  });
}

