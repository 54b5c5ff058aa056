import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // GitHub's workflow parser imports its JSON schema without an import attribute, which Node rejects: let Vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // Every test file and child process that opens the local pipeline shares one synthesis per config.
    env: { PRICESENSE_SYNTH_CACHE: resolve(import.meta.dirname, 'cdk.out', 'synth-cache') },
  },
});
