// Conflicts as their authors see them: one card per rejected mutation, with the server's reason, what each change
// made each field and what the record holds now, and — judged here by the server's own rules (shared/sync/rules.ts)
// against this desk's copy of the national record — whether making the change again would be refused too.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { rowClocks, rowFields } from '../store/registry.ts';
import { decodeKey, entitySpec } from '../../shared/sync/entities.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import { ruleProblem, type RulePerson, type RuleWorld } from '../../shared/sync/rules.ts';
import { rowAllegations } from '../../shared/sync/scope.ts';
import type { AllegationPlace } from '../../shared/domain/access.ts';
import type { ConflictGroup } from '../../shared/api/sync.ts';
import { parseHlc } from '../../shared/sync/hlc.ts';
import {
  CHANNEL_LABELS,
  CHECK_SYSTEM_LABELS,
  GENDER_LABELS,
  NFA_REASON_LABELS,
  OFFENCE_TYPE_LABELS,
  OUTCOME_ACTION_LABELS,
  OUTCOME_LABELS,
  REPORTER_TYPE_LABELS,
  RISK_RATING_LABELS,
  STATUS_LABELS,
  type Role,
} from '../../shared/domain/vocabularies.ts';
import { CHECK_FINDING_LABELS, SIGNOFF_EVIDENCE_LABELS } from '../../shared/domain/outcome.ts';
import { unitName } from '../../shared/domain/units.ts';
import { ukDateTimeText, ukDayText } from '../../shared/domain/uk-time.ts';
import { changeBySeq } from './push.ts';
import { RESOLVE_FOR_OTHERS, type ConflictRow } from './conflicts.ts';

const ENTITY_LABELS: Record<string, string> = {
  allegation: 'The allegation',
  allegation_offence: 'An offence',
  unit_history: 'The routing history',
  outcome_decision: 'The outcome decision',
  outcome_action: 'An outcome action',
  compliance_signoff: 'The compliance sign-off',
  link_judgement: 'A link judgement',
  source_details: 'The source details',
  restricted_text: 'Restricted text',
};

/** Keys and bookkeeping a person does not read: ids of the row and of what it names, and structured detail. */
const HIDDEN_FIELDS = /(^id$|_id$|^hlc$)/;

/** Field names whose words alone do not read as the forms call them. */
const FIELD_LABELS: Record<string, string> = { nfa_reason: 'NFA reason', dob: 'Date of birth', vrm: 'VRM', unit_code: 'Unit', by_user: 'By' };

function label(name: string): string {
  const t = name.replace(/_/g, ' ');
  return FIELD_LABELS[name] ?? t.charAt(0).toUpperCase() + t.slice(1);
}

/** The words the forms use for the values of fields with a vocabulary (a code the desk stores, a label it shows). */
const VALUE_LABELS: Record<string, Readonly<Record<string, string>>> = {
  channel: CHANNEL_LABELS,
  reporter_type: REPORTER_TYPE_LABELS,
  offence_type: OFFENCE_TYPE_LABELS,
  status: STATUS_LABELS,
  risk_rating: RISK_RATING_LABELS,
  outcome: OUTCOME_LABELS,
  nfa_reason: NFA_REASON_LABELS,
  action: OUTCOME_ACTION_LABELS,
  system: CHECK_SYSTEM_LABELS,
  finding: CHECK_FINDING_LABELS,
  evidence: SIGNOFF_EVIDENCE_LABELS,
  gender: GENDER_LABELS,
};
const YES_NO_FIELDS = new Set(['time_critical', 'malicious_suspected', 'has_source']);

/** A value as the redo compares it with the record's: a sealed value is the same as any other sealed value. */
function comparable(v: FieldValue | undefined): string {
  if (v === null || v === undefined) return '(empty)';
  if (typeof v === 'object') return '(sealed: restricted)';
  return String(v);
}

/** A field's value as the forms show it: its vocabulary's label, a UK date and time, Yes or No; otherwise as stored. */
export function shownValue(field: string, v: FieldValue | undefined): string {
  if (v === null || v === undefined || typeof v === 'object') return comparable(v);
  const vocabulary = VALUE_LABELS[field];
  if (vocabulary && typeof v === 'string' && vocabulary[v]) return vocabulary[v];
  if (field === 'unit_code' && typeof v === 'string') return unitName(v);
  if (YES_NO_FIELDS.has(field) && (v === 0 || v === 1)) return v ? 'Yes' : 'No';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) return ukDateTimeText(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return ukDayText(v);
  return String(v);
}

/** This desk's copy of the national record, as the server's rules read it (withdrawn rows are not on the server). */
export function localWorld(db: Db): RuleWorld {
  const withdrawn = (entity: string, id: string) => Boolean(prepared(db, 'SELECT 1 FROM sync_withdrawn WHERE entity = ? AND entity_id = ? AND restored_at IS NULL').get(entity, id));
  const place = (id: string): (AllegationPlace & { status: string | null }) | undefined => {
    if (withdrawn('allegation', id)) return undefined;
    const a = prepared(db, 'SELECT unit_code, status FROM allegations WHERE id = ?').get(id) as { unit_code: string | null; status: string } | undefined;
    if (!a) return undefined;
    const users = (prepared(db, 'SELECT user_id FROM allocations WHERE allegation_id = ? AND ended_at IS NULL').all(id) as Array<{ user_id: string }>).map((r) => r.user_id);
    return { unit: a.unit_code, allocatedTo: users, status: a.status };
  };
  return {
    person(id: string): RulePerson | undefined {
      const u = prepared(db, 'SELECT id, username, role, unit_code, active FROM users WHERE id = ?').get(id) as { id: string; username: string; role: Role; unit_code: string | null; active: number } | undefined;
      return u ? { id: u.id, username: u.username, role: u.role, unit: u.unit_code, active: u.active === 1 } : undefined;
    },
    row(entity: string, id: string) {
      if (withdrawn(entity, id)) return undefined;
      const data = rowFields(db, entity, id);
      const clocks = rowClocks(db, entity, id);
      return data && clocks ? { data, clocks } : undefined;
    },
    place,
    before: place,
  };
}

/** The mutation that making the group's changes again would write, as the server would receive it. */
function redoChanges(db: Db, group: readonly ConflictRow[], userId: string): ChangeRow[] {
  const world = localWorld(db);
  const out: ChangeRow[] = [];
  for (const c of group) {
    const change = changeBySeq(db, c.desk_seq);
    if (!change) continue;
    const spec = entitySpec(c.entity);
    const current = world.row(c.entity, c.entity_id);
    if (!current) {
      const data = rowFields(db, c.entity, c.entity_id) ?? {};
      out.push({ ...change, userId, op: spec.merge === 'append' ? 'append' : 'insert', fields: Object.fromEntries(spec.columns.map((f) => [f, { from: null, to: data[f] ?? null }])) });
    } else {
      const fields = Object.fromEntries(Object.entries(change.fields).filter(([f, v]) => comparable(current.data[f]) !== comparable(v.to)).map(([f, v]) => [f, { from: current.data[f] ?? null, to: v.to }]));
      if (Object.keys(fields).length) out.push({ ...change, userId, op: 'update', fields });
    }
  }
  return out;
}

/** Why making these changes again would be refused, judged by the server's rules on this desk's copy; or null. */
export function redoProblem(db: Db, group: readonly ConflictRow[], userId: string): string | null {
  const world = localWorld(db);
  const mutation = redoChanges(db, group, userId);
  if (!mutation.length) return 'The record already holds what this change made: there is nothing to make again';
  for (const change of mutation) {
    const spec = entitySpec(change.entity);
    let allegations: string[];
    if (spec.parent) {
      const key = decodeKey(spec, change.id);
      const parent = world.row(spec.parent.entity, String(key[spec.parent.column] ?? ''));
      const parentAllegation = parent?.data.allegation_id;
      allegations = typeof parentAllegation === 'string' ? [parentAllegation] : [];
    } else {
      const data: Record<string, FieldValue | undefined> = { ...(world.row(change.entity, change.id)?.data ?? {}) };
      for (const [f, v] of Object.entries(change.fields)) data[f] = v.to;
      allegations = rowAllegations(spec, decodeKey(spec, change.id), data) ?? [];
    }
    const problem = ruleProblem(world, change, allegations, mutation);
    if (problem) return problem;
  }
  return null;
}

export interface Viewer {
  id: string;
  role: Role;
}

export function conflictGroups(db: Db, viewer: Viewer, state: 'open' | 'all'): ConflictGroup[] {
  const everyone = RESOLVE_FOR_OTHERS.includes(viewer.role);
  const where = [state === 'open' ? 'resolved_at IS NULL' : '1 = 1', everyone ? '1 = 1' : 'user_id = ?'];
  const rows = prepared(db, `SELECT * FROM sync_conflicts WHERE ${where.join(' AND ')} ORDER BY desk_seq`).all(...(everyone ? [] : [viewer.id])) as ConflictRow[];
  const groups = new Map<string, ConflictRow[]>();
  for (const r of rows) groups.set(r.hlc, [...(groups.get(r.hlc) ?? []), r]);
  const name = (id: string | null) => (id ? ((prepared(db, 'SELECT display_name FROM users WHERE id = ?').get(id) as { display_name: string } | undefined)?.display_name ?? null) : null);
  return [...groups.entries()].map(([key, group]) => {
    const first = group[0] as ConflictRow;
    const allegationId = group.map((g) => g.allegation_id).find((a) => a !== null) ?? null;
    const reference = allegationId ? ((prepared(db, 'SELECT reference FROM allegations WHERE id = ?').get(allegationId) as { reference: string } | undefined)?.reference ?? null) : null;
    const main = group.find((g) => !g.reason.startsWith('rejected with the rest of its mutation')) ?? first;
    const mayResolve = first.user_id === viewer.id || everyone;
    return {
      key,
      allegationId,
      reference,
      userId: first.user_id,
      userName: name(first.user_id),
      madeAt: new Date(parseHlc(key).wall).toISOString(),
      reason: main.reason,
      changes: group.map((c) => {
        const change = changeBySeq(db, c.desk_seq);
        const now = rowFields(db, c.entity, c.entity_id);
        const withdrawn = Boolean(prepared(db, 'SELECT 1 FROM sync_withdrawn WHERE entity = ? AND entity_id = ? AND restored_at IS NULL').get(c.entity, c.entity_id));
        return {
          seq: c.desk_seq,
          entity: c.entity,
          what: ENTITY_LABELS[c.entity] ?? `A ${c.entity.replace(/_/g, ' ')}`,
          op: change?.op ?? 'update',
          fields: Object.entries(change?.fields ?? {})
            .filter(([f, v]) => (change?.op === 'update' || v.to !== null) && !HIDDEN_FIELDS.test(f) && !(typeof v.to === 'string' && /^[[{]/.test(v.to)))
            .map(([f, v]) => ({ field: f, label: label(f), yours: shownValue(f, v.to), now: withdrawn || !now ? null : shownValue(f, now[f]) })),
        };
      }),
      resolvedAt: first.resolved_at,
      resolvedBy: name(first.resolved_by),
      resolution: first.resolution,
      note: first.note,
      serverTold: first.server_id === null || first.server_resolved_at !== null,
      mayResolve,
      redoProblem: first.resolved_at || !mayResolve ? null : redoProblem(db, group, viewer.id),
    };
  });
}
