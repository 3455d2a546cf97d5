import assert from 'node:assert/strict';
import { test } from 'node:test';
import { saveEnv } from './env.ts';

test('saveEnv restores added, changed and deleted variables on the same process.env object', () => {
  const env = process.env;
  process.env.REHEARSE_ENV_T_KEEP = 'old';
  process.env.REHEARSE_ENV_T_GONE = 'there';
  const restore = saveEnv();
  process.env.REHEARSE_ENV_T_KEEP = 'new';
  process.env.REHEARSE_ENV_T_ADDED = 'x';
  delete process.env.REHEARSE_ENV_T_GONE;
  restore();
  assert.equal(process.env, env, 'the same object, not a copy');
  assert.equal(process.env.REHEARSE_ENV_T_KEEP, 'old');
  assert.equal(process.env.REHEARSE_ENV_T_GONE, 'there');
  assert.equal('REHEARSE_ENV_T_ADDED' in process.env, false);
  delete process.env.REHEARSE_ENV_T_KEEP;
  delete process.env.REHEARSE_ENV_T_GONE;
});
