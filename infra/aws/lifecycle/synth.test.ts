import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFleetConfig } from '../config/fleet-config.ts';
import { parseStackConfig } from '../config/stack-config.ts';
import { fleet, withoutCertificate } from '../testing/fixtures.ts';
import { synthesize, synthesizeStack } from './synth.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-synth-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('synthesize', () => {
  test('writes one Terraform JSON per stack, in apply order, with state beside it', () => {
    const out = path.join(tmp, 'synth');
    const stacks = synthesize({ store: parseStackConfig(withoutCertificate), fleet: parseFleetConfig(fleet) }, out);
    assert.deepEqual(
      stacks.map((s) => s.name),
      [
        'rehearse-20261125-bf-test-store',
        'rehearse-20261125-bf-test-fleet-eu-west-1',
        'rehearse-20261125-bf-test-fleet-us-east-1',
      ],
    );
    for (const s of stacks) {
      assert.equal(s.file, path.join(out, 'stacks', s.name, 'cdk.tf.json'));
      const json = JSON.parse(fs.readFileSync(s.file, 'utf8'));
      assert.deepEqual(json.terraform.backend, { local: { path: 'terraform.tfstate' } });
      assert.ok(json.provider.aws);
    }
    assert.equal(
      synthesizeStack({ store: parseStackConfig(withoutCertificate) }, path.join(tmp, 'one')),
      path.join(tmp, 'one', 'stacks', 'rehearse-20261125-bf-test-store', 'cdk.tf.json'),
    );
  });

  test('refuses store and fleet configs of different rehearsals', () => {
    assert.throws(
      () =>
        synthesize(
          {
            store: parseStackConfig(withoutCertificate),
            fleet: parseFleetConfig({ ...fleet, rehearsalId: 'other-one' }),
          },
          path.join(tmp, 'x'),
        ),
      /different rehearsals/,
    );
  });
});
