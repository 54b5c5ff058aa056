/** How a Task's Resource shows up in the history and which integration pattern it uses. */
export type ResourceKind =
  | { kind: 'lambda-function'; functionArn: string }
  | {
      kind: 'service';
      /** e.g. "lambda", "glue", "aws-sdk:s3". */
      resourceType: string;
      /** e.g. "invoke", "startJobRun.sync", "listObjectsV2". */
      resource: string;
      pattern: 'request-response' | 'sync' | 'waitForTaskToken';
    }
  | { kind: 'activity'; activityArn: string };

/** Classifies a Task Resource ARN; undefined when it is not a Step Functions resource ARN. */
export function classifyResource(resourceArn: string): ResourceKind | undefined {
  if (/^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(resourceArn)) {
    return { kind: 'lambda-function', functionArn: resourceArn };
  }
  if (/^arn:[\w-]+:states:[\w-]+:\d{12}:activity:[\w.-]+$/.test(resourceArn)) {
    return { kind: 'activity', activityArn: resourceArn };
  }
  const integration = /^arn:[\w-]+:states:::(.+)$/.exec(resourceArn);
  if (!integration?.[1]) return undefined;
  const parts = integration[1].split(':');
  const sdk = parts[0] === 'aws-sdk';
  const head = sdk ? 2 : 1;
  if (parts.length <= head || parts.slice(0, head + 1).some((part) => part === '')) return undefined;
  const resourceType = parts.slice(0, head).join(':');
  // `startExecution.sync:2` keeps its version suffix, as in the TaskScheduled event.
  const resource = parts.slice(head).join(':');
  const pattern = resource.endsWith('.sync') || resource.includes('.sync:')
    ? 'sync'
    : resource.endsWith('.waitForTaskToken')
      ? 'waitForTaskToken'
      : 'request-response';
  return { kind: 'service', resourceType, resource, pattern };
}

/** The Region in an ARN, or undefined for Region-less integration ARNs. */
export function regionOf(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}
