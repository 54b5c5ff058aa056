/**
 * SageMaker-style XGBoost training on this machine: the Debian `xgboost` 1.7 command runs as a
 * separate process on headerless label-first CSV, its per-round log becomes SageMaker-style final
 * metrics, and the model is written in the binary format SageMaker's built-in XGBoost 1.7 saves as
 * `xgboost-model` (or JSON when `modelOut` ends in `.json`).
 *
 * Early stopping: the 1.7 command has no `early_stopping_rounds`. Training then asks the command
 * for a checkpoint after every round (`save_period = 1`), watches the last validation metric of
 * each round as XGBoost's EarlyStopping callback does (best = first round with the best value;
 * stop once `early_stopping_rounds` rounds pass without improvement), kills the run at that point
 * and delivers the best round's checkpoint: the best-round model, without training twice.
 * Checkpoints before the best round are deleted as training goes. The reported metrics are those
 * of the delivered model's last round.
 */

import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { isMaximizedMetric, translateHyperparameters, type XgboostTrainingSettings } from './hyperparameters.js';
import { metricsAt, parseRoundLine, type RoundMetrics } from './training-log.js';
import { assertUsableDataPath, runXgboostCommand } from './xgboost-command.js';

export interface TrainXgboostOptions {
  /** Headerless label-first CSV file, or a directory of such CSV parts (concatenated in name order). */
  trainCsv: string;
  validationCsv?: string;
  /** SageMaker built-in XGBoost hyperparameters, as strings. */
  hyperparameters: Record<string, string>;
  /** Scratch directory for the config, joined data and the log (created if missing). */
  workDir: string;
  /** Where the model goes, e.g. `<dir>/xgboost-model`. */
  modelOut: string;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Also evaluate every round on the training data (`train:*` metrics). It costs a pass over the
   * training set per round (about a tenth of training time) and decides nothing: early stopping
   * watches validation. @default false with a validation channel, true without one (so some metric is reported)
   */
  evalTrain?: boolean;
}

export interface TrainXgboostResult {
  /** Boosting rounds in the delivered model. */
  rounds: number;
  /** SageMaker-style final metrics: `train:mlogloss`, `validation:mlogloss`, `validation:merror` ... */
  metrics: Array<{ name: string; value: number }>;
  logPath: string;
  /** Set when early stopping cut training short: the 0-based best round the model ends at. */
  bestRound?: number;
}

export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

/** One CSV path the command can read: the file itself, or the directory's parts joined in workDir. */
async function materializeChannel(input: string, channel: string, workDir: string): Promise<string> {
  const path = resolve(input);
  const info = await stat(path).catch(() => {
    throw new TrainingDataError(`${channel} data ${JSON.stringify(input)} does not exist: expected a CSV file or a directory of CSV files`);
  });
  let parts: string[];
  if (info.isDirectory()) {
    const names = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
      .map((entry) => entry.name)
      .sort();
    if (names.length === 0) throw new TrainingDataError(`${channel} directory ${JSON.stringify(input)} holds no data files: expected CSV parts`);
    parts = names.map((name) => join(path, name));
  } else {
    parts = [path];
  }
  await assertLabelFirstCsv(parts[0]!, channel);
  if (parts.length === 1 && !/[?#=\s]/.test(parts[0]!)) return parts[0]!;
  const joined = join(workDir, `${channel}.csv`);
  const out = createWriteStream(joined);
  for (const part of parts) {
    await pipeline(createReadStream(part), out, { end: false });
    if (!(await endsWithNewline(part))) out.write('\n');
  }
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
  return joined;
}

async function endsWithNewline(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/** A header row would be read as a row of missing values and silently poison training. */
async function assertLabelFirstCsv(path: string, channel: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    const label = firstLine.split(',')[0]?.trim() ?? '';
    if (bytesRead > 0 && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(label)) {
      throw new TrainingDataError(
        `${channel} data ${path}: first field of line 1 is ${JSON.stringify(label)}, expected a numeric label (SageMaker XGBoost CSV has the label first and no header)`,
      );
    }
  } finally {
    await handle.close();
  }
}

function configText(
  settings: XgboostTrainingSettings,
  data: { train: string; validation?: string },
  output: { modelOut: string } | { checkpointDir: string },
  evalTrain: boolean,
): string {
  const lines = ['# generated by pricesense: SageMaker hyperparameters translated for the xgboost 1.7 command'];
  for (const [key, value] of settings.settings) lines.push(`${key} = ${value}`);
  for (const metric of settings.evalMetrics) lines.push(`eval_metric = ${metric}`);
  lines.push(`num_round = ${settings.numRound}`);
  lines.push(`data = "${data.train}?format=csv&label_column=0"`);
  if (data.validation) lines.push(`eval[validation] = "${data.validation}?format=csv&label_column=0"`);
  if (evalTrain) lines.push('eval_train = 1');
  if ('modelOut' in output) lines.push(`model_out = "${output.modelOut}"`);
  else lines.push('save_period = 1', `model_dir = "${output.checkpointDir}"`);
  return `${lines.join('\n')}\n`;
}

/** Tracks the watched validation metric round by round, as XGBoost's EarlyStopping callback does. */
class EarlyStoppingWatch {
  best: RoundMetrics | undefined;
  private bestValue = NaN;
  private metric: string | undefined;

  constructor(private readonly patience: number) {}

  /** Returns true when training should stop after this round. */
  observe(round: RoundMetrics): boolean {
    this.metric ??= [...round.values.keys()].filter((key) => key.startsWith('validation:')).pop();
    if (!this.metric) return false;
    const value = round.values.get(this.metric) ?? NaN;
    const maximize = isMaximizedMetric(this.metric.slice('validation:'.length));
    const improved = this.best === undefined || (maximize ? value > this.bestValue : value < this.bestValue);
    if (improved) {
      this.best = round;
      this.bestValue = value;
    }
    return round.round - (this.best?.round ?? 0) >= this.patience;
  }

  describe(): string {
    return `${this.metric} did not improve for ${this.patience} rounds after round ${this.best?.round} (${this.bestValue})`;
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

/** The file the command writes after 0-based round `round` when `save_period = 1`. */
function checkpointPath(dir: string, round: number): string {
  return join(dir, `${String(round + 1).padStart(4, '0')}.model`);
}

export async function trainXgboost(options: TrainXgboostOptions): Promise<TrainXgboostResult> {
  const settings = translateHyperparameters(options.hyperparameters);
  const workDir = resolve(options.workDir);
  const modelOut = resolve(options.modelOut);
  assertUsableDataPath(modelOut, 'model output');
  await mkdir(workDir, { recursive: true });
  const train = await materializeChannel(options.trainCsv, 'train', workDir);
  const validation = options.validationCsv ? await materializeChannel(options.validationCsv, 'validation', workDir) : undefined;
  if (settings.earlyStoppingRounds !== undefined && !validation) {
    throw new TrainingDataError('early_stopping_rounds needs a validation channel: pass validationCsv or drop early_stopping_rounds');
  }
  if (settings.earlyStoppingRounds !== undefined && modelOut.endsWith('.json')) {
    throw new TrainingDataError(`modelOut ${modelOut} ends in .json, but early stopping delivers a binary checkpoint: name it xgboost-model`);
  }

  const logPath = join(workDir, 'xgboost-train.log');
  const log = createWriteStream(logPath, { flags: 'w' });
  const note = (line: string): void => {
    log.write(`${line}\n`);
    options.onLog?.(line);
  };

  const watch = settings.earlyStoppingRounds !== undefined ? new EarlyStoppingWatch(settings.earlyStoppingRounds) : undefined;
  const checkpointDir = join(workDir, 'checkpoints');
  const configFile = join(workDir, 'train.conf');
  const data = { train, ...(validation ? { validation } : {}) };
  await writeFile(configFile, configText(settings, data, watch ? { checkpointDir } : { modelOut }, options.evalTrain ?? !validation));
  if (watch) {
    await rm(checkpointDir, { recursive: true, force: true });
    await mkdir(checkpointDir, { recursive: true });
  }

  const rounds: RoundMetrics[] = [];
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let pruned = 0;
  try {
    try {
      await runXgboostCommand({
        configFile,
        cwd: workDir,
        signal,
        onLine: (line) => {
          // Rounds the command finishes between the stop decision and its exit are not training:
          // without eval_train a round can be quicker than the kill, so they are dropped.
          if (stop.signal.aborted) return;
          note(line);
          const round = parseRoundLine(line);
          if (!round) return;
          rounds.push(round);
          if (!watch) return;
          if (watch.observe(round) && !stop.signal.aborted) stop.abort(new Error('early stop'));
          // checkpoints of rounds before the best can never be delivered; rounds < this one are on disk
          for (; pruned < (watch.best?.round ?? 0); pruned++) void unlink(checkpointPath(checkpointDir, pruned)).catch(() => undefined);
        },
      });
    } catch (error) {
      if (!(stop.signal.aborted && !options.signal?.aborted)) throw error;
    }
    if (!watch) {
      return { rounds: settings.numRound, metrics: metricsAt(rounds[rounds.length - 1]), logPath };
    }
    const stopped = stop.signal.aborted;
    const delivered = stopped ? watch.best : rounds[rounds.length - 1];
    if (!delivered) throw new Error(`the xgboost command printed no evaluation rounds (see ${logPath})`);
    if (stopped) note(`pricesense: early stopping: ${watch.describe()}; delivering the checkpoint of round ${delivered.round}`);
    await moveFile(checkpointPath(checkpointDir, delivered.round), modelOut);
    return {
      rounds: delivered.round + 1,
      metrics: metricsAt(delivered),
      logPath,
      ...(stopped ? { bestRound: delivered.round } : {}),
    };
  } finally {
    if (watch) await rm(checkpointDir, { recursive: true, force: true });
    await new Promise<void>((done) => log.end(done));
  }
}
