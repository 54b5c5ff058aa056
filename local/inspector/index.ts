/** The visual execution inspector: public API. */
export { inspectorHtml, type InspectInput } from './inspect-execution.js';
export type { GraphLayout, LayoutNode, LayoutEdge } from './graph-types.js';
export { stateOutcomes, type Outcome, type StateVisitView, type StateOutcomeView } from './state-outcomes.js';
export { addMapRunOutcomes, distributedMaps } from './map-run-outcomes.js';
export { escapeHtml, scriptSafeJson, renderInspectorHtml } from './render-html.js';
export { layoutDefinitionWithElk } from './elk-layout.js';
