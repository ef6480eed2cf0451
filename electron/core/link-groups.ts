// The group that judgements link together — every allegation reachable through "same" and "associated"
// judgements still in force — and its link chart: the people, phones, places and vehicles the members share.
import { currentJudgements, recordOf, referenceOf, subjectName, type JudgementRow, type LinksDeps } from './links.ts';
import { businessKey } from '../../shared/matching/business.ts';
import { namesCouldBeOnePerson as samePerson } from '../../shared/matching/same-person.ts';
import { foldName } from '../../shared/text/normalise.ts';
import type { GroupView } from '../../shared/api/links.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';

/** A group larger than this is shown in part (a chart of hundreds of records helps nobody decide). */
export const GROUP_LIMIT = 60;

/** Allegations joined by judgements in force of "duplicate" or "associated", through any chain. */
function groupMembers(core: LinksDeps, allegationId: string): { ids: string[]; links: JudgementRow[]; truncated: boolean } {
  const seen = new Set<string>([allegationId]);
  const queue = [allegationId];
  const links = new Map<string, JudgementRow>();
  let truncated = false;
  while (queue.length) {
    const id = queue.shift() as string;
    for (const [other, row] of currentJudgements(core, id)) {
      if (row.judgement === 'not_a_match') continue;
      if (!seen.has(other)) {
        if (seen.size >= GROUP_LIMIT) {
          truncated = true;
          continue;
        }
        seen.add(other);
        queue.push(other);
      }
      links.set(row.id, row);
    }
  }
  return { ids: [...seen], links: [...links.values()].filter((l) => seen.has(l.allegation_a) && seen.has(l.allegation_b)), truncated };
}

type Subject = AllegationRecord['subjects'][number];

export function linkGroup(core: LinksDeps, allegationId: string): GroupView {
  recordOf(core, allegationId);
  const { ids, links, truncated } = groupMembers(core, allegationId);
  const records = ids.map((id) => recordOf(core, id)).sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : x.receivedAt > y.receivedAt ? 1 : x.reference < y.reference ? -1 : 1));
  const refOf = new Map(records.map((r) => [r.id, r.reference]));

  type Node = GroupView['chart']['nodes'][number];
  const nodes = new Map<string, Node>();
  const edges = new Map<string, GroupView['chart']['edges'][number]>();
  const node = (id: string, kind: Node['kind'], label: string, reference: string) => {
    const n = nodes.get(id) ?? { id, kind, label, allegations: [] };
    if (!n.allegations.includes(reference)) n.allegations.push(reference);
    nodes.set(id, n);
    return n;
  };
  const edge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, label });
  };
  // People who are plainly the same person are one node (the first spelling met names it).
  const people: Array<{ subject: Subject; id: string }> = [];
  for (const r of records) {
    const a = `allegation:${r.id}`;
    node(a, 'allegation', r.reference, r.reference);
    for (const s of r.subjects) {
      if (!foldName([s.forename, s.surname, s.knownAs].join(' '))) continue;
      let match = people.find((p) => samePerson(p.subject, s));
      if (!match) {
        match = { subject: s, id: `person:${people.length}` };
        people.push(match);
      } else if (!match.subject.dob && s.dob) match.subject = { ...match.subject, dob: s.dob };
      const label = [s.forename, s.surname].filter(Boolean).join(' ') || s.knownAs;
      const n = node(match.id, 'person', label, r.reference);
      if (match.subject.dob && !n.label.includes('(')) n.label = `${n.label} (${match.subject.dob})`;
      edge(a, match.id, s.role);
    }
    for (const d of r.addresses) {
      const pc = d.postcodeNormalised;
      const line = foldName(d.line1);
      const key = pc ? `${pc}|${line.match(/^\d+[a-z]?/)?.[0] ?? line}` : `${line}|${foldName(d.town)}`;
      if (key === '|') continue;
      edge(a, node(`address:${key}`, 'address', [d.line1, d.town, pc ?? d.postcode].filter(Boolean).join(', '), r.reference).id, d.type.replace(/_/g, ' '));
    }
    for (const b of r.businesses) {
      const key = businessKey(b.name);
      if (!key) continue;
      edge(a, node(`business:${key}`, 'business', b.name, r.reference).id, b.type || 'business');
    }
    for (const p of r.phones) {
      if (!p.national) continue;
      edge(a, node(`phone:${p.national}`, 'phone', p.number, r.reference).id, 'phone');
    }
  }
  for (const l of links) edge(`allegation:${l.allegation_a}`, `allegation:${l.allegation_b}`, l.judgement === 'duplicate' ? 'same allegation' : 'associated');

  return {
    allegationId,
    members: records.map((r) => {
      const main = r.subjects.find((s) => s.role === 'main') ?? r.subjects[0];
      return { id: r.id, reference: r.reference, receivedAt: r.receivedAt, status: r.status, unit: r.unit, outcome: r.outcome, mainSubject: main ? subjectName(main) : '' };
    }),
    links: links.map((l) => ({
      a: l.allegation_a,
      b: l.allegation_b,
      aReference: refOf.get(l.allegation_a) ?? referenceOf(core, l.allegation_a),
      bReference: refOf.get(l.allegation_b) ?? referenceOf(core, l.allegation_b),
      judgement: l.judgement as 'duplicate' | 'associated',
      reason: l.reason,
      decidedBy: l.decided_by,
      decidedAt: l.decided_at,
    })),
    chart: { nodes: [...nodes.values()], edges: [...edges.values()] },
    truncated,
  };
}

