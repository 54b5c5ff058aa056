/** S3 URIs: one parser shared by the task Lambdas, the CDK app and the local twin. */

export interface S3Location {
  bucket: string;
  key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`Expected an S3 URI like s3://bucket/key, got ${JSON.stringify(uri)}`);
  return { bucket: match[1]!, key: match[2]! };
}

export function s3Uri(bucket: string, key = ''): string {
  return `s3://${bucket}/${key}`;
}
