import { describe, expect, it } from 'vitest';
import { featureStoreEventTime } from '../../../../tasks/core/ingest-features/feature-records.js';

describe('featureStoreEventTime', () => {
  it.each([
    ['2026-01-31 12:30:00', '2026-01-31T12:30:00Z'],
    ['2026-01-31T12:30:00.123Z', '2026-01-31T12:30:00Z'],
    ['2026-01-31', '2026-01-31T00:00:00Z'],
    ['2026-01-31T12:30:00+01:00', '2026-01-31T11:30:00Z'],
    ['1769862600', '1769862600'],
  ])('%s → %s', (input, expected) => {
    expect(featureStoreEventTime(input)).toBe(expected);
  });

  it('returns null for text that is not a time', () => {
    expect(featureStoreEventTime('last tuesday')).toBeNull();
  });
});
