// The chart's graph keeps what the screen reads from it (a node's records, the other ways it is written) between
// renders, so the join's work is done once per view added: what it keeps must follow the chart as it grows.
import { describe, expect, it } from 'vitest';
import { ChartGraph } from '../../shared/entities/chart-graph.ts';
import { entityNodeId } from '../../shared/entities/entity.ts';
import type { ChartNode, ChartView } from '../../shared/api/workbench.ts';

const allegation = (n: number): ChartNode => ({ id: `allegation:${n}`, kind: 'allegation', label: `IMS-2026-00000${n}`, date: `2026-02-0${n}T09:00:00Z`, value: `IMS-2026-00000${n}`, status: 'new', mentions: [] });
const address = (n: number, text: string): ChartNode => ({ id: entityNodeId({ kind: 'address', value: text }), kind: 'address', label: text, date: null, value: text, status: null, mentions: [{ in: `allegation:${n}`, text, person: null }] });
const view = (n: number, text: string): ChartView => {
  const a = address(n, text);
  return { nodes: [allegation(n), a], edges: [{ id: `e${n}`, source: `allegation:${n}`, target: a.id, label: 'home', judged: null }], truncated: false };
};

describe('what the chart keeps between renders', () => {
  it('reads a node’s records and variants again once the chart has grown', () => {
    const g = new ChartGraph();
    g.add(view(1, '27 Alum Rock Road, B8 1JB'));
    const id = entityNodeId({ kind: 'address', value: '27 Alum Rock Road, B8 1JB' });
    expect(g.records(id)).toEqual(['allegation:1']);
    expect(g.variants(id)).toEqual([]);

    g.add(view(2, '27 alum rock rd, B8 1JB'));
    expect([...g.records(id)].sort()).toEqual(['allegation:1', 'allegation:2']);
    expect(g.variants(id)).toEqual(['27 alum rock rd, B8 1JB']);

    // A third record writing it the second way makes that the form most records use.
    g.add(view(3, '27 alum rock rd, B8 1JB'));
    expect(g.records(id)).toHaveLength(3);
    expect(g.nodes.get(id)?.label).toBe('27 alum rock rd, B8 1JB');
    expect(g.variants(id)).toEqual(['27 Alum Rock Road, B8 1JB']);
  });

  it('gives the same answer read twice without growing', () => {
    const g = new ChartGraph();
    g.add(view(1, '27 Alum Rock Road, B8 1JB'));
    g.add(view(2, '27 alum rock rd, B8 1JB'));
    const id = entityNodeId({ kind: 'address', value: '27 Alum Rock Road, B8 1JB' });
    expect(g.variants(id)).toEqual(g.variants(id));
    expect(g.records('allegation:1')).toEqual([]);
    expect(g.neighbours('allegation:1').has(id)).toBe(true);
  });
});
