/**
 * Every optional platform feature switched on at once (CI/CD roles, audit trail, private
 * network): one cached synthesis that the option tests and the deploy-guide test share.
 */
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';

export const PLATFORM_REPOSITORY = 'acme/pricesense';

export const PLATFORM_OPTIONS: DeepPartial<PipelineConfig> = {
  cicd: { githubRepository: PLATFORM_REPOSITORY },
  audit: { enabled: true, retentionDays: 400 },
  network: { enabled: true },
};
