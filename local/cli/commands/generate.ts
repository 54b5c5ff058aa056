/** `pricesense generate`: writes a synthetic raw file in the dunnhumby schema and its manifest. */
import {
  DEFAULT_LABEL_NOISE,
  DEFAULT_WEEKS,
  generateDataset,
  GeneratorOptionsError,
} from '../../generator/generate-dataset.js';
import { manifestPathFor } from '../../generator/manifest.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'write a synthetic raw CSV (dunnhumby schema, planted signal) and its manifest';

export const usage = `usage: pricesense generate --rows N --seed S --out FILE [--weeks W] [--label-noise P] [--json]

  --rows N          rows to write (whole number >= 1)
  --seed S          PRNG seed (0..4294967295); the same seed gives the same bytes
  --out FILE        output file, .csv or .csv.gz (gzip by extension)
  --weeks W         consecutive fiscal weeks covered (default ${DEFAULT_WEEKS})
  --label-noise P   share of uniform noise mixed into the true class probabilities,
                    0..1 (default ${DEFAULT_LABEL_NOISE}; 0.95 leaves nothing learnable)
  --json            print the manifest as JSON instead of a summary

Writes FILE and FILE.manifest.json (seed, parameters, label shares, counts and the
Bayes-optimal accuracy: the ceiling any model can reach on this data).`;

function parseWholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function parseFraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw new UsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
        rows: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        weeks: { type: 'string' },
        'label-noise': { type: 'string' },
        json: { type: 'boolean', default: false },
      });
  noPositionals(positionals);
  const rows = parseWholeNumber('rows', values.rows);
  const seed = parseWholeNumber('seed', values.seed);
  if (rows === undefined) throw new UsageError('--rows is required (how many rows to write)');
  if (seed === undefined) throw new UsageError('--seed is required (same seed, same data)');
  if (values.out === undefined) throw new UsageError('--out is required (a .csv or .csv.gz path)');

  const started = performance.now();
  let manifest;
  try {
    manifest = await generateDataset({
      rows,
      seed,
      out: values.out,
      weeks: parseWholeNumber('weeks', values.weeks),
      labelNoise: parseFraction('label-noise', values['label-noise']),
    });
  } catch (error) {
    if (error instanceof GeneratorOptionsError) throw new UsageError(error.message);
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    console.log(JSON.stringify(manifest));
  } else {
    const shares = Object.entries(manifest.labelShares)
      .map(([label, share]) => `${label} ${(share * 100).toFixed(1)}%`)
      .join(', ');
    console.log(
      [
        `wrote ${manifest.rows.toLocaleString('en')} rows, ${manifest.baskets.toLocaleString('en')} baskets to ${values.out} in ${seconds.toFixed(1)} s`,
        `weeks ${manifest.firstShopWeek}-${manifest.lastShopWeek}, label noise ${manifest.parameters.labelNoise}`,
        `labels: ${shares}`,
        `Bayes-optimal accuracy: ${manifest.bayesOptimalAccuracy.toFixed(4)}`,
        `manifest: ${manifestPathFor(values.out)}`,
      ].join('\n'),
    );
  }
  return ExitCode.Succeeded;
}
