/** What `generateDataset` writes beside the data file (`<file>.manifest.json`). */
import type { Label } from '../../workflow/dataset-schema.js';

export interface GeneratorParameters {
  rows: number;
  seed: number;
  weeks: number;
  labelNoise: number;
  stores: number;
  customers: number;
  /** Share of baskets paid with a loyalty card (the rest have no CUST_CODE). */
  cardBasketShare: number;
  unclassifiedLabelShare: number;
  duplicateRowShare: number;
}

export interface Manifest {
  format: 'pricesense-generator-manifest/1';
  /** Path of the data file as given in `out`. */
  file: string;
  compressed: boolean;
  seed: number;
  parameters: GeneratorParameters;
  rows: number;
  baskets: number;
  labelledBaskets: number;
  unclassifiedBaskets: number;
  rowsWithoutCustomer: number;
  /** Extra copies of rows planted as exact duplicates (silver removes them). */
  duplicateRows: number;
  firstShopWeek: number;
  lastShopWeek: number;
  labelCounts: Record<Label | 'XX', number>;
  /** Shares of all baskets, XX included. */
  labelShares: Record<Label | 'XX', number>;
  /** Mean over labelled baskets of max_k p'_k: the accuracy ceiling of any model. */
  bayesOptimalAccuracy: number;
}

export function manifestPathFor(dataPath: string): string {
  return `${dataPath}.manifest.json`;
}
