// Judges a desk's new changes in order against the national record held in memory (state.ts), merges the accepted
// ones, and plans what to write. A mutation (changes sharing one clock) is accepted or rejected whole: when one of
// its changes breaks a rule, every change of it is rejected and the state is as if none had come.
import { createHash } from 'node:crypto';
import { changeProblem, type ChangeRow, type FieldValue } from '../../shared/sync/changes.ts';
import { decodeKey, entitySpec, type EntitySpec } from '../../shared/sync/entities.ts';
import { mergeChange } from '../../shared/sync/merge.ts';
import { ruleProblem } from '../../shared/sync/rules.ts';
import { rowAllegations } from '../../shared/sync/scope.ts';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import type { HybridClock } from '../../shared/sync/hlc.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { NATIONAL_REFERENCE, type PlaceState, type RowState, type WorkingState } from './state.ts';

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
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
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
  for (const change of mutation) if (change.entity === 'allegation' && change.op === 'insert') giveReference(state, ctx, change, followUps);
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
    createdSeq: current?.createdSeq ?? seq,
    updatedSeq: merged.applied.length ? seq : (current?.updatedSeq ?? seq),
    stored: current?.stored ?? false,
    dirty: merged.applied.length > 0 || !current,
  };
  state.putRow(row);

  const entry: LogEntry = { ...base, seq, status: 'accepted', reason: null, stale: merged.stale, ...emptyScope(spec.scope) };
  if (spec.scope === 'user' && owner) entry.scopeUsers = [owner];
  if (spec.scope !== 'allegation') return entry;

  if (spec.entity === 'allegation') {
    const was = state.place(change.id);
    state.putPlace({
      allegationId: change.id,
      unit: str(row.data.unit_code),
      status: str(row.data.status),
      reference: str(row.data.reference),
      allocatedTo: was?.allocatedTo ?? [],
      updatedSeq: seq,
      stored: was?.stored ?? false,
      dirty: true,
    });
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
      state.putPlace({ ...place, allocatedTo, updatedSeq: seq, dirty: true });
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
 * The national reference, given when the server first sees an allegation: IMS-YYYY-NNNNNN by the year it was
 * received (UK time). A reference already in national form (a legacy record) is kept when it is free; a desk's
 * provisional one stays as an alias.
 */
function giveReference(state: WorkingState, ctx: JudgeContext, change: ChangeRow, out: Plan): void {
  const provisional = str(change.fields.reference?.to);
  const legacy = provisional ? NATIONAL_REFERENCE.exec(provisional) : null;
  if (provisional && legacy && !state.takenReferences.has(provisional)) {
    const year = Number(legacy[1]);
    const n = Number(legacy[2]);
    const y = state.referenceYears.get(year) ?? { last: 0, stored: false, dirty: false };
    if (n > y.last) state.referenceYears.set(year, { ...y, last: n, dirty: true });
    state.takenReferences.add(provisional);
    out.references.push({ allegationId: change.id, reference: provisional, provisional: null });
    return;
  }
  const receivedAt = str(change.fields.received_at?.to);
  const when = receivedAt && !Number.isNaN(Date.parse(receivedAt)) ? new Date(receivedAt) : ctx.now();
  const year = Number(ukDate(when).slice(0, 4));
  const y = state.referenceYears.get(year) ?? { last: 0, stored: false, dirty: false };
  let n = y.last + 1;
  let reference = `IMS-${year}-${String(n).padStart(6, '0')}`;
  while (state.takenReferences.has(reference)) reference = `IMS-${year}-${String(++n).padStart(6, '0')}`;
  state.referenceYears.set(year, { ...y, last: n, dirty: true });
  state.takenReferences.add(reference);
  const spec = entitySpec('allegation');
  const fields = { reference: { from: provisional, to: reference } };
  const serverChange = { hlc: ctx.clock.tick(), entity: 'allegation', id: change.id, allegationId: change.id, op: 'update' as const, fields, userId: null };
  const current = state.row('allegation', change.id);
  out.entries.push(apply(state, spec, serverChange, current, [change.id], ctx.nextSeq(), { deskId: null, deskSeq: null, change: serverChange, allegationIds: [change.id], contentHash: contentHash(serverChange), stale: [] }));
  out.references.push({ allegationId: change.id, reference, provisional });
  if (provisional) out.aliases.push({ alias: provisional, allegationId: change.id });
}

function collectBlobRefs(spec: EntitySpec, change: ChangeRow, allegations: readonly string[], out: Plan): void {
  const columns = spec.entity === 'attachment' ? ['content_hash', 'sanitised_hash'] : spec.entity === 'attachment_sanitised' ? ['blob_hash'] : [];
  for (const col of columns) {
    const hash = str(change.fields[col]?.to);
    if (hash && /^[0-9a-f]{64}$/.test(hash)) for (const a of allegations) out.blobRefs.push({ hash, allegationId: a });
  }
}
