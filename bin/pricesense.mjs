#!/usr/bin/env node
// Entry point of the `pricesense` command: loads the TypeScript CLI through tsx so the
// sources run as they are, with no build step. local/cli/launch.ts runs the CLI's own modules
// from a bundle it keeps in step with the sources (start-up: one file instead of hundreds).
import { register } from 'tsx/esm/api';

register();
// TypeScript sources now import at run time, which the task Lambdas' bundle relies on (local/aws/task-bundle.ts).
process.env.PRICESENSE_TASK_BUNDLE = '1';
const { launch } = await import('../local/cli/launch.ts');
process.exitCode = await launch(process.argv.slice(2));
