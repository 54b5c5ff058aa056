/** The local mode trains with Debian's XGBoost 1.7 CLI; say exactly how to get it when it is missing. */
import { spawnSync } from 'node:child_process';

export class MissingDependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingDependencyError';
  }
}

export function assertXgboostInstalled(): void {
  const probe = spawnSync('xgboost', ['-h'], { encoding: 'utf8' });
  if (probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new MissingDependencyError(
      'The local pipeline trains with XGBoost 1.7 (the version SageMaker\'s built-in algorithm runs), ' +
        'but the `xgboost` command is not on PATH. Install it with:\n\n' +
        '  sudo apt-get update && sudo apt-get install -y xgboost\n\n' +
        '(Debian/Ubuntu package `xgboost`; .ci/run installs it the same way.)',
    );
  }
}
