import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { preflight, PreflightError } from './preflight.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-preflight-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bin(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

describe('preflight', () => {
  const home = path.join(tmp, 'home');
  const pathDir = path.join(tmp, 'bin-tf');
  const tfPath = bin(pathDir, 'terraform');
  const tofuPath = bin(path.join(tmp, 'bin-tofu'), 'tofu');
  const base = { homeDir: home, env: { PATH: pathDir } as NodeJS.ProcessEnv };
  const problems = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof PreflightError);
      return e.problems;
    }
    assert.fail('expected a PreflightError');
  };

  test('environment keys and a terraform on PATH pass', () => {
    const r = preflight({
      ...base,
      env: { ...base.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' },
    });
    assert.deepEqual(r, { credentials: { source: 'environment' }, terraform: { flavor: 'terraform', path: tfPath } });
  });

  test('nothing at all: both problems reported, each saying what to do', () => {
    const p = problems(() => preflight({ homeDir: home, env: { PATH: path.join(tmp, 'empty') } }));
    assert.equal(p.length, 2);
    assert.match(p[0]!, /no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY .*aws configure/);
    assert.match(
      p[1]!,
      /neither terraform nor tofu is on PATH: install Terraform \(https:.*\) or OpenTofu .*REHEARSE_TERRAFORM/,
    );
  });

  test('half-set keys are named', () => {
    assert.match(
      problems(() => preflight({ ...base, env: { ...base.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' } }))[0]!,
      /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/,
    );
  });

  test('profiles from the shared config and credentials files', () => {
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(home, '.aws', 'config'),
      '[default]\nregion = eu-west-1\n\n[profile sso-dev]\nsso_session = corp\nregion = eu-west-1\n\n[profile bare]\nregion = us-east-1\n',
    );
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      '[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = example\n',
    );
    assert.deepEqual(preflight({ ...base, profile: 'sso-dev' }).credentials, { source: 'profile', profile: 'sso-dev' });
    assert.deepEqual(preflight({ ...base, env: { ...base.env, AWS_PROFILE: 'ci' } }).credentials, {
      source: 'profile',
      profile: 'ci',
    });
    assert.match(
      problems(() => preflight({ ...base, profile: 'nope' }))[0]!,
      /profile "nope" is not in ~\/.aws\/config .*aws configure --profile nope/,
    );
    assert.match(problems(() => preflight({ ...base, profile: 'bare' }))[0]!, /profile "bare" holds no credentials/);
    // [default] has only a region: not credentials.
    assert.match(problems(() => preflight(base))[0]!, /no AWS credentials found/);
    // An explicit profile wins over keys in the environment.
    assert.match(
      problems(() =>
        preflight({
          ...base,
          profile: 'nope',
          env: { ...base.env, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
        }),
      )[0]!,
      /"nope"/,
    );
  });

  test('web identity and container credentials count; tofu is found and can be preferred', () => {
    const env = {
      PATH: [pathDir, path.dirname(tofuPath)].join(path.delimiter),
      AWS_WEB_IDENTITY_TOKEN_FILE: '/t',
      AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
    };
    const r = preflight({ homeDir: path.join(tmp, 'nohome'), env, prefer: 'tofu' });
    assert.deepEqual(r, { credentials: { source: 'web-identity' }, terraform: { flavor: 'tofu', path: tofuPath } });
    const c = preflight({
      homeDir: path.join(tmp, 'nohome'),
      env: { PATH: path.dirname(tofuPath), AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' },
    });
    assert.deepEqual(c.terraform, { flavor: 'tofu', path: tofuPath });
    assert.equal(c.credentials.source, 'container');
  });

  test('REHEARSE_TERRAFORM overrides PATH and must be executable', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', PATH: '' };
    assert.deepEqual(preflight({ homeDir: home, env: { ...env, REHEARSE_TERRAFORM: tofuPath } }).terraform, {
      flavor: 'tofu',
      path: tofuPath,
    });
    assert.match(
      problems(() => preflight({ homeDir: home, env: { ...env, REHEARSE_TERRAFORM: path.join(tmp, 'missing') } }))[0]!,
      /REHEARSE_TERRAFORM=".*missing" is not an executable/,
    );
  });
});
