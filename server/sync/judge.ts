// Judges a desk's new changes in order against the national record held in memory (state.ts), merges the accepted
// ones, and plans what to write. A mutation (changes sharing one clock) is accepted or rejected whole: when one of
// its changes breaks a rule, every change of it is rejected and the state is as if none had come.
import { hash } from 'node:crypto';
import { changeProblem, type ChangeRow, type FieldValue } from '../../shared/sync/changes.ts';
import { decodeKey, entitySpec, type EntitySpec } from '../../shared/sync/entities.ts';
import { mergeChange } from '../../shared/sync/merge.ts';
import { ruleProblem } from '../../shared/sync/rules.ts';
import { rowAllegations } from '../../shared/sync/scope.ts';
import { canonicalChange } from '../../shared/sync/canonical.ts';
import type { HybridClock } from '../../shared/sync/hlc.ts';
import { legacyReference, referenceYear, type ReservedReferences } from './references.ts';
import { type PlaceState, type RowState, type WorkingState } from './state.ts';

export interface LogEntry {
  seq: number;
  deskId: string | null;
  deskSeq: number | null;
  change: Omit<ChangeRow, 'seq'>;
  allegationIds: string[];
  contentHash: string;
  status: 'accepted' | 'rejected';
  reason: string | null;
  stale: string[];
  scope: EntitySpec['scope'];
  scopeUnits: string[];
  scopeUsers: string[];
  entersUnits: string[];
  entersUsers: string[];
  leavesUnits: string[];
  leavesUsers: string[];
  /**
   * The place of the server's change giving a new allegation its national reference: the reference is chosen at the
   * end of the push, from numbers reserved then (giveReferences), and the entry completed then (or dropped, when the
   * allegation keeps a legacy national reference of its own).
   */
  pending?: { insert: ChangeRow };
}

export interface Plan {
  entries: LogEntry[];
  references: Array<{ allegationId: string; reference: string; provisional: string | null }>;
  aliases: Array<{ alias: string; allegationId: string }>;
  blobRefs: Array<{ hash: string; allegationId: string }>;
}

export interface JudgeContext {
  deskId: string | null;
  clock: HybridClock;
  nextSeq: () => number;
  now: () => Date;
  /** Each change's hash and registry problem, worked out before the write lock was taken (prepare). */
  prepared?: ReadonlyMap<ChangeRow, Prepared>;
}

export interface Prepared {
  hash: string;
  problem: string | null;
}

/**
 * What can be judged of each change on its own, without the national record: its content hash and its problem
 * against the registry. The push works these out before it takes the write lock, so that other pushes wait less.
 */
export function prepare(changes: readonly ChangeRow[]): Map<ChangeRow, Prepared> {
  return new Map(changes.map((c) => [c, { hash: contentHash(c), problem: changeProblem(c) }]));
}

export function contentHash(c: Omit<ChangeRow, 'seq'> & { seq?: number }): string {
  const { seq: _seq, ...content } = c;
  // The one-shot digest: a Hash object for each change cost more than the digest of its kilobyte.
  return hash('sha256', canonicalChange(content), 'hex');
}

const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);
const union = (...lists: ReadonlyArray<readonly (string | null)[]>) => [...new Set(lists.flat().filter((x): x is string => x !== null))].sort();

/** The allegations a row belongs to once the change is applied, or a problem. */
function allegationsOf(state: WorkingState, spec: EntitySpec, change: ChangeRow, current: RowState | undefined): string[] | string {
  if (spec.scope !== 'allegation') return [];
  let key: Record<string, string | number>;
  try {
    key = decodeKey(spec, change.id);
  } catch (error) {
    return (error as Error).message;
  }
  if (spec.parent) {
    const parentId = key[spec.parent.column] ?? str(change.fields[spec.parent.column]?.to) ?? str(current?.data[spec.parent.column]);
    const parent = parentId === undefined || parentId === null ? undefined : state.row(spec.parent.entity, String(parentId));
    if (!parent) return `no ${spec.parent.entity.replace('_', ' ')} ${String(parentId)} on the server for this ${spec.entity.replace('_', ' ')}`;
    return parent.allegationIds;
  }
  const data: Record<string, FieldValue | undefined> = { ...(current?.data ?? {}) };
  for (const [f, v] of Object.entries(change.fields)) data[f] = v.to;
  const ids = rowAllegations(spec, key, data) ?? [];
  if (current) {
    const moved = ids.filter((a) => !current.allegationIds.includes(a));
    if (moved.length || ids.length !== current.allegationIds.length) return `a ${spec.entity.replace('_', ' ')} cannot move to another allegation`;
  }
  return ids;
}

function structuralProblem(spec: EntitySpec, change: ChangeRow, current: RowState | undefined, allegations: readonly string[]): string | null {
  if (change.allegationId && spec.scope === 'allegation' && !allegations.includes(change.allegationId)) {
    return `the change names allegation ${change.allegationId}, but the ${spec.entity.replace('_', ' ')} belongs to ${allegations.join(', ') || 'none'}`;
  }
  if (change.op === 'update' && !current) return `no ${spec.entity.replace('_', ' ')} ${change.id} on the server to update`;
  if (change.op !== 'update' && current && (spec.merge === 'append' || spec.key.length === 1)) return `the ${spec.entity.replace('_', ' ')} ${change.id} already exists on the server`;
  return null;
}

export function judge(state: WorkingState, ctx: JudgeContext, changes: readonly ChangeRow[]): Plan {
  const plan: Plan = { entries: [], references: [], aliases: [], blobRefs: [] };
  let i = 0;
  while (i < changes.length) {
    const hlc = (changes[i] as ChangeRow).hlc;
    let j = i;
    while (j < changes.length && (changes[j] as ChangeRow).hlc === hlc) j++;
    judgeMutation(state, ctx, changes.slice(i, j), plan);
    i = j;
  }
  return plan;
}

function judgeMutation(state: WorkingState, ctx: JudgeContext, mutation: readonly ChangeRow[], plan: Plan): void {
  state.begin();
  const entries: LogEntry[] = [];
  const followUps: Plan = { entries: [], references: [], aliases: [], blobRefs: [] };
  let failure: { index: number; reason: string } | null = null;
  mutation.forEach((change, index) => {
    if (failure) return;
    const { seq, ...content } = change;
    const known = ctx.prepared?.get(change);
    const hash = known?.hash ?? contentHash(change);
    const problem = known ? known.problem : changeProblem(change);
    const spec = problem ? null : entitySpec(change.entity);
    const base = { seq: 0, deskId: ctx.deskId, deskSeq: seq, change: content, contentHash: hash, stale: [] as string[] };
    if (!spec) {
      failure = { index, reason: problem as string };
      entries.push({ ...base, ...emptyScope('national'), allegationIds: [], status: 'rejected', reason: problem });
      return;
    }
    const current = state.row(change.entity, change.id);
    const allegations = allegationsOf(state, spec, change, current);
    const reason =
      typeof allegations === 'string'
        ? allegations
        : (structuralProblem(spec, change, current, allegations) ??
          (change.userId && !state.deskUsers.has(change.userId) && state.persons.has(change.userId) ? `the user ${state.persons.get(change.userId)?.username} has never signed in at this desk` : null) ??
          ruleProblem(state, change, allegations, mutation));
    const ids = typeof allegations === 'string' ? [] : allegations;
    if (reason) {
      failure = { index, reason };
      entries.push({ ...base, ...emptyScope(spec.scope), allegationIds: ids, status: 'rejected', reason });
      return;
    }
    const entry = apply(state, spec, change, current, ids, ctx.nextSeq(), { ...base, allegationIds: ids });
    entries.push(entry);
    collectBlobRefs(spec, change, ids, followUps);
  });
  if (failure) {
    state.rollback();
    const { index, reason } = failure as { index: number; reason: string };
    mutation.forEach((change, k) => {
      const done = entries[k];
      const { seq, ...content } = change;
      plan.entries.push({
        seq: done && done.seq > 0 ? done.seq : ctx.nextSeq(),
        deskId: ctx.deskId,
        deskSeq: seq,
        change: content,
        contentHash: done?.contentHash ?? ctx.prepared?.get(change)?.hash ?? contentHash(change),
        allegationIds: done?.allegationIds ?? [],
        status: 'rejected',
        reason: k === index ? reason : `rejected with the rest of its mutation: ${reason}`,
        stale: [],
        ...emptyScope(done?.scope ?? safeScope(change.entity)),
      });
    });
    return;
  }
  for (const change of mutation) if (change.entity === 'allegation' && change.op === 'insert') followUps.entries.push(referenceToGive(state, ctx, change));
  endAllocationsLeftBehind(state, ctx, mutation, followUps);
  state.commit();
  plan.entries.push(...entries, ...followUps.entries);
  plan.references.push(...followUps.references);
  plan.aliases.push(...followUps.aliases);
  plan.blobRefs.push(...followUps.blobRefs);
}

function safeScope(entity: string): EntitySpec['scope'] {
  try {
    return entitySpec(entity).scope;
  } catch {
    return 'national';
  }
}

function emptyScope(scope: EntitySpec['scope']) {
  return { scope, scopeUnits: [] as string[], scopeUsers: [] as string[], entersUnits: [] as string[], entersUsers: [] as string[], leavesUnits: [] as string[], leavesUsers: [] as string[] };
}

/** Merges an accepted change into the working state and says where it lives. */
export function apply(state: WorkingState, spec: EntitySpec, change: Omit<ChangeRow, 'seq'>, current: RowState | undefined, allegations: string[], seq: number, base: Omit<LogEntry, 'status' | 'reason' | 'scope' | 'scopeUnits' | 'scopeUsers' | 'entersUnits' | 'entersUsers' | 'leavesUnits' | 'leavesUsers' | 'seq'>): LogEntry {
  const before = allegations.map((a) => state.place(a)).filter((p): p is PlaceState => p !== undefined);
  const merged = mergeChange(spec, current ?? null, change);
  const owner = spec.scope === 'user' ? str(merged.row.data[spec.userColumn ?? 'user_id']) : null;
  const row: RowState = {
    entity: spec.entity,
    id: change.id,
    scope: spec.scope,
    allegationIds: allegations,
    ownerUser: owner,
    data: merged.row.data,
    clocks: merged.row.clocks,
    stored: current?.stored ?? false,
    dirty: merged.applied.length > 0 || !current,
    ...(current?.stored ? { changed: merged.applied.length ? union(current.changed ?? [], merged.applied) : (current.changed ?? []) } : {}),
  };
  state.putRow(row);

  const entry: LogEntry = { ...base, seq, status: 'accepted', reason: null, stale: merged.stale, ...emptyScope(spec.scope) };
  if (spec.scope === 'user' && owner) entry.scopeUsers = [owner];
  if (spec.scope !== 'allegation') return entry;

  if (spec.entity === 'allegation') {
    const was = state.place(change.id);
    const unit = str(row.data.unit_code);
    const status = str(row.data.status);
    const reference = str(row.data.reference);
    // A place is written again only when it changes: most amendments (the text, a risk rating) leave it as it is.
    if (!was || was.unit !== unit || was.status !== status || was.reference !== reference) {
      state.putPlace({ allegationId: change.id, unit, status, reference, allocatedTo: was?.allocatedTo ?? [], stored: was?.stored ?? false, dirty: true });
    }
    if (was && was.unit !== str(row.data.unit_code)) {
      entry.entersUnits = union([str(row.data.unit_code)]);
      entry.leavesUnits = union([was.unit]);
    }
  }
  if (spec.entity === 'allocation') {
    const allegationId = str(row.data.allegation_id);
    const user = str(row.data.user_id);
    const place = allegationId ? state.place(allegationId) : undefined;
    if (place && user && allegationId) {
      const open = row.data.ended_at === null || row.data.ended_at === undefined;
      const had = place.allocatedTo.includes(user);
      const allocatedTo = open ? union(place.allocatedTo, [user]) : place.allocatedTo.filter((u) => u !== user || openAllocationElsewhere(state, row, allegationId, user));
      state.putPlace({ ...place, allocatedTo, dirty: true });
      if (open && !had) entry.entersUsers = [user];
      if (!open && had && !allocatedTo.includes(user)) entry.leavesUsers = [user];
    }
  }
  const after = allegations.map((a) => state.place(a)).filter((p): p is PlaceState => p !== undefined);
  entry.scopeUnits = union(before.map((p) => p.unit), after.map((p) => p.unit));
  entry.scopeUsers = union(...before.map((p) => p.allocatedTo), ...after.map((p) => p.allocatedTo), entry.leavesUsers);
  return entry;
}

function openAllocationElsewhere(state: WorkingState, row: RowState, allegationId: string, user: string): boolean {
  for (const r of state.rows.values()) {
    if (r.entity === 'allocation' && r.id !== row.id && r.data.allegation_id === allegationId && r.data.user_id === user && (r.data.ended_at === null || r.data.ended_at === undefined)) return true;
  }
  return false;
}

/**
 * A case moved to another unit leaves its allocations behind (the new unit allocates its own people): every one
 * open on the server ends with the move, not only those the moving desk had heard of. A desk that has not pulled an
 * allocation made elsewhere cannot end it itself, and left open it would keep the case in that person's scope and
 * the key service releasing its data key to them. The server ends each such allocation with a change of its own,
 * after the mutation's, so that every desk holding the allocation (the person's, the old unit's) learns at pull
 * that it ended. Allocations the mutation itself wrote (ended, or made in the same act) are left as it wrote them.
 */
function endAllocationsLeftBehind(state: WorkingState, ctx: JudgeContext, mutation: readonly ChangeRow[], out: Plan): void {
  const spec = entitySpec('allocation');
  const written = new Set(mutation.filter((c) => c.entity === 'allocation').map((c) => c.id));
  for (const change of mutation) {
    if (change.entity !== 'allegation' || change.op !== 'update' || !('unit_code' in change.fields)) continue;
    const from = state.before(change.id);
    const to = state.place(change.id);
    if (!from || !to || from.unit === to.unit) continue;
    const open = [...state.rows.values()].filter(
      (r) => r.entity === 'allocation' && !written.has(r.id) && r.allegationIds.includes(change.id) && (r.data.ended_at === null || r.data.ended_at === undefined),
    );
    // Ended when the case moved: the moving change's own time, as the desk dates the allocations it ends.
    const movedAt = str(change.fields.updated_at?.to);
    const endedAt = movedAt && !Number.isNaN(Date.parse(movedAt)) ? movedAt : ctx.now().toISOString();
    // In the order they were made (rows carry no change numbers on the server: numbering.ts), then by id.
    for (const row of open.sort((a, b) => String(a.data.allocated_at ?? '').localeCompare(String(b.data.allocated_at ?? '')) || a.id.localeCompare(b.id))) {
      const serverChange = { hlc: ctx.clock.tick(), entity: 'allocation', id: row.id, allegationId: change.id, op: 'update' as const, fields: { ended_at: { from: null, to: endedAt } }, userId: null };
      const entry = apply(state, spec, serverChange, row, row.allegationIds, ctx.nextSeq(), { deskId: null, deskSeq: null, change: serverChange, allegationIds: row.allegationIds, contentHash: contentHash(serverChange), stale: [] });
      // The old unit's desks hold the allocation too: they learn that it ended, though the case has left them.
      entry.scopeUnits = union(entry.scopeUnits, [from.unit]);
      out.entries.push(entry);
    }
  }
}

/**
 * Keeps the place, in the order of the log, of the server's change that will give a new allegation its national
 * reference, with its clock and the desks it concerns as they stand now. The reference itself is given at the end of
 * the push (giveReferences), from numbers reserved for it then (references.ts).
 */
function referenceToGive(state: WorkingState, ctx: JudgeContext, insert: ChangeRow): LogEntry {
  const place = state.place(insert.id);
  const change = { hlc: ctx.clock.tick(), entity: 'allegation', id: insert.id, allegationId: insert.id, op: 'update' as const, fields: {}, userId: null };
  return {
    seq: ctx.nextSeq(),
    deskId: null,
    deskSeq: null,
    change,
    allegationIds: [insert.id],
    contentHash: '',
    status: 'accepted',
    reason: null,
    stale: [],
    ...emptyScope('allegation'),
    scopeUnits: union([place?.unit ?? null]),
    scopeUsers: union(place?.allocatedTo ?? []),
    pending: { insert },
  };
}

/** The new allegations whose national reference is still to be given. */
export function referencesToGive(plan: Plan): Set<string> {
  return new Set(plan.entries.filter((e) => e.pending).map((e) => e.change.id));
}

/**
 * Gives each new allegation of the plan its national reference, in the order of the log, from the numbers reserved
 * for the push (references.ts), completing the server's changes that carry them.
 */
export function giveReferences(state: WorkingState, now: () => Date, plan: Plan, reserved: ReservedReferences): void {
  plan.entries = plan.entries.flatMap((e) => {
    if (!e.pending) return [e];
    const given = giveReference(state, now, e, e.pending.insert, plan, reserved);
    return given ? [given] : [];
  });
}

/**
 * The national reference, given when the server first sees an allegation: IMS-YYYY-NNNNNN by the year it was
 * received (UK time). A reference already in national form (a legacy record) is kept when it was reserved for it;
 * a desk's provisional one stays as an alias.
 */
function giveReference(state: WorkingState, now: () => Date, placeholder: LogEntry, change: ChangeRow, out: Plan, reserved: ReservedReferences): LogEntry | null {
  const provisional = str(change.fields.reference?.to);
  const legacy = legacyReference(change);
  if (legacy && reserved.kept.has(legacy.reference)) {
    reserved.kept.delete(legacy.reference);
    out.references.push({ allegationId: change.id, reference: legacy.reference, provisional: null });
    return null;
  }
  const year = referenceYear(change, now);
  const n = reserved.next.get(year);
  if (n === undefined) throw new Error(`no reference was reserved for ${year}`);
  reserved.next.set(year, n + 1);
  const reference = `IMS-${year}-${String(n).padStart(6, '0')}`;
  const spec = entitySpec('allegation');
  const serverChange = { ...placeholder.change, fields: { reference: { from: provisional, to: reference } } };
  const current = state.row('allegation', change.id);
  const entry = apply(state, spec, serverChange, current, [change.id], placeholder.seq, { deskId: null, deskSeq: null, change: serverChange, allegationIds: [change.id], contentHash: contentHash(serverChange), stale: [] });
  out.references.push({ allegationId: change.id, reference, provisional });
  if (provisional) out.aliases.push({ alias: provisional, allegationId: change.id });
  // The desks it concerns are those of its place in the log (the reference changes neither unit nor allocation).
  return { ...entry, scopeUnits: placeholder.scopeUnits, scopeUsers: placeholder.scopeUsers };
}

function collectBlobRefs(spec: EntitySpec, change: ChangeRow, allegations: readonly string[], out: Plan): void {
  const columns = spec.entity === 'attachment' ? ['content_hash', 'sanitised_hash'] : spec.entity === 'attachment_sanitised' ? ['blob_hash'] : [];
  for (const col of columns) {
    const hash = str(change.fields[col]?.to);
    if (hash && /^[0-9a-f]{64}$/.test(hash)) for (const a of allegations) out.blobRefs.push({ hash, allegationId: a });
  }
}
