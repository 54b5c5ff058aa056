export { resolveDefinition } from './resolve-definition.js';
export { localResourceNames, localArn, namesContext, type LocalNames, type LocalResource, type CloudFormationTemplate } from './local-names.js';
export { resolveIntrinsics, TemplateResolutionError, type IntrinsicContext } from './intrinsics.js';
export { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION, LOCAL_URL_SUFFIX, LOCAL_STACK_NAME } from './local-environment.js';
export { projectConfig, mergeConfig, findCdkJson, ProjectConfigError, CONFIG_CONTEXT_KEY, type ProjectConfig, type ProjectConfigOptions } from './project-config.js';
