/**
 * The fixed account, Region and partition every local resource lives in. Local ARNs use them
 * so that names printed by `pricesense run` look exactly like the AWS ones.
 */
export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_URL_SUFFIX = 'amazonaws.com';
/** Stack name used for `AWS::StackName` when the caller does not pass one. */
export const LOCAL_STACK_NAME = 'pricesense-local';
