// The National Source Unit's workspace: repeat referrers found automatically from blind indexes (IMS relied on
// staff memory, 000 §5.4), the risk indicators NSU reviews (many referrals, the same subject again, rising
// contact, staff tasking the source: possible CHIS relationship or status drift, 000 §5.12-5.15), and NSU's
// recorded decisions. Nothing here decrypts a source except nsu.reveal, which audits each one first.
import type { HasStore, HasVault } from './deps.ts';

/** What this module needs of the core. */
export type NsuDeps = HasStore & HasVault;
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { prepared } from '../store/db.ts';
import { SEALED_FORMAT } from '../store/allegation-write.ts';
import { groupReferrals, type ReferralKeys } from '../../shared/sources/referrer-groups.ts';
import { reportedKeys, type SourceKeyKind } from '../../shared/sources/keys.ts';
import type { ReferrerGroupView } from '../../shared/api/sources.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { OffenceType } from '../../shared/domain/vocabularies.ts';

const DAY = 86_400_000;

export interface AllegationFacts {
  id: string;
  reference: string;
  received_at: string;
  unit_code: string | null;
  offences: string | null;
  main_subject: string | null;
  subject_key: string | null;
  contacts: number;
  tasking: number;
  last_tasking: string | null;
}

/** All repeat-referrer groups, largest first. */
export function referrerGroups(core: NsuDeps, minCount = 2): ReferrerGroupView[] {
  const db = core.store.db;
  const byAllegation = new Map<string, ReferralKeys & { keys: Array<{ kind: SourceKeyKind; digest: string }> }>();
  for (const r of prepared(db, 'SELECT allegation_id, kind, digest FROM source_blind_index').iterate() as IterableIterator<{ allegation_id: string; kind: SourceKeyKind; digest: string }>) {
    let item = byAllegation.get(r.allegation_id);
    if (!item) byAllegation.set(r.allegation_id, (item = { id: r.allegation_id, keys: [] }));
    item.keys.push({ kind: r.kind, digest: r.digest });
  }
  // What each referral reported (open data): a name that matches plus the same subject says more than the name.
  const reported = new Map<string, { subjects: Array<{ forename: string; surname: string }>; postcodes: string[] }>();
  const entry = (id: string) => reported.get(id) ?? reported.set(id, { subjects: [], postcodes: [] }).get(id) as { subjects: Array<{ forename: string; surname: string }>; postcodes: string[] };
  for (const s of prepared(db, 'SELECT allegation_id, forename, surname FROM subjects WHERE removed_at IS NULL AND allegation_id IN (SELECT allegation_id FROM source_blind_index)').iterate() as IterableIterator<{ allegation_id: string; forename: string; surname: string }>) {
    entry(s.allegation_id).subjects.push(s);
  }
  for (const a of prepared(db, 'SELECT allegation_id, postcode FROM addresses WHERE removed_at IS NULL AND postcode IS NOT NULL AND allegation_id IN (SELECT allegation_id FROM source_blind_index)').iterate() as IterableIterator<{ allegation_id: string; postcode: string }>) {
    entry(a.allegation_id).postcodes.push(a.postcode);
  }
  for (const [id, r] of reported) {
    const item = byAllegation.get(id);
    if (item) for (const k of reportedKeys(r.subjects, r.postcodes)) item.keys.push({ kind: k.kind, digest: k.value });
  }
  const groups = groupReferrals([...byAllegation.values()]).filter((g) => g.ids.length >= minCount);
  const facts = factsStatement(db);
  return groups
    .map((g) => describe(core, g.ids.map((id) => facts.get(id) as AllegationFacts), g.linkedBy))
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

/** An allegation's facts as this desk holds them (the group's list and its indicators are built from these). */
export function factsStatement(db: NsuDeps['store']['db']) {
  return prepared(
    db,
    `SELECT a.id, a.reference, a.received_at, a.unit_code,
            (SELECT group_concat(offence_type, ',') FROM allegation_offences o WHERE o.allegation_id = a.id AND o.removed_at IS NULL) AS offences,
            (SELECT trim(forename || ' ' || surname) FROM subjects s WHERE s.allegation_id = a.id AND s.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS main_subject,
            (SELECT CASE WHEN surname_key <> '' THEN forename_key || '|' || surname_key END FROM subjects s WHERE s.allegation_id = a.id AND s.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS subject_key,
            (SELECT count(*) FROM source_contacts c WHERE c.allegation_id = a.id) AS contacts,
            (SELECT count(*) FROM source_contacts c WHERE c.allegation_id = a.id AND c.tasking = 1) AS tasking,
            (SELECT max(at) FROM source_contacts c WHERE c.allegation_id = a.id AND c.tasking = 1) AS last_tasking
     FROM allegations a WHERE a.id = ?`,
  );
}

export function describe(core: NsuDeps, members: AllegationFacts[], linkedBy: string[]): ReferrerGroupView {
  members.sort((a, b) => a.received_at.localeCompare(b.received_at));
  const first = members[0] as AllegationFacts;
  const last = members.at(-1) as AllegationFacts;
  const groupKey = first.id;
  const offenceTypes = [...new Set(members.flatMap((m) => (m.offences ?? '').split(',').filter(Boolean)))] as OffenceType[];
  const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
  const fmt = (iso: string) => iso.slice(0, 10);
  const indicators: ReferrerGroupView['indicators'] = [];

  if (members.length >= 3) {
    indicators.push({ kind: 'many_referrals', explanation: `${members.length} referrals from the same person between ${fmt(first.received_at)} and ${fmt(last.received_at)}, to ${new Set(members.map((m) => m.unit_code)).size} unit(s).` });
  }
  const bySubject = new Map<string, AllegationFacts[]>();
  for (const m of members) if (m.subject_key) bySubject.set(m.subject_key, [...(bySubject.get(m.subject_key) ?? []), m]);
  for (const [, list] of bySubject) {
    if (list.length >= 2) {
      indicators.push({ kind: 'same_subject', explanation: `Reported ${list[0]?.main_subject || 'the same subject'} in ${list.length} referrals (${list.map((m) => m.reference).join(', ')}): a grievance, or a relationship to examine.` });
    }
  }
  let rising = false;
  if (members.length >= 4) {
    const gaps = members.slice(1).map((m, i) => days((members[i] as AllegationFacts).received_at, m.received_at));
    const recent = gaps.slice(-2);
    const earlier = gaps.slice(0, -2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    if (earlier.length && mean(recent) < 0.5 * mean(earlier)) {
      rising = true;
      indicators.push({ kind: 'rising_frequency', explanation: `Referrals are coming faster: the last ${recent.length} came every ${Math.round(mean(recent))} days on average, the earlier ones every ${Math.round(mean(earlier))} days.` });
    }
  }
  const contacts = members.reduce((n, m) => n + m.contacts, 0);
  const tasking = members.reduce((n, m) => n + m.tasking, 0);
  if (tasking > 0) {
    const latest = members.map((m) => m.last_tasking).filter((x): x is string => !!x).sort().at(-1) ?? '';
    indicators.push({ kind: 'tasking', explanation: `Staff asked this source to find something out in ${tasking} of ${contacts} logged contacts (latest ${fmt(latest)}): a possible CHIS relationship.` });
  }
  if ((tasking > 0 || rising) && members.length >= 3) {
    indicators.push({ kind: 'status_drift', explanation: 'Possible status drift: a member of the public who reports often and is being asked for information may be acting as a CHIS without authorisation.' });
  }

  const decisions = (prepared(core.store.db, 'SELECT decision, format, note, decided_by, decided_at FROM nsu_decisions WHERE group_key = ? ORDER BY decided_at').all(groupKey) as Array<{ decision: ReferrerGroupView['decisions'][number]['decision']; format: string; note: Buffer; decided_by: string; decided_at: string }>).map((d) => ({
    decision: d.decision,
    note: core.vault.unlocked ? core.vault.openJson<{ note: string }>('nsu', `decision:${groupKey}:${d.decided_at}`, d.note, d.format).note : '(sealed: the vault is locked)',
    by: d.decided_by,
    at: d.decided_at,
  }));

  return {
    groupKey,
    count: members.length,
    allegations: members.map((m) => ({ id: m.id, reference: m.reference, receivedAt: m.received_at, unit: m.unit_code, offenceTypes: (m.offences ?? '').split(',').filter(Boolean) as OffenceType[], mainSubject: m.main_subject ?? '', contacts: m.contacts })),
    units: [...new Set(members.map((m) => m.unit_code).filter((u): u is string => !!u))],
    firstAt: first.received_at,
    lastAt: last.received_at,
    offenceTypes,
    linkedBy,
    indicators,
    decisions,
  };
}

/** A group is named by its key, or by any of its allegations (a group's key changes as referrals arrive). */
export function isGroup(group: ReferrerGroupView, key: string): boolean {
  return group.groupKey === key || group.allegations.some((a) => a.id === key);
}

export function findGroup(core: NsuDeps, groupKey: string): ReferrerGroupView {
  const group = referrerGroups(core).find((g) => isGroup(g, groupKey));
  if (!group) throw new ApiError('not_found', 'No such group of referrals (it may have changed as new referrals arrived): reload the list');
  return group;
}

export function decideGroup(core: NsuDeps, user: UserRow, groupKey: string, decision: ReferrerGroupView['decisions'][number]['decision'], note: string): ReferrerGroupView {
  const group = findGroup(core, groupKey);
  core.store.mutate({ actor: actorFor(user), action: 'nsu.decide', entity: 'referrer_group', entityId: group.groupKey, details: { decision, allegations: group.allegations.map((a) => a.reference) } }, (m) => {
    m.append('nsu_decision', {
      id: core.store.newId(),
      group_key: group.groupKey,
      allegation_ids: JSON.stringify(group.allegations.map((a) => a.id)),
      decision,
      format: SEALED_FORMAT,
      note: core.vault.sealJson('nsu', `decision:${group.groupKey}:${m.at}`, { note }),
      decided_by: actorFor(user).name,
      decided_at: m.at,
    });
  });
  return findGroup(core, group.groupKey);
}
