import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import type { TargetFlags } from '../../pipeline/target-from.ts';
import { addTargetOptions } from './target-options.ts';

const parse = (args: string[]) => {
  const cmd = addTargetOptions(new Command('x').exitOverride().configureOutput({ writeErr: () => {} }));
  cmd.parse(args, { from: 'user' });
  return cmd.opts<TargetFlags>();
};

test('--shop-cost: calibrated unless asked for light; anything else is refused naming the choices', () => {
  assert.equal(parse([]).shopCost, 'calibrated');
  assert.equal(parse(['--shop-cost', 'light']).shopCost, 'light');
  assert.throws(() => parse(['--shop-cost', 'cheap']), /--shop-cost.*calibrated, light/s);
});
