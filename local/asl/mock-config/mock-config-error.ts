/** A mock config file that is malformed, or a state machine / test case it does not contain. */
export class MockConfigError extends Error {
  constructor(
    message: string,
    /** Every problem found, each starting with its JSON path; one entry for selection errors. */
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = 'MockConfigError';
  }
}
