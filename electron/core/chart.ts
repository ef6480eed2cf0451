// The link chart that grows: an allegation's node brings the people, phones, emails, addresses, vehicles,
// businesses and flights it holds and the allegations judged linked to it; an entity's node brings every
// allegation naming it (found as its page finds them). Identifiers are keyed by their normalised value (a phone
// by its digits, an address by number, street and postcode as matching reads them), so a value written two ways
// on two records is one node and expanding from either side meets the same nodes. Each subject is sent as its
// own node with its name and birth date as written: which subjects are one person the chart decides as it grows
// (shared/entities/chart-graph.ts), since that needs every record on the chart, not only the ones expanded now.
import type { HasSearch } from './deps.ts';
import { readAllegation } from '../store/allegations.ts';
import { findAllegationId } from '../store/allegations.ts';
import { findEntity } from '../search/entities.ts';
import { currentJudgements, type LinksDeps } from './links.ts';
import { linkGroup } from './link-groups.ts';
import { addressEntityValue, canonicalEntity, entityLabel, entityNodeId, type EntityKind, type EntityRef } from '../../shared/entities/entity.ts';
import type { ChartEdge, ChartMention, ChartNode, ChartView } from '../../shared/api/workbench.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** What the chart needs of the core: the records, their judged links, and the search engine for entities. */
export type ChartDeps = LinksDeps & HasSearch;

class ChartBuilder {
  readonly nodes = new Map<string, ChartNode>();
  readonly edges = new Map<string, ChartEdge>();
  truncated = false;

  allegation(r: Pick<AllegationRecord, 'id' | 'reference' | 'receivedAt' | 'status'>, mainSubject = ''): string {
    const id = `allegation:${r.id}`;
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind: 'allegation', label: mainSubject ? `${r.reference} · ${mainSubject}` : r.reference, date: r.receivedAt, value: r.reference, status: r.status, mentions: [] });
    return id;
  }

  /** The entity's node (by `id`: one subject's own node), with where a record's form writes it. */
  entity(ref: EntityRef, label: string, date: string | null, mention: ChartMention | null = null, id = entityNodeId(ref)): string {
    const held = this.nodes.get(id);
    if (!held) this.nodes.set(id, { id, kind: ref.kind, label, date, value: ref.value, status: null, mentions: mention ? [mention] : [] });
    else {
      if (date && (!held.date || date < held.date)) held.date = date;
      if (mention && !held.mentions.some((m) => m.in === mention.in && m.text === mention.text)) held.mentions.push(mention);
    }
    return id;
  }

  edge(source: string, target: string, label: string, judged: ChartEdge['judged'] = null): void {
    const [a, b] = source < target ? [source, target] : [target, source];
    const id = `${a}~${b}`;
    const held = this.edges.get(id);
    if (!held) this.edges.set(id, { id, source, target, label, judged });
    else if (judged) held.judged = judged;
    else if (!held.label.split(', ').includes(label)) held.label = `${held.label}, ${label}`;
  }

  view(): ChartView {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()], truncated: this.truncated };
  }
}

const subjectName = (s: AllegationRecord['subjects'][number]) => [s.forename, s.surname].filter(Boolean).join(' ') || s.knownAs;

/** What one allegation holds, as nodes joined to it; and the allegations judged linked to it. */
function addAllegation(core: ChartDeps, chart: ChartBuilder, r: AllegationRecord): void {
  const main = r.subjects.find((s) => s.role === 'main') ?? r.subjects[0];
  const a = chart.allegation(r, main ? subjectName(main) : '');
  const at = r.receivedAt;
  const add = (kind: EntityKind, raw: string, label: string, edgeLabel: string, written = false) => {
    const value = canonicalEntity(kind, raw);
    if (!value) return;
    const ref = { kind, value };
    chart.edge(a, chart.entity(ref, written ? label : entityLabel(ref), at, written ? { in: a, text: label, person: null } : null), edgeLabel);
  };
  for (const s of r.subjects) {
    const name = subjectName(s);
    const value = name ? canonicalEntity('person', name) : null;
    if (!value) continue;
    const mention = { in: a, text: name, person: { forename: s.forename, surname: s.surname, knownAs: s.knownAs, dob: s.dob } };
    chart.edge(a, chart.entity({ kind: 'person', value }, s.dob ? `${name} (${s.dob})` : name, at, mention, `person:${r.id}:${s.id}`), s.role);
  }
  for (const d of r.addresses) {
    const value = addressEntityValue(d);
    if (value) add('address', value, value, d.type.replace(/_/g, ' '), true);
  }
  for (const b of r.businesses) {
    add('business', b.name, b.name, b.type || 'business', true);
    const value = b.address ? addressEntityValue(b.address) : null;
    if (value) add('address', value, value, `address of ${b.name}`, true);
  }
  for (const p of r.phones) add('phone', p.national || p.number, p.number, 'phone');
  for (const e of r.emails) add('email', e.normalised || e.email, e.email, 'email');
  for (const v of r.vehicles) add('vehicle', v.normalised || v.vrm, v.vrm, 'vehicle');
  for (const t of r.travel) if (t.flightNumber || t.flight) add('flight', t.flightNumber ?? t.flight, t.flight, t.travelDate ? `flight on ${t.travelDate}` : 'flight');
  for (const [otherId, j] of currentJudgements(core, r.id)) {
    if (j.judgement === 'not_a_match') continue;
    const other = readAllegation(core.store.db, otherId);
    if (!other) continue;
    const om = other.subjects.find((s) => s.role === 'main') ?? other.subjects[0];
    chart.edge(a, chart.allegation(other, om ? subjectName(om) : ''), j.judgement === 'duplicate' ? 'same allegation' : 'associated', j.judgement as 'duplicate' | 'associated');
  }
}

/** The allegations naming an entity, joined to its node by where they name it. */
function addEntity(core: ChartDeps, chart: ChartBuilder, ref: EntityRef, limit: number): void {
  const found = findEntity(core.search, ref, limit);
  const node = chart.entity(ref, found.label, found.firstSeen?.at ?? null);
  if (found.truncated) chart.truncated = true;
  for (const a of found.appearances) {
    const id = chart.allegation({ id: a.allegationId, reference: a.reference, receivedAt: a.receivedAt, status: a.status }, a.mainSubject);
    const where = [...new Set(a.places.map((p) => (p.place.kind === 'note' ? 'note' : p.place.kind === 'attachment' ? 'attachment' : p.place.field === 'Account' ? 'account' : 'form')))];
    chart.edge(node, id, where.join(', '));
  }
}

function record(core: ChartDeps, id: string): AllegationRecord {
  const r = readAllegation(core.store.db, id);
  if (!r) throw new ApiError('not_found', 'No such allegation');
  return r;
}

/** The chart an allegation's panel opens on: its linked group and what each member holds. */
export function chartOfAllegation(core: ChartDeps, allegationId: string): ChartView {
  const chart = new ChartBuilder();
  const group = linkGroup(core, allegationId);
  for (const m of group.members) addAllegation(core, chart, record(core, m.id));
  chart.truncated = group.truncated;
  return chart.view();
}

/** The chart an entity's page opens on: the entity and the allegations naming it. */
export function chartOfEntity(core: ChartDeps, ref: EntityRef, limit = 1000): ChartView {
  const chart = new ChartBuilder();
  addEntity(core, chart, ref, limit);
  return chart.view();
}

/** Grows the chart from nodes (one, or every allegation shown). */
export function expandNodes(core: ChartDeps, nodes: Array<{ kind: ChartNode['kind']; value: string }>, limit: number): ChartView {
  const chart = new ChartBuilder();
  for (const { kind, value } of nodes) {
    if (kind === 'allegation') {
      const id = findAllegationId(core.store.db, { reference: value });
      if (!id) throw new ApiError('not_found', `No allegation ${value}`);
      addAllegation(core, chart, record(core, id));
    } else {
      const canonical = canonicalEntity(kind, value);
      if (!canonical) throw new ApiError('bad_request', `${value} is not a ${kind} the desk can look for`);
      addEntity(core, chart, { kind, value: canonical }, limit);
    }
  }
  return chart.view();
}
