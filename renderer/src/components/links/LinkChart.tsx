// The link chart: the linked allegations and the people, addresses, businesses and phones they hold, drawn with
// Cytoscape.js. A canvas says nothing to a screen reader and cannot take focus by node, so the chart is also
// operable from the keyboard (arrow keys move from node to node, Enter opens an allegation, the chosen node is
// announced) and always comes with its text equivalent: a table of what joins the records.
import { useEffect, useMemo, useRef, useState } from 'react';
import cytoscape, { type Core as Cy } from 'cytoscape';
import { Anchor, Badge, Box, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { GroupView, ChartNodeKind } from '../../../../shared/api/links.ts';
import { href, navigate } from '../../router.ts';

const KIND_TEXT: Record<ChartNodeKind, string> = { allegation: 'Allegation', person: 'Person', address: 'Address', business: 'Business', phone: 'Phone' };
const KIND_STYLE: Record<ChartNodeKind, { shape: string; colour: string }> = {
  allegation: { shape: 'round-rectangle', colour: '#3b4cc0' },
  person: { shape: 'ellipse', colour: '#0b7a6b' },
  address: { shape: 'diamond', colour: '#b35900' },
  business: { shape: 'hexagon', colour: '#8a2be2' },
  phone: { shape: 'tag', colour: '#4a5560' },
};

type Chart = GroupView['chart'];

/**
 * Where each node goes: the allegations in a row (oldest first), what two or more of them share in the row
 * below, between the records it joins, and what only one holds further down, under its record. Fixed positions
 * keep the chart the same every time it is opened, which a force layout would not.
 */
function positions(chart: Chart): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const allegations = chart.nodes.filter((n) => n.kind === 'allegation');
  const xOf = new Map<string, number>();
  allegations.forEach((n, i) => {
    xOf.set(n.label, i * 240);
    out.set(n.id, { x: i * 240, y: 0 });
  });
  const sharedAt = new Map<number, number>();
  const privateAt = new Map<string, number>();
  for (const n of chart.nodes) {
    if (n.kind === 'allegation') continue;
    const xs = n.allegations.map((r) => xOf.get(r) ?? 0);
    if (n.allegations.length > 1) {
      const mid = Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
      const k = sharedAt.get(mid) ?? 0;
      sharedAt.set(mid, k + 1);
      out.set(n.id, { x: mid + (k % 2 ? -1 : 1) * Math.ceil(k / 2) * 120, y: 150 + (k % 2) * 30 });
    } else {
      const owner = n.allegations[0] ?? '';
      const k = privateAt.get(owner) ?? 0;
      privateAt.set(owner, k + 1);
      out.set(n.id, { x: (xOf.get(owner) ?? 0) + ((k % 3) - 1) * 80, y: 300 + Math.floor(k / 3) * 70 + (k % 3 === 1 ? 0 : 25) });
    }
  }
  return out;
}

function describe(n: Chart['nodes'][number]): string {
  return n.kind === 'allegation' ? `Allegation ${n.label}` : `${KIND_TEXT[n.kind]} ${n.label}, in ${n.allegations.join(', ')}`;
}

export function LinkChart({ chart, current }: { chart: Chart; current: string }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Cy | null>(null);
  const safeIds = useRef<Map<string, string>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  // Keyboard order: allegations first, then what they share, then the rest.
  const order = useMemo(
    () => [...chart.nodes].sort((a, b) => (a.kind === 'allegation' ? 0 : 1) - (b.kind === 'allegation' ? 0 : 1) || b.allegations.length - a.allegations.length || a.label.localeCompare(b.label)),
    [chart],
  );
  const byId = useMemo(() => new Map(chart.nodes.map((n) => [n.id, n])), [chart]);

  useEffect(() => {
    if (!box.current) return;
    // Cytoscape's selectors want plain ids: the chart's own ids (with colons and spaces) map to n0, n1...
    const safe = new Map(chart.nodes.map((n, i) => [n.id, `n${i}`]));
    const original = new Map([...safe].map(([k, v]) => [v, k]));
    const instance = cytoscape({
      container: box.current,
      elements: [
        ...chart.nodes.map((n) => ({ data: { id: safe.get(n.id) as string, label: n.label, kind: n.kind, shared: n.allegations.length > 1 ? 1 : 0, current: n.label === current ? 1 : 0 } })),
        ...chart.edges.map((e, i) => ({ data: { id: `e${i}`, source: safe.get(e.source) as string, target: safe.get(e.target) as string, label: e.label, link: e.source.startsWith('allegation:') && e.target.startsWith('allegation:') ? 1 : 0 } })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'text-wrap': 'ellipsis',
            'text-max-width': '140px',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            color: '#1f2328',
            width: 22,
            height: 22,
            'border-width': 1,
            'border-color': '#ffffff',
          },
        },
        ...(Object.keys(KIND_STYLE) as ChartNodeKind[]).map((k) => ({
          selector: `node[kind = "${k}"]`,
          style: { shape: KIND_STYLE[k].shape as 'ellipse', 'background-color': KIND_STYLE[k].colour },
        })),
        { selector: 'node[kind = "allegation"]', style: { width: 34, height: 22, 'font-weight': 'bold' } },
        { selector: 'node[shared = 1][kind != "allegation"]', style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#f2c94c' } },
        { selector: 'node[current = 1]', style: { 'border-width': 4, 'border-color': '#111111' } },
        { selector: 'node:selected', style: { 'overlay-color': '#f59f00', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#9aa4ae', 'curve-style': 'bezier' } },
        { selector: 'edge[link = 1]', style: { width: 3, 'line-color': '#c92a2a', 'line-style': 'dashed', 'curve-style': 'unbundled-bezier', 'control-point-distances': [-60], 'control-point-weights': [0.5], label: 'data(label)', 'font-size': 9, color: '#8a1c1c', 'text-background-color': '#ffffff', 'text-background-opacity': 1 } },
      ],
      layout: { name: 'preset' },
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
    });
    const at = positions(chart);
    instance.nodes().forEach((n) => {
      const p = at.get(original.get(n.id()) ?? '');
      if (p) n.position(p);
    });
    instance.fit(undefined, 24);
    instance.on('tap', 'node', (evt) => setSelected(original.get(evt.target.id() as string) ?? null));
    instance.on('dbltap', 'node[kind = "allegation"]', (evt) => navigate({ name: 'allegation', reference: evt.target.data('label') as string }));
    cy.current = instance;
    safeIds.current = safe;
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, [chart, current]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.nodes().unselect();
    if (selected) instance.getElementById(safeIds.current.get(selected) ?? '').select();
  }, [selected]);

  function onKey(e: React.KeyboardEvent) {
    if (!order.length) return;
    const i = selected ? order.findIndex((n) => n.id === selected) : -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
      setSelected(order[(i + 1) % order.length]?.id ?? null);
      e.preventDefault();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      setSelected(order[(i - 1 + order.length) % order.length]?.id ?? null);
      e.preventDefault();
    } else if (e.key === 'Home') {
      setSelected(order[0]?.id ?? null);
      e.preventDefault();
    } else if (e.key === 'Enter' && selected) {
      const n = byId.get(selected);
      if (n?.kind === 'allegation') navigate({ name: 'allegation', reference: n.label });
    } else if (e.key === 'Escape') setSelected(null);
  }

  const chosen = selected ? byId.get(selected) : undefined;
  const sharedNodes = chart.nodes.filter((n) => n.kind !== 'allegation').sort((a, b) => b.allegations.length - a.allegations.length || a.kind.localeCompare(b.kind));
  const links = chart.edges.filter((e) => e.source.startsWith('allegation:') && e.target.startsWith('allegation:'));
  return (
    <Box>
      <Group gap="xs" mb={6} aria-hidden>
        {(Object.keys(KIND_STYLE) as ChartNodeKind[]).map((k) => (
          <Group gap={4} key={k}>
            <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: k === 'person' ? 5 : 2, background: KIND_STYLE[k].colour }} />
            <Text size="xs">{KIND_TEXT[k]}</Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">
          gold ring: shared by more than one record · dashed red: judged link
        </Text>
      </Group>
      <div
        ref={box}
        className="link-chart"
        tabIndex={0}
        role="group"
        aria-roledescription="link chart"
        aria-label={`Link chart of ${chart.nodes.filter((n) => n.kind === 'allegation').length} allegations and ${sharedNodes.length} people, addresses, businesses and phones. Use the arrow keys to move between them, Enter to open an allegation. The same information is in the table below.`}
        onKeyDown={onKey}
        data-testid="link-chart"
      />
      <Text size="sm" aria-live="polite" mt={4} mih={20}>
        {chosen ? `${describe(chosen)}${chosen.kind === 'allegation' ? ' — press Enter to open it' : ''}` : 'Click a node, or focus the chart and use the arrow keys.'}
      </Text>
      <Table fz="sm" mt="sm" striped aria-label="What joins the linked records (the chart as text)" captionSide="top">
        <Table.Caption>
          <Text size="sm" fw={600} ta="left">
            The chart as text: what each record holds, and what they share
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Who or what</Table.Th>
            <Table.Th>In records</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {links.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>Judged link</Table.Td>
              <Table.Td>{e.label}</Table.Td>
              <Table.Td>
                {byId.get(e.source)?.label} — {byId.get(e.target)?.label}
              </Table.Td>
            </Table.Tr>
          ))}
          {sharedNodes.map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td>{KIND_TEXT[n.kind]}</Table.Td>
              <Table.Td>
                {n.label}{' '}
                {n.allegations.length > 1 && (
                  <Badge size="xs" color="yellow" variant="light">
                    shared
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {n.allegations.map((r, i) => (
                  <span key={r}>
                    {i > 0 ? ', ' : ''}
                    {r === current ? (
                      <Text span fw={600} size="sm">
                        {r}
                        <VisuallyHidden> (this record)</VisuallyHidden>
                      </Text>
                    ) : (
                      <Anchor href={href({ name: 'allegation', reference: r })} size="sm">
                        {r}
                      </Anchor>
                    )}
                  </span>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
