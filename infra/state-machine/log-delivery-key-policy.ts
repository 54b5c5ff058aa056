/**
 * CDK's StateMachine adds `kms:Decrypt*` for `delivery.logs.amazonaws.com` to the key policy with no
 * condition: any account's log delivery could then use the key (confused deputy). The Step
 * Functions guide (encryption at rest, logging with a customer managed key) conditions it on
 * `aws:SourceAccount` and an `aws:SourceArn` in this account's logs. Fails loudly if CDK stops
 * adding the statement, so the condition can never silently go missing.
 */
import type { aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';

export function restrictLogDeliveryToAccount(key: kms.Key, account: string, logsArnPattern: string): void {
  const document = (key as unknown as { policy?: iam.PolicyDocument }).policy;
  const statements = ((document as unknown as { statements?: iam.PolicyStatement[] })?.statements ?? []).filter((statement) =>
    statement.principals.some((principal) => JSON.stringify(principal.policyFragment.principalJson).includes('delivery.logs.amazonaws.com')),
  );
  if (statements.length === 0) throw new Error('The data key has no delivery.logs.amazonaws.com statement to restrict: did aws-cdk-lib change how StateMachine grants log delivery?');
  for (const statement of statements) {
    statement.addCondition('StringEquals', { 'aws:SourceAccount': account });
    statement.addCondition('ArnLike', { 'aws:SourceArn': logsArnPattern });
  }
}
