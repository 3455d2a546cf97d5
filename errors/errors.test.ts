import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT, InputError, InterruptedError, RunError, exitCodeFor } from './errors.ts';

test('each base carries its exit code, and a subclass inherits it without a list of names', () => {
  class ProfileError extends InputError {}
  class StoreError extends RunError {}
  assert.equal(exitCodeFor(new InputError('bad flag')), EXIT.usage);
  assert.equal(exitCodeFor(new ProfileError('shape[0].rate')), EXIT.usage);
  assert.equal(exitCodeFor(new RunError('k6 crashed')), EXIT.runFailed);
  assert.equal(exitCodeFor(new StoreError('denied')), EXIT.runFailed);
  assert.equal(exitCodeFor(new InterruptedError('ctrl-c')), EXIT.interrupted);
  assert.equal(new ProfileError('x').name, 'ProfileError');
  assert.equal(new InputError('x', 'run --help').hint, 'run --help');
});

test('an error that is not ours, or not an error, means the run failed (3)', () => {
  assert.equal(exitCodeFor(Object.assign(new Error('x'), { name: 'PlanError', exitCode: 2 })), EXIT.runFailed);
  assert.equal(exitCodeFor(new Error('boom')), EXIT.runFailed);
  assert.equal(exitCodeFor('a string'), EXIT.runFailed);
});
