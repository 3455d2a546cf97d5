// WordPress's own database user, so no app instance ever holds the master credentials. Terraform
// generates its password at deploy (ephemeral resource) and writes it through a write-only argument
// to a SecureString parameter: never in the synth or the state. A one-shot instance, the only thing
// allowed to read the RDS-managed master secret, creates the user with just WordPress's grants,
// TLS required, and terminates itself. It runs on every apply (Terraform recreates it once it is
// gone): idempotent, and a bump of `passwordVersion` rotates the password (app instances pick the new
// one up within 5 minutes; connections fail in between, so rotate between rehearsals).
import { Construct } from 'constructs';
import { Fn, TerraformLocal, TerraformStack } from 'cdktf';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Instance } from '@cdktf/provider-aws/lib/instance/index.js';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter/index.js';
import type { ITerraformDependable } from 'cdktf';
import { al2023Parameter } from '../config/stack-config.ts';
import { assumedBy, policyDocument } from './policy.ts';

/** What WordPress and WooCommerce need on their own schema: data, and schema changes for installs and upgrades. */
export const WORDPRESS_GRANTS = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'ALTER',
  'INDEX',
  'DROP',
  'REFERENCES',
  'CREATE TEMPORARY TABLES',
  'LOCK TABLES',
];
const PASSWORD_EPHEMERAL = 'wp_db_password';

export interface DatabaseUserProps {
  name: string;
  region: string;
  username: string;
  databaseName: string;
  clusterEndpoint: string;
  masterSecretArn: string;
  kmsKeyArn: string;
  partition: string;
  subnetId: string;
  /** The app SG: it already reaches Aurora on 3306 and HTTPS out via NAT. */
  securityGroupId: string;
  tags: Record<string, string>;
  passwordVersion: number;
  dependsOn: ITerraformDependable[];
}

export class DatabaseUser extends Construct {
  readonly password: SsmParameter;
  readonly bootstrap: Instance;
  readonly bootstrapRole: IamRole;

  constructor(scope: Construct, id: string, props: DatabaseUserProps) {
    super(scope, id);
    TerraformStack.of(this).addOverride(`ephemeral.aws_secretsmanager_random_password.${PASSWORD_EPHEMERAL}`, {
      password_length: 40,
      exclude_punctuation: true,
      include_space: false,
    });
    this.password = new SsmParameter(this, 'password', {
      name: `/rehearse/${props.name}/wordpress-db-password`,
      description: `Password of the WordPress database user ${props.username}, written at deploy`,
      type: 'SecureString',
      keyId: props.kmsKeyArn,
      valueWo: `\${ephemeral.aws_secretsmanager_random_password.${PASSWORD_EPHEMERAL}.random_password}`,
      valueWoVersion: props.passwordVersion,
    });

    this.bootstrapRole = new IamRole(this, 'role', {
      namePrefix: `${props.name}-dbuser-`,
      assumeRolePolicy: assumedBy('ec2.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'ssm', {
      role: this.bootstrapRole.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    new IamRolePolicy(this, 'policy', {
      role: this.bootstrapRole.id,
      policy: policyDocument([
        {
          Sid: 'ReadMaster',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: props.masterSecretArn,
        },
        { Sid: 'ReadAppPassword', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: this.password.arn },
        { Sid: 'UseStackKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: props.kmsKeyArn },
      ]),
    });
    const profile = new IamInstanceProfile(this, 'profile', {
      namePrefix: `${props.name}-dbuser-`,
      role: this.bootstrapRole.name,
    });
    const ami = new DataAwsSsmParameter(this, 'ami', { name: al2023Parameter('arm64') });
    const userData = databaseUserScript({
      region: props.region,
      host: props.clusterEndpoint,
      database: props.databaseName,
      username: props.username,
      masterSecretArn: props.masterSecretArn,
      passwordParameter: `/rehearse/${props.name}/wordpress-db-password`,
    });
    this.bootstrap = new Instance(this, 'bootstrap', {
      ami: ami.insecureValue,
      instanceType: 't4g.micro',
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [props.securityGroupId],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      // It powers itself off when done; terminate, not stop.
      instanceInitiatedShutdownBehavior: 'terminate',
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      monitoring: true,
      ebsOptimized: true,
      rootBlockDevice: { encrypted: true, volumeType: 'gp3', volumeSize: 8, deleteOnTermination: true },
      userData: Fn.base64encode(new TerraformLocal(this, 'db_user_data', userData).asString),
      userDataReplaceOnChange: true,
      tags: { ...props.tags, Name: `${props.name}-db-user-bootstrap` },
      volumeTags: props.tags,
      dependsOn: [this.password, ...props.dependsOn],
    });
  }
}

export interface DatabaseUserScriptInput {
  region: string;
  host: string;
  database: string;
  username: string;
  masterSecretArn: string;
  passwordParameter: string;
}

function word(value: string): string {
  if (/['\n]/.test(value))
    throw new Error(`user data value ${JSON.stringify(value)} may not contain a quote or newline`);
  return `'${value}'`;
}

/**
 * The one-shot script (pure text). The password goes to MySQL only as its mysql_native_password
 * hash (SHA1 of SHA1), so the audit log never sees it; nothing is echoed. Never "${" (Terraform).
 */
export function databaseUserScript(i: DatabaseUserScriptInput): string {
  const user = `'${i.username}'@'%'`;
  return `#!/bin/bash
# Rehearse: create the WordPress database user (infra/aws/stack/database-user.ts). No "set -x".
set -uo pipefail
# To the console too: the instance terminates itself, and its console output outlives it for a while.
exec > >(tee -a /var/log/rehearse-db-user.log >/dev/console) 2>&1
trap 'rm -f /root/.my.cnf; shutdown -h now' EXIT
export AWS_DEFAULT_REGION=${word(i.region)}
dnf install -y -q mariadb105 jq
curl -fsSL -o /tmp/rds-ca.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
umask 077
aws secretsmanager get-secret-value --secret-id ${word(i.masterSecretArn)} --query SecretString --output text \\
  | jq -r '"[client]\\nuser=" + .username + "\\npassword=\\"" + .password + "\\""' > /root/.my.cnf
hash="*$(aws ssm get-parameter --name ${word(i.passwordParameter)} --with-decryption --query Parameter.Value --output text \\
  | tr -d '\\n' | openssl sha1 -binary | openssl sha1 | awk '{print toupper($2)}')"
db() { mysql --host=${word(i.host)} --ssl-ca=/tmp/rds-ca.pem --ssl-verify-server-cert "$@"; }
for attempt in $(seq 60); do
  db -e 'SELECT 1' >/dev/null && break
  echo "waiting for Aurora ($attempt)"; sleep 10
done
if db <<SQL
CREATE USER IF NOT EXISTS ${user} IDENTIFIED WITH mysql_native_password AS '$hash' REQUIRE SSL;
ALTER USER ${user} IDENTIFIED WITH mysql_native_password AS '$hash' REQUIRE SSL;
GRANT ${WORDPRESS_GRANTS.join(', ')} ON ${i.database}.* TO ${user};
SQL
then echo "database user ${i.username} ready $(date -u +%FT%TZ)"
else echo "database user ${i.username} FAILED $(date -u +%FT%TZ)"
fi
`;
}
