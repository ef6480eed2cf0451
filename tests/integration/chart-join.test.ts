// The link chart joins one person or one place written several ways, as the rest of the desk reads them, and
// keeps different people apart: views come from the core's own chart procedures, and are joined by the chart's
// graph (shared/entities/chart-graph.ts) as the screen joins them while the chart grows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { ChartGraph, COMMON_KEY_RECORDS } from '../../shared/entities/chart-graph.ts';
import type { ChartNode } from '../../shared/api/workbench.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { addUser, openCore, signIn, tempDir } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let analyst: Awaited<ReturnType<typeof signIn>>;
let clock = Date.parse('2026-03-02T09:00:00Z');
/** Each record received a day after the one before, so that the oldest is plain. */
let received = Date.parse('2026-02-01T09:00:00Z');
const refs: Record<string, string> = {};

type Subject = NonNullable<AllegationFormInput['subjects']>[number];
async function allegation(name: string, subject: Partial<Subject>, more: Partial<AllegationFormInput> = {}) {
  clock += 60_000;
  received += 86_400_000;
  const form: AllegationFormInput = {
    ...emptyForm(new Date(received), 'online_form'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'He works at the takeaway for cash.',
    subjects: [{ role: 'main', forename: '', surname: '', gender: 'M', ...subject }],
    ...more,
  };
  // A strong candidate is shown before saving: these are saved undecided, as an analyst may.
  const first = await analyst.call('allegations.create', { form }).catch((e: { fields?: { linkWarning?: string } }) => e);
  const created =
    'reference' in first
      ? first
      : await analyst.call('allegations.create', { form, linkWarning: { candidateId: first.fields?.linkWarning as string, choice: 'undecided', reason: 'kept apart to test the chart' } });
  refs[name] = created.reference;
}

const home = (line1: string, postcode: string) => ({ addresses: [{ type: 'home' as const, line1, line2: '', town: 'Birmingham', postcode }] });

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(join(tmp.dir, 'desk'), { now: () => clock });
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  analyst = await signIn(core, 'wm.analyst');
  await allegation('original', { forename: 'Farhan', surname: 'Qureshi', dob: '1990-04-12' }, { ...home('27 Alum Rock Road', 'B8 1JB'), phones: [{ number: '07700 900123' }] });
  // A typo in the surname, the same birth date; the address with "Rd" and the postcode without its space.
  await allegation('typo', { forename: 'Farhan', surname: 'Qureshy', dob: '1990-04-12' }, home('27 alum rock rd', 'b81jb'));
  // Surname and forename the other way round ("QURESHI, Farhan"), no birth date, the same phone another way.
  await allegation('reordered', { forename: 'QURESHI', surname: 'Farhan' }, { ...home('4 Rose Lane', 'WV3 0AA'), phones: [{ number: '+44 7700 900123' }] });
  // The same name as the original, nothing else in common: another man.
  await allegation('namesake', { forename: 'Farhan', surname: 'Qureshi' }, home('9 Coventry Road', 'B10 0RX'));
  // A common name twice, nothing else in common: two people. And twice with different birth dates at one address.
  await allegation('smith1', { forename: 'John', surname: 'Smith' }, home('1 High Street', 'B5 4BU'));
  await allegation('smith2', { forename: 'John', surname: 'Smith' }, home('12 Long Street', 'B5 5SE'));
  await allegation('smith3', { forename: 'John', surname: 'Smith', dob: '1970-02-02' }, home('3 Hope Street', 'B5 6TT'));
  await allegation('smith4', { forename: 'John', surname: 'Smith', dob: '1985-07-30' }, home('3 Hope St', 'B5 6TT'));
});

afterAll(() => {
  core.close();
  tmp.cleanup();
});

const expand = (names: string[]) => analyst.call('chart.expand', { nodes: names.map((n) => ({ kind: 'allegation' as const, value: refs[n] as string })) });
const people = (g: ChartGraph) => [...g.nodes.values()].filter((n) => n.kind === 'person');
const recordsOf = (g: ChartGraph, n: ChartNode) => g.records(n.id).map((id) => g.nodes.get(id)?.value).sort();
const personIn = (g: ChartGraph, name: string) => people(g).filter((n) => recordsOf(g, n).includes(refs[name]));

describe('the link chart joins one person written several ways', () => {
  it('joins a typo with the same birth date, and a reordered name through a shared phone; shows the form most records use', async () => {
    const g = new ChartGraph();
    g.add(await expand(['original', 'typo', 'reordered']));
    expect(people(g)).toHaveLength(1);
    const farhan = people(g)[0] as ChartNode;
    expect(recordsOf(g, farhan)).toEqual([refs.original, refs.typo, refs.reordered].sort());
    // Three spellings, one record each: the oldest record's form names the node; the others are its variants.
    expect(farhan.label).toBe('Farhan Qureshi (1990-04-12)');
    expect([...g.variants(farhan.id)].sort()).toEqual(['Farhan Qureshy', 'QURESHI Farhan']);
  });

  it('joins "Rd" and "Road", a postcode with or without its space, in any case, into one address', async () => {
    const g = new ChartGraph();
    g.add(await expand(['original', 'typo']));
    const addresses = [...g.nodes.values()].filter((n) => n.kind === 'address');
    expect(addresses).toHaveLength(1);
    expect(recordsOf(g, addresses[0] as ChartNode)).toEqual([refs.original, refs.typo].sort());
    expect(addresses[0]?.label).toBe('27 Alum Rock Road, B8 1JB');
    expect(g.variants(addresses[0]?.id as string)).toEqual(['27 alum rock rd, B8 1JB']);
  });

  it('joins across expansions, whichever record is expanded first', async () => {
    const g = new ChartGraph();
    g.add(await expand(['typo']));
    g.add(await expand(['reordered']));
    // Nothing yet says the reordered name is the man with the typo (no birth date, no shared place or number).
    expect(people(g)).toHaveLength(2);
    g.add(await expand(['original']));
    // The original shares a birth date with one and a phone with the other: the original joins the first met.
    expect(personIn(g, 'original')).toHaveLength(1);
    expect(personIn(g, 'typo')[0]?.id).toBe(personIn(g, 'original')[0]?.id);
  });

  it('keeps apart two people who share only a name, common or not, and two with different birth dates at one address', async () => {
    const g = new ChartGraph();
    g.add(await expand(['original', 'namesake', 'smith1', 'smith2', 'smith3', 'smith4']));
    expect(personIn(g, 'namesake')[0]?.id).not.toBe(personIn(g, 'original')[0]?.id);
    const smiths = people(g).filter((n) => /John Smith/.test(n.label));
    expect(smiths).toHaveLength(4);
    for (const n of smiths) expect(recordsOf(g, n)).toHaveLength(1);
    // ... while their address (3 Hope Street / 3 Hope St) is one node.
    expect([...g.nodes.values()].filter((n) => n.kind === 'address' && /Hope/.test(n.label))).toHaveLength(1);
  });

  it('a person charted from their page takes the subjects its search found that have that name', async () => {
    const g = new ChartGraph();
    g.add(await analyst.call('chart.start', { entity: { kind: 'person', value: 'Farhan Qureshi' } }));
    const searched = people(g)[0] as ChartNode;
    expect(recordsOf(g, searched)).toEqual(expect.arrayContaining([refs.original, refs.typo, refs.namesake]));
    g.add(await expand(['original', 'namesake']));
    // The page lists both men under the name, and so does the chart's node of that name.
    expect(personIn(g, 'original').map((n) => n.id)).toEqual([searched.id]);
    expect(personIn(g, 'namesake').map((n) => n.id)).toEqual([searched.id]);
    // Growing it again asks for the same name and meets the same node.
    const grown = g.add(await analyst.call('chart.expand', { nodes: [{ kind: 'person', value: searched.value }] }), [searched]);
    expect(grown.added.filter((id) => g.nodes.get(id)?.kind === 'person')).toEqual([]);
  });

  it('does not join through a phone that is on more of the chart’s records than a person’s would be', async () => {
    const g = new ChartGraph();
    const view = await expand(['smith1', 'smith2']);
    // The same view, with both records also holding one agency number that is on many other records.
    const agency = { id: 'phone:07700900999', kind: 'phone' as const, label: '07700900999', date: null, value: '07700900999', status: null, mentions: [] };
    const others = Array.from({ length: COMMON_KEY_RECORDS }, (_, i) => ({ id: `allegation:other-${i}`, kind: 'allegation' as const, label: `IMS-2026-99${i}`, date: null, value: `IMS-2026-99${i}`, status: null, mentions: [] }));
    const ids = view.nodes.filter((n) => n.kind === 'allegation').map((n) => n.id);
    g.add({
      nodes: [...view.nodes, agency, ...others],
      edges: [...view.edges, ...[...ids, ...others.map((o) => o.id)].map((id) => ({ id: `${id}~${agency.id}`, source: id, target: agency.id, label: 'phone', judged: null }))],
      truncated: false,
    });
    expect(people(g)).toHaveLength(2);
    // Held by two records only, the same number would join them.
    const h = new ChartGraph();
    h.add({ nodes: [...view.nodes, agency], edges: [...view.edges, ...ids.map((id) => ({ id: `${id}~${agency.id}`, source: id, target: agency.id, label: 'phone', judged: null }))], truncated: false });
    expect(people(h)).toHaveLength(1);
  });
});
