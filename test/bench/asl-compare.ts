/**
 * The interpreter's speed in two checkouts, side by side in one session (the machine is shared:
 * only interleaved runs compare fairly). 300 runs of a 200-state Pass chain, then ten 1,000-item
 * inline Maps, per checkout.
 *
 *   git worktree add /tmp/base <commit>; ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   for i in 1 2 3 4 5; do npx tsx test/bench/asl-compare.ts /tmp/base; npx tsx test/bench/asl-compare.ts .; done
 */
import { resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const { runExecution, taskRegistryFrom, VirtualClock } = await import(`${root}/local/asl/index.ts`);

const chain: { StartAt: string; States: Record<string, object> } = { StartAt: 'S0', States: {} };
for (let i = 0; i < 200; i++) chain.States[`S${i}`] = i === 199 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
const map = {
  StartAt: 'M',
  States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } } }, End: true } },
};
const tasks = taskRegistryFrom({});
const once = (definition: object, input: unknown) => runExecution({ definition, input, tasks, clock: new VirtualClock() });

for (let i = 0; i < 20; i++) await once(chain, { n: i }); // warm-up
let started = performance.now();
let transitions = 0;
for (let round = 0; round < 300; round++) transitions += (await once(chain, { n: round })).path.length;
const chainRate = transitions / ((performance.now() - started) / 1000);

const items = Array.from({ length: 1000 }, (_, v) => ({ v }));
await once(map, { items });
started = performance.now();
for (let round = 0; round < 10; round++) await once(map, { items });
const mapMs = (performance.now() - started) / 10;

console.log(`${root}: Pass chain ${Math.round(chainRate)} transitions/s; 1,000-item inline Map ${mapMs.toFixed(1)} ms`);
