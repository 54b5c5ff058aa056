/**
 * The `pricesense` command line. Each subcommand lives in `commands/<name>.ts` and exports
 * `summary` (one line for the help) and `run(argv): Promise<number>` (the exit code).
 */
import './quiet-warnings.js';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, UsageError } from './usage-error.js';
import { handleClosedPipes } from './output.js';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<Command | undefined> {
  const file = join(commandsDir, `${name}.ts`);
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as Command;
}

async function helpText(): Promise<string> {
  const lines = ['usage: pricesense <command> [options]', '', 'commands:'];
  for (const name of commandNames()) {
    const command = await loadCommand(name);
    if (command) lines.push(`  ${name.padEnd(11)} ${command.summary}`);
  }
  lines.push('', 'Run `pricesense <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  handleClosedPipes();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(await helpText());
    return name === undefined ? ExitCode.Usage : ExitCode.Succeeded;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`pricesense: unknown command ${JSON.stringify(name)}. Known commands: ${commandNames().join(', ')}`);
    return ExitCode.Usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return ExitCode.Succeeded;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`pricesense ${name}: ${error.message}\n\n${command.usage}`);
      return ExitCode.Usage;
    }
    // Errors a user can act on carry their explanation in the message; the stack helps only when
    // debugging pricesense itself.
    const failure = error instanceof Error ? error : new Error(String(error));
    console.error(`pricesense ${name}: ${failure.message}`);
    if (process.env.PRICESENSE_DEBUG) console.error(failure.stack);
    return ExitCode.Failed;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
