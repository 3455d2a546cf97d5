// IAM and resource policy JSON, built as plain objects so tests can read them back. Values may be
// cdktf tokens (ARNs of resources in the stack); they resolve inside the JSON string at synth.

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]> | '*';
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/**
 * The policy JSON for a Terraform argument. IAM policy variables ("${aws:userid}") become
 * "$${aws:userid}": Terraform reads any other "${" as its own interpolation and would fail (or
 * substitute); cdktf tokens ("${TfToken[...]}") stay as they are, to resolve at synth.
 */
export function policyDocument(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }).replace(/\$\{(?!TfToken\[)/g, () => '$${');
}

/** Trust policy letting one AWS service assume a role. */
export function assumedBy(service: string): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}

/** Denies any request to a bucket that is not over TLS (S3 accepts plain HTTP otherwise). */
export function tlsOnlyBucketStatement(bucketArn: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
