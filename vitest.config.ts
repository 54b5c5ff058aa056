import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core machine, but many tests spend their time
    // waiting on child processes (pipeline runs, xgboost, kills and redrives): two workers took the
    // suite from 557 s to 312 s there, all tests passing (measured back to back, load 1-5).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // GitHub's workflow parser imports its JSON schema without an import attribute, which Node rejects: let Vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // Every test file and child process that opens the local pipeline shares one synthesis per config.
    // The definitions tests validate go to a verdict cache of their own, not the one commands use.
    env: {
      PRICESENSE_SYNTH_CACHE: resolve(import.meta.dirname, 'cdk.out', 'synth-cache'),
      PRICESENSE_ASL_SCHEMA_CACHE: resolve(import.meta.dirname, 'cdk.out', 'asl-schema-accepted.json'),
    },
  },
});
