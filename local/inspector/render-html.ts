/**
 * One self-contained HTML page (inline CSS, JS and SVG; nothing fetched at view time) showing the
 * state machine graph coloured by outcome, a details panel on click, and a Gantt timeline.
 * Every piece of execution data is escaped: text in markup via escapeHtml, the data island via
 * JSON with <, >, & and line separators as \u escapes, and the script only ever sets textContent.
 */
import type { GraphLayout, LayoutEdge, LayoutNode } from './graph-layout.js';
import type { Outcome, StateOutcomeView } from './state-outcomes.js';

export interface InspectorPage {
  title: string;
  execution: { name?: string; status: string; startDate?: string; stopDate?: string; error?: string; cause?: string };
  layout: GraphLayout;
  states: Map<string, StateOutcomeView>;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element whatever the data holds. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body{font:13px system-ui,sans-serif;margin:0;color:#16191f;background:#f2f3f3}
header{padding:10px 16px;background:#232f3e;color:#fff}header h1{font-size:16px;margin:0 0 4px}
main{display:flex;gap:12px;padding:12px}#graph{flex:1;overflow:auto;background:#fff;border:1px solid #d5dbdb;max-height:78vh}
aside{width:420px;background:#fff;border:1px solid #d5dbdb;padding:10px;max-height:78vh;overflow:auto}
aside pre{white-space:pre-wrap;word-break:break-all;background:#fafafa;border:1px solid #eee;padding:6px;max-height:220px;overflow:auto}
aside pre.field-note{word-break:normal;font:inherit}
.node rect{stroke:#545b64;stroke-width:1.2;rx:6}.node{cursor:pointer}.node text{font-size:12px;pointer-events:none}
.node.container>rect{fill:#f8f8f8;stroke-dasharray:4 3}.node.selected>rect{stroke:#0073bb;stroke-width:3}
.outcome-succeeded>rect{fill:#d5f5d5}.outcome-failed>rect{fill:#fdd;stroke:#d13212}.outcome-caught>rect{fill:#ffe8c2;stroke:#ec7211}
.outcome-retried>rect{fill:#fff7c2}.outcome-running>rect{fill:#d6ecff}.outcome-not-reached>rect{fill:#fff;stroke:#aab7b8}
.container.outcome-succeeded>rect{fill:#eefbee}.container.outcome-failed>rect{fill:#fff3f3}
.edge{fill:none;stroke:#879596;stroke-width:1.3}.edge.catch{stroke-dasharray:5 4;stroke:#d13212;stroke-width:1;opacity:.75}.catch-exit{fill:#d13212}
.outcome-not-recorded>rect{fill:#fff;stroke:#aab7b8;stroke-dasharray:2 3}.outcome-not-recorded>text{fill:#687078;font-style:italic}.edge.back{stroke:#8d6e63}
.legend span{display:inline-block;color:#16191f;padding:2px 8px;margin-right:6px;border:1px solid #999;border-radius:4px}
#timeline{margin:0 12px 16px;background:#fff;border:1px solid #d5dbdb;padding:8px;overflow:auto}
.bar-succeeded{fill:#5cb85c}.bar-failed{fill:#d13212}.bar-caught{fill:#ec7211}.bar-retried{fill:#e0c000}.bar-running{fill:#0073bb}
`;

const SCRIPT = `
(function(){
  var data = JSON.parse(document.getElementById('inspector-data').textContent);
  var panel = document.getElementById('panel');
  function field(label, value){
    if (value === undefined || value === null) return;
    var h = document.createElement('h4'); h.textContent = label; panel.appendChild(h);
    var pre = document.createElement('pre'); pre.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    pre.className = 'field-' + label.toLowerCase().replace(/ /g, '-'); panel.appendChild(pre);
  }
  function show(name){
    var state = data.states[name];
    panel.textContent = '';
    var title = document.createElement('h3'); title.id = 'panel-title'; title.textContent = name; panel.appendChild(title);
    var status = document.createElement('div'); status.id = 'panel-outcome'; status.textContent = 'Outcome: ' + (state ? state.outcome : 'not-reached'); panel.appendChild(status);
    if (state && state.note) field('Note', state.note);
    if (!state || state.visits.length === 0) return;
    state.visits.forEach(function(visit, index){
      if (state.visits.length > 1) { var v = document.createElement('h4'); v.textContent = 'Visit ' + (index + 1) + ' (' + visit.outcome + ')'; panel.appendChild(v); }
      field('Child execution', visit.childExecution);
      field('Error', visit.error); field('Cause', visit.cause);
      field('Attempts', String(visit.attempts));
      field('Duration', visit.durationMs === undefined ? 'still running' : visit.durationMs + ' ms');
      field('Input', visit.input); field('Output', visit.output);
    });
    if (state.omittedVisits) field('Omitted', state.omittedVisits + ' more visits in other child executions are not shown');
  }
  document.querySelectorAll('[data-state]').forEach(function(el){
    el.addEventListener('click', function(event){
      event.stopPropagation();
      document.querySelectorAll('.selected').forEach(function(s){ s.classList.remove('selected'); });
      el.classList.add('selected');
      show(el.getAttribute('data-state'));
    });
  });
})();
`;

function nodeSvg(node: LayoutNode, outcomes: InspectorPage['states']): string {
  const outcome = outcomes.get(node.name)?.outcome ?? 'not-reached';
  const container = node.children.length > 0;
  const label = `${node.name}`;
  const parts = [
    `<g class="node ${container ? 'container ' : ''}outcome-${outcome}" data-state="${escapeHtml(node.name)}" data-outcome="${outcome}" id="state-${escapeHtml(encodeURIComponent(node.name))}">`,
    `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}"></rect>`,
    `<text x="${node.x + (container ? 10 : node.width / 2)}" y="${node.y + (container ? 17 : node.height / 2 + 4)}" text-anchor="${container ? 'start' : 'middle'}">${escapeHtml(label.length > 26 && !container ? `${label.slice(0, 25)}…` : label)}</text>`,
    container ? `<text x="${node.x + node.width - 10}" y="${node.y + 17}" text-anchor="end" fill="#687078">${escapeHtml(node.type)}</text>` : '',
    `<title>${escapeHtml(`${node.name} (${node.type}): ${outcome}`)}</title>`,
    '</g>',
    ...node.edges.map(edgeSvg),
    ...node.children.map((child) => nodeSvg(child, outcomes)),
  ];
  return parts.join('');
}

function edgeSvg(edge: LayoutEdge): string {
  const [first, ...rest] = edge.points;
  if (!first) return '';
  const d = edge.back
    ? `M${first[0]},${first[1]} Q${rest[0]?.[0]},${rest[0]?.[1]} ${rest[1]?.[0]},${rest[1]?.[1]}`
    : `M${first[0]},${first[1]} ${rest.map(([x, y]) => `L${x},${y}`).join(' ')}`;
  const title = `<title>${escapeHtml(`${edge.from} → ${edge.to} (${edge.kind})`)}</title>`;
  const catchMarker = edge.kind === 'catch' ? `<circle class="catch-exit" cx="${first[0]}" cy="${first[1]}" r="3"></circle>` : '';
  return `<path class="edge ${edge.kind}${edge.back ? ' back' : ''}" d="${d}" marker-end="url(#${edge.kind === 'catch' ? 'arrow-catch' : 'arrow'})" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" data-kind="${edge.kind}">${title}</path>${catchMarker}`;
}

function timelineSvg(states: InspectorPage['states']): string {
  const rows: { name: string; start: number; end?: number; outcome: Outcome }[] = [];
  for (const [name, state] of states) {
    for (const visit of state.visits) {
      if (visit.childExecution !== undefined) continue; // the Map's own bar spans its children
      rows.push({ name, start: Date.parse(visit.enteredAt), ...(visit.exitedAt ? { end: Date.parse(visit.exitedAt) } : {}), outcome: visit.outcome });
    }
  }
  if (rows.length === 0) return '<p>No states were entered.</p>';
  rows.sort((a, b) => a.start - b.start);
  const t0 = rows[0]!.start;
  const t1 = Math.max(...rows.map((row) => row.end ?? row.start), t0 + 1);
  const labelWidth = 220;
  const width = 900;
  const rowHeight = 16;
  const scale = (width - labelWidth - 10) / (t1 - t0);
  const bars = rows.map((row, index) => {
    const y = index * rowHeight + 18;
    const x = labelWidth + (row.start - t0) * scale;
    const w = Math.max(2, ((row.end ?? t1) - row.start) * scale);
    return `<text x="4" y="${y + 11}" font-size="11">${escapeHtml(row.name)}</text><rect class="bar-${row.outcome}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 4}"><title>${escapeHtml(`${row.name}: ${row.end === undefined ? 'running' : `${row.end - row.start} ms`}`)}</title></rect>`;
  });
  return `<svg id="timeline-svg" width="${width}" height="${rows.length * rowHeight + 24}" xmlns="http://www.w3.org/2000/svg"><text x="${labelWidth}" y="12" font-size="11">0 s</text><text x="${width - 10}" y="12" font-size="11" text-anchor="end">${((t1 - t0) / 1000).toFixed(1)} s</text>${bars.join('')}</svg>`;
}

export function renderInspectorHtml(page: InspectorPage): string {
  const { layout, execution } = page;
  const data = { execution, states: Object.fromEntries(page.states) };
  const summary = [
    execution.name ? `Execution ${execution.name}` : 'Execution',
    `status ${execution.status}`,
    execution.startDate ? `started ${execution.startDate}` : '',
    execution.error ? `error ${execution.error}` : '',
  ].filter(Boolean).join(' · ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(page.title)}</h1><div id="summary" data-status="${escapeHtml(execution.status)}">${escapeHtml(summary)}</div>
<div class="legend"><span style="background:#d5f5d5">succeeded</span><span style="background:#fdd">failed</span><span style="background:#ffe8c2">caught</span><span style="background:#fff7c2">retried</span><span style="background:#d6ecff">running</span><span style="background:#fff">not reached</span><span style="background:#fff;border-style:dotted;font-style:italic">not recorded</span> red dot and dashed lane on the right: Catch</div></header>
<main><div id="graph"><svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#687078"/></marker><marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d13212"/></marker></defs>
${layout.edges.map(edgeSvg).join('\n')}
${layout.nodes.map((node) => nodeSvg(node, page.states)).join('\n')}
</svg></div><aside id="panel"><p>Click a state to see its input, output, error, cause, attempts and duration.</p></aside></main>
<section id="timeline"><h3>Timeline</h3>${timelineSvg(page.states)}</section>
<script type="application/json" id="inspector-data">${scriptSafeJson(data)}</script>
<script>${SCRIPT}</script></body></html>
`;
}
