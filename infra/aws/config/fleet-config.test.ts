import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundleKey, parseFleetConfig, runPrefix } from './fleet-config.ts';

test('spot by default, one runner per region, results expire', () => {
  const c = parseFleetConfig({ rehearsalId: 'bf-2026', accountId: '123456789012', regions: ['eu-west-1'] });
  assert.equal(c.purchase, 'spot');
  assert.equal(c.runnersPerRegion, 1);
  assert.equal(c.expireDays, 30);
  assert.equal(bundleKey(c), 'runs/bf-2026/agent/rehearse.tgz');
  assert.equal(runPrefix('bf-2026'), 'runs/bf-2026');
});

test('the agent bundle must sit under the run prefix, which is all a runner may read', () => {
  assert.throws(
    () =>
      parseFleetConfig({
        rehearsalId: 'bf-2026',
        accountId: '123456789012',
        regions: ['eu-west-1'],
        agentBundleKey: 'shared/rehearse.tgz',
      }),
    /must sit under runs\/bf-2026\//,
  );
  assert.equal(
    bundleKey(
      parseFleetConfig({
        rehearsalId: 'bf-2026',
        accountId: '123456789012',
        regions: ['eu-west-1'],
        agentBundleKey: 'runs/bf-2026/x.tgz',
      }),
    ),
    'runs/bf-2026/x.tgz',
  );
});

test('bad fleets are refused with the field named', () => {
  assert.throws(() => parseFleetConfig({ rehearsalId: 'bf-2026', accountId: '123456789012', regions: [] }), /regions/);
  assert.throws(
    () => parseFleetConfig({ rehearsalId: 'bf-2026', accountId: '123456789012', regions: ['eu-west-1', 'eu-west-1'] }),
    /must not repeat/,
  );
  assert.throws(
    () =>
      parseFleetConfig({
        rehearsalId: 'bf-2026',
        accountId: '123456789012',
        regions: ['eu-west-1'],
        instanceTypes: ['c7g.xlarge', 'c7i.xlarge'],
      }),
    /one architecture/,
  );
  assert.throws(
    () =>
      parseFleetConfig({
        rehearsalId: 'bf-2026',
        accountId: '123456789012',
        regions: ['eu-west-1'],
        purchase: 'reserved',
      }),
    /purchase/,
  );
  assert.throws(
    () => parseFleetConfig({ rehearsalId: 'bf-2026', accountId: '123456789012', regions: ['eu-west-1'], sshKey: 'x' }),
    /looks like a secret/,
  );
});
