import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT, InputError, RunError, exitCodeFor } from './errors.ts';

test('input errors exit 2, run failures exit 3, unknown errors exit 3', () => {
  assert.equal(exitCodeFor(new InputError('bad flag')), EXIT.usage);
  assert.equal(exitCodeFor(new RunError('k6 crashed')), EXIT.runFailed);
  class ProfileError extends Error {}
  assert.equal(exitCodeFor(new ProfileError('shape[0].rate')), EXIT.usage);
  const named = Object.assign(new Error('x'), { name: 'PlanError' });
  assert.equal(exitCodeFor(named), EXIT.usage);
  assert.equal(exitCodeFor(new Error('boom')), EXIT.runFailed);
  assert.equal(exitCodeFor('a string'), EXIT.runFailed);
});
