import { StatesErrorName } from './error-names.js';
import { StatesError } from './states-error.js';

export class StatesTimeoutError extends StatesError {
  constructor(cause: string) {
    super(StatesErrorName.Timeout, cause);
  }
}

export class StatesHeartbeatTimeoutError extends StatesError {
  constructor(cause: string) {
    super(StatesErrorName.HeartbeatTimeout, cause);
  }
}
