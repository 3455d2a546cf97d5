import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunners, runCommand } from './run.ts';

test('--runners takes a whole number from 1 to 64 and defaults to 1', async () => {
  assert.equal(parseRunners('4'), 4);
  for (const bad of ['0', '2.5', 'four', '65']) assert.throws(() => parseRunners(bad), /--runners must be a whole number from 1 to 64/);
  const cmd = runCommand();
  assert.equal(cmd.options.find((o) => o.long === '--runners')?.defaultValue, 1);
});
