// A user's watch list: allegations and entities (people, phones, places…) they follow. The list says, for each,
// what has happened since they last looked: an allegation's last activity, an entity's new appearances. Items
// are removed by marking them (nothing is deleted).
import type { Core } from './core.ts';
import type { UserRow } from './users.ts';
import { actorFor } from './cases.ts';
import { prepared } from '../store/db.ts';
import { findEntity } from '../search/entities.ts';
import { canonicalEntity, type EntityKind } from '../../shared/entities/entity.ts';
import type { WatchItemView, WatchKind } from '../../shared/api/watch.ts';
import { ApiError } from '../../shared/api/errors.ts';

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
function canonical(core: Core, kind: WatchKind, value: string): { value: string; allegationId: string | null } {
  if (kind === 'allegation') {
    const row = prepared(core.store.db, 'SELECT id, reference FROM allegations WHERE reference = ? OR id = ?').get(value, value) as { id: string; reference: string } | undefined;
    if (!row) throw new ApiError('not_found', `No allegation ${value}`);
    return { value: row.reference, allegationId: row.id };
  }
  const v = canonicalEntity(kind as EntityKind, value);
  if (!v) throw new ApiError('bad_request', `“${value}” cannot be read as a ${kind}`);
  return { value: v, allegationId: null };
}

/** What the entity or allegation looks like now, to compare with what the user saw. */
function now(core: Core, kind: WatchKind, value: string): { count: number; lastActivity: string | null; status: string | null } {
  if (kind === 'allegation') {
    const a = prepared(core.store.db, 'SELECT id, status, updated_at FROM allegations WHERE reference = ?').get(value) as { id: string; status: string; updated_at: string } | undefined;
    if (!a) return { count: 0, lastActivity: null, status: null };
    const last = (prepared(core.store.db, 'SELECT max(at) AS at FROM audit_log WHERE allegation_id = ?').get(a.id) as { at: string | null }).at;
    return { count: 1, lastActivity: last && last > a.updated_at ? last : a.updated_at, status: a.status };
  }
  const found = findEntity(core.search, { kind: kind as EntityKind, value }, 2000);
  return { count: found.allegations, lastActivity: found.lastSeen?.at ?? null, status: null };
}

export function listWatch(core: Core, user: UserRow): WatchItemView[] {
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

export function addToWatch(core: Core, user: UserRow, items: Array<{ kind: WatchKind; value: string; label: string }>): { added: number; already: number } {
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
      const row = { id, user_id: user.id, kind: w.kind, value: w.value, label: w.label.trim() || w.value, added_at: m.at, seen_at: m.at, seen_count: count, hlc: m.hlc };
      prepared(m.db, 'INSERT INTO watch_items (id, user_id, kind, value, label, added_at, seen_at, seen_count, hlc) VALUES (@id, @user_id, @kind, @value, @label, @added_at, @seen_at, @seen_count, @hlc)').run(row);
      const { hlc: _h, ...data } = row;
      m.change('watch_item', id, 'insert', data, w.allegationId);
      added++;
    }
    m.note({ added, already });
  });
  return { added, already };
}

function own(core: Core, user: UserRow, id: string): WatchRow {
  const row = prepared(core.store.db, 'SELECT * FROM watch_items WHERE id = ? AND user_id = ? AND removed_at IS NULL').get(id, user.id) as WatchRow | undefined;
  if (!row) throw new ApiError('not_found', 'That is not on your watch list');
  return row;
}

export function removeFromWatch(core: Core, user: UserRow, id: string): void {
  own(core, user, id);
  core.store.mutate({ actor: actorFor(user), action: 'watch.remove', entity: 'watch_item', entityId: id }, (m) => {
    prepared(m.db, 'UPDATE watch_items SET removed_at = ?, hlc = ? WHERE id = ?').run(m.at, m.hlc, id);
    m.change('watch_item', id, 'update', { before: { removed_at: null }, after: { removed_at: m.at } });
  });
}

/** The user has looked: what each item shows now counts as seen. */
export function markWatchSeen(core: Core, user: UserRow, ids: string[]): void {
  const rows = ids.map((id) => own(core, user, id));
  const counts = rows.map((r) => now(core, r.kind, r.value).count);
  core.store.mutate({ actor: actorFor(user), action: 'watch.seen', entity: 'watch_item', details: { items: ids.length } }, (m) => {
    rows.forEach((r, i) => {
      prepared(m.db, 'UPDATE watch_items SET seen_at = ?, seen_count = ?, hlc = ? WHERE id = ?').run(m.at, counts[i], m.hlc, r.id);
      m.change('watch_item', r.id, 'update', { before: { seen_at: r.seen_at, seen_count: r.seen_count }, after: { seen_at: m.at, seen_count: counts[i] } });
    });
  });
}

