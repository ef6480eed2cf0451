// The link chart as it grows: each view the core sends (a record's people, places and numbers; the records
// naming an entity) is joined into what is already drawn. Identifiers arrive keyed by their normalised value
// (entity.ts: a phone by its digits, "12 Alum Rock Rd" and "12 Alum Rock Road" by one key); people arrive one
// node per subject of a record, and are joined here, because which spellings are one person depends on every
// record on the chart:
// - two subjects are one person when their names are one name as matching reads it (a typo, a nickname, the order
//   swapped; matching/same-person.ts) *and* a second key agrees: the same date of birth, or a place, phone, email
//   or vehicle both records hold. A common name alone never joins two people, nor do two subjects of one record.
// - a person the chart grew from by name (an entity page's search) takes the subjects its search found, as the
//   entity page lists them, when the subject's name is that name.
// A node shows the form most of its records write (the oldest record's on a tie); the others are its variants.
import { entityNodeId, type EntityKind } from './entity.ts';
import { birthDatesAgree, birthDatesCouldAgree, namesCouldBeOnePerson, searchedNameIs, type SubjectName } from '../matching/same-person.ts';
import { foldName } from '../text/normalise.ts';
import type { ChartEdge, ChartMention, ChartNode, ChartView } from '../api/workbench.ts';

/** Kinds a person keeps and that two records sharing say something about who is in them. */
const PERSONAL_KEYS: ReadonlySet<string> = new Set(['address', 'phone', 'email', 'vehicle']);

/**
 * A place or number on more records of the chart than this is a workplace, a hostel or an agency's line (the
 * large-chart fixture: one phone on 1,000 records): sharing it says nothing about who someone is.
 */
export const COMMON_KEY_RECORDS = 20;

type PersonMention = ChartMention & { person: SubjectName };

export interface ChartGrowth {
  /** Nodes new to the chart. */
  added: string[];
  addedEdges: ChartEdge[];
  /** Nodes already drawn whose label changed (a form more records now use). */
  relabelled: string[];
}

const edgeId = (a: string, b: string) => (a < b ? `${a}~${b}` : `${b}~${a}`);
const mentionKey = (m: ChartMention) => `${m.in}|${foldName(m.text)}|${m.person?.dob ?? ''}`;

export class ChartGraph {
  readonly nodes = new Map<string, ChartNode>();
  readonly edges = new Map<string, ChartEdge>();
  /** Every node's neighbours. */
  private readonly around = new Map<string, Set<string>>();
  /** The core's id of a node -> the chart's (a subject joined to a person, an entity searched from a node). */
  private readonly alias = new Map<string, string>();
  /** A subject already on the chart -> its person node. */
  private readonly byMention = new Map<string, string>();
  /** Person nodes with a date of birth (candidates for every dated subject). */
  private readonly dated = new Set<string>();
  /** Person nodes the chart grew from a name as searched (an entity page), with that name. */
  private readonly searched = new Map<string, string>();
  // The screen asks for every node's records and variants on each render, and the join asks for a shared phone's
  // records once per subject compared: both are kept until what they are read from changes, so the work of the
  // join is done once per view added, not once per render (a phone on 1,000 records is not re-read 1,000 times).
  /** records(id), until an edge at the node is added. */
  private readonly recordsOf = new Map<string, string[]>();
  /** variants(id), until the next view is added (forms depend on mentions, records' dates and joins). */
  private readonly variantsOf = new Map<string, string[]>();

  neighbours(id: string): ReadonlySet<string> {
    return this.around.get(id) ?? new Set();
  }

  /** The allegations a node is joined to (their chart ids). */
  records(id: string): readonly string[] {
    let out = this.recordsOf.get(id);
    if (!out) {
      out = [...this.neighbours(id)].filter((x) => this.nodes.get(x)?.kind === 'allegation');
      this.recordsOf.set(id, out);
    }
    return out;
  }

  /** The other ways records write a node's value, most used first. */
  variants(id: string): readonly string[] {
    let out = this.variantsOf.get(id);
    if (!out) {
      const n = this.nodes.get(id);
      const forms = n ? this.forms(n) : [];
      out = forms.map((f) => f.text).filter((t) => foldName(t) !== foldName(forms[0]?.text ?? ''));
      this.variantsOf.set(id, out);
    }
    return out;
  }

  /**
   * Joins what the core sent. `grewFrom`: the nodes expanded to get it — the core names an expanded entity by its
   * value, which is the chart's node whatever id the chart gave it.
   */
  add(view: ChartView, grewFrom: readonly ChartNode[] = []): ChartGrowth {
    const growth: ChartGrowth = { added: [], addedEdges: [], relabelled: [] };
    this.variantsOf.clear();
    for (const n of grewFrom) if (n.kind !== 'allegation') this.alias.set(entityNodeId({ kind: n.kind as EntityKind, value: n.value }), n.id);
    const subjects = view.nodes.filter((n) => n.kind === 'person' && n.mentions.some((m) => m.person));
    const subjectIds = new Set(subjects.map((n) => n.id));
    for (const n of view.nodes) if (!subjectIds.has(n.id)) this.place(n, this.alias.get(n.id) ?? n.id, growth);
    // Places and numbers first, so that each subject's record holds them when it is compared.
    for (const e of view.edges) if (!subjectIds.has(e.source) && !subjectIds.has(e.target)) this.edge(e, growth);
    // Each subject is joined to its record as soon as it is placed, so the next subject can be compared with it.
    const edgesOf = new Map<string, ChartEdge[]>();
    for (const e of view.edges) for (const end of [e.source, e.target]) if (subjectIds.has(end)) edgesOf.set(end, [...(edgesOf.get(end) ?? []), e]);
    for (const n of subjects) {
      this.place(n, this.personFor(n), growth);
      for (const e of edgesOf.get(n.id) ?? []) this.edge(e, growth);
    }
    return growth;
  }

  private resolve(id: string): string {
    return this.alias.get(id) ?? id;
  }

  /** Puts a node the core sent at `id` (new, or joined to a node already there). */
  private place(n: ChartNode, id: string, growth: ChartGrowth): void {
    this.alias.set(n.id, id);
    const held = this.nodes.get(id);
    if (!held) {
      this.nodes.set(id, { ...n, id, mentions: [] });
      // An edge may have named it before it was placed: its neighbours' records are read again.
      for (const x of this.neighbours(id)) this.recordsOf.delete(x);
      growth.added.push(id);
      if (n.kind === 'person' && !n.mentions.length) this.searched.set(id, n.value);
    } else if (n.date && (!held.date || n.date < held.date)) held.date = n.date;
    const node = this.nodes.get(id) as ChartNode;
    let more = false;
    for (const m of n.mentions) {
      const key = mentionKey(m);
      if (node.kind === 'person' && this.byMention.has(key)) continue;
      if (node.mentions.some((x) => mentionKey(x) === key)) continue;
      node.mentions.push(m);
      if (m.person) {
        this.byMention.set(key, id);
        if (m.person.dob) this.dated.add(id);
      }
      more = true;
    }
    if (more && this.relabel(node) && held && !growth.added.includes(id)) growth.relabelled.push(id);
  }

  private edge(e: ChartEdge, growth: ChartGrowth): void {
    const source = this.resolve(e.source);
    const target = this.resolve(e.target);
    if (source === target) return;
    const id = edgeId(source, target);
    const held = this.edges.get(id);
    if (held) {
      if (e.judged) held.judged = e.judged;
      else for (const l of e.label.split(', ')) if (!held.label.split(', ').includes(l)) held.label = `${held.label}, ${l}`;
      return;
    }
    const edge = { ...e, id, source, target };
    this.edges.set(id, edge);
    growth.addedEdges.push(edge);
    this.recordsOf.delete(source);
    this.recordsOf.delete(target);
    for (const [a, b] of [
      [source, target],
      [target, source],
    ] as const) {
      const set = this.around.get(a) ?? new Set<string>();
      set.add(b);
      this.around.set(a, set);
    }
  }

  /** The person node one subject of a record belongs to: one already joined, one it joins, or its own. */
  private personFor(n: ChartNode): string {
    const m = n.mentions.find((x): x is PersonMention => !!x.person) as PersonMention;
    const known = this.byMention.get(mentionKey(m));
    if (known) return known;
    const record = this.resolve(m.in);
    for (const id of this.candidates(m, record)) if (this.joins(id, m, record)) return id;
    return this.nodes.has(n.id) ? `${n.id}~${this.nodes.size}` : n.id;
  }

  /** Person nodes worth comparing: searched names on this record, people on records sharing a key, dated people. */
  private candidates(m: PersonMention, record: string): Set<string> {
    const out = new Set<string>();
    const people = (allegation: string) => {
      for (const x of this.neighbours(allegation)) if (this.nodes.get(x)?.kind === 'person') out.add(x);
    };
    people(record);
    for (const key of this.sharedKeys(record)) for (const other of this.records(key)) if (other !== record) people(other);
    if (m.person.dob) for (const id of this.dated) out.add(id);
    return out;
  }

  /** The places and numbers on a record that identify someone (not one on many of the chart's records). */
  private sharedKeys(record: string): string[] {
    return [...this.neighbours(record)].filter((id) => PERSONAL_KEYS.has(this.nodes.get(id)?.kind ?? '') && this.records(id).length <= COMMON_KEY_RECORDS);
  }

  private joins(id: string, m: PersonMention, record: string): boolean {
    const node = this.nodes.get(id);
    if (!node || node.kind !== 'person') return false;
    const subjects = node.mentions.filter((x): x is PersonMention => !!x.person);
    // Two subjects of one record are two people; a birth date that cannot be theirs keeps them apart.
    if (subjects.some((x) => this.resolve(x.in) === record || !birthDatesCouldAgree(x.person.dob, m.person.dob))) return false;
    // A person searched by name: the records its search found, where the subject has that name.
    const searched = this.searched.get(id);
    if (searched !== undefined && this.neighbours(id).has(record) && searchedNameIs(searched, m.person)) return true;
    const keys = new Set(this.sharedKeys(record));
    return subjects.some(
      (x) => namesCouldBeOnePerson(x.person, m.person) && (birthDatesAgree(x.person.dob, m.person.dob) || this.sharedKeys(this.resolve(x.in)).some((k) => keys.has(k))),
    );
  }

  /** Each form and how many records write it, most first; a tie goes to the form of the oldest record. */
  private forms(n: ChartNode): Array<{ text: string; records: number; first: string }> {
    const byForm = new Map<string, { text: string; records: Set<string>; first: string }>();
    for (const m of n.mentions) {
      const key = foldName(m.text);
      const received = this.nodes.get(this.resolve(m.in))?.date ?? '9999';
      const f = byForm.get(key) ?? { text: m.text, records: new Set<string>(), first: received };
      f.records.add(this.resolve(m.in));
      if (received < f.first) f.first = received;
      byForm.set(key, f);
    }
    return [...byForm.values()]
      .map((f) => ({ text: f.text, records: f.records.size, first: f.first }))
      .sort((a, b) => b.records - a.records || a.first.localeCompare(b.first) || a.text.localeCompare(b.text));
  }

  /** Names the node by its commonest form (a person with the birth date most records give). True if it changed. */
  private relabel(n: ChartNode): boolean {
    const top = this.forms(n)[0];
    if (!top) return false;
    let label = top.text;
    if (n.kind === 'person') {
      const dobs = new Map<string, number>();
      for (const m of n.mentions) if (m.person?.dob) dobs.set(m.person.dob, (dobs.get(m.person.dob) ?? 0) + 1);
      const dob = [...dobs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
      if (dob) label = `${top.text} (${dob})`;
      n.value = foldName(top.text) || n.value;
    } else if (n.kind === 'address' || n.kind === 'business') n.value = top.text;
    if (label === n.label) return false;
    n.label = label;
    return true;
  }
}
