export { validateDefinition } from './validate-definition.js';
export { UNSUPPORTED, type UnsupportedFeature } from './rules/unsupported-features.js';
