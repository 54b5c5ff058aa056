/**
 * One self-contained HTML page (inline CSS, JS and SVG; nothing fetched at view time) showing the
 * state machine graph coloured by outcome, a details panel on click, and a Gantt timeline.
 * Every piece of execution data is escaped: text in markup via escapeHtml, the data island via
 * JSON with <, >, & and line separators as \u escapes, and the script only ever sets textContent.
 */
import type { GraphLayout, LayoutEdge, LayoutNode } from './graph-types.js';
import type { Outcome, StateOutcomeView } from './state-outcomes.js';
import { readableCause } from './readable-cause.js';

export interface EventRow {
  id: number;
  type: string;
  step?: string;
  timestamp: string;
  details: string;
}

export interface InspectorPage {
  title: string;
  execution: { name?: string; status: string; startDate?: string; stopDate?: string; error?: string; cause?: string; input?: unknown; output?: unknown };
  /** The state the execution failed in, selected and scrolled into view when the page opens. */
  failedState?: string;
  events?: EventRow[];
  redrives?: { count: number; dates: string[] };
  mapRuns?: { state: string; mapRunArn: string; status: string; children: number; failedChildren: number }[];
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
.failure{background:#fdd;color:#16191f;border-left:4px solid #d13212;padding:6px 10px;margin-top:6px}.failure summary{cursor:pointer;color:#545b64}
section.box{margin:0 12px 16px;background:#fff;border:1px solid #d5dbdb;padding:8px;overflow:auto}section.box pre{max-height:220px;overflow:auto;background:#f8f8f8;padding:6px}
#events-table{border-collapse:collapse;width:100%;font-size:12px}#events-table td,#events-table th{border-bottom:1px solid #eaeded;padding:3px 6px;text-align:left;vertical-align:top}
#events-table td.details{font-family:monospace;max-width:600px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}#events-table tr.hidden{display:none}
#graph{overflow:hidden;cursor:grab;height:72vh;flex:1;background:#fff;border:1px solid #d5dbdb}#graph svg{transform-origin:0 0}main{display:flex;gap:8px;padding:8px 12px}#panel{min-width:340px;max-width:480px;background:#fff;border:1px solid #d5dbdb;padding:8px;overflow:auto;max-height:80vh}
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
    var text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    // Paths of the machine that ran it say nothing to a reader and leak its layout.
    var pre = document.createElement('pre'); pre.textContent = text.replace(/(?:file:\\/\\/)?\\/(?:home|Users|work|private|root)\\/[^\\s"'():\\\\]+/g, '<local path>');
    pre.className = 'field-' + label.toLowerCase().replace(/ /g, '-'); panel.appendChild(pre);
  }
  function causeField(cause){
    var h = document.createElement('h4'); h.textContent = 'Cause'; panel.appendChild(h);
    var readable = data.causes[cause] || { message: cause };
    var pre = document.createElement('pre'); pre.className = 'field-cause'; pre.textContent = (readable.errorType ? readable.errorType + ': ' : '') + readable.message; panel.appendChild(pre);
    if (readable.trace) {
      var details = document.createElement('details'); var summary = document.createElement('summary'); summary.textContent = 'Stack trace';
      var trace = document.createElement('pre'); trace.className = 'field-trace'; trace.textContent = readable.trace;
      details.appendChild(summary); details.appendChild(trace); panel.appendChild(details);
    }
  }
  function show(name){
    var state = data.states[name];
    panel.textContent = '';
    var title = document.createElement('h3'); title.id = 'panel-title'; title.textContent = name; panel.appendChild(title);
    var status = document.createElement('div'); status.id = 'panel-outcome'; status.textContent = 'Outcome: ' + (state ? state.outcome : 'not-reached'); panel.appendChild(status);
    if (state && state.note) field('Note', state.note);
    if (name === data.failedState && data.execution.error !== undefined) {
      field('Execution error', data.execution.error);
      if (data.execution.cause !== undefined) causeField(data.execution.cause);
    }
    if (!state || state.visits.length === 0) return;
    state.visits.forEach(function(visit, index){
      if (state.visits.length > 1) { var v = document.createElement('h4'); v.textContent = 'Visit ' + (index + 1) + ' (' + visit.outcome + ')'; panel.appendChild(v); }
      field('Child execution', visit.childExecution);
      field('Error', visit.error);
      if (visit.cause !== undefined) causeField(visit.cause);
      field('Attempts', String(visit.attempts));
      field('Duration', visit.durationMs === undefined ? 'still running' : visit.durationMs + ' ms');
      field('Input', visit.input); field('Output', visit.output);
    });
    if (state.omittedVisits) field('Omitted', state.omittedVisits + ' more visits in other child executions are not shown');
  }
  function select(el){
    document.querySelectorAll('.selected').forEach(function(s){ s.classList.remove('selected'); });
    el.classList.add('selected');
    show(el.getAttribute('data-state'));
  }
  var filter = document.getElementById('events-filter');
  if (filter) filter.addEventListener('input', function(){
    var q = filter.value.toLowerCase();
    document.querySelectorAll('#events-table tbody tr').forEach(function(row){ row.classList.toggle('hidden', q !== '' && row.textContent.toLowerCase().indexOf(q) < 0); });
  });
  var graph = document.getElementById('graph'); var svg = graph.querySelector('svg');
  var view = { x: 0, y: 0, k: 1 };
  function apply(){ svg.style.transform = 'translate(' + view.x + 'px,' + view.y + 'px) scale(' + view.k + ')'; }
  graph.addEventListener('wheel', function(e){ e.preventDefault(); var k = Math.min(3, Math.max(0.2, view.k * (e.deltaY < 0 ? 1.1 : 0.9))); view.x -= (e.offsetX - view.x) * (k / view.k - 1); view.y -= (e.offsetY - view.y) * (k / view.k - 1); view.k = k; apply(); }, { passive: false });
  var drag;
  graph.addEventListener('mousedown', function(e){ drag = { x: e.clientX - view.x, y: e.clientY - view.y }; });
  window.addEventListener('mousemove', function(e){ if (drag) { view.x = e.clientX - drag.x; view.y = e.clientY - drag.y; apply(); } });
  window.addEventListener('mouseup', function(){ drag = undefined; });
  document.querySelectorAll('[data-state]').forEach(function(el){
    el.addEventListener('click', function(event){
      event.stopPropagation();
      select(el);
    });
  });
  // Pans (keeping the zoom) so the state's box sits at the centre of the graph frame.
  function centre(el){
    var box = el.getBoundingClientRect(); var frame = graph.getBoundingClientRect();
    view.x += (frame.left + frame.width / 2) - (box.left + box.width / 2);
    view.y += (frame.top + frame.height / 2) - (box.top + box.height / 2);
    apply();
  }
  var failedLink = document.getElementById('failed-state-link');
  if (failedLink) failedLink.addEventListener('click', function(event){
    event.preventDefault();
    var target = document.getElementById('state-' + encodeURIComponent(data.failedState));
    if (!target) return;
    select(target);
    graph.scrollIntoView({ block: 'nearest' });
    centre(target);
  });
  if (data.failedState) {
    var failed = document.getElementById('state-' + encodeURIComponent(data.failedState));
    if (failed) {
      select(failed);
      // In view: when the failed state lies below the fold, pan the graph up just enough to show it.
      var box = failed.getBoundingClientRect(); var frame = graph.getBoundingClientRect();
      var limit = Math.min(window.innerHeight, frame.bottom) - 40;
      if (box.bottom > limit) { view.y = limit - box.bottom; apply(); }
      var right = frame.right - 20;
      if (box.right > right) { view.x = right - box.right; apply(); }
    }
  }
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
  const d = edge.back && !edge.orthogonal
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
  const causes: Record<string, unknown> = {};
  for (const state of page.states.values()) for (const visit of state.visits) if (visit.cause !== undefined) causes[visit.cause] = readableCause(visit.cause);
  if (execution.cause !== undefined) causes[execution.cause] = readableCause(execution.cause);
  const data = { execution, states: Object.fromEntries(page.states), causes, ...(page.failedState ? { failedState: page.failedState } : {}) };
  const cause = readableCause(execution.cause);
  const failureBox = execution.error !== undefined || cause
    ? `<div class="failure" id="execution-failure"><strong id="execution-error">${escapeHtml(execution.error ?? '')}</strong>${page.failedState ? ` in <a href="#" id="failed-state-link">${escapeHtml(page.failedState)}</a>` : ''}${cause ? `<div id="execution-cause">${escapeHtml(`${cause.errorType ? `${cause.errorType}: ` : ''}${cause.message}`)}</div>${cause.trace ? `<details><summary>Stack trace</summary><pre>${escapeHtml(cause.trace)}</pre></details>` : ''}` : ''}</div>`
    : '';
  const json = (value: unknown) => escapeHtml(typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? ''));
  const ioSection = `<section class="box" id="execution-io"><h3>Execution input and output</h3><h4>Input</h4><pre id="execution-input">${json(execution.input ?? {})}</pre>${execution.output !== undefined ? `<h4>Output</h4><pre id="execution-output">${json(execution.output)}</pre>` : ''}</section>`;
  const redriveSection = page.redrives && page.redrives.count > 0
    ? `<section class="box" id="redrives"><h3>Redrives</h3><p>Redriven ${page.redrives.count} time${page.redrives.count === 1 ? '' : 's'}: ${page.redrives.dates.map(escapeHtml).join(', ')}</p></section>`
    : '';
  const mapRunSection = page.mapRuns && page.mapRuns.length > 0
    ? `<section class="box" id="map-runs"><h3>Map Runs</h3><table><tr><th>State</th><th>Status</th><th>Child executions</th><th>Failed</th><th>Map Run ARN</th></tr>${page.mapRuns.map((run) => `<tr><td>${escapeHtml(run.state)}</td><td>${escapeHtml(run.status)}</td><td>${run.children}</td><td>${run.failedChildren}</td><td>${escapeHtml(run.mapRunArn)}</td></tr>`).join('')}</table></section>`
    : '';
  const eventsSection = page.events
    ? `<section class="box" id="events"><h3>Events (${page.events.length})</h3><input id="events-filter" placeholder="Filter events (type, step, text)" size="40"><table id="events-table"><thead><tr><th>ID</th><th>Type</th><th>Step</th><th>Timestamp</th><th>Details</th></tr></thead><tbody>${page.events.map((row) => `<tr data-type="${escapeHtml(row.type)}"><td>${row.id}</td><td>${escapeHtml(row.type)}</td><td>${escapeHtml(row.step ?? '')}</td><td>${escapeHtml(row.timestamp)}</td><td class="details" title="${escapeHtml(row.details.slice(0, 2000))}">${escapeHtml(row.details.slice(0, 300))}</td></tr>`).join('')}</tbody></table></section>`
    : '';
  const summary = [
    execution.name ? `Execution ${execution.name}` : 'Execution',
    `status ${execution.status}`,
    execution.startDate ? `started ${execution.startDate}` : '',
    execution.error ? `error ${execution.error}` : '',
  ].filter(Boolean).join(' · ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(page.title)}</h1><div id="summary" data-status="${escapeHtml(execution.status)}">${escapeHtml(summary)}</div>${failureBox}
<div class="legend"><span style="background:#d5f5d5">succeeded</span><span style="background:#fdd">failed</span><span style="background:#ffe8c2">caught</span><span style="background:#fff7c2">retried</span><span style="background:#d6ecff">running</span><span style="background:#fff">not reached</span><span style="background:#fff;border-style:dotted;font-style:italic">not recorded</span> red dot and dashed red edge: Catch</div></header>
<main><div id="graph"><svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#687078"/></marker><marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d13212"/></marker></defs>
${layout.edges.map(edgeSvg).join('\n')}
${layout.nodes.map((node) => nodeSvg(node, page.states)).join('\n')}
</svg></div><aside id="panel"><p>Click a state to see its input, output, error, cause, attempts and duration.</p></aside></main>
${ioSection}${redriveSection}${mapRunSection}
<section id="timeline"><h3>Timeline</h3>${timelineSvg(page.states)}</section>
${eventsSection}
<script type="application/json" id="inspector-data">${scriptSafeJson(data)}</script>
<script>${SCRIPT}</script></body></html>
`;
}
