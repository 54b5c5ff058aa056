/**
 * The `pricesense` command line. Each subcommand lives in `commands/<name>.ts` and exports
 * `summary` (one line for the help) and `run(argv): Promise<number>` (the exit code).
 */
import './quiet-warnings.js';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, UsageError } from './usage-error.js';
import { handleClosedPipes } from './output.js';
import { commandFile, commandNames } from './command-files.js';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Imports one command's module: its source by default, or its bundled copy (local/cli/launch.ts). */
export type CommandImporter = (name: string, file: string) => Promise<unknown>;

const importSource: CommandImporter = (_name, file) => import(pathToFileURL(file).href);

async function loadCommand(name: string, importCommand: CommandImporter): Promise<Command | undefined> {
  const file = commandFile(name);
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(file)) return undefined;
  return (await importCommand(name, file)) as Command;
}

async function helpText(importCommand: CommandImporter): Promise<string> {
  const lines = ['usage: pricesense <command> [options]', '', 'commands:'];
  // Imported together: one after the other, each command's imports waited on the previous one's.
  const names = commandNames();
  const commands = await Promise.all(names.map((name) => loadCommand(name, importCommand)));
  names.forEach((name, index) => {
    const command = commands[index];
    if (command) lines.push(`  ${name.padEnd(11)} ${command.summary}`);
  });
  lines.push('', 'Run `pricesense <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[], importCommand: CommandImporter = importSource): Promise<number> {
  handleClosedPipes();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(await helpText(importCommand));
    return name === undefined ? ExitCode.Usage : ExitCode.Succeeded;
  }
  const command = await loadCommand(name, importCommand);
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
