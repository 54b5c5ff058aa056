export { loadMockConfig } from './load-mock-config.js';
export { mockTaskRegistry, type MockRegistryOptions } from './mock-task-registry.js';
export type { MockConfig, MockedOutcome, MockedResponse } from './mock-config.js';
export { MockConfigError } from './mock-config-error.js';
