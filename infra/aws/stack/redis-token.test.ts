// The Redis token helper the app instances run (app-user-data.ts), run here with botocore and
// fake credentials (nothing leaves the machine: presigning is local). Its output is checked
// against SigV4 recomputed from scratch: an ElastiCache IAM auth token is the presigned URL of
// GET https://<replication group>/?Action=connect&User=<user>, service "elasticache", without the scheme.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
// @ts-expect-error plain ESM helper without types
import { pythonToolPath } from '../../../scripts/install/python-tools.mjs';
import { redisTokenScript } from './app-user-data.ts';

const GROUP = 'rehearse-bf-2026';
const USER = 'rehearse-bf-2026-app';
const REGION = 'eu-west-1';
const FAKE = {
  id: 'FAKEACCESSKEYID0TEST',
  secret: 'not-a-real-secret-only-for-this-test',
  session: 'fake-session-token',
};

function pythonWithBotocore(): string {
  // moto depends on botocore; the test bootstrap installs it into .tools/moto-venv.
  const python = path.join(path.dirname(pythonToolPath('moto') as string), 'python');
  assert.ok(
    fs.existsSync(python),
    `${python} missing: run "npm test" once (it installs moto) or scripts/bootstrap.mjs`,
  );
  return python;
}

function token(): string {
  const script = redisTokenScript({ region: REGION, redisReplicationGroupId: GROUP, redisUser: USER });
  const py = /<<'PY'\n([\s\S]*?)\nPY\n/.exec(script)![1]!;
  return execFileSync(pythonWithBotocore(), ['-c', py, GROUP, USER, REGION], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: FAKE.id,
      AWS_SECRET_ACCESS_KEY: FAKE.secret,
      AWS_SESSION_TOKEN: FAKE.session,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

test('the helper prints a connect token for the group and user, signed with the instance credentials', () => {
  const t = token();
  assert.ok(!t.includes('\n') && !t.startsWith('http'), 'one line, no scheme');
  const [host, query] = [t.slice(0, t.indexOf('/')), t.slice(t.indexOf('/?') + 2)];
  assert.equal(host, GROUP);
  const params = new URLSearchParams(query);
  assert.equal(params.get('Action'), 'connect');
  assert.equal(params.get('User'), USER);
  assert.equal(params.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
  assert.equal(params.get('X-Amz-Expires'), '900', 'the 15 minutes ElastiCache allows');
  assert.equal(params.get('X-Amz-SignedHeaders'), 'host');
  assert.equal(params.get('X-Amz-Security-Token'), FAKE.session, 'role credentials carry their session token');
  const amzDate = params.get('X-Amz-Date')!;
  const day = amzDate.slice(0, 8);
  assert.equal(params.get('X-Amz-Credential'), `${FAKE.id}/${day}/${REGION}/elasticache/aws4_request`);
  assert.ok(
    Math.abs(Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`) - Date.now()) < 2 * 86_400_000,
  );

  // SigV4, from the specification: canonical request → string to sign → derived key → signature.
  const canonicalQuery = [...params.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${GROUP}\n`, 'host', sha256('')].join('\n');
  const scope = `${day}/${REGION}/elasticache/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${FAKE.secret}`, day);
  for (const part of [REGION, 'elasticache', 'aws4_request']) key = hmac(key, part);
  assert.equal(params.get('X-Amz-Signature'), hmac(key, toSign).toString('hex'));
});
