#!/usr/bin/env node
// Entry point of the `pricesense` command: loads the TypeScript CLI through tsx so the
// sources run as they are, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
