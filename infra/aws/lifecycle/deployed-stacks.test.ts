import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.ts';
import { stateHasResources } from './deployed-stacks.ts';

test('a stack holds resources when its local state lists some; with a remote backend it may, whatever is local', () => {
  const root = tempDir('rehearse-deployed-');
  const stack = (name: string, backend: object, state?: object) => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
    if (state) writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(state));
    return dir;
  };
  const local = { local: { path: 'terraform.tfstate' } };
  assert.equal(stateHasResources(stack('never-applied', local)), false);
  assert.equal(stateHasResources(stack('destroyed', local, { resources: [] })), false);
  assert.equal(stateHasResources(stack('deployed', local, { resources: [{ type: 'aws_vpc' }] })), true);
  assert.equal(stateHasResources(stack('in-s3', { s3: { bucket: 'b', key: 'k', use_lockfile: true } })), true);
});
