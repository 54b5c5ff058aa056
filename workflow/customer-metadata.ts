/**
 * SageMaker `CustomerMetadataProperties` (CreateModelPackage): values must match
 * `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` and be at most 256 characters, keys 1-128 characters of the
 * same set (SageMaker API Reference, CreateModelPackage → CustomerMetadataProperties). A raw S3
 * key may hold any character, so values built from run data are sanitized in the definition:
 * every character outside a conservative ASCII subset of the pattern becomes `_`, then the value
 * is cut to 256 characters. Deterministic, so a redrive registers the same metadata.
 */
export const CUSTOMER_METADATA_VALUE_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
export const CUSTOMER_METADATA_KEY_PATTERN = CUSTOMER_METADATA_VALUE_PATTERN;
export const CUSTOMER_METADATA_VALUE_MAX = 256;
export const CUSTOMER_METADATA_KEY_MAX = 128;
export const CUSTOMER_METADATA_MAX_ENTRIES = 50;

/**
 * JSONata for a metadata value from `expression`. (JSONata regexes have no `u` flag, so Unicode
 * letters outside ASCII are replaced too: stricter than SageMaker, never looser.)
 */
export function customerMetadataValue(expression: string): string {
  return `$substring($replace($string(${expression}), /[^A-Za-z0-9 _.:\\/=+\\-@]/, '_'), 0, ${CUSTOMER_METADATA_VALUE_MAX})`;
}
