/**
 * The interpreter against executions recorded on real AWS Step Functions
 * (`../shared/conformance/aws-recorded-asl.json`, outside the project: the corpus is never copied
 * in). With the corpus present every case must match AWS, exact causes included. Without it this
 * file does not pretend: its one test states that the corpus is absent and that nothing was
 * compared, and it shows up in the report under that name.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus, runCorpus } from '../../local/asl/conformance/run-corpus.js';

const corpusPath = resolve(process.env.PRICESENSE_CONFORMANCE_CORPUS ?? resolve(import.meta.dirname, '../../../shared/conformance/aws-recorded-asl.json'));
const present = existsSync(corpusPath);

describe('AWS-recorded Step Functions executions', () => {
  if (!present) {
    it(`NOT RUN: no corpus at ${corpusPath}, so no AWS-recorded case was compared`, () => {
      expect(existsSync(corpusPath)).toBe(false);
    });
    return;
  }

  it(`every case of ${corpusPath} matches AWS`, { timeout: 300_000 }, async () => {
    const report = await runCorpus(readCorpus(corpusPath));
    const mismatches = report.mismatches.map((mismatch) => `${mismatch.id} [${mismatch.category}]: ${mismatch.problem}`);
    expect(mismatches).toEqual([]);
    expect(report.total).toBeGreaterThan(0);
    expect(report.matched).toBe(report.total);
  });
});
