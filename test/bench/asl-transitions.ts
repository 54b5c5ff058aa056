/**
 * State transitions per second of the local ASL engine, and the cost of a 1,000-iteration inline
 * Map. Run: npx tsx test/bench/asl-transitions.ts   (goal: >= 20,000 transitions/s)
 */
import { runExecution, taskRegistryFrom, VirtualClock } from '../../local/asl/index.js';
import { validateDefinition } from '../../local/asl/validate/index.js';

const PASS_STATES = 200;
const ROUNDS = 25;

function passChain(count: number): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < count; i++) {
    states[`Step${i}`] = {
      Type: 'Pass',
      Parameters: { 'n.$': '$.n', 'label.$': '$$.State.Name' },
      ResultPath: '$',
      ...(i + 1 < count ? { Next: `Step${i + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'Step0', States: states };
}

const mapDefinition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 40,
      ItemProcessor: {
        StartAt: 'Double',
        States: {
          Double: { Type: 'Pass', Parameters: { 'value.$': '$.v' }, Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      },
      End: true,
    },
  },
};

async function main(): Promise<void> {
  const tasks = taskRegistryFrom({});
  const chain = passChain(PASS_STATES);

  const validateStart = performance.now();
  validateDefinition(chain);
  const validateMs = performance.now() - validateStart;

  // Warm up JIT and caches.
  await runExecution({ definition: chain, input: { n: 1 }, tasks, clock: new VirtualClock() });

  let transitions = 0;
  const start = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const result = await runExecution({ definition: chain, input: { n: round }, tasks, clock: new VirtualClock() });
    if (result.status !== 'SUCCEEDED') throw new Error(`pass chain ${result.status}: ${result.cause}`);
    transitions += result.path.length;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`pass chain: ${transitions} transitions in ${seconds.toFixed(3)} s = ${Math.round(transitions / seconds)} transitions/s (definition validated once, then cached)`);
  console.log(`validateDefinition of a ${PASS_STATES}-state machine: ${validateMs.toFixed(1)} ms (first call)`);

  const items = Array.from({ length: 1000 }, (_, v) => ({ v }));
  await runExecution({ definition: mapDefinition, input: { items: items.slice(0, 10) }, tasks, clock: new VirtualClock() });
  const mapStart = performance.now();
  const mapResult = await runExecution({ definition: mapDefinition, input: { items }, tasks, clock: new VirtualClock() });
  const mapMs = performance.now() - mapStart;
  if (mapResult.status !== 'SUCCEEDED') throw new Error(`map ${mapResult.status}: ${mapResult.cause}`);
  console.log(
    `inline Map of 1,000 iterations: ${mapMs.toFixed(1)} ms, ${mapResult.path.length} states entered, ${mapResult.history.length} history events (${Math.round(mapResult.path.length / (mapMs / 1000))} transitions/s)`,
  );
}

await main();
