import { describe, expect, it } from 'vitest';
import { parseLabels, parsePredictions } from '../../../../tasks/core/evaluate-model/evaluation-inputs.js';

describe('parsePredictions (batch-transform output)', () => {
  it('takes the most probable class of each line, in CSV or JSON-array form, the first on a tie', () => {
    expect(parsePredictions('0.1,0.2,0.7\n[0.5, 0.25, 0.25]\n 0.3 , 0.3 ,0.3\n\n', 's3://b/p.out')).toEqual([2, 0, 0]);
  });

  it('names the line of anything that is not three finite probabilities, a blank part included', () => {
    for (const line of ['0.1,,0.9', ' ,0.5,0.5', '0.5,0.5', '0.1,0.2,0.3,0.4', '0.1,abc,0.9', '0.1,Infinity,0.2']) {
      expect(() => parsePredictions(`0.1,0.2,0.7\n${line}\n`, 's3://b/p.out'), line).toThrow(`s3://b/p.out line 2: ${JSON.stringify(line.trim())} is not 3 class probabilities`);
    }
  });
});

describe('parseLabels', () => {
  it('reads class indices and rejects anything else, naming the line', () => {
    expect(parseLabels('0\n2\n1\n', 's3://b/l.csv')).toEqual([0, 2, 1]);
    expect(() => parseLabels('0\n3\n', 's3://b/l.csv')).toThrow('s3://b/l.csv line 2: label "3" is not a class index');
  });
});
