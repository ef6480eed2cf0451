// The link chart that grows, drawn with Cytoscape.js: it opens on an allegation's linked records (or an entity and
// the allegations naming it) and grows from any node — an allegation brings the people, phones, emails, addresses,
// vehicles, businesses and flights it holds and its judged links; an entity brings every allegation naming it.
// Nodes can be hidden and pinned, kinds and dates filtered, and the chart exported as an image. Judged links are
// dashed red, as on the panel. A canvas says nothing to a screen reader and cannot take focus by node, so the
// chart is operable from the keyboard (arrows move from node to node; E expands, H hides, P pins, Enter opens)
// and always comes with its text equivalent, a table of what is shown. What the core sends is joined into the
// chart by shared/entities/chart-graph.ts: one person or place written several ways is one node.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import cytoscape, { type Core as Cy, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { Alert, Box, Text } from '@mantine/core';
import { isRealIsoDate } from '../../../../shared/schemas/common.ts';
import type { ChartKind, ChartNode, ChartView } from '../../../../shared/api/workbench.ts';
import { CHART_KINDS } from '../../../../shared/api/workbench.ts';
import { ChartGraph } from '../../../../shared/entities/chart-graph.ts';
import { entityPath, type EntityRef } from '../../../../shared/entities/entity.ts';
import { call, CallError } from '../../api/client.ts';
import { navigate } from '../../router.ts';
import { Busy } from '../Busy.tsx';
import { CHART_STYLE, KIND_TEXT } from './chart-style.ts';
import { ChartToolbar } from './ChartToolbar.tsx';
import { ChartFilters } from './ChartFilters.tsx';
import { ChartTable } from './ChartTable.tsx';

cytoscape.use(fcose);

/** Past this many nodes the chart draws for speed: no labels while moving, a draft layout. */
const LARGE = 800;
/** The closest a layout zooms in when it fits the chart to its box. */
const MAX_FIT_ZOOM = 1.3;

type Start = { allegationId: string } | { entity: EntityRef };

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

export function LinkChart({ start, current, label }: { start: Start; current?: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Cy | null>(null);
  // One graph for the chart's life, made once (not a new one thrown away on every render).
  const [g] = useState(() => new ChartGraph());
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

  /**
   * Joins what the core returned into the chart (the same person or place written another way is the node
   * already drawn); new nodes start around the node they grew from, or beside their own record.
   */
  const merge = useCallback((view: ChartView, from: string | null, grewFrom: ChartNode[] = []) => {
    const instance = cy.current;
    const { added, addedEdges, relabelled } = g.add(view, grewFrom);
    if (instance) {
      const origin = from ? instance.getElementById(from) : null;
      const centre = origin?.nonempty() ? origin.position() : { x: 0, y: 0 };
      // Each new node starts beside a node it is joined to that is already drawn (the one it grew from, or when
      // many grow at once, its own record): no global layout, so a large chart stays put and fast.
      const anchorOf = new Map<string, string>();
      for (const e of addedEdges) {
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
        for (const id of relabelled) instance.getElementById(id).data('label', g.nodes.get(id)?.label ?? '');
        for (const e of addedEdges) instance.add({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label, judged: e.judged ? 1 : 0 } });
      });
    }
    setVersion((v) => v + 1);
    return added;
  }, [current, g]);

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
        // Room for the labels: nodes are kept apart by their size with their label, not only their shape.
        nodeDimensionsIncludeLabels: !large,
        nodeRepulsion: 9000,
        idealEdgeLength: 110,
        nodeSeparation: 90,
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
      style: CHART_STYLE,
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
      const n = g.nodes.get((evt.target as NodeSingular).id());
      if (n) openNode(n);
    });
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, [g]);

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
      const records = g.records(n.id);
      const anyRecord = records.length === 0 || records.some((id) => out.has(id) || (!kinds.has('allegation') && inRange(g.nodes.get(id) as ChartNode)));
      if (anyRecord) out.add(n.id);
    }
    return out;
  }, [g, version, hidden, kinds, inRange]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.batch(() => {
      instance.nodes().forEach((node) => {
        const id = node.id();
        const records = g.records(id).length;
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
  }, [g, visible, pinned, expanded, version]);

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
      const added = merge(view, nodes.length === 1 ? (nodes[0]?.id ?? null) : null, nodes);
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
    // Encoded by the browser's own toBlob, off the page's thread: the data-URL route ('blob') encoded a 6000 px
    // image as base64 on the page's thread and decoded it again, and froze the chart for tens of seconds.
    setBusy('Saving the chart as an image');
    let blob: Blob;
    try {
      blob = await instance.png({ full: true, scale: 2, maxWidth: 6000, maxHeight: 6000, bg: '#ffffff', output: 'blob-promise' });
    } catch (e) {
      setProblem(`The chart could not be saved as an image: ${e instanceof Error ? e.message : String(e)}`);
      return;
    } finally {
      setBusy(null);
    }
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
            g.neighbours(b.id).size - g.neighbours(a.id).size ||
            a.label.localeCompare(b.label),
        ),
    [g, visible, version], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const recordsOf = useCallback(
    (id: string) =>
      g
        .records(id)
        .map((x) => g.nodes.get(x)?.value ?? '')
        .filter(Boolean),
    [g, version], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const describe = (n: ChartNode) => {
    if (n.kind === 'allegation') return `Allegation ${n.label}`;
    const variants = g.variants(n.id);
    return `${KIND_TEXT[n.kind]} ${n.label}, in ${recordsOf(n.id).join(', ')}${variants.length ? ` (also written: ${variants.join('; ')})` : ''}`;
  };

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

  // Read from the graph once per change of what is shown, not on every render (a key press, a notice).
  const chosen = selected ? g.nodes.get(selected) : undefined;
  const allegations = useMemo(() => [...visible].filter((id) => id.startsWith('allegation:')).length, [visible]);
  const judged = useMemo(() => [...g.edges.values()].filter((e) => e.judged && visible.has(e.source) && visible.has(e.target)), [g, visible]);
  const presentKinds = useMemo(() => {
    const present = new Set([...g.nodes.values()].map((n) => n.kind));
    return CHART_KINDS.filter((k) => present.has(k));
  }, [g, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const unexpandedAllegations = useMemo(() => order.filter((n) => n.kind === 'allegation' && !expanded.has(n.id)).map((n) => n.id), [order, expanded]);

  return (
    <Box>
      <ChartToolbar
        chosen={chosen}
        chosenPinned={!!chosen && pinned.has(chosen.id)}
        busy={!!busy}
        unexpandedAllegations={unexpandedAllegations.length}
        hiddenCount={hidden.size}
        onExpand={() => chosen && void expand([chosen.id])}
        onHide={() => chosen && hide(chosen.id)}
        onTogglePin={() => chosen && togglePin(chosen.id)}
        onExpandAll={() => void expand(unexpandedAllegations)}
        onShowHidden={() => setHidden(new Set())}
        onRearrange={() => layout(false)}
        onExport={() => void exportImage()}
      />
      <ChartFilters present={presentKinds} kinds={kinds} onKinds={setKinds} from={from} to={to} onFrom={setFrom} onTo={setTo} />
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
      <ChartTable graph={g} judged={judged} shown={order} recordsOf={recordsOf} current={current} />
    </Box>
  );
}
