// How the link chart looks: a shape and colour per kind (also in the legend of the filters), and Cytoscape's
// stylesheet. Labels are wrapped to two short lines with a white halo, drawn under their node, and left out when
// the chart is zoomed so far out that they would only overlap (Cytoscape's min-zoomed-font-size); the layout
// spaces nodes for those labels (see LinkChart's layout).
import type cytoscape from 'cytoscape';
import type { ChartKind } from '../../../../shared/api/workbench.ts';
import { ENTITY_KIND_LABELS } from '../../../../shared/entities/entity.ts';

export const KIND_TEXT: Record<ChartKind, string> = { allegation: 'Allegation', ...ENTITY_KIND_LABELS };
export const KIND_STYLE: Record<ChartKind, { shape: string; colour: string }> = {
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

/** Widest a label is drawn (it wraps to a second line, then ends in an ellipsis). */
export const LABEL_WIDTH = 120;

export const CHART_STYLE: cytoscape.StylesheetStyle[] = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 10,
      // Far out, labels would only pile on each other: they go, and come back on zooming in.
      'min-zoomed-font-size': 8,
      'text-wrap': 'wrap',
      'text-max-width': `${LABEL_WIDTH}px`,
      'text-overflow-wrap': 'whitespace',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'text-outline-opacity': 0.9,
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
  // The chosen node's label is drawn above the rest, whole.
  { selector: 'node:selected', style: { 'overlay-color': '#f59f00', 'overlay-opacity': 0.35, 'overlay-padding': 6, 'z-index': 10, 'text-max-width': '220px', 'font-weight': 'bold' } },
  { selector: '.hidden', style: { display: 'none' } },
  { selector: 'edge', style: { width: 1.5, 'line-color': '#9aa4ae', 'curve-style': 'haystack' } },
  {
    selector: 'edge[judged = 1]',
    style: { width: 3, 'line-color': '#c92a2a', 'line-style': 'dashed', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#8a1c1c', 'text-background-color': '#ffffff', 'text-background-opacity': 1, 'min-zoomed-font-size': 8 },
  },
];
