/**
 * Option parsing shared by every command: `node:util` parseArgs, with its errors turned into
 * UsageError (exit 2, usage printed) and the few option checks several commands share.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DeployTarget } from '../../workflow/config.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<const T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Commands that take no positional arguments say so instead of ignoring them. */
export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
}

/** The single positional argument a command needs (`what` names it in the error). */
export function onePositional(positionals: string[], what: string): string {
  const [value, ...extra] = positionals;
  if (value === undefined || extra.length > 0) throw new UsageError(`expected exactly one ${what}, got ${positionals.length}`);
  return value;
}

export function deployTargetOption(value: string | undefined): DeployTarget | undefined {
  if (value === undefined) return undefined;
  const targets = Object.values(DeployTarget) as string[];
  if (!targets.includes(value)) throw new UsageError(`--deploy-target must be one of ${targets.join(', ')}, got ${JSON.stringify(value)}`);
  return value as DeployTarget;
}
