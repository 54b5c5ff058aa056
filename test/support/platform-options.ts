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

export const EKS_OIDC_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';

/** `/predict` on EKS with the IRSA role (shared by the EKS test and the deploy-guide test). */
export const EKS_OPTIONS: DeepPartial<PipelineConfig> = {
  deployTarget: 'eks',
  eks: { clusterName: 'prod-cluster', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', certificateAuthorityData: 'bG9jYWwtY2E=', oidcIssuer: EKS_OIDC_ISSUER },
};
