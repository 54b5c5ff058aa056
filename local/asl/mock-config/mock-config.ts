import type { InvocationRange } from './invocation-range.js';

/** What a mocked Task does on one invocation: return a result, or fail with an error and cause. */
export type MockedOutcome = { kind: 'return'; value: unknown } | { kind: 'throw'; error: string; cause?: string };

/** One MockedResponses entry: outcomes by invocation range, sorted, never overlapping. */
export interface MockedResponse {
  name: string;
  entries: { range: InvocationRange; outcome: MockedOutcome }[];
}

/** A validated Step Functions Local MockConfigFile. */
export interface MockConfig {
  /** state machine name → test case name → Task state name → mocked response name */
  stateMachines: Record<string, Record<string, Record<string, string>>>;
  mockedResponses: Record<string, MockedResponse>;
}
