/**
 * Throughput of evaluateIntrinsic on expressions typical of payload templates (parsed once, then
 * cached). Run: npx tsx test/bench/asl-intrinsics.ts
 */
import { evaluateIntrinsic } from '../../local/asl/intrinsics/index.js';

const input: Record<string, unknown> = { id: 'run-42', items: [1, 2, 3, 4, 5, 6, 7, 8, 9], a: { x: 1 }, b: { y: 2 } };
const resolve = (path: string): unknown => (path === '$' ? input : input[path.slice(2)]);

const expressions = [
  "States.Format('pricesense-{}-train', $.id)",
  'States.ArrayLength($.items)',
  'States.JsonMerge($.a, $.b, false)',
  "States.Hash(States.Format('{}', $.id), 'SHA-256')",
  'States.ArrayPartition($.items, 4)',
];

for (const expression of expressions) {
  const iterations = 50_000;
  evaluateIntrinsic(expression, resolve);
  const started = performance.now();
  for (let run = 0; run < iterations; run += 1) evaluateIntrinsic(expression, resolve);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${(iterations / seconds).toFixed(0).padStart(9)} evaluations/s  ${expression}`);
}
