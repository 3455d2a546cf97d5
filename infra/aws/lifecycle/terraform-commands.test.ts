import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { terraformPlan } from './terraform-commands.ts';

describe('terraform command lines', () => {
  const stacks = [
    { name: 'store', dir: '/s/store', file: '' },
    { name: 'fleet', dir: '/s/fleet', file: '' },
  ];
  test('up: init + apply per stack in order; down: init + destroy in reverse; all non-interactive', () => {
    const up = terraformPlan('/usr/bin/tofu', stacks, 'up');
    assert.deepEqual(
      up.map((c) => [c.command, ...c.args]),
      [
        ['/usr/bin/tofu', '-chdir=/s/store', 'init', '-input=false', '-no-color'],
        ['/usr/bin/tofu', '-chdir=/s/store', 'apply', '-auto-approve', '-input=false', '-no-color'],
        ['/usr/bin/tofu', '-chdir=/s/fleet', 'init', '-input=false', '-no-color'],
        ['/usr/bin/tofu', '-chdir=/s/fleet', 'apply', '-auto-approve', '-input=false', '-no-color'],
      ],
    );
    const down = terraformPlan('terraform', stacks, 'down');
    assert.deepEqual(
      down.map((c) => c.label),
      ['fleet: init', 'fleet: destroy', 'store: init', 'store: destroy'],
    );
    assert.ok(down[1]!.args.includes('-auto-approve'));
  });
});
