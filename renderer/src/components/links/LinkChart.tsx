// The link chart that grows, drawn with Cytoscape.js: it opens on an allegation's linked records (or an entity and
// the allegations naming it) and grows from any node — an allegation brings the people, phones, emails, addresses,
// vehicles, businesses and flights it holds and its judged links; an entity brings every allegation naming it.
// Nodes can be hidden and pinned, kinds and dates filtered, and the chart exported as an image. Judged links are
// dashed red, as on the panel. A canvas says nothing to a screen reader and cannot take focus by node, so the
// chart is operable from the keyboard (arrows move from node to node; E expands, H hides, P pins, Enter opens)
// and always comes with its text equivalent, a table of what is shown.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import cytoscape, { type Core as Cy, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { Alert, Anchor, Badge, Box, Button, Checkbox, Group, Kbd, Table, Text, VisuallyHidden } from '@mantine/core';
import { UkDateInput } from '../form/UkDateInput.tsx';
import { isRealIsoDate } from '../../../../shared/schemas/common.ts';
import { IconArrowsMaximize, IconDownload, IconEye, IconEyeOff, IconLayoutGrid, IconPin, IconPinnedOff, IconPlus } from '@tabler/icons-react';
import type { ChartEdge, ChartKind, ChartNode, ChartView } from '../../../../shared/api/workbench.ts';
import { CHART_KINDS } from '../../../../shared/api/workbench.ts';
import { entityPath, ENTITY_KIND_LABELS, type EntityRef } from '../../../../shared/entities/entity.ts';
import { call, CallError } from '../../api/client.ts';
import { href, navigate } from '../../router.ts';
import { Busy } from '../Busy.tsx';

cytoscape.use(fcose);

const KIND_TEXT: Record<ChartKind, string> = { allegation: 'Allegation', ...ENTITY_KIND_LABELS };
const KIND_STYLE: Record<ChartKind, { shape: string; colour: string }> = {
  allegation: { shape: 'round-rectangle', colour: '#3b4cc0' },
  person: { shape: 'ellipse', colour: '#0b7a6b' },
  address: { shape: 'diamond', colour: '#b35900' },
  postcode: { shape: 'diamond', colour: '#8f5b00' },
  business: { shape: 'hexagon', colour: '#8a2be2' },
  phone: { shape: 'tag', colour: '#4a5560' },
  email: { shape: 'tag', colour: '#1c6ea4' },
  vehicle: { shape: 'rectangle', colour: '#a61e4d' },
  flight: { shape: 'triangle', colour: '#2b8a3e' },
};
/** Past this many nodes the chart draws for speed: no labels while moving, a draft layout. */
const LARGE = 800;
/** The closest a layout zooms in when it fits the chart to its box. */
const MAX_FIT_ZOOM = 1.3;
/** Rows of the text equivalent shown at once (filters narrow it). */
const TABLE_ROWS = 300;

interface Graph {
  nodes: Map<string, ChartNode>;
  edges: Map<string, ChartEdge>;
}

type Start = { allegationId: string } | { entity: EntityRef };

/** The records each node is joined to (allegation references), from the edges. */
function neighbours(graph: Graph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    const set = out.get(a) ?? new Set<string>();
    set.add(b);
    out.set(a, set);
  };
  for (const e of graph.edges.values()) {
    add(e.source, e.target);
    add(e.target, e.source);
  }
  return out;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

export function LinkChart({ start, current, label }: { start: Start; current?: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Cy | null>(null);
  const graph = useRef<Graph>({ nodes: new Map(), edges: new Map() });
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const [pinned, setPinned] = useState<Set<string>>(() => new Set());
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [kinds, setKinds] = useState<Set<ChartKind>>(() => new Set(CHART_KINDS));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState<string | null>('Drawing the chart');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const startKey = JSON.stringify(start);

  /** Adds what the core returned; new nodes start around the node they grew from (or in a fresh layout). */
  const merge = useCallback((view: ChartView, from: string | null) => {
    const g = graph.current;
    const instance = cy.current;
    const added: string[] = [];
    for (const n of view.nodes) {
      const held = g.nodes.get(n.id);
      if (held) {
        if (n.date && (!held.date || n.date < held.date)) held.date = n.date;
        continue;
      }
      g.nodes.set(n.id, n);
      added.push(n.id);
    }
    const addedEdges: ChartEdge[] = [];
    for (const e of view.edges) {
      const held = g.edges.get(e.id);
      if (held) {
        if (e.judged) held.judged = e.judged;
        continue;
      }
      g.edges.set(e.id, e);
      addedEdges.push(e);
    }
    if (instance) {
      const origin = from ? instance.getElementById(from) : null;
      const centre = origin?.nonempty() ? origin.position() : { x: 0, y: 0 };
      // Each new node starts beside a node it is joined to that is already drawn (the one it grew from, or when
      // many grow at once, its own record): no global layout, so a large chart stays put and fast.
      const anchorOf = new Map<string, string>();
      for (const e of view.edges) {
        if (!instance.getElementById(e.source).empty() && !anchorOf.has(e.target)) anchorOf.set(e.target, e.source);
        if (!instance.getElementById(e.target).empty() && !anchorOf.has(e.source)) anchorOf.set(e.source, e.target);
      }
      const around = new Map<string, number>();
      instance.batch(() => {
        added.forEach((id) => {
          const n = g.nodes.get(id) as ChartNode;
          const anchor = from ?? anchorOf.get(id) ?? null;
          const at = anchor && !instance.getElementById(anchor).empty() ? instance.getElementById(anchor).position() : centre;
          const i = around.get(anchor ?? '') ?? 0;
          around.set(anchor ?? '', i + 1);
          const r = 60 + 12 * Math.sqrt(i) * 4;
          const a = i * 2.39996;
          instance.add({ group: 'nodes', data: { id, label: n.label, kind: n.kind, current: n.value === current ? 1 : 0 }, position: { x: at.x + r * Math.cos(a), y: at.y + r * Math.sin(a) } });
        });
        for (const e of addedEdges) instance.add({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label, judged: e.judged ? 1 : 0 } });
      });
    }
    setVersion((v) => v + 1);
    return added;
  }, [current]);

  const layout = useCallback((randomize: boolean) => {
    const instance = cy.current;
    if (!instance) return;
    const visible = instance.elements(':visible');
    const large = visible.nodes().length > LARGE;
    if (large && randomize) {
      // Opening on a large chart: rings by how connected each node is (linear time); the force layout is there
      // for "Re-arrange", when the person asks and waits for it.
      visible
        .layout({ name: 'concentric', concentric: (n: cytoscape.NodeSingular) => n.degree(false), levelWidth: () => 2, minNodeSpacing: 4, animate: false, fit: true, padding: 24 } as cytoscape.LayoutOptions)
        .run();
      return;
    }
    visible
      .layout({
        name: 'fcose',
        quality: large ? 'draft' : 'default',
        randomize,
        animate: false,
        nodeRepulsion: 6000,
        idealEdgeLength: 80,
        numIter: large ? 600 : 2500,
        fit: true,
        padding: 24,
        stop: () => {
          // A few nodes fitted to the whole box would be drawn huge: no closer than a comfortable reading size.
          if (instance.zoom() > MAX_FIT_ZOOM) {
            instance.zoom(MAX_FIT_ZOOM);
            instance.center(visible);
          }
        },
      } as cytoscape.LayoutOptions)
      .run();
  }, []);

  // The Cytoscape instance lives as long as the chart; elements are added as it grows.
  useEffect(() => {
    if (!box.current) return;
    const instance = cytoscape({
      container: box.current,
      elements: [],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'min-zoomed-font-size': 7,
            'text-wrap': 'ellipsis',
            'text-max-width': '150px',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            color: '#1f2328',
            width: 22,
            height: 22,
            'border-width': 1,
            'border-color': '#ffffff',
          },
        },
        ...(Object.keys(KIND_STYLE) as ChartKind[]).map((k) => ({
          selector: `node[kind = "${k}"]`,
          style: { shape: KIND_STYLE[k].shape as 'ellipse', 'background-color': KIND_STYLE[k].colour },
        })),
        { selector: 'node[kind = "allegation"]', style: { width: 34, height: 22, 'font-weight': 'bold' } },
        { selector: 'node.shared[kind != "allegation"]', style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#f2c94c' } },
        { selector: 'node[current = 1]', style: { 'border-width': 4, 'border-color': '#111111' } },
        { selector: 'node.pinned', style: { 'border-width': 3, 'border-color': '#e8590c', 'border-style': 'double' } },
        { selector: 'node.expanded', style: { 'background-opacity': 0.75 } },
        { selector: 'node:selected', style: { 'overlay-color': '#f59f00', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
        { selector: '.hidden', style: { display: 'none' } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#9aa4ae', 'curve-style': 'haystack' } },
        {
          selector: 'edge[judged = 1]',
          style: { width: 3, 'line-color': '#c92a2a', 'line-style': 'dashed', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#8a1c1c', 'text-background-color': '#ffffff', 'text-background-opacity': 1 },
        },
      ],
      layout: { name: 'preset' },
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      pixelRatio: 1,
    });
    instance.on('tap', 'node', (evt) => setSelected((evt.target as NodeSingular).id()));
    instance.on('tap', (evt) => {
      if (evt.target === instance) setSelected(null);
    });
    instance.on('dbltap', 'node', (evt) => {
      const n = graph.current.nodes.get((evt.target as NodeSingular).id());
      if (n) openNode(n);
    });
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, []);

  // The chart it opens on (a chart opened elsewhere is a new component: callers key it by where it starts).
  useEffect(() => {
    let live = true;
    call('chart.start', JSON.parse(startKey) as Start).then(
      (view) => {
        if (!live) return;
        merge(view, null);
        if ('allegationId' in (JSON.parse(startKey) as Start)) setExpanded(new Set(view.nodes.filter((n) => n.kind === 'allegation').map((n) => n.id)));
        else setExpanded(new Set(view.nodes.filter((n) => n.kind !== 'allegation').map((n) => n.id)));
        if (view.truncated) setNotice('More records are linked than the chart first shows: expand nodes to see them.');
        layout(true);
        setBusy(null);
      },
      (e: unknown) => {
        if (!live) return;
        setProblem(e instanceof CallError ? e.message : String(e));
        setBusy(null);
      },
    );
    return () => {
      live = false;
    };
  }, [startKey, merge, layout]);

  const g = graph.current;
  const adjacency = useMemo(() => neighbours(g), [g, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const inRange = useCallback((n: ChartNode) => {
    const d = day(n.date);
    if (!d) return true;
    // Only a date that reads as one filters (a half-typed one does not empty the chart).
    const lo = isRealIsoDate(from) ? from : '';
    const hi = isRealIsoDate(to) ? to : '';
    return (!lo || d >= lo) && (!hi || d <= hi);
  }, [from, to]);

  // What is shown: not hidden, of a kind shown, and (allegations) received in the date range; an entity whose
  // every record is filtered out goes with them.
  const visible = useMemo(() => {
    const out = new Set<string>();
    for (const n of g.nodes.values()) if (n.kind === 'allegation' && !hidden.has(n.id) && kinds.has('allegation') && inRange(n)) out.add(n.id);
    for (const n of g.nodes.values()) {
      if (n.kind === 'allegation' || hidden.has(n.id) || !kinds.has(n.kind)) continue;
      const records = [...(adjacency.get(n.id) ?? [])].filter((id) => id.startsWith('allegation:'));
      const anyRecord = records.length === 0 || records.some((id) => out.has(id) || (!kinds.has('allegation') && inRange(g.nodes.get(id) as ChartNode)));
      if (anyRecord) out.add(n.id);
    }
    return out;
  }, [g, version, hidden, kinds, inRange, adjacency]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.batch(() => {
      instance.nodes().forEach((node) => {
        const id = node.id();
        const records = [...(adjacency.get(id) ?? [])].filter((x) => x.startsWith('allegation:')).length;
        node.toggleClass('hidden', !visible.has(id));
        node.toggleClass('shared', records > 1);
        node.toggleClass('pinned', pinned.has(id));
        node.toggleClass('expanded', expanded.has(id));
        if (pinned.has(id)) node.lock();
        else node.unlock();
      });
    });
    // Large charts stay responsive: while panning and zooming the view is drawn from a texture, without edges.
    const large = instance.nodes().length > LARGE;
    const renderer = (instance as unknown as { renderer(): { textureOnViewport: boolean; hideEdgesOnViewport: boolean } }).renderer();
    renderer.textureOnViewport = large;
    renderer.hideEdgesOnViewport = large;
  }, [visible, pinned, expanded, adjacency, version]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.nodes().unselect();
    if (selected) instance.getElementById(selected).select();
  }, [selected]);

  function openNode(n: ChartNode) {
    if (n.kind === 'allegation') navigate({ name: 'allegation', reference: n.value });
    else window.location.hash = entityPath({ kind: n.kind, value: n.value });
  }

  async function expand(ids: string[]) {
    const nodes = ids.map((id) => g.nodes.get(id)).filter((n): n is ChartNode => !!n);
    if (!nodes.length) return;
    setBusy(nodes.length === 1 ? `Expanding ${nodes[0]?.label}` : `Expanding ${nodes.length} nodes`);
    setProblem(null);
    try {
      const view = await call('chart.expand', { nodes: nodes.map((n) => ({ kind: n.kind, value: n.value })) });
      const added = merge(view, nodes.length === 1 ? (nodes[0]?.id ?? null) : null);
      setExpanded((s) => new Set([...s, ...ids]));
      setNotice(`${added.length ? `${added.length} node${added.length === 1 ? '' : 's'} added` : 'Nothing new to add'}${view.truncated ? '; more exist than were added (the newest first)' : ''}.`);
      // A chart of ordinary size is laid out again around what it held (pinned nodes stay put); a large one keeps
      // every node where it was and only fits the view, so the person does not lose their place.
      if (added.length && cy.current) {
        if (cy.current.nodes().length <= LARGE) layout(false);
        else cy.current.fit(cy.current.elements(':visible'), 24);
      }
    } catch (e) {
      setProblem(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const hide = (id: string) => {
    setHidden((s) => new Set(s).add(id));
    if (selected === id) setSelected(null);
  };
  const togglePin = (id: string) =>
    setPinned((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  async function exportImage() {
    const instance = cy.current;
    if (!instance) return;
    // Sharp at a normal size; a chart of thousands is capped in pixels so the export stays quick and openable.
    const blob = instance.png({ full: true, scale: 2, maxWidth: 6000, maxHeight: 6000, bg: '#ffffff', output: 'blob' }) as unknown as Blob;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `link-chart-${label.replace(/[^A-Za-z0-9-]+/g, '-')}.png`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNotice('The chart was saved as an image (PNG), as it is shown.');
  }

  // Keyboard order: allegations first, then what they share, then the rest (visible nodes only).
  const order = useMemo(
    () =>
      [...g.nodes.values()]
        .filter((n) => visible.has(n.id))
        .sort(
          (a, b) =>
            (a.kind === 'allegation' ? 0 : 1) - (b.kind === 'allegation' ? 0 : 1) ||
            (adjacency.get(b.id)?.size ?? 0) - (adjacency.get(a.id)?.size ?? 0) ||
            a.label.localeCompare(b.label),
        ),
    [g, visible, adjacency, version], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const recordsOf = (id: string) =>
    [...(adjacency.get(id) ?? [])]
      .filter((x) => x.startsWith('allegation:'))
      .map((x) => g.nodes.get(x)?.value ?? '')
      .filter(Boolean);
  const describe = (n: ChartNode) => (n.kind === 'allegation' ? `Allegation ${n.label}` : `${KIND_TEXT[n.kind]} ${n.label}, in ${recordsOf(n.id).join(', ')}`);

  function onKey(e: React.KeyboardEvent) {
    if (!order.length) return;
    const i = selected ? order.findIndex((n) => n.id === selected) : -1;
    const key = e.key.toLowerCase();
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') setSelected(order[(i + 1) % order.length]?.id ?? null);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') setSelected(order[(i - 1 + order.length) % order.length]?.id ?? null);
    else if (e.key === 'Home') setSelected(order[0]?.id ?? null);
    else if (e.key === 'Escape') setSelected(null);
    else if (e.key === 'Enter' && selected) {
      const n = g.nodes.get(selected);
      if (n) openNode(n);
    } else if (key === 'e' && selected) void expand([selected]);
    else if (key === 'h' && selected) hide(selected);
    else if (key === 'p' && selected) togglePin(selected);
    else return;
    e.preventDefault();
  }

  const chosen = selected ? g.nodes.get(selected) : undefined;
  const allegations = [...visible].filter((id) => id.startsWith('allegation:')).length;
  const shownNodes = order;
  const judged = [...g.edges.values()].filter((e) => e.judged && visible.has(e.source) && visible.has(e.target));
  const presentKinds = CHART_KINDS.filter((k) => [...g.nodes.values()].some((n) => n.kind === k));
  const unexpandedAllegations = order.filter((n) => n.kind === 'allegation' && !expanded.has(n.id)).map((n) => n.id);

  return (
    <Box>
      <Group gap="xs" mb={6} wrap="wrap" role="toolbar" aria-label="Link chart">
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} disabled={!chosen || !!busy} onClick={() => chosen && void expand([chosen.id])}>
          Expand{chosen ? ` ${KIND_TEXT[chosen.kind].toLowerCase()}` : ''} <Kbd size="xs" ml={4}>E</Kbd>
        </Button>
        <Button size="compact-xs" variant="light" leftSection={<IconEyeOff size={12} />} disabled={!chosen} onClick={() => chosen && hide(chosen.id)}>
          Hide <Kbd size="xs" ml={4}>H</Kbd>
        </Button>
        <Button size="compact-xs" variant="light" leftSection={chosen && pinned.has(chosen.id) ? <IconPinnedOff size={12} /> : <IconPin size={12} />} disabled={!chosen} onClick={() => chosen && togglePin(chosen.id)}>
          {chosen && pinned.has(chosen.id) ? 'Unpin' : 'Pin'} <Kbd size="xs" ml={4}>P</Kbd>
        </Button>
        <Button size="compact-xs" variant="light" leftSection={<IconArrowsMaximize size={12} />} disabled={!unexpandedAllegations.length || !!busy} onClick={() => void expand(unexpandedAllegations)}>
          Expand every allegation shown ({unexpandedAllegations.length})
        </Button>
        <Button size="compact-xs" variant="default" leftSection={<IconEye size={12} />} disabled={!hidden.size} onClick={() => setHidden(new Set())}>
          Show hidden ({hidden.size})
        </Button>
        <Button size="compact-xs" variant="default" leftSection={<IconLayoutGrid size={12} />} disabled={!!busy} onClick={() => layout(false)}>
          Re-arrange
        </Button>
        <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => void exportImage()}>
          Export image
        </Button>
      </Group>
      <Group gap="md" mb={6} align="flex-end" wrap="wrap">
        <Checkbox.Group
          label="Show"
          value={[...kinds]}
          onChange={(v) => setKinds(new Set(v as ChartKind[]))}
        >
          <Group gap="xs" mt={4}>
            {presentKinds.map((k) => (
              <Checkbox
                key={k}
                value={k}
                size="xs"
                label={
                  <Group gap={4} wrap="nowrap">
                    <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: k === 'person' ? 5 : 2, background: KIND_STYLE[k].colour }} />
                    {KIND_TEXT[k]}
                  </Group>
                }
              />
            ))}
          </Group>
        </Checkbox.Group>
        <UkDateInput size="xs" label="Received from" value={from} onChange={setFrom} w={170} />
        <UkDateInput size="xs" label="Received to" value={to} onChange={setTo} w={170} />
        <Text size="xs" c="dimmed">
          gold ring: in more than one record · dashed red: judged link · orange double ring: pinned
        </Text>
      </Group>
      {problem && (
        <Alert color="red" role="alert" mb={6} p="xs">
          {problem}
        </Alert>
      )}
      <div style={{ position: 'relative' }}>
        <div
          ref={box}
          className="link-chart"
          tabIndex={0}
          role="group"
          aria-roledescription="link chart"
          aria-label={`Link chart: ${allegations} allegations and ${visible.size - allegations} people, phones, places and other things they hold. Arrow keys move between them; E expands, H hides, P pins, Enter opens. The same information is in the table below.`}
          onKeyDown={onKey}
          data-testid="link-chart"
          data-nodes={visible.size}
          data-edges={g.edges.size}
        />
        {busy && (
          <Box pos="absolute" top={8} right={8} bg="white" p={4} style={{ borderRadius: 4 }}>
            <Busy size="xs" label={busy} />
          </Box>
        )}
      </div>
      <Text size="sm" aria-live="polite" mt={4} mih={20}>
        {chosen
          ? `${describe(chosen)}${chosen.kind === 'allegation' ? ' — press Enter to open it' : ' — press Enter for its page'}`
          : 'Click a node, or focus the chart and use the arrow keys.'}
      </Text>
      {notice && (
        <Text size="xs" c="dimmed" role="status">
          {notice}
        </Text>
      )}
      <Table fz="sm" mt="sm" striped aria-label="What the chart shows (the chart as text)" captionSide="top">
        <Table.Caption>
          <Text size="sm" fw={600} ta="left">
            The chart as text: what each record holds, and what they share
            {shownNodes.length > TABLE_ROWS ? ` (the first ${TABLE_ROWS} of ${shownNodes.length}; filter the chart to narrow it)` : ''}
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
          {judged.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>Judged link</Table.Td>
              <Table.Td>{e.label}</Table.Td>
              <Table.Td>
                {g.nodes.get(e.source)?.value} — {g.nodes.get(e.target)?.value}
              </Table.Td>
            </Table.Tr>
          ))}
          {shownNodes
            .filter((n) => n.kind !== 'allegation')
            .slice(0, TABLE_ROWS)
            .map((n) => {
              const refs = recordsOf(n.id);
              return (
                <Table.Tr key={n.id}>
                  <Table.Td>{KIND_TEXT[n.kind]}</Table.Td>
                  <Table.Td>
                    <Anchor href={entityPath({ kind: n.kind as EntityRef['kind'], value: n.value })} size="sm">
                      {n.label}
                    </Anchor>{' '}
                    {refs.length > 1 && (
                      <Badge size="xs" color="yellow" variant="light">
                        shared
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {refs.map((r, i) => (
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
              );
            })}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
